import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { withPathRoot } from '../nodes/shared/transport/pathRoot';
import { pathRootProperties } from './pathRoot';

/** The name the credential has on screen, used in its errors. */
const SHOWN_NAME = 'Dropbox Plus Refresh Token API credential';

/**
 * The setup, as numbered steps; the address and the command each in a box of their own, to copy
 * whole (n8n shows a credential notice as plain text: no line breaks, no code formatting).
 */
export const REFRESH_TOKEN_STEPS = [
	'For servers without a browser. Get a refresh token once, in three steps:',
	'1. In a browser, open this address (put your App key in place of APP_KEY), allow access, and copy the code Dropbox shows:',
	'https://www.dropbox.com/oauth2/authorize?client_id=APP_KEY&response_type=code&token_access_type=offline',
	'2. In a terminal, trade the code for a refresh token (CODE, APP_KEY and APP_SECRET replaced):',
	'curl https://api.dropboxapi.com/oauth2/token -d code=CODE -d grant_type=authorization_code -u APP_KEY:APP_SECRET',
	'3. Below, put the App key in Client ID, the App secret in Client Secret, and the answer\'s "refresh_token" in Refresh Token.',
];

interface DropboxTokenAnswer {
	access_token?: string;
}

/**
 * Headless credential: app key + app secret + a long-lived refresh token. The short-lived
 * access token is a hidden, expirable field that n8n fills through `preAuthentication`
 * whenever it is empty or Dropbox answers 401, so it renews by itself.
 */
export class DropboxPlusApi implements ICredentialType {
	name = 'dropboxPlusApi';

	displayName = 'Dropbox Plus Refresh Token API';

	icon: Icon = { light: 'file:../icons/dropboxPlus.svg', dark: 'file:../icons/dropboxPlus.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-dropbox-plus/n8n-nodes-dropbox-plus/blob/main/docs/credentials.md';

	properties: INodeProperties[] = [
		// one notice per step and per line to copy; the first keeps the name it always had
		...REFRESH_TOKEN_STEPS.map(
			(text, index): INodeProperties => ({
				displayName: text,
				name: index === 0 ? 'notice' : `setupStep${index}`,
				type: 'notice',
				default: '',
			}),
		),
		{
			// the field keeps its name (saved credentials hold clientId); n8n shows it as "Client ID" anyway
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			hint: 'Your app\'s App key',
			description: 'The App key of your app: Dropbox App Console → your app → Settings',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			hint: 'Your app\'s App secret',
			description: 'The App secret of your app, on the same Settings page (press Show)',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			hint: 'The "refresh_token" of step 3 above',
			description:
				'A refresh token issued with token_access_type=offline. It does not expire until the app is disconnected.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		...pathRootProperties,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		let answer: DropboxTokenAnswer;
		try {
			answer = (await this.helpers.httpRequest({
				method: 'POST',
				url: 'https://api.dropboxapi.com/oauth2/token',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					grant_type: 'refresh_token',
					refresh_token: String(credentials.refreshToken ?? ''),
					client_id: String(credentials.clientId ?? ''),
					client_secret: String(credentials.clientSecret ?? ''),
				}).toString(),
				json: true,
			})) as DropboxTokenAnswer;
		} catch (error) {
			// Re-thrown without the original request, which carries the refresh token and app secret
			throw new Error(describeRefreshFailure(error));
		}
		if (!answer.access_token) {
			throw new Error('Dropbox answered the token refresh without an access token. Check the Client ID (the App key of your app).');
		}
		return { accessToken: answer.access_token };
	}

	/**
	 * Puts the access token in the Authorization header, and the Space in Dropbox-API-Path-Root
	 * (unless the request names one), so the HTTP Request node with this credential works in the
	 * same Space as the Dropbox Plus nodes. A function rather than n8n's generic form: the generic
	 * form evaluates an expression on every request, about a millisecond each, which adds up over
	 * thousands of calls.
	 */
	authenticate: IAuthenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) => ({
		...requestOptions,
		headers: withPathRoot(credentials, { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.accessToken ?? '')}` }),
	});

	test: ICredentialTestRequest = {
		request: {
			baseURL: 'https://api.dropboxapi.com/2',
			url: '/users/get_current_account',
			method: 'POST',
			// No body: without a Content-Type of its own, n8n sends a form-encoded one and Dropbox answers 400
			headers: { 'Content-Type': 'application/json' },
		},
	};
}

/** A user-facing reason for a failed refresh grant that never includes the request itself. */
export function describeRefreshFailure(error: unknown): string {
	const response = (error as { response?: { status?: number; data?: unknown } })?.response;
	let data = response?.data as { error?: unknown } | undefined;
	// The OAuth error body may arrive unparsed (text or bytes)
	if (typeof data === 'string' || Buffer.isBuffer(data)) {
		try {
			data = JSON.parse(String(data)) as { error?: unknown };
		} catch {
			data = undefined;
		}
	}
	const code = typeof data?.error === 'string' ? data.error : undefined;
	if (code === 'invalid_grant') {
		return `Dropbox refused the refresh token (invalid_grant): it was revoked or belongs to another app. Create a new refresh token and paste it into the ${SHOWN_NAME}.`;
	}
	if (code === 'invalid_client' || code === 'unauthorized_client') {
		return `Dropbox refused the app credentials (${code}): check the Client ID (App key) and Client Secret (App secret) in the ${SHOWN_NAME}.`;
	}
	if (response?.status) {
		return `Dropbox answered the token refresh with HTTP ${response.status}${code ? ` (${code})` : ''}. Try again later, or reconnect the credential.`;
	}
	const reason = (error as { code?: unknown })?.code;
	return `Could not reach Dropbox to refresh the access token${typeof reason === 'string' ? ` (${reason})` : ''}. Check the network or proxy settings of n8n.`;
}
