/** All mutable state of one emulator instance. */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Account, AccessToken, ALL_SCOPES, App, newAccountId, newNamespace, RefreshToken, randomToken } from './auth';
import { BlobStore } from './store';
import { Faults, FaultConfig } from './faults';
import { Webhooks } from './webhooks';
import type { Json } from './errors';
import { Namespace, Node } from './tree';
import { loadState, saveState } from './persist';
import type { FileRequestRec, Job, SharedLink, Snapshot, TempLink, UploadSession } from './records';

export interface EmulatorOptions {
	port?: number;
	host?: string;
	/** switch to HTTPS; the CA is written to <tlsDir>/ca.pem */
	tlsDir?: string;
	/** a valid access token (full scopes, never expires unless tokenTtlSeconds applies) for the default account */
	accessToken?: string;
	/** where file contents live; default a fresh temp dir (removed on close), or `<stateFile>.data` with a stateFile */
	dataDir?: string;
	/**
	 * keep the state across restarts: loaded at start when the file exists, saved on close (and by
	 * admin `POST state/save`). Files, tokens and cursors are then as before the restart.
	 */
	stateFile?: string;
	/** lifetime of tokens issued by oauth2/token and admin (default 14400) */
	tokenTtlSeconds?: number;
	appKey?: string;
	appSecret?: string;
	faults?: FaultConfig;
	/** max bytes per upload request (default 150 MiB) */
	maxRequestBytes?: number;
	/** log each request to stderr */
	verbose?: boolean;
}

/** A fresh count of API calls and received upload bytes. */
export function newCalls(): { total: number; byRoute: Record<string, number>; uploadedBytes: number; tlsConnections?: number; tlsResumed?: number } {
	return { total: 0, byRoute: {}, uploadedBytes: 0 };
}

export class State {
	readonly store: BlobStore;
	readonly ownsDataDir: boolean;
	readonly dataDir: string;
	accounts = new Map<string, Account>();
	namespaces = new Map<string, Namespace>();
	tokens = new Map<string, AccessToken>();
	refreshTokens = new Map<string, RefreshToken>();
	apps = new Map<string, App>();
	codes = new Map<string, { appKey: string; redirectUri?: string; challenge?: string; method?: string; scopes: string[]; accountId: string; offline: boolean; expires: number }>();
	sessions = new Map<string, UploadSession>();
	jobs = new Map<string, Job>();
	links = new Map<string, SharedLink>(); // by token
	fileRequests = new Map<string, FileRequestRec>(); // by id
	tempLinks = new Map<string, TempLink>();
	snapshots = new Map<string, Snapshot>();
	searches = new Map<string, { matches: Json[]; pos: number; pageSize: number }>();
	/** API calls per route, the bytes of upload request bodies received (`uploadedBytes`); tlsConnections: TLS connections that carried API calls (tlsResumed: of them, by session resumption) */
	calls = newCalls();
	/** Every API request answered 400 (a request real Dropbox refuses), with Dropbox's text. */
	refusals: string[] = [];
	epoch = randomBytes(4).toString('hex');
	defaultAccountId = '';
	readonly faults: Faults;
	readonly webhooks = new Webhooks();
	tokenTtlSeconds: number;
	maxRequestBytes: number;
	baseUrl = '';
	/** async batch jobs answer in_progress on their first check (as real jobs often do) */
	jobFirstCheckInProgress = true;
	/** cap on how long a longpoll waits (ms), for tests; default the requested timeout */
	longpollMaxMs: number | undefined = undefined;
	/** seconds every longpoll answer asks the client to wait (`backoff`), as Dropbox does under load; none by default */
	longpollBackoff: number | undefined = undefined;
	/** longpolls waiting for an answer now */
	longpollsOpen = 0;
	/** the latest longpolls (arrival and answer times, epoch ms), oldest first, at most LONGPOLLS_KEPT */
	longpolls: Array<{ at: number; answeredAt?: number; changes?: boolean }> = [];

	constructor(readonly opts: EmulatorOptions) {
		this.ownsDataDir = !opts.dataDir && !opts.stateFile;
		this.dataDir = opts.dataDir ?? (opts.stateFile ? `${opts.stateFile}.data` : mkdtempSync(join(tmpdir(), 'dropbox-emulator-')));
		mkdirSync(this.dataDir, { recursive: true });
		this.store = new BlobStore(this.dataDir);
		this.faults = new Faults(opts.faults?.seed ?? 1);
		if (opts.faults) this.faults.set(opts.faults);
		this.tokenTtlSeconds = opts.tokenTtlSeconds ?? 14400;
		this.maxRequestBytes = opts.maxRequestBytes ?? 150 * 1024 * 1024;
		this.init();
		if (opts.stateFile) loadState(this, opts.stateFile);
	}

