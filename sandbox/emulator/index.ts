/**
 * The Dropbox emulator: a stateful local Dropbox API v2 server.
 *   const emu = await startEmulator({ port: 0, accessToken: 'test-token' });
 *   ... emu.url, emu.state, emu.setFaults({...}), emu.calls() ...
 *   await emu.close();
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { makeHandler } from './server';
import { EmulatorOptions, newCalls, State } from './state';
import { apiRoutes, routeTable } from './routeTable';
import type { RouteTable } from './routes/types';
import { ensureTls } from './tls';
import type { FaultConfig } from './faults';
import { seedFile, seedFolder, SeedFileOptions } from './seeding';
import { ALL_SCOPES } from './auth';

export type { EmulatorOptions } from './state';
export type { FaultConfig } from './faults';
export { contentHashOf, ContentHasher } from './hash';
export { sign as webhookSignature } from './webhooks';
export { ALL_SCOPES };

/**
 * Every emulator running in this process, so a test run can check that nothing the node sent
 * was refused (test/support/wireContract.ts). Kept on globalThis: the e2e harness loads the
 * compiled emulator, other tests its sources.
 */
export function runningEmulators(): Set<State> {
	const g = globalThis as { __dropboxPlusEmulators?: Set<State> };
	g.__dropboxPlusEmulators ??= new Set();
	return g.__dropboxPlusEmulators;
}

export interface Emulator {
	url: string;
	port: number;
	host: string;
	/** PEM of the CA when started with tlsDir */
	ca?: Buffer;
	state: State;
	accountId: string;
	routes: RouteTable;
	calls(): State['calls'];
	resetCalls(): void;
	setFaults(f: FaultConfig & { replace?: boolean }): void;
	expireTokens(): number;
	/** every list_folder cursor answers `reset` from now on (files are kept) */
	expireCursors(): void;
	/** suspend (true) or reactivate (false) an account, the default one unless named: API calls answer 401 user_suspended */
	setSuspended(suspended: boolean, accountId?: string): void;
	issueToken(p?: { scopes?: string[]; ttlSeconds?: number | null; refresh?: boolean; accountId?: string; token?: string }): { accessToken: string; refreshToken?: string };
	/** `opts` may be the account id (as before) or { accountId?, clientModified?, exportAs?, exportOptions?, exportable? };
	 *  `.paper` files are non-downloadable Paper docs (export_as html) unless exportable: false */
	seedFile(path: string, content: Buffer | string | { size: number; seed?: number; sparse?: boolean }, opts?: string | (SeedFileOptions & { accountId?: string; root?: boolean })): Promise<void>;
	/** `root: true` (team members): in the team space root instead of the home namespace */
	seedFolder(path: string, opts?: string | { accountId?: string; root?: boolean }): void;
	/** a team member account (root_info .tag team, its own team space root with team folders) */
	addTeamMember(p?: { accountId?: string; email?: string; givenName?: string; surname?: string; teamName?: string; teamFolders?: string[]; sameTeamAs?: string; allocated?: number; memberSpaceLimit?: number; memberSpaceLimitType?: 'off' | 'alert_only' | 'stop_sync' }): { accountId: string; homeNamespaceId: string; rootNamespaceId: string };
	reset(): void;
	close(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
	const state = new State(opts);
	const routes = apiRoutes();
	const handler = makeHandler(state, routeTable(routes));
	runningEmulators().add(state);
	const host = opts.host ?? '127.0.0.1';
	let server: http.Server;
	let ca: Buffer | undefined;
	// TLS connections are counted at their first API request (admin calls are not the client's cost)
	const countedSockets = new WeakSet<object>();
	const onReq = (req: http.IncomingMessage, res: http.ServerResponse) => {
		const socket = req.socket as Partial<TLSSocket>;
		if (socket.encrypted && !countedSockets.has(socket) && !req.url?.startsWith('/__admin/')) {
			countedSockets.add(socket);
			state.countTlsConnection(socket.isSessionReused?.() === true);
		}
		handler(req, res).catch((e) => {
			console.error('[dropbox-emulator]', e); // eslint-disable-line no-console
			if (!res.headersSent) res.writeHead(500).end();
			else res.destroy();
		});
	};
	if (opts.tlsDir) {
		const t = ensureTls(opts.tlsDir);
		ca = t.ca;
		server = https.createServer({ key: t.key, cert: t.cert }, onReq);
	} else {
		server = http.createServer(onReq);
	}
	server.keepAliveTimeout = 65_000;
	server.requestTimeout = 0;
	server.headersTimeout = 70_000;
	const sockets = new Set<Socket>();
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, host, () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	const urlHost = opts.tlsDir && (host === '127.0.0.1' || host === '0.0.0.0') ? 'localhost' : host.includes(':') ? `[${host}]` : host;
	const url = `${opts.tlsDir ? 'https' : 'http'}://${urlHost}:${port}`;
	state.baseUrl = url;
	const nsFor = (o: { accountId?: string; root?: boolean }) => {
		const a = state.account(o.accountId);
		if (o.root && !a.team) throw new Error(`account ${a.accountId} is not a team member`);
		return o.root ? a.team!.rootNs : a.ns;
	};
	const emu: Emulator = {
		url, port, host, ca, state, routes,
		get accountId() {
			return state.defaultAccountId;
		},
		calls: () => state.calls,
		resetCalls: () => {
			state.calls = newCalls();
		},
		setFaults: (f) => state.faults.set(f, f.replace === true),
		expireTokens: () => state.expireAllTokens(),
		expireCursors: () => state.expireCursors(),
		setSuspended: (suspended, accountId) => {
			state.setSuspended(accountId, suspended);
		},
		issueToken: (p = {}) => {
			const { access, refresh } = state.issueToken({ ...p, scopes: p.scopes ?? ALL_SCOPES });
			return { accessToken: access.token, refreshToken: refresh?.token };
		},
		seedFile: async (path, content, opts) => {
			const src = typeof content === 'string' ? Buffer.from(content) : content;
			const o = typeof opts === 'string' ? { accountId: opts } : opts ?? {};
			const ns = nsFor(o);
			const before = ns.seq;
			await seedFile(state, ns, path, src, o);
			if (ns.seq !== before) ns.notify(); // longpolls and webhooks, exactly like POST /__admin/seed
		},
		seedFolder: (path, opts) => {
			const ns = nsFor(typeof opts === 'string' ? { accountId: opts } : opts ?? {});
			const before = ns.seq;
			seedFolder(ns, path);
			if (ns.seq !== before) ns.notify();
		},
		addTeamMember: (p = {}) => {
			const mate = p.sameTeamAs ? state.account(p.sameTeamAs).team : undefined;
			const a = state.addAccount({ ...p, team: mate ? { id: mate.id } : { name: p.teamName } });
			return { accountId: a.accountId, homeNamespaceId: a.ns.id, rootNamespaceId: a.team!.rootNs.id };
		},
		reset: () => state.reset(),
		close: () =>
			new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => {
					runningEmulators().delete(state);
					state.close();
					resolve();
				});
			}),
	};
	return emu;
}
