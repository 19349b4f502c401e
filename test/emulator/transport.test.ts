/** Transport rules, auth/OAuth, path root, faults, webhooks, admin API and TLS. */
import { createHash, createHmac } from 'node:crypto';
import * as http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as https from 'node:https';
import { startEmulator, Emulator } from '../../sandbox/emulator';
import { emulatorFetch, raw, sdk, sdkAuth, sdkError } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */
const TOKEN = 'transport-token';
let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ accessToken: TOKEN });
});
afterAll(() => emu.close());
const auth = { Authorization: `Bearer ${TOKEN}` };

describe('transport', () => {
	test('raw UTF-8 bytes in Dropbox-API-Arg → 400 plain text', async () => {
		const r = await raw(emu.url, '/2/files/upload', {
			headers: { ...auth, 'Content-Type': 'application/octet-stream', 'Dropbox-API-Arg': Buffer.from('{"path":"/é.txt"}', 'utf8') },
			body: 'x',
		});
		expect(r.status).toBe(400);
		expect(r.headers['content-type']).toMatch(/^text\/plain/);
		expect(r.text).toMatch(/^Error in call to API function "files\/upload": /);
		// escaped form works
		const ok = await raw(emu.url, '/2/files/upload', {
			headers: { ...auth, 'Content-Type': 'application/octet-stream', 'Dropbox-API-Arg': '{"path":"/\\u00e9.txt"}' },
			body: 'x',
		});
		expect(ok.status).toBe(200);
		expect(ok.json().name).toBe('é.txt');
	});
	test('arg via ?arg= and authorization via ?authorization=', async () => {
		const q = `?arg=${encodeURIComponent('{"path":"/q.txt"}')}&authorization=${encodeURIComponent('Bearer ' + TOKEN)}`;
		const r = await raw(emu.url, '/2/files/upload' + q, { headers: { 'Content-Type': 'application/octet-stream' }, body: 'q' });
		expect(r.status).toBe(200);
	});
	test('argument-less routes accept no body or null; bad JSON and wrong content type → 400', async () => {
		expect((await raw(emu.url, '/2/users/get_current_account', { headers: auth })).status).toBe(200);
		expect((await raw(emu.url, '/2/users/get_space_usage', { headers: { ...auth, 'Content-Type': 'application/json' }, body: 'null' })).status).toBe(200);
		const bad = await raw(emu.url, '/2/files/list_folder', { headers: { ...auth, 'Content-Type': 'application/json' }, body: '{nope' });
		expect(bad.status).toBe(400);
		expect(bad.text).toContain('could not decode input as JSON');
		const ct = await raw(emu.url, '/2/files/list_folder', { headers: { ...auth, 'Content-Type': 'text/plain' }, body: '{"path":""}' });
		expect(ct.status).toBe(400);
		expect(ct.text).toContain('Bad HTTP "Content-Type" header');
		const missing = await raw(emu.url, '/2/files/list_folder', { body: '{"path":""}', headers: { 'Content-Type': 'application/json' } });
		expect(missing.status).toBe(400);
		expect(missing.text).toContain('Authorization');
	});
	test('longpoll refuses an Authorization header', async () => {
		const { cursor } = (await sdk(emu.url, TOKEN).filesListFolderGetLatestCursor({ path: '' })).result;
		const r = await raw(emu.url, '/2/files/list_folder/longpoll', { headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ cursor, timeout: 30 }) });
		expect(r.status).toBe(400);
		expect(r.text).toMatch(/^Error in call to API function "files\/list_folder\/longpoll"/);
	});
	test('Dropbox-API-Path-Root: home/root/namespace_id ok; mismatch → 422 invalid_root with root_info', async () => {
		const acct = (await sdk(emu.url, TOKEN).usersGetCurrentAccount()).result;
		const ns = acct.root_info.root_namespace_id;
		for (const pr of [{ '.tag': 'home' }, { '.tag': 'root', root: ns }, { '.tag': 'namespace_id', namespace_id: ns }]) {
			await sdk(emu.url, TOKEN, { pathRoot: JSON.stringify(pr) }).filesListFolder({ path: '' });
		}
		const e = await sdkError(sdk(emu.url, TOKEN, { pathRoot: JSON.stringify({ '.tag': 'root', root: '999' }) }).filesListFolder({ path: '' }));
		expect(e.status).toBe(422);
		expect(e.error.error['.tag']).toBe('invalid_root');
		expect(e.error.error.invalid_root).toEqual({ '.tag': 'user', root_namespace_id: ns, home_namespace_id: ns });
		const np = await sdkError(sdk(emu.url, TOKEN, { pathRoot: JSON.stringify({ '.tag': 'namespace_id', namespace_id: '999' }) }).filesListFolder({ path: '' }));
		expect(np.status).toBe(422);
		expect(np.error.error['.tag']).toBe('no_permission');
	});
});

