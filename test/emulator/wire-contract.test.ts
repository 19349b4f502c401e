import { startEmulator, type Emulator } from '../../sandbox/emulator';
import { apiSpec } from '../../sandbox/spec/api';
import { raw } from './helpers';

/**
 * The emulator refuses what real Dropbox refuses, derived from Dropbox's Stone specification
 * (spec/dropbox-api-spec): Content-Type per route style, the route's host, and every argument
 * decoded strictly against its type. Dropbox's answer is a 400 with plain text.
 */
let emu: Emulator;
const TOKEN = 'wire-token';
const auth = { Authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
	emu = await startEmulator({ accessToken: TOKEN });
	await emu.seedFile('/wire/a.txt', 'hello');
});
afterAll(() => emu.close());

const rpc = (route: string, body: string | undefined, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
	raw(emu.url, `/2/${route}`, { headers: { ...auth, ...headers }, body });
const download = (route: string, arg: unknown, headers: Record<string, string> = {}) =>
	raw(emu.url, `/2/${route}`, { headers: { ...auth, 'Dropbox-API-Arg': JSON.stringify(arg), ...headers } });

const RPC_EXPECTING = 'Expecting one of "application/json", "application/json; charset=utf-8", "text/plain; charset=dropbox-cors-hack".';

describe('Content-Type per route style', () => {
	test('a bodyless POST declared form-encoded (what n8n sends by default) is refused on an argument-less RPC route', async () => {
		const r = await rpc('users/get_current_account', undefined, { 'Content-Type': 'application/x-www-form-urlencoded' });
		expect(r.status).toBe(400);
		expect(r.headers['content-type']).toMatch(/^text\/plain/);
		expect(r.text).toBe(
			`Error in call to API function "users/get_current_account": Bad HTTP "Content-Type" header: "application/x-www-form-urlencoded".  ${RPC_EXPECTING}`,
		);
	});

	test.each([
		['no Content-Type, no body', {}, undefined],
		['application/json, no body (the official JS SDK)', { 'Content-Type': 'application/json' }, undefined],
		['application/json, the JSON null', { 'Content-Type': 'application/json' }, 'null'],
		['application/json; charset=utf-8, the JSON null', { 'Content-Type': 'application/json; charset=utf-8' }, 'null'],
	])('an argument-less RPC route accepts %s', async (_name, headers, body) => {
		const r = await rpc('users/get_space_usage', body, headers);
		expect([r.status, r.text.slice(0, 60)]).toEqual([200, expect.stringContaining('used')]);
	});

	test('an argument-less RPC route refuses an argument', async () => {
		const r = await rpc('users/get_current_account', '{}');
		expect([r.status, r.text]).toEqual([400, 'Error in call to API function "users/get_current_account": request body: expected null, got object']);
	});

	test('an RPC route with a body refuses any other Content-Type, or none', async () => {
		for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
			const r = await rpc('files/get_metadata', '{"path":"/wire/a.txt"}', type ? { 'Content-Type': type } : {});
			expect(r.status).toBe(400);
			expect(r.text).toContain(`Bad HTTP "Content-Type" header: "${type ?? ''}".  ${RPC_EXPECTING}`);
		}
	});

	test('a download refuses a form-encoded Content-Type and accepts none, text/plain or application/octet-stream', async () => {
		const refused = await download('files/download', { path: '/wire/a.txt' }, { 'Content-Type': 'application/x-www-form-urlencoded' });
		expect(refused.status).toBe(400);
		expect(refused.text).toBe(
			'Error in call to API function "files/download": Bad HTTP "Content-Type" header: "application/x-www-form-urlencoded".  Expecting one of "text/plain", "text/plain; charset=utf-8", "application/octet-stream", "application/octet-stream; charset=utf-8".',
		);
		for (const type of [undefined, 'text/plain', 'text/plain; charset=utf-8', 'application/octet-stream']) {
			const r = await download('files/download', { path: '/wire/a.txt' }, type ? { 'Content-Type': type } : {});
			expect([type, r.status, r.text]).toEqual([type, 200, 'hello']);
		}
	});

	test('an upload refuses anything but application/octet-stream (or the CORS hack)', async () => {
		for (const type of ['application/json', 'application/x-www-form-urlencoded', undefined]) {
			const r = await raw(emu.url, '/2/files/upload', {
				headers: { ...auth, 'Dropbox-API-Arg': '{"path":"/wire/up.txt"}', ...(type ? { 'Content-Type': type } : {}) },
				body: 'x',
			});
			expect([type, r.status]).toEqual([type, 400]);
			expect(r.text).toContain('Expecting one of "application/octet-stream", "text/plain; charset=dropbox-cors-hack".');
		}
		const ok = await raw(emu.url, '/2/files/upload', {
			headers: { ...auth, 'Dropbox-API-Arg': '{"path":"/wire/up.txt"}', 'Content-Type': 'application/octet-stream' },
			body: 'x',
		});
		expect(ok.status).toBe(200);
	});
});

