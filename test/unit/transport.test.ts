import { NodeApiError, type IExecuteFunctions, type IHttpRequestOptions } from 'n8n-workflow';

import {
	CONTENT_BASE_URL,
	RPC_BASE_URL,
	clock,
	credentialTypeFor,
	dropboxDownload,
	dropboxRpc,
	dropboxUpload,
	pathRootHeader,
} from '../../nodes/shared/transport';
import { dropboxError, fakeContext, httpError, networkError, NODE, streamOf } from './helpers/fakes';

const HEADER_SAFE = /^[\x20-\x7e]*$/;

let waits: number[];
const realSleep = clock.sleep;

beforeEach(() => {
	waits = [];
	clock.sleep = async (ms: number) => {
		waits.push(ms);
	};
	// the lowest jitter, so backoff waits are exactly half of each exponential step
	jest.spyOn(Math, 'random').mockReturnValue(0);
});

afterEach(() => {
	clock.sleep = realSleep;
	jest.restoreAllMocks();
});

function requestOf(request: jest.Mock, call = 0): { credentialType: string; options: IHttpRequestOptions } {
	const [credentialType, options] = request.mock.calls[call] as [string, IHttpRequestOptions];
	return { credentialType, options };
}

async function rejectionOf(promise: Promise<unknown>): Promise<NodeApiError> {
	const error = await promise.then(
		() => {
			throw new Error('expected the call to fail');
		},
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NodeApiError);
	return error as NodeApiError;
}

describe('RPC calls', () => {
	it('POSTs JSON arguments to api.dropboxapi.com/2/<route> and returns the parsed answer', async () => {
		const { ctx, request } = fakeContext([JSON.stringify({ name: 'q1.pdf', '.tag': 'file' })]);
		const result = await dropboxRpc(ctx, 'files/get_metadata', { path: '/Reports/q1.pdf' });
		expect(result).toEqual({ name: 'q1.pdf', '.tag': 'file' });
		const { options } = requestOf(request);
		expect(options).toMatchObject({
			method: 'POST',
			url: `${RPC_BASE_URL}/files/get_metadata`,
			body: '{"path":"/Reports/q1.pdf"}',
			json: false,
		});
		expect(RPC_BASE_URL).toBe('https://api.dropboxapi.com/2');
		expect(options.headers).toMatchObject({ 'Content-Type': 'application/json' });
	});

	it('accepts answers already parsed, as Buffers, or empty', async () => {
		const { ctx } = fakeContext([{ a: 1 }, Buffer.from('{"b":2}'), '']);
		expect(await dropboxRpc(ctx, 'users/get_space_usage')).toEqual({ a: 1 });
		expect(await dropboxRpc(ctx, 'users/get_space_usage')).toEqual({ b: 2 });
		expect(await dropboxRpc(ctx, 'users/get_space_usage')).toBeNull();
	});

	it.each([
		['undefined', undefined],
		['null', null],
	])('an argument-less route (args %s) sends the JSON null as application/json (never a bodyless POST, which n8n declares form-encoded)', async (_name, args) => {
		const { ctx, request } = fakeContext([{ account_id: 'dbid:1' }]);
		await dropboxRpc(ctx, 'users/get_current_account', args);
		const { options } = requestOf(request);
		expect(options.body).toBe('null');
		expect(options.headers).toHaveProperty('Content-Type', 'application/json');
		expect(options.url).toBe('https://api.dropboxapi.com/2/users/get_current_account');
	});
});

describe('upload calls', () => {
	it('sends the bytes as application/octet-stream with a header-safe Dropbox-API-Arg to content.dropboxapi.com', async () => {
		const { ctx, request } = fakeContext([JSON.stringify({ name: 'Café 日本 📄.txt', size: 5 })]);
		const data = Buffer.from('hello');
		const args = { path: '/Café/日本/📄.txt', mode: 'add', autorename: true };
		const result = await dropboxUpload(ctx, 'files/upload', args, data, { path: args.path });
		expect(result).toEqual({ name: 'Café 日本 📄.txt', size: 5 });
		const { options } = requestOf(request);
		expect(options.method).toBe('POST');
		expect(options.url).toBe(`${CONTENT_BASE_URL}/files/upload`);
		expect(CONTENT_BASE_URL).toBe('https://content.dropboxapi.com/2');
		expect(options.body).toBe(data);
		const headers = options.headers as Record<string, string>;
		expect(headers['Content-Type']).toBe('application/octet-stream');
		expect(headers['Dropbox-API-Arg']).toMatch(HEADER_SAFE);
		expect(headers['Dropbox-API-Arg']).toBe(
			'{"path":"/Caf\\u00e9/\\u65e5\\u672c/\\ud83d\\udcc4.txt","mode":"add","autorename":true}',
		);
		expect(JSON.parse(headers['Dropbox-API-Arg'])).toEqual(args);
	});
});

