/**
 * The Dropbox emulator (sandbox/emulator) over HTTPS, as n8n sees it through the routing
 * preload: a client for its admin API plus everything n8n's environment needs.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';


export interface EmulatorStartOptions {
	/** a never-expiring access token for the default account (full scopes) */
	accessToken?: string;
	appKey?: string;
	appSecret?: string;
	/** lifetime of issued tokens in seconds */
	tokenTtlSeconds?: number;
	port?: number;
	verbose?: boolean;
	/** where the CA is written (default: a fresh temp dir) */
	tlsDir?: string;
	/** keep the state in a state file (in the TLS dir), so that a restart (shutDown, startAgain) brings it back */
	restartable?: boolean;
}

/** What the admin API's `POST /__admin/tokens` answers. */
export interface IssuedToken {
	access_token: string;
	refresh_token: string | null;
	account_id: string;
	scopes: string[];
	expires_at: string | null;
	expires_in: number | null;
}

export interface SeedFile {
	path: string;
	/** utf8 text, or base64 with encoding: 'base64' */
	content?: string;
	encoding?: 'utf8' | 'base64';
	contentBase64?: string;
	/** generated deterministic content of this size instead */
	size?: number;
	seed?: number;
	clientModified?: string;
}

/** The admin seed's bulk form: `count` files of `size` bytes (same content) in one folder. */
export interface SeedGenerate {
	folder: string;
	count: number;
	size?: number;
	prefix?: string;
	ext?: string;
}

/** What the admin API's `/__admin/longpolls` answers. */
export interface LongpollsSeen {
	open: number;
	backoff: number | null;
	maxMs: number | null;
	/** the latest longpolls, oldest first (epoch ms) */
	recent: Array<{ at: number; answeredAt?: number; changes?: boolean }>;
}

export interface EmulatorHandle {
	/** e.g. https://127.0.0.1:43123 */
	url: string;
	port: number;
	/** the CA that signed the emulator's certificate (for NODE_EXTRA_CA_CERTS) */
	caFile: string;
	appKey: string;
	appSecret: string;
	/** the never-expiring access token given at start */
	accessToken: string;
	/** any admin route: admin('POST', 'faults', {...}) → parsed JSON */
	admin<T = any>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T>;
	/** POST /__admin/tokens: a new access token (and refresh token with refreshToken: true) */
	issueToken(opts?: { refreshToken?: boolean; ttlSeconds?: number | null; scopes?: string[]; appKey?: string }): Promise<IssuedToken>;
	/** POST /__admin/expire-tokens: every access token issued so far stops working */
	expireTokens(): Promise<{ expired: number }>;
	/** generate: many small files at once, named `<prefix>-000000<ext>` (default prefix "file", ext ".txt") */
	seed(spec: { folders?: string[]; files?: SeedFile[]; generate?: SeedGenerate; accountId?: string }): Promise<unknown>;
	reset(): Promise<void>;
	/** GET /__admin/longpolls: the longpolls open now and the latest ones; with `set`, POST it first (backoff s, maxMs; null clears) */
	longpolls(set?: { backoff?: number | null; maxMs?: number | null }): Promise<LongpollsSeen>;
	/** GET /__admin/calls: counts per route, the bytes of upload request bodies received, and the TLS connections that carried API calls (and how many of them resumed a session) */
	calls(): Promise<{ total: number; byRoute: Record<string, number>; uploadedBytes: number; tlsConnections?: number; tlsResumed?: number }>;
	/** GET /__admin/files: every file and folder of the default account */
	files(): Promise<Array<Record<string, any>>>;
	/** a Dropbox API call straight to the emulator (not through n8n), e.g. to check results */
	rpc<T = any>(route: string, body: unknown, token?: string): Promise<T>;
	/** downloads a file straight from the emulator */
	download(p: string, token?: string): Promise<Buffer>;
	/** the environment n8n needs so that Dropbox hosts reach this emulator */
	routingEnv(): Record<string, string>;
	/** stops the emulator process as a restart does (the state is saved when `restartable`); connections are refused until startAgain */
	shutDown(): Promise<void>;
	/** starts it again on the same port with the same TLS certificate: with the saved state, or fresh (`lost`: no file, token, cursor from before) */
	startAgain(state?: 'kept' | 'lost'): Promise<void>;
	stop(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const shared = require('../../../scripts/n8n-env.js') as {
	routingEnv(o: { host?: string; port: number; caFile: string }): Record<string, string>;
};

/** The environment for a Node process whose Dropbox traffic must reach `host:port` (TLS, with `caFile`). */
export function routingEnvFor(host: string, port: number, caFile: string): Record<string, string> {
	return shared.routingEnv({ host, port, caFile });
}

interface StartedEmulator {
	url?: string;
	baseUrl?: string;
	port?: number;
	close?: () => Promise<void> | void;
	stop?: () => Promise<void> | void;
	server?: { address(): unknown; close(cb?: () => void): void };
}

/** Starts sandbox/emulator over HTTPS on 127.0.0.1. */
export async function startEmulator(opts: EmulatorStartOptions = {}): Promise<EmulatorHandle> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require('../../../sandbox/emulator') as {
		startEmulator: (o: Record<string, unknown>) => Promise<StartedEmulator>;
	};
	const tlsDir = opts.tlsDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dbx-emu-tls-'));
	const accessToken = opts.accessToken ?? 'sandbox-access-token';
	const appKey = opts.appKey ?? 'sandbox-app-key';
	const appSecret = opts.appSecret ?? 'sandbox-app-secret';
	const stateFile = opts.restartable ? path.join(tlsDir, 'emulator-state.json') : undefined;
	const boot = async (onPort: number | undefined, withState: boolean) =>
		await mod.startEmulator({
			port: onPort ?? 0,
			host: '127.0.0.1',
			tlsDir,
			accessToken,
			appKey,
			appSecret,
			tokenTtlSeconds: opts.tokenTtlSeconds,
			verbose: opts.verbose,
			stateFile: withState ? stateFile : undefined,
		});
	let started: StartedEmulator | undefined = await boot(opts.port, true);
	let port = started.port;
	const baseUrl = started.url ?? started.baseUrl;
	if (!port && baseUrl) port = Number(new URL(baseUrl).port);
	if (!port && started.server) port = (started.server.address() as { port: number }).port;
	const close = async () => {
		const running = started;
		started = undefined;
		if (running?.close) await running.close();
		else if (running?.stop) await running.stop();
		else if (running?.server) await new Promise<void>((r) => running.server!.close(() => r()));
	};
	if (!port) throw new Error('could not tell which port the emulator listens on');
	const caFile = path.join(tlsDir, 'ca.pem');
	if (!fs.existsSync(caFile)) throw new Error(`the emulator wrote no CA at ${caFile}`);
	const ca = fs.readFileSync(caFile);
	const url = `https://127.0.0.1:${port}`;

	const request = async (
		method: string,
		p: string,
		{ body, headers = {}, host = 'api.dropboxapi.com' }: { body?: Buffer | string; headers?: Record<string, string>; host?: string } = {},
	): Promise<{ status: number; headers: Record<string, any>; body: Buffer }> =>
		await new Promise((resolve, reject) => {
			const req = https.request(
				{
					host: '127.0.0.1',
					port,
					method,
					path: p,
					ca,
					servername: host,
					headers: { host, ...headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) },
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
					res.on('error', reject);
				},
			);
			req.on('error', reject);
			req.end(body);
		});

