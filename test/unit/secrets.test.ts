import { inspect } from 'node:util';

import { NodeApiError, type IDataObject, type IHttpRequestHelper } from 'n8n-workflow';

import { DropboxPlusApi, describeRefreshFailure } from '../../credentials/DropboxPlusApi.credentials';
import { dropboxDownload, dropboxRpc, dropboxUpload, clock } from '../../nodes/shared/transport';
import { redactSecrets } from '../../nodes/shared/transport/redact';
import { AxiosError, dropboxError, fakeContext, httpError, NODE, streamOf } from './helpers/fakes';

// Recognisable fake secrets, shaped like the real ones
const ACCESS_TOKEN = 'sl.u.AFakeAccessTokenXyZ0123456789_abcdefGHIJKLmnop-QRSTuv';
const OLD_ACCESS_TOKEN = 'sl.BFakeOldStyleToken0123456789abcdefghijkLMNOP';
const REFRESH_TOKEN = 'RfTkFake0123456789abcdefghijklmnopQRSTUVWXYZ';
const APP_SECRET = 'appsecretfake9876zyx';
const SECRETS = [ACCESS_TOKEN, OLD_ACCESS_TOKEN, REFRESH_TOKEN, APP_SECRET];

/** What an Axios request config looks like after n8n signed it: every secret is in there. */
const SIGNED_CONFIG: IDataObject = {
	method: 'post',
	url: 'https://api.dropboxapi.com/2/files/list_folder',
	headers: { Authorization: `Bearer ${ACCESS_TOKEN}`, 'Content-Type': 'application/json' },
	data: `grant_type=refresh_token&refresh_token=${REFRESH_TOKEN}&client_id=appkey&client_secret=${APP_SECRET}`,
	auth: { username: 'appkey', password: APP_SECRET },
};

/** Every way an error can be looked at: serialised, printed, its message, description and stack. */
function everyViewOf(error: unknown): string[] {
	const e = error as { message?: string; description?: string; stack?: string; messages?: string[] };
	return [
		JSON.stringify(error),
		inspect(error, { depth: 20, showHidden: false }),
		String(e.message),
		String(e.description),
		String(e.stack),
		JSON.stringify(e.messages ?? []),
		JSON.stringify((error as { context?: unknown }).context ?? {}),
		JSON.stringify((error as { errorResponse?: unknown }).errorResponse ?? {}),
	];
}

function expectNoSecrets(error: unknown): void {
	for (const view of everyViewOf(error)) {
		for (const secret of SECRETS) expect(view).not.toContain(secret);
	}
}

const realSleep = clock.sleep;
beforeEach(() => {
	clock.sleep = async () => {};
});
afterEach(() => {
	clock.sleep = realSleep;
});

/** Fails every attempt with a fresh copy of the failure (retried failures are met again). */
async function thrownByRpc(make: () => Error): Promise<NodeApiError> {
	const { ctx } = fakeContext([make(), make(), make()], { credentials: { pathRoot: 'home', accessToken: ACCESS_TOKEN, clientSecret: APP_SECRET } });
	const error = (await dropboxRpc(ctx, 'files/list_folder', { path: '/Private' }, { path: '/Private', itemIndex: 0, retry: { maxAttempts: 2 } }).catch(
		(e: unknown) => e,
	)) as NodeApiError;
	expect(error).toBeInstanceOf(NodeApiError);
	return error;
}