describe('download calls', () => {
	it('sends a header-safe Dropbox-API-Arg, asks for a stream, and parses Dropbox-API-Result', async () => {
		const body = streamOf('file bytes');
		const metadata = { name: 'Résumé.pdf', path_display: '/Résumé.pdf', size: 10, content_hash: 'abc' };
		const { ctx, request } = fakeContext([
			{
				body,
				statusCode: 200,
				headers: {
					'Dropbox-API-Result': JSON.stringify(metadata).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
					'Content-Type': 'application/octet-stream',
					'Content-Length': 10,
				},
			},
		]);
		const download = await dropboxDownload(ctx, 'files/download', { path: '/Résumé.pdf' });
		expect(download.result).toEqual(metadata);
		expect(download.stream).toBe(body);
		expect(download.statusCode).toBe(200);
		expect(download.headers['content-type']).toBe('application/octet-stream');
		expect(download.headers['content-length']).toBe('10');
		const { options } = requestOf(request);
		expect(options).toMatchObject({
			method: 'POST',
			url: 'https://content.dropboxapi.com/2/files/download',
			encoding: 'stream',
			returnFullResponse: true,
		});
		expect(options.body).toBeUndefined();
		const headers = options.headers as Record<string, string>;
		expect(headers['Dropbox-API-Arg']).toBe('{"path":"/R\\u00e9sum\\u00e9.pdf"}');
		expect(headers).not.toHaveProperty('Range');
	});

	it('sends a Range header when asked', async () => {
		const { ctx, request } = fakeContext([{ body: streamOf(''), statusCode: 206, headers: {} }, { body: streamOf(''), statusCode: 206, headers: {} }]);
		const partial = await dropboxDownload(ctx, 'files/download', { path: '/a' }, { range: { start: 10, end: 19 } });
		expect(partial.result).toEqual({});
		await dropboxDownload(ctx, 'files/download', { path: '/a' }, { range: { start: 100 } });
		expect((requestOf(request, 0).options.headers as Record<string, string>).Range).toBe('bytes=10-19');
		expect((requestOf(request, 1).options.headers as Record<string, string>).Range).toBe('bytes=100-');
	});

	it('reads a Dropbox error that arrives as a stream body', async () => {
		const body = JSON.stringify(dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } }));
		const { ctx } = fakeContext([httpError(409, streamOf(body))]);
		const error = await rejectionOf(dropboxDownload(ctx, 'files/download', { path: '/gone.txt' }, { path: '/gone.txt', itemIndex: 2 }));
		expect(error.message).toBe('Not found in Dropbox (path/not_found at "/gone.txt")');
		expect(error.context).toMatchObject({ dropboxTag: 'path/not_found', dropboxPath: '/gone.txt', itemIndex: 2 });
	});
});