	const admin = async (method: 'GET' | 'POST', route: string, body?: unknown) => {
		const res = await request(method, `/__admin/${route.replace(/^\//, '')}`, {
			body: body === undefined ? (method === 'POST' ? '{}' : undefined) : JSON.stringify(body),
			headers: { 'content-type': 'application/json' },
		});
		const text = res.body.toString('utf8');
		if (res.status >= 400) throw new Error(`emulator admin ${method} ${route} → ${res.status}: ${text}`);
		return text ? JSON.parse(text) : undefined;
	};

	const handle: EmulatorHandle = {
		url,
		port,
		caFile,
		appKey,
		appSecret,
		accessToken,
		admin,
		issueToken: async (o = {}) => await admin('POST', 'tokens', { appKey, ...o }),
		expireTokens: async () => await admin('POST', 'expire-tokens'),
		seed: async (spec) => await admin('POST', 'seed', spec),
		reset: async () => {
			await admin('POST', 'reset');
		},
		calls: async () => await admin('GET', 'calls'),
		longpolls: async (set) => (set ? await admin('POST', 'longpolls', set) : await admin('GET', 'longpolls')),
		files: async () => await admin('GET', 'files'),
		rpc: async (route, body, token = accessToken) => {
			const res = await request('POST', `/2/${route}`, {
				body: body === null || body === undefined ? undefined : JSON.stringify(body),
				headers: { authorization: `Bearer ${token}`, ...(body == null ? {} : { 'content-type': 'application/json' }) },
			});
			const text = res.body.toString('utf8');
			if (res.status !== 200) throw new Error(`emulator ${route} → ${res.status}: ${text}`);
			return JSON.parse(text);
		},
		download: async (p, token = accessToken) => {
			const res = await request('POST', '/2/files/download', {
				host: 'content.dropboxapi.com',
				headers: {
					authorization: `Bearer ${token}`,
					'dropbox-api-arg': JSON.stringify({ path: p }).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
				},
			});
			if (res.status !== 200) throw new Error(`emulator download ${p} → ${res.status}: ${res.body.toString('utf8')}`);
			return res.body;
		},
		routingEnv: () => routingEnvFor('127.0.0.1', port!, caFile),
		shutDown: close,
		startAgain: async (state = 'kept') => {
			if (started) throw new Error('the emulator is running: shutDown() first');
			started = await boot(port, state === 'kept');
		},
		stop: async () => {
			await close();
			if (!opts.tlsDir) fs.rmSync(tlsDir, { recursive: true, force: true });
		},
	};
	return handle;
}