describe('no secret ever appears in an error the transport throws', () => {
	const cases: Array<[string, () => Error]> = [
		['409 with the signed request config', () => httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } }), {}, SIGNED_CONFIG)],
		[
			'400 text echoing the Authorization header',
			() =>
				httpError(
					400,
					`Error in call to API function "files/list_folder": Invalid authorization value in HTTP header "Authorization": "Bearer ${ACCESS_TOKEN}".  Expecting "Bearer <oauth2-access-token>".`,
					{},
					SIGNED_CONFIG,
				),
		],
		['400 text echoing a bare new-style token', () => httpError(400, `Error in call to API function "files/list_folder": malformed token ${ACCESS_TOKEN}`, {}, SIGNED_CONFIG)],
		['400 text echoing a bare old-style token', () => httpError(400, `Error in call to API function "files/list_folder": malformed token ${OLD_ACCESS_TOKEN}`)],
		[
			'400 text echoing a form body',
			() => httpError(400, `bad request body: refresh_token=${REFRESH_TOKEN}&client_secret=${APP_SECRET}`, {}, SIGNED_CONFIG),
		],
		[
			'400 text echoing JSON credentials',
			() => httpError(400, `{"refresh_token": "${REFRESH_TOKEN}", "client_secret": "${APP_SECRET}", "access_token":"${ACCESS_TOKEN}"}`),
		],
		['401 invalid_access_token with the signed config', () => httpError(401, dropboxError({ '.tag': 'invalid_access_token' }), {}, SIGNED_CONFIG)],
		['401 expired twice', () => httpError(401, dropboxError({ '.tag': 'expired_access_token' }), {}, SIGNED_CONFIG)],
		['403', () => httpError(403, dropboxError({ '.tag': 'no_permission' }), {}, SIGNED_CONFIG)],
		[
			'409 whose user_message echoes a token',
			() => httpError(409, dropboxError({ '.tag': 'other_thing' }, { user_message: { locale: 'en', text: `Token ${ACCESS_TOKEN} is odd` } }), {}, SIGNED_CONFIG),
		],
		['422', () => httpError(422, dropboxError({ '.tag': 'invalid_root', invalid_root: { '.tag': 'team', root_namespace_id: '1' } }), {}, SIGNED_CONFIG)],
		['429 with Retry-After', () => httpError(429, 'Too Many Requests', { 'Retry-After': '1' }, SIGNED_CONFIG)],
		['500 text echoing the Authorization header', () => httpError(500, `upstream: Authorization: Bearer ${ACCESS_TOKEN}`, {}, SIGNED_CONFIG)],
		['ECONNRESET with the signed config', () => new AxiosError('socket hang up', { code: 'ECONNRESET', config: SIGNED_CONFIG })],
		['an unknown error whose message names the header', () => new Error(`Request failed: Authorization: Bearer ${ACCESS_TOKEN}`)],
		['an unknown error whose message names the form', () => new Error(`invalid body refresh_token=${REFRESH_TOKEN}&client_secret=${APP_SECRET}`)],
		['an unknown error with a bare token', () => new Error(`cannot use ${ACCESS_TOKEN}`)],
		[
			"n8n's NodeApiError wrapping the Axios error",
			() => new NodeApiError(NODE, httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } }), {}, SIGNED_CONFIG) as unknown as Error),
		],
		[
			"n8n's NodeApiError wrapping a 400 that echoes the token",
			() => new NodeApiError(NODE, httpError(400, `Authorization: Bearer ${ACCESS_TOKEN}`, {}, SIGNED_CONFIG) as unknown as Error),
		],
	];

	it.each(cases)('%s', async (_name, make) => {
		expectNoSecrets(await thrownByRpc(make));
	});

	it('on upload and download too', async () => {
		const { ctx } = fakeContext([
			httpError(400, `Authorization: Bearer ${ACCESS_TOKEN}`, {}, SIGNED_CONFIG),
			httpError(409, streamOf(`{"error_summary":"x","error":{".tag":"path","path":{".tag":"not_found"}},"t":"${ACCESS_TOKEN}"}`), {}, SIGNED_CONFIG),
		]);
		expectNoSecrets(await dropboxUpload(ctx, 'files/upload', { path: '/a' }, Buffer.from(ACCESS_TOKEN)).catch((e: unknown) => e));
		expectNoSecrets(await dropboxDownload(ctx, 'files/download', { path: '/a' }).catch((e: unknown) => e));
	});

	it('the 400 text is still useful after redaction', async () => {
		const error = await thrownByRpc(() =>
			httpError(400, `Error in call to API function "files/list_folder": Invalid authorization value in HTTP header "Authorization": "Bearer ${ACCESS_TOKEN}".`),
		);
		expect(error.description).toContain('Invalid authorization value in HTTP header "Authorization"');
		expect(error.description).toContain('[redacted]');
	});
});

describe('redactSecrets', () => {
	it.each([
		[`Bearer ${ACCESS_TOKEN}`, 'Bearer [redacted]'],
		['Basic YXBwa2V5OmFwcHNlY3JldA==', 'Basic [redacted]'],
		[`refresh_token=${REFRESH_TOKEN}&x=1`, 'refresh_token=[redacted]&x=1'],
		[`"client_secret": "${APP_SECRET}"`, '"client_secret": "[redacted]"'],
		[`access_token:${ACCESS_TOKEN}`, 'access_token:[redacted]'],
		[`token ${ACCESS_TOKEN} here`, 'token [redacted] here'],
		[`token ${OLD_ACCESS_TOKEN} here`, 'token [redacted] here'],
	])('%s', (input, output) => {
		expect(redactSecrets(input)).toBe(output);
	});

	it('leaves ordinary text alone', () => {
		const text = 'Error in call to API function "files/upload": path/conflict/file at "/Reports/sl.txt"';
		expect(redactSecrets(text)).toBe(text);
	});
});