describe('tokens', () => {
	test('TTL expiry → 401 expired_access_token; expire-tokens admin call', async () => {
		const { accessToken } = emu.issueToken({ ttlSeconds: 0.2 });
		const d = sdk(emu.url, accessToken);
		await d.usersGetCurrentAccount();
		await new Promise((r) => setTimeout(r, 250));
		const e = await sdkError(d.usersGetCurrentAccount());
		expect(e.status).toBe(401);
		expect(e.error.error['.tag']).toBe('expired_access_token');
		const t2 = emu.issueToken({ ttlSeconds: 3600 }).accessToken;
		const r = await raw(emu.url, '/__admin/expire-tokens', {});
		expect(r.json().expired).toBeGreaterThan(0);
		expect((await sdkError(sdk(emu.url, t2).usersGetCurrentAccount())).error.error['.tag']).toBe('expired_access_token');
		expect((await sdkError(sdk(emu.url, TOKEN).usersGetCurrentAccount())).error.error['.tag']).toBe('expired_access_token');
		emu.issueToken({ token: TOKEN, ttlSeconds: null }); // give the other tests their token back
	});
	test('auth/token/revoke kills the token', async () => {
		const t = emu.issueToken({}).accessToken;
		await sdk(emu.url, t).authTokenRevoke();
		expect((await sdkError(sdk(emu.url, t).usersGetCurrentAccount())).error.error['.tag']).toBe('invalid_access_token');
	});
});