describe('credential choice', () => {
	it.each([
		['oAuth2', 'dropboxPlusOAuth2Api'],
		['refreshToken', 'dropboxPlusApi'],
	])('authentication "%s" uses the %s credential', async (authentication, credentialType) => {
		expect(credentialTypeFor(authentication as 'oAuth2' | 'refreshToken')).toBe(credentialType);
		const { ctx, request, getCredentials } = fakeContext([{}, {}], { authentication });
		await dropboxRpc(ctx, 'users/get_current_account');
		await dropboxUpload(ctx, 'files/upload', { path: '/a' }, Buffer.from('a'));
		expect(request.mock.calls.map((call) => call[0])).toEqual([credentialType, credentialType]);
		expect(getCredentials).toHaveBeenCalledWith(credentialType);
		expect(ctx.getNodeParameter).toHaveBeenCalledWith('authentication', 0, 'oAuth2');
	});

	/**
	 * A context whose getNodeParameter has n8n's signature for poll, webhook, hook and
	 * load-options contexts: (name, fallback, options), no item index. Given an index, it
	 * would take 0 as the fallback and the fallback as options.
	 */
	function fakeTriggerContext(kind: string, authentication: string | undefined) {
		const request = jest.fn(async () => ({}));
		const getNodeParameter = jest.fn((name: string, fallback?: unknown, options?: unknown) => {
			if (options !== undefined && (typeof options !== 'object' || options === null)) {
				throw new Error(`getNodeParameter("${name}") got options ${JSON.stringify(options)}: called with an item index`);
			}
			if (name === 'authentication' && authentication !== undefined) return authentication;
			return fallback;
		});
		const marker: Record<string, Record<string, unknown>> = {
			poll: { __emit: () => {}, getActivationMode: () => 'activate' },
			webhook: { getBodyData: () => ({}), getHeaderData: () => ({}) },
			hook: { getWebhookName: () => 'default', getNodeWebhookUrl: () => 'https://n8n/webhook' },
			loadOptions: { getCurrentNodeParameter: () => undefined },
		};
		const ctx = {
			...marker[kind],
			getNode: () => NODE,
			getMode: () => 'trigger',
			getNodeParameter,
			getCredentials: jest.fn(async () => ({ pathRoot: 'home' })),
			logger: { debug() {}, info() {}, warn() {}, error() {} },
			helpers: { httpRequestWithAuthentication: request },
		} as unknown as IExecuteFunctions;
		return { ctx, request, getNodeParameter };
	}

	it.each([
		['poll', 'refreshToken', 'dropboxPlusApi'],
		['webhook', 'refreshToken', 'dropboxPlusApi'],
		['hook', 'refreshToken', 'dropboxPlusApi'],
		['loadOptions', 'refreshToken', 'dropboxPlusApi'],
		['poll', 'oAuth2', 'dropboxPlusOAuth2Api'],
		['webhook', undefined, 'dropboxPlusOAuth2Api'],
	])('a %s context (authentication %s) reads the parameter without an item index and uses %s', async (kind, authentication, credentialType) => {
		const { ctx, request, getNodeParameter } = fakeTriggerContext(kind, authentication);
		await dropboxRpc(ctx, 'users/get_current_account');
		expect(request.mock.calls.map((call) => (call as unknown[])[0])).toEqual([credentialType]);
		expect(getNodeParameter).toHaveBeenCalledWith('authentication', 'oAuth2');
		expect(getNodeParameter).not.toHaveBeenCalledWith('authentication', 0, 'oAuth2');
	});

	it('an execute context (it has getInputData) reads the parameter of item 0', async () => {
		const { ctx, request } = fakeContext([{}], { authentication: 'refreshToken' });
		await dropboxRpc(ctx, 'users/get_current_account');
		expect(requestOf(request).credentialType).toBe('dropboxPlusApi');
		expect(ctx.getNodeParameter).toHaveBeenCalledWith('authentication', 0, 'oAuth2');
		expect(ctx.getNodeParameter).not.toHaveBeenCalledWith('authentication', 'oAuth2');
	});
});

describe('Dropbox-API-Path-Root from the credential Space', () => {
	it('Home sends no path-root header', async () => {
		const { ctx, request } = fakeContext([{}], { credentials: { pathRoot: 'home', namespaceId: '123' } });
		await dropboxRpc(ctx, 'files/list_folder', { path: '' });
		expect(requestOf(request).options.headers).not.toHaveProperty('Dropbox-API-Path-Root');
	});

	it('no Space set at all (older credentials) sends no header either', async () => {
		const { ctx, request } = fakeContext([{}], { credentials: {} });
		await dropboxRpc(ctx, 'files/list_folder', { path: '' });
		expect(requestOf(request).options.headers).not.toHaveProperty('Dropbox-API-Path-Root');
	});

	it('Team Space Root sends {".tag":"root","root":<ns>} on RPC, upload and download', async () => {
		const { ctx, request, getCredentials } = fakeContext(
			[{}, {}, { body: streamOf(''), statusCode: 200, headers: {} }],
			{ credentials: { pathRoot: 'root', namespaceId: ' 3235641 ' } },
		);
		await dropboxRpc(ctx, 'files/list_folder', { path: '' });
		await dropboxUpload(ctx, 'files/upload', { path: '/a' }, Buffer.from('a'));
		await dropboxDownload(ctx, 'files/download', { path: '/a' });
		for (let call = 0; call < 3; call++) {
			expect((requestOf(request, call).options.headers as Record<string, string>)['Dropbox-API-Path-Root']).toBe(
				'{".tag":"root","root":"3235641"}',
			);
		}
		// read once per execution
		expect(getCredentials).toHaveBeenCalledTimes(1);
	});

	it('Namespace ID sends {".tag":"namespace_id","namespace_id":<ns>}', async () => {
		const { ctx, request } = fakeContext([{}], { credentials: { pathRoot: 'namespace', namespaceId: '777' } });
		await dropboxRpc(ctx, 'files/list_folder', { path: '' });
		expect((requestOf(request).options.headers as Record<string, string>)['Dropbox-API-Path-Root']).toBe(
			'{".tag":"namespace_id","namespace_id":"777"}',
		);
		expect(pathRootHeader({ pathRoot: 'home' })).toBeUndefined();
	});

	it('the header is kept on every retry', async () => {
		const { ctx, request } = fakeContext([httpError(503, 'x'), {}], { credentials: { pathRoot: 'namespace', namespaceId: '9' } });
		await dropboxRpc(ctx, 'files/list_folder', { path: '' });
		expect(request).toHaveBeenCalledTimes(2);
		expect((requestOf(request, 1).options.headers as Record<string, string>)['Dropbox-API-Path-Root']).toBe(
			'{".tag":"namespace_id","namespace_id":"9"}',
		);
	});
});