describe('arguments, decoded strictly against the spec', () => {
	const refusal = async (route: string, arg: unknown) => {
		const r = await rpc(route, JSON.stringify(arg));
		expect(r.status).toBe(400);
		return r.text.replace(`Error in call to API function "${route}": `, '');
	};

	test('an unknown field', async () => {
		expect(await refusal('files/get_metadata', { path: '/wire/a.txt', recursive: true })).toBe("request body: unknown field 'recursive'");
	});

	test('a missing required field', async () => {
		expect(await refusal('files/copy_v2', { from_path: '/wire/a.txt' })).toBe("request body: missing required field 'to_path'");
	});

	test('a wrong type', async () => {
		expect(await refusal('files/list_folder', { path: '', recursive: 'yes' })).toBe('request body: recursive: expected boolean, got string');
		expect(await refusal('files/list_folder', { path: '', limit: 1.5 })).toBe('request body: limit: expected integer, got float');
	});

	test('bounds: a list_folder limit above 2000, a list_revisions limit above 100', async () => {
		expect(await refusal('files/list_folder', { path: '', limit: 2001 })).toBe('request body: limit: 2001 is greater than 2000');
		expect(await refusal('files/list_revisions', { path: '/wire/a.txt', limit: 101 })).toBe('request body: limit: 101 is greater than 100');
	});

	test('an unknown union tag, nested', async () => {
		expect(await refusal('files/search_v2', { query: 'a', options: { order_by: 'size' } })).toBe("request body: options.order_by: unknown tag 'size'");
	});

	test('patterns: restore and save_url take a path, never an id', async () => {
		const restore = await refusal('files/restore', { path: 'id:abc', rev: '0123456789abcdef' });
		expect(restore).toMatch(/^request body: path: 'id:abc' did not match pattern '/);
		const saveUrl = await refusal('files/save_url', { path: 'id:abc', url: 'https://example.com/x' });
		expect(saveUrl).toMatch(/^request body: path: 'id:abc' did not match pattern '/);
		expect(await refusal('files/restore', { path: '/wire/a.txt', rev: 'xyz' })).toMatch(/^request body: rev: 'xyz' must be at least 9 characters, got 3$/);
	});

	test('patterns in the Dropbox-API-Arg header of a download', async () => {
		const r = await download('files/download', { path: 'wire/a.txt' });
		expect(r.status).toBe(400);
		expect(r.text).toMatch(/^Error in call to API function "files\/download": HTTP header "Dropbox-API-Arg": path: 'wire\/a.txt' did not match pattern '/);
	});

	test('a request for a route on the wrong Dropbox host is refused', async () => {
		const r = await rpc('files/get_metadata', '{"path":"/wire/a.txt"}', { 'Content-Type': 'application/json', Host: 'content.dropboxapi.com' });
		expect([r.status, r.text]).toEqual([400, 'Error in call to API function "files/get_metadata": This API function must be called on api.dropboxapi.com, not content.dropboxapi.com.']);
	});

	test('each refusal is recorded for the wire-contract check', async () => {
		emu.state.refusals.length = 0;
		await refusal('files/get_metadata', { path: '/wire/a.txt', nope: 1 });
		expect(emu.state.refusals).toEqual(["files/get_metadata: Error in call to API function \"files/get_metadata\": request body: unknown field 'nope'"]);
	});
});

describe('the route table', () => {
	test('every route the emulator serves is a route of the spec', () => {
		const missing = Object.keys(emu.routes).filter((route) => !apiSpec().route(route));
		expect(missing).toEqual([]);
		expect(Object.keys(emu.routes).length).toBeGreaterThanOrEqual(45);
	});
});