describe('OAuth2', () => {
	const redirect = 'http://127.0.0.1:1/callback';
	const authorize = async (q: Record<string, string>) => {
		const r = await raw(emu.url, '/oauth2/authorize?' + new URLSearchParams(q), { method: 'GET' });
		expect(r.status).toBe(302);
		return new URL(r.headers.location!);
	};
	test('authorization_code with client secret (form body, Basic auth), refresh, invalid_grant', async () => {
		const loc = await authorize({ response_type: 'code', client_id: 'sandbox-app-key', redirect_uri: redirect, state: 's1', token_access_type: 'offline', scope: 'files.metadata.read account_info.read' });
		expect(loc.searchParams.get('state')).toBe('s1');
		const code = loc.searchParams.get('code')!;
		const tok = await raw(emu.url, '/oauth2/token', {
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Basic ' + Buffer.from('sandbox-app-key:sandbox-app-secret').toString('base64') },
			body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect }).toString(),
		});
		expect(tok.status).toBe(200);
		const t = tok.json();
		expect(t).toMatchObject({ token_type: 'bearer', expires_in: 14400, scope: 'files.metadata.read account_info.read' });
		expect(t.refresh_token).toBeTruthy();
		expect(t.account_id).toMatch(/^dbid:/);
		await sdk(emu.url, t.access_token).filesListFolder({ path: '' });
		expect((await sdkError(sdk(emu.url, t.access_token).filesUpload({ path: '/x', contents: Buffer.from('') }))).error.error['.tag']).toBe('missing_scope');
		// code reuse
		const again = await raw(emu.url, '/oauth2/token', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: 'sandbox-app-key', client_secret: 'sandbox-app-secret', redirect_uri: redirect }).toString() });
		expect(again.status).toBe(400);
		expect(again.json().error).toBe('invalid_grant');
		// refresh
		const ref = await raw(emu.url, '/oauth2/token', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: 'sandbox-app-key', client_secret: 'sandbox-app-secret' }).toString() });
		expect(ref.status).toBe(200);
		expect(ref.json().refresh_token).toBeUndefined();
		const dead = await raw(emu.url, '/oauth2/token', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'dead', client_id: 'sandbox-app-key', client_secret: 'sandbox-app-secret' }).toString() });
		expect(dead.status).toBe(400);
		expect(dead.json()).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
		const badSecret = await raw(emu.url, '/oauth2/token', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: 'sandbox-app-key', client_secret: 'wrong' }).toString() });
		expect(badSecret.json().error).toBe('invalid_client');
	});
	test('PKCE with the SDK DropboxAuth (no secret), then the SDK refreshes an expired token by itself', async () => {
		const a = sdkAuth(emu.url, { clientId: 'sandbox-app-key' });
		const url = String(await a.getAuthenticationUrl(redirect, 'st', 'code', 'offline', undefined, undefined, true));
		const q = new URL(url).searchParams;
		expect(q.get('code_challenge_method')).toBe('S256');
		const loc = await authorize(Object.fromEntries(q));
		const tok = (await a.getAccessTokenFromCode(redirect, loc.searchParams.get('code')!)).result as any;
		expect(tok.refresh_token).toBeTruthy();
		// wrong verifier
		const loc2 = await authorize(Object.fromEntries(q));
		const bad = await raw(emu.url, '/oauth2/token', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code: loc2.searchParams.get('code')!, client_id: 'sandbox-app-key', code_verifier: 'x'.repeat(50), redirect_uri: redirect }).toString() });
		expect(bad.json().error).toBe('invalid_grant');
		// the SDK refreshes (query-string form) when the token is known to be expired
		a.setRefreshToken(tok.refresh_token);
		a.setAccessToken(tok.access_token);
		a.setAccessTokenExpiresAt(new Date(Date.now() - 1000));
		const { Dropbox } = await import('dropbox');
		const d = new Dropbox({ auth: a, fetch: emulatorFetch(emu.url) } as any);
		await d.usersGetCurrentAccount();
		expect(a.getAccessToken()).not.toBe(tok.access_token);
	});
});

describe('faults', () => {
	afterEach(() => emu.setFaults({ replace: true }));
	const run = async (n: number) => {
		const out: string[] = [];
		for (let i = 0; i < n; i++) {
			const r = await raw(emu.url, '/2/users/get_current_account', { headers: auth }).catch(() => ({ status: 0, text: '', headers: {} as http.IncomingHttpHeaders, json: () => null }));
			out.push(r.status === 429 ? `429:${(r.json() as any).error.reason['.tag']}` : String(r.status));
		}
		return out;
	};
	test('seeded random faults are deterministic and shaped like Dropbox', async () => {
		emu.setFaults({ seed: 42, rate429: 0.3, rate500: 0.1, rate503: 0.1, retryAfter: 2 });
		const a = await run(40);
		emu.setFaults({ seed: 42 });
		const b = await run(40);
		expect(a).toEqual(b);
		expect(a.filter((x) => x.startsWith('429')).length).toBeGreaterThan(3);
		expect(new Set(a.filter((x) => x.startsWith('429')))).toEqual(new Set(['429:too_many_requests', '429:too_many_write_operations']));
		expect(a).toContain('500');
		expect(a).toContain('503');
		emu.setFaults({ replace: true, script: [{ kind: '429', route: 'users/get_current_account' }] });
		const r = await raw(emu.url, '/2/users/get_current_account', { headers: auth });
		expect(r.status).toBe(429);
		expect(r.headers['retry-after']).toBe('1');
		expect(r.json()).toEqual({ error_summary: expect.stringMatching(/^too_many_requests/), error: { reason: { '.tag': 'too_many_requests' }, retry_after: 1 } });
	});
	test('SDK sees 429 as DropboxResponseError with the reason', async () => {
		emu.setFaults({ script: [{ kind: '429w' }] });
		const e = await sdkError(sdk(emu.url, TOKEN).filesListFolder({ path: '' }));
		expect(e.status).toBe(429);
		expect(e.error.error.reason['.tag']).toBe('too_many_write_operations');
	});
	test('connection reset mid-body on download; latency', async () => {
		await emu.seedFile('/reset.bin', { size: 3 * 1024 * 1024 });
		emu.setFaults({ script: [{ kind: 'reset', route: 'files/download' }] });
		await expect(raw(emu.url, '/2/files/download', { headers: { ...auth, 'Dropbox-API-Arg': '{"path":"/reset.bin"}' } })).rejects.toThrow();
		emu.setFaults({ latencyMs: 150 });
		const t0 = Date.now();
		await raw(emu.url, '/2/users/get_current_account', { headers: auth });
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
	});
	test('admin API sets faults and counts calls', async () => {
		await raw(emu.url, '/__admin/calls/reset', {});
		await raw(emu.url, '/__admin/faults', { body: JSON.stringify({ script: [{ kind: '503', count: 2 }] }) });
		expect((await raw(emu.url, '/2/users/get_current_account', { headers: auth })).status).toBe(503);
		expect((await raw(emu.url, '/2/users/get_current_account', { headers: auth })).status).toBe(503);
		expect((await raw(emu.url, '/2/users/get_current_account', { headers: auth })).status).toBe(200);
		const calls = (await raw(emu.url, '/__admin/calls', { method: 'GET' })).json();
		expect(calls).toEqual({ total: 3, byRoute: { 'users/get_current_account': 3 }, uploadedBytes: 0 });
	});
});