	/** Writes the state file (see `stateFile`); returns its path and size. */
	save(): { stateFile: string; bytes: number } {
		if (!this.opts.stateFile) throw new Error('started without a stateFile: nothing to save to');
		return { stateFile: this.opts.stateFile, bytes: saveState(this, this.opts.stateFile) };
	}

	/** Fresh state: one app, one account, the start token. */
	init(): void {
		this.accounts.clear();
		this.namespaces.clear();
		this.tokens.clear();
		this.refreshTokens.clear();
		this.apps.clear();
		this.codes.clear();
		this.sessions.clear();
		this.jobs.clear();
		this.links.clear();
		this.fileRequests.clear();
		this.tempLinks.clear();
		this.snapshots.clear();
		this.searches.clear();
		this.epoch = randomBytes(4).toString('hex');
		this.addApp(this.opts.appKey ?? 'sandbox-app-key', this.opts.appSecret ?? 'sandbox-app-secret');
		const acc = this.addAccount({ email: 'sandbox@example.com', givenName: 'Sandbox', surname: 'User' });
		this.defaultAccountId = acc.accountId;
		if (this.opts.accessToken) {
			this.issueToken({ token: this.opts.accessToken, accountId: acc.accountId, scopes: ALL_SCOPES, ttlSeconds: null });
		}
	}

	reset(): void {
		this.store.wipe();
		this.init();
	}

	addApp(key: string, secret: string, webhookUrl?: string): App {
		const app: App = { key, secret, webhookUrl };
		this.apps.set(key, app);
		return app;
	}

	addAccount(p: {
		accountId?: string; email?: string; givenName?: string; surname?: string; country?: string; allocated?: number;
		accountType?: 'basic' | 'pro' | 'business';
		/** team member: its own limit within the team's space, and the limit's type (users/get_space_usage) */
		memberSpaceLimit?: number;
		memberSpaceLimitType?: 'off' | 'alert_only' | 'stop_sync';
		/** make the account a team member whose root namespace is a team space (root_info .tag team) */
		team?: boolean | { name?: string; id?: string; rootNamespaceId?: string };
		/** team folders to create at the team space root */
		teamFolders?: string[];
	}): Account {
		const ns = newNamespace();
		const acc: Account = {
			accountType: p.accountType ?? (p.team ? 'business' : 'pro'),
			accountId: p.accountId ?? newAccountId(),
			email: p.email ?? `user${this.accounts.size + 1}@example.com`,
			givenName: p.givenName ?? 'Test',
			surname: p.surname ?? `User${this.accounts.size + 1}`,
			country: p.country ?? 'US',
			allocated: p.allocated ?? 2 * 1024 ** 4,
			ns,
		};
		if (p.memberSpaceLimit !== undefined) acc.memberSpaceLimit = p.memberSpaceLimit;
		if (p.memberSpaceLimitType !== undefined) acc.memberSpaceLimitType = p.memberSpaceLimitType;
		this.accounts.set(acc.accountId, acc);
		this.namespaces.set(ns.id, ns);
		if (p.team) {
			const t = typeof p.team === 'object' ? p.team : {};
			// members of the same team share one team space root
			let rootNs = t.rootNamespaceId ? this.namespaces.get(t.rootNamespaceId) : undefined;
			const mate = [...this.accounts.values()].find((a) => a.team && (a.team.id === t.id || (rootNs && a.team.rootNs === rootNs)));
			if (!rootNs) rootNs = mate?.team?.rootNs;
			if (!rootNs) {
				rootNs = t.rootNamespaceId ? new Namespace(t.rootNamespaceId) : newNamespace();
				this.namespaces.set(rootNs.id, rootNs);
			}
			acc.team = {
				id: t.id ?? mate?.team?.id ?? 'dbtid:AA' + randomBytes(20).toString('base64url').slice(0, 28),
				name: t.name ?? mate?.team?.name ?? 'Sandbox Team',
				rootNs,
				memberId: 'dbmid:AA' + randomBytes(20).toString('base64url').slice(0, 28),
			};
		}
		this.listen(acc);
		if (acc.team) for (const f of p.teamFolders ?? []) this.addTeamFolder(acc, f);
		return acc;
	}