describe('no secret in a failed token refresh', () => {
	const credentials = { clientId: 'appkey', clientSecret: APP_SECRET, refreshToken: REFRESH_TOKEN, accessToken: '' };

	function refreshError(status: number | undefined, data: unknown, code?: string): AxiosError {
		return new AxiosError(status ? `Request failed with status code ${status}` : 'connect ECONNREFUSED', {
			code,
			config: {
				method: 'post',
				url: 'https://api.dropboxapi.com/oauth2/token',
				data: `grant_type=refresh_token&refresh_token=${REFRESH_TOKEN}&client_id=appkey&client_secret=${APP_SECRET}`,
			},
			response: status ? { status, headers: {}, data } : undefined,
		});
	}

	async function refreshWith(answer: () => Promise<unknown>) {
		const httpRequest = jest.fn(answer);
		const helper = { helpers: { httpRequest } } as unknown as IHttpRequestHelper;
		const result = await new DropboxPlusApi().preAuthentication.call(helper, credentials).catch((e: unknown) => e);
		return { result, httpRequest };
	}

	it('a successful refresh posts the refresh grant and returns only the new access token', async () => {
		const { result, httpRequest } = await refreshWith(async () => ({ access_token: ACCESS_TOKEN, token_type: 'bearer', expires_in: 14400 }));
		expect(result).toEqual({ accessToken: ACCESS_TOKEN });
		const request = httpRequest.mock.calls[0][0] as { method: string; url: string; body: string };
		expect(request.method).toBe('POST');
		expect(request.url).toBe('https://api.dropboxapi.com/oauth2/token');
		const form = new URLSearchParams(request.body);
		expect(Object.fromEntries(form)).toEqual({
			grant_type: 'refresh_token',
			refresh_token: REFRESH_TOKEN,
			client_id: 'appkey',
			client_secret: APP_SECRET,
		});
	});

	it.each<[string, () => AxiosError, RegExp]>([
		['invalid_grant', () => refreshError(400, { error: 'invalid_grant', error_description: `refresh token ${REFRESH_TOKEN} is invalid` }), /invalid_grant.*new refresh token/],
		['invalid_grant as a JSON string', () => refreshError(400, JSON.stringify({ error: 'invalid_grant', error_description: 'revoked' })), /invalid_grant.*new refresh token/],
		['invalid_grant as a Buffer', () => refreshError(400, Buffer.from(JSON.stringify({ error: 'invalid_grant' }))), /invalid_grant/],
		['invalid_client', () => refreshError(400, { error: 'invalid_client', error_description: `secret ${APP_SECRET} wrong` }), /invalid_client.*Client ID \(App key\) and Client Secret \(App secret\) in the Dropbox Plus Refresh Token API credential/],
		['unauthorized_client', () => refreshError(401, { error: 'unauthorized_client' }), /unauthorized_client/],
		['a server error', () => refreshError(503, `echo refresh_token=${REFRESH_TOKEN}`), /HTTP 503/],
		['a network error', () => refreshError(undefined, undefined, 'ECONNREFUSED'), /Could not reach Dropbox.*ECONNREFUSED/],
	])('%s: a clear reason, no secret, no cause', async (_name, make, reason) => {
		const error = make();
		const message = describeRefreshFailure(error);
		expect(message).toMatch(reason);
		for (const secret of SECRETS) expect(message).not.toContain(secret);

		const { result } = await refreshWith(async () => {
			throw make();
		});
		expect(result).toBeInstanceOf(Error);
		expect((result as Error).message).toBe(message);
		expect((result as Error).cause).toBeUndefined();
		expectNoSecrets(result);
	});

	it('an answer without an access token is an error that names no secret', async () => {
		const { result } = await refreshWith(async () => ({ token_type: 'bearer' }));
		expect(result).toBeInstanceOf(Error);
		expect((result as Error).message).toMatch(/without an access token/);
		expectNoSecrets(result);
	});
});
