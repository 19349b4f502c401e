import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { pathRootProperties } from './pathRoot';

/** Every scope the Dropbox Plus nodes use; users who grant fewer can edit the list. */
export const DROPBOX_PLUS_SCOPES = [
	'account_info.read',
	'files.metadata.read',
	'files.metadata.write',
	'files.content.read',
	'files.content.write',
	'sharing.read',
	'sharing.write',
	'file_requests.read',
	'file_requests.write',
].join(' ');

/** Where each value of the dialog goes, in the App Console's own words: one notice per step. */
export const OAUTH2_STEPS = [
	'In the Dropbox App Console (dropbox.com/developers/apps) open your app:',
	'1. Settings tab → OAuth 2 → Redirect URIs: paste the OAuth Redirect URL shown below and press Add.',
	'2. Copy the App key into Client ID and the App secret into Client Secret.',
	'3. Permissions tab: tick the scopes listed in Scope below and press Submit. Then press Connect my account.',
];

export class DropboxPlusOAuth2Api implements ICredentialType {
	name = 'dropboxPlusOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Dropbox Plus OAuth2 API';

	icon: Icon = { light: 'file:../icons/dropboxPlus.svg', dark: 'file:../icons/dropboxPlus.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-dropbox-plus/n8n-nodes-dropbox-plus/blob/main/docs/credentials.md';

	properties: INodeProperties[] = [
		...OAUTH2_STEPS.map(
			(text, index): INodeProperties => ({
				displayName: text,
				name: index === 0 ? 'notice' : `setupStep${index}`,
				type: 'notice',
				default: '',
			}),
		),
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: 'https://www.dropbox.com/oauth2/authorize',
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: 'https://api.dropboxapi.com/oauth2/token',
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: DROPBOX_PLUS_SCOPES,
			description:
				'Space-separated Dropbox scopes. Tick the same ones in the App Console (Permissions tab). Remove any you do not grant; operations that need them will then say which scope is missing.',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			// offline: Dropbox issues a refresh token, so n8n renews the 4-hour access token by itself
			default: 'token_access_type=offline',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		...pathRootProperties,
	];

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