	/** Changes in the account's namespaces (home, and the team space root shared with its team) notify it. */
	listen(acc: Account): void {
		acc.ns.onChange = () => this.changed(acc.accountId);
		if (!acc.team) return;
		const root = acc.team.rootNs;
		const prev = root.onChange;
		root.onChange = () => {
			prev?.();
			this.changed(acc.accountId);
		};
	}

	/** A team folder: a mounted folder at the team space root (FolderMetadata with sharing_info). */
	addTeamFolder(acc: Account, path: string): Node {
		if (!acc.team) throw new Error(`account ${acc.accountId} is not a team member`);
		const name = path.replace(/^\/+/, '');
		if (!name || name.includes('/')) throw new Error(`a team folder is a top-level name, got ${path}`);
		const rootNs = acc.team.rootNs;
		const existing = rootNs.root.children!.get(name.toLowerCase());
		if (existing) return existing;
		const n = rootNs.createFolder(rootNs.root, name);
		n.mount = { sharedFolderId: String(Number(newNamespace().id)) };
		return n;
	}

	account(id?: string): Account {
		const a = this.accounts.get(id ?? this.defaultAccountId);
		if (!a) throw new Error(`unknown account ${id}`);
		return a;
	}

	/** Suspends (or reactivates) an account: its tokens stay valid, but API calls answer 401 user_suspended. */
	setSuspended(accountId: string | undefined, suspended: boolean): Account {
		const a = this.account(accountId);
		a.suspended = suspended;
		return a;
	}

	issueToken(p: { token?: string; accountId?: string; scopes?: string[]; ttlSeconds?: number | null; refresh?: boolean; appKey?: string }): { access: AccessToken; refresh?: RefreshToken } {
		const accountId = p.accountId ?? this.defaultAccountId;
		const scopes = p.scopes ?? ALL_SCOPES;
		const appKey = p.appKey ?? [...this.apps.keys()][0];
		let refresh: RefreshToken | undefined;
		if (p.refresh) {
			refresh = { token: randomToken('rt.'), accountId, scopes, appKey };
			this.refreshTokens.set(refresh.token, refresh);
		}
		const ttl = p.ttlSeconds === undefined ? this.tokenTtlSeconds : p.ttlSeconds;
		const access: AccessToken = {
			token: p.token ?? randomToken('sl.'),
			accountId,
			scopes,
			expiresAt: ttl === null ? null : Date.now() + ttl * 1000,
			refreshToken: refresh?.token,
			appKey,
		};
		this.tokens.set(access.token, access);
		return { access, refresh };
	}

	expireAllTokens(): number {
		const now = Date.now();
		let n = 0;
		for (const t of this.tokens.values()) {
			if (t.expiresAt === null || t.expiresAt > now) {
				t.expiresAt = now - 1;
				n++;
			}
		}
		return n;
	}

	/** Invalidates every list_folder cursor (continue / longpoll answer `reset`) without touching files. */
	expireCursors(): void {
		this.epoch = randomBytes(4).toString('hex');
		this.snapshots.clear();
		// wake pending longpolls: they answer changes=true, the following continue answers reset
		for (const ns of this.namespaces.values()) for (const l of [...ns.listeners]) l();
	}

	/** Called after every mutation of an account's namespace: webhooks. */
	changed(accountId: string): void {
		for (const app of this.apps.values()) {
			if (app.webhookUrl) this.webhooks.notify(app.webhookUrl, app.secret, accountId, Number(this.accounts.get(accountId)?.ns.id ?? 0));
		}
	}

	/** Bytes of an upload request's body, as they arrive. */
	countReceived(bytes: number): void {
		this.calls.uploadedBytes += bytes;
	}

	countCall(route: string): void {
		this.calls.total++;
		this.calls.byRoute[route] = (this.calls.byRoute[route] ?? 0) + 1;
	}

	/** A TLS connection's first API request: one full or resumed handshake a client paid for API calls. */
	countTlsConnection(resumed: boolean): void {
		this.calls.tlsConnections = (this.calls.tlsConnections ?? 0) + 1;
		if (resumed) this.calls.tlsResumed = (this.calls.tlsResumed ?? 0) + 1;
	}

	close(): void {
		this.webhooks.close();
		if (this.opts.stateFile) this.save();
		if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
	}
}