describe('retries end to end', () => {
	it('5xx twice, then success: three attempts, exponential waits', async () => {
		const { ctx, request, debug } = fakeContext([httpError(503, 'unavailable'), httpError(500, 'oops'), { ok: true }]);
		expect(await dropboxRpc(ctx, 'files/get_metadata', { path: '/a' })).toEqual({ ok: true });
		expect(request).toHaveBeenCalledTimes(3);
		expect(waits).toEqual([250, 500]);
		expect(debug).toHaveBeenCalledTimes(2);
		expect(debug.mock.calls[0][0]).toMatch(/server_error.*HTTP 503.*attempt 1 of 6/);
	});

	it('429 with Retry-After, then success: waits what Dropbox asked', async () => {
		const { ctx, request } = fakeContext([httpError(429, 'Too Many Requests', { 'Retry-After': '2' }), { ok: true }]);
		await dropboxRpc(ctx, 'files/get_metadata', { path: '/a' });
		expect(request).toHaveBeenCalledTimes(2);
		expect(waits).toEqual([2000]);
	});

	it('429 JSON retry_after, then success', async () => {
		const { ctx } = fakeContext([
			httpError(429, dropboxError({ reason: { '.tag': 'too_many_requests' }, retry_after: 1 }), { 'Retry-After': '1' }),
			{},
		]);
		await dropboxRpc(ctx, 'files/get_metadata', { path: '/a' });
		expect(waits).toEqual([1000]);
	});

	it('409 too_many_write_operations on upload, then success: backs off and sends the same bytes again', async () => {
		const data = Buffer.from('payload');
		const { ctx, request } = fakeContext([
			httpError(409, dropboxError({ '.tag': 'path', reason: { '.tag': 'too_many_write_operations' }, upload_session_id: '' })),
			{ name: 'a' },
		]);
		await dropboxUpload(ctx, 'files/upload', { path: '/a' }, data);
		expect(request).toHaveBeenCalledTimes(2);
		expect(waits).toEqual([250]);
		expect(requestOf(request, 1).options.body).toBe(data);
		expect(requestOf(request, 1).options.headers).toEqual(requestOf(request, 0).options.headers);
	});

	it('ECONNRESET, then success', async () => {
		const { ctx, request } = fakeContext([networkError('ECONNRESET'), {}]);
		await dropboxRpc(ctx, 'users/get_space_usage');
		expect(request).toHaveBeenCalledTimes(2);
		expect(waits).toEqual([250]);
	});

	it('expired_access_token: repeated once at once (n8n refreshed the token), then it fails clearly', async () => {
		const expired = () => httpError(401, dropboxError({ '.tag': 'expired_access_token' }));
		let fake = fakeContext([expired(), { ok: 1 }]);
		expect(await dropboxRpc(fake.ctx, 'users/get_current_account')).toEqual({ ok: 1 });
		expect(fake.request).toHaveBeenCalledTimes(2);
		expect(waits).toEqual([0]);

		waits = [];
		fake = fakeContext([expired(), expired(), {}]);
		const error = await rejectionOf(dropboxRpc(fake.ctx, 'users/get_current_account'));
		expect(fake.request).toHaveBeenCalledTimes(2);
		expect(error.httpCode).toBe('401');
		expect(error.message).toMatch(/expired/);
	});

	it('user_suspended: one call, no wait, no retry, and the fix in the error', async () => {
		const { ctx, request } = fakeContext([httpError(401, dropboxError({ '.tag': 'user_suspended' })), { ok: 1 }]);
		const error = await rejectionOf(dropboxRpc(ctx, 'files/list_folder/continue', { cursor: 'c' }));
		expect(request).toHaveBeenCalledTimes(1);
		expect(waits).toEqual([]);
		expect(error.httpCode).toBe('401');
		expect(error.message).toBe('The Dropbox account is suspended');
		expect(error.description).toMatch(/contact Dropbox support/);
		expect(error.context).toMatchObject({ dropboxTag: 'user_suspended', dropboxStatus: 401 });
	});

	it('gives up after maxAttempts with a NodeApiError that says so', async () => {
		const { ctx, request } = fakeContext(Array.from({ length: 10 }, () => httpError(500, 'down')));
		const error = await rejectionOf(dropboxRpc(ctx, 'files/get_metadata', { path: '/a' }, { path: '/a', itemIndex: 4 }));
		expect(request).toHaveBeenCalledTimes(6);
		expect(waits).toEqual([250, 500, 1000, 2000, 4000]);
		expect(error.message).toBe('Dropbox had a server error (HTTP 500) (gave up after 6 attempts)');
		expect(error.description).toMatch(/again later/);
		expect(error.httpCode).toBe('500');
		expect(error.context).toMatchObject({ itemIndex: 4, dropboxPath: '/a', dropboxStatus: 500 });
	});

	it('gives up on a rate limit after the attempts the caller allows', async () => {
		const { ctx, request } = fakeContext(Array.from({ length: 10 }, () => httpError(429, 'slow down', { 'Retry-After': '3' })));
		const error = await rejectionOf(dropboxRpc(ctx, 'files/copy_v2', { from_path: '/a', to_path: '/b' }, { retry: { maxAttempts: 3 } }));
		expect(request).toHaveBeenCalledTimes(3);
		expect(waits).toEqual([3000, 3000]);
		expect(error.message).toBe('Dropbox kept rate-limiting the requests (too_many_requests) (gave up after 3 attempts)');
		expect(error.httpCode).toBe('429');
	});

	it('gives up on connection resets with our message, not n8n generic one', async () => {
		const { ctx, request } = fakeContext(Array.from({ length: 10 }, () => networkError('ECONNRESET')));
		const error = await rejectionOf(dropboxRpc(ctx, 'users/get_space_usage', undefined, { itemIndex: 0 }));
		expect(request).toHaveBeenCalledTimes(6);
		expect(error.message).toBe('Could not reach Dropbox (ECONNRESET) (gave up after 6 attempts)');
		expect(error.context).toMatchObject({ itemIndex: 0, dropboxTag: 'ECONNRESET' });
	});

	it.each<[string, () => Error, RegExp]>([
		['400', () => httpError(400, 'Error in call to API function "files/get_metadata": bad path'), /malformed/],
		['403', () => httpError(403, dropboxError({ '.tag': 'no_permission' })), /denied access/],
		['401 invalid_access_token', () => httpError(401, dropboxError({ '.tag': 'invalid_access_token' })), /rejected the credential/],
		['401 missing_scope', () => httpError(401, dropboxError({ '.tag': 'missing_scope', required_scope: 'files.metadata.read' })), /files\.metadata\.read/],
		['409 path/not_found', () => httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } })), /path\/not_found at "\/a"/],
		['422 invalid_root', () => httpError(422, dropboxError({ '.tag': 'invalid_root', invalid_root: { '.tag': 'team', root_namespace_id: '5' } })), /Space/],
		['an unknown error', () => new Error('weird'), /weird/],
	])('%s: one attempt, no wait, a clear NodeApiError', async (_name, make, message) => {
		const { ctx, request } = fakeContext([make(), {}]);
		const error = await rejectionOf(dropboxRpc(ctx, 'files/get_metadata', { path: '/a' }, { path: '/a', itemIndex: 3 }));
		expect(request).toHaveBeenCalledTimes(1);
		expect(waits).toEqual([]);
		expect(error.message).toMatch(message);
		expect(error.message).not.toMatch(/gave up/);
		expect(error.context.itemIndex).toBe(3);
	});

	it('the real clock.sleep does not wait for 0 ms', async () => {
		clock.sleep = realSleep;
		const started = Date.now();
		await clock.sleep(0);
		expect(Date.now() - started).toBeLessThan(50);
	});
});