describe('webhooks', () => {
	test('signed notification on change; verification GET with challenge', async () => {
		const got: { body: string; sig: string }[] = [];
		const server = http.createServer((req, res) => {
			const u = new URL(req.url!, 'http://x');
			if (req.method === 'GET') {
				res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Content-Type-Options': 'nosniff' });
				res.end(u.searchParams.get('challenge'));
				return;
			}
			const chunks: Buffer[] = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				got.push({ body: Buffer.concat(chunks).toString(), sig: String(req.headers['x-dropbox-signature']) });
				res.end();
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		const hook = `http://127.0.0.1:${(server.address() as any).port}/hook`;
		try {
			const cfg = await raw(emu.url, '/__admin/apps', { body: JSON.stringify({ appKey: 'sandbox-app-key', appSecret: 'whsecret', webhookUrl: hook }) });
			expect(cfg.json().webhookUrl).toBe(hook);
			const v = (await raw(emu.url, '/__admin/webhook/verify', { body: JSON.stringify({ challenge: 'abc123' }) })).json();
			expect(v).toMatchObject({ ok: true, body: 'abc123', nosniff: 'nosniff' });
			await sdk(emu.url, TOKEN).filesUpload({ path: '/hooked.txt', contents: Buffer.from('x') });
			for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
			expect(got.length).toBe(1);
			const body = JSON.parse(got[0].body);
			expect(body.list_folder.accounts).toEqual([emu.accountId]);
			expect(body.delta.users.length).toBe(1);
			expect(got[0].sig).toBe(createHmac('sha256', 'whsecret').update(got[0].body).digest('hex'));
		} finally {
			await raw(emu.url, '/__admin/apps', { body: JSON.stringify({ appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', webhookUrl: null }) });
			server.close();
		}
	});
});

describe('admin API', () => {
	test('seed files by content and size, tokens, reset', async () => {
		const e2 = await startEmulator({});
		try {
			const s = await raw(e2.url, '/__admin/seed', {
				body: JSON.stringify({
					folders: ['/Empty'],
					files: [{ path: '/a/hello.txt', content: 'hello' }, { path: '/a/b64.bin', content: Buffer.from([1, 2, 3]).toString('base64'), encoding: 'base64' }, { path: '/a/big.bin', size: 5 * 1024 * 1024 }],
					tokens: [{ token: 'seeded', scopes: ['files.metadata.read'] }],
				}),
			});
			expect(s.status).toBe(200);
			const d = sdk(e2.url, 'seeded');
			const l = (await d.filesListFolder({ path: '/a' })).result.entries as any[];
			expect(l.find((x) => x.name === 'big.bin').size).toBe(5 * 1024 * 1024);
			expect(l.find((x) => x.name === 'hello.txt').content_hash).toBe(createHash('sha256').update(createHash('sha256').update('hello').digest()).digest('hex'));
			const t = (await raw(e2.url, '/__admin/tokens', { body: JSON.stringify({ refreshToken: true, ttlSeconds: 60 }) })).json();
			expect(t.access_token).toBeTruthy();
			expect(t.refresh_token).toBeTruthy();
			expect(t.expires_in).toBe(60);
			await raw(e2.url, '/__admin/reset', {});
			expect((await sdkError(d.filesListFolder({ path: '/a' }))).status).toBe(401);
			const t2 = (await raw(e2.url, '/__admin/tokens', { body: '{}' })).json().access_token;
			expect((await sdkError(sdk(e2.url, t2).filesListFolder({ path: '/a' }))).error.error.path['.tag']).toBe('not_found');
		} finally {
			await e2.close();
		}
	});
});

describe('TLS', () => {
	test('tlsDir writes a CA; HTTPS works with it for localhost and Dropbox host names', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'emu-tls-'));
		const e = await startEmulator({ tlsDir: dir, accessToken: 'tls-token' });
		try {
			expect(e.url).toMatch(/^https:\/\/localhost:\d+$/);
			const ca = readFileSync(join(dir, 'ca.pem'));
			const r = await raw(e.url, '/2/users/get_current_account', { headers: { Authorization: 'Bearer tls-token' }, ca });
			expect(r.status).toBe(200);
			// an unmodified client for api.dropboxapi.com, resolved to the emulator
			const agent = new https.Agent({ ca, lookup: ((_h: string, o: any, cb: any) => (o?.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4))) as any });
			const d = new (await import('dropbox')).Dropbox({ accessToken: 'tls-token', fetch: (u: string, i: any) => emulatorFetch(`https://api.dropboxapi.com:${e.port}`, agent)(u, i) } as any);
			expect((await d.usersGetCurrentAccount()).result.email).toBeTruthy();
		} finally {
			await e.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
	test('calls counts the TLS connections that carried API calls, resumed ones apart; admin calls are not counted', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'emu-tls-'));
		const e = await startEmulator({ tlsDir: dir, accessToken: 'tls-token' });
		const ca = readFileSync(join(dir, 'ca.pem'));
		const call = (agent: https.Agent, p = '/2/users/get_current_account', method = 'POST') =>
			new Promise<number>((resolve, reject) => {
				const req = https.request({ host: '127.0.0.1', port: e.port, servername: 'localhost', method, path: p, ca, agent, headers: { Authorization: 'Bearer tls-token' } }, (res) => {
					res.resume();
					res.on('end', () => resolve(res.statusCode ?? 0));
				});
				req.on('error', reject);
				req.end();
			});
		const kept = new https.Agent({ keepAlive: true, maxSockets: 1 });
		try {
			expect(await call(kept, '/__admin/calls', 'GET')).toBe(200);
			expect(e.calls().tlsConnections).toBeUndefined();
			// one kept-alive connection: the admin call before does not count it, its first API call does, once
			for (let i = 0; i < 3; i++) expect(await call(kept)).toBe(200);
			expect(e.calls()).toMatchObject({ total: 3, tlsConnections: 1 });
			// a new agent per request (as n8n builds them): a connection, and a full handshake, per call
			for (let i = 0; i < 3; i++) expect(await call(new https.Agent({ keepAlive: false }))).toBe(200);
			expect(e.calls()).toMatchObject({ total: 6, tlsConnections: 4 });
			// one agent without keep-alive resumes its cached TLS session on the next connection
			const resuming = new https.Agent({ keepAlive: false, maxCachedSessions: 10 });
			for (let i = 0; i < 2; i++) expect(await call(resuming)).toBe(200);
			expect(e.calls()).toMatchObject({ total: 8, tlsConnections: 6, tlsResumed: 1 });
		} finally {
			kept.destroy();
			await e.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
