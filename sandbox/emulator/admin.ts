/** The admin API's actions (/__admin/*, JSON in, JSON out, no auth): state, seeding, tokens, faults, calls, webhooks, reset. */
import { accountJson, ALL_SCOPES, type Account } from './auth';
import { ContentHasher } from './hash';
import { readBody, sendJson } from './http';
import type { EndpointHandler } from './routes/types';
import { AdminError, seedFile, seedFolder } from './seeding';
import { newCalls, type State } from './state';
import { isoNow, nodeMeta } from './tree';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One admin action: the JSON it answers (200), or throws AdminError for another status. */
export type AdminAction = (st: State, b: Body, url: URL) => unknown;

const ADMIN_PREFIX = '/__admin/';

/** The JSON body of a POST or PUT ({} when empty); null when it is not JSON. */
async function adminBody(req: Parameters<EndpointHandler>[1]): Promise<Body | null> {
	if (req.method !== 'POST' && req.method !== 'PUT') return {};
	const raw = (await readBody(req, 1024 ** 3)).toString('utf8');
	if (!raw.trim()) return {};
	try {
		return JSON.parse(raw);
	} catch {
		return null;
	}
}

/** The endpoint of an admin action: the body read as JSON, the answer as JSON, errors as `{error}` with their status. */
export function adminEndpoint(action: AdminAction): EndpointHandler {
	return async (st, req, res, url) => {
		const body = await adminBody(req);
		if (body === null) return sendJson(res, 400, { error: 'body is not JSON' });
		try {
			sendJson(res, 200, await action(st, body, url));
		} catch (e) {
			if (e instanceof AdminError) return sendJson(res, e.status, { error: e.message });
			sendJson(res, 500, { error: (e as Error).message });
		}
	};
}

/** Any other /__admin/ path or method. */
export const unknownAdminRoute: EndpointHandler = async (_st, req, res, url) => {
	if ((await adminBody(req)) === null) return sendJson(res, 400, { error: 'body is not JSON' });
	const route = url.pathname.slice(ADMIN_PREFIX.length).replace(/\/$/, '');
	sendJson(res, 404, { error: `unknown admin route ${req.method} ${ADMIN_PREFIX}${route}` });
};

function account(st: State, id?: string): Account {
	try {
		return st.account(id);
	} catch {
		throw new AdminError(404, `unknown account ${id}`);
	}
}

export const state: AdminAction = (st) => ({
	baseUrl: st.baseUrl,
	defaultAccountId: st.defaultAccountId,
	accounts: [...st.accounts.values()].map((a) => ({ ...accountJson(a), files: a.ns.byPath.size - 1, used: a.ns.usedBytes, suspended: a.suspended === true })),
	apps: [...st.apps.values()].map((a) => ({ key: a.key, webhookUrl: a.webhookUrl ?? null })),
	tokenTtlSeconds: st.tokenTtlSeconds,
	faults: st.faults.snapshot(),
	dataDir: st.dataDir,
});

export const reset: AdminAction = (st, b) => {
	st.reset();
	if (b.keepCalls !== true) st.calls = newCalls();
	return { ok: true, defaultAccountId: st.defaultAccountId };
};

export const saveState: AdminAction = (st) => {
	try {
		return st.save();
	} catch (e) {
		throw new AdminError(400, (e as Error).message);
	}
};

export const calls: AdminAction = (st) => st.calls;

export const resetCalls: AdminAction = (st) => {
	st.calls = newCalls();
	return { ok: true };
};

export const faults: AdminAction = (st) => st.faults.snapshot();

export const setFaults: AdminAction = (st, b) => {
	st.faults.set(b, b.replace === true);
	return st.faults.snapshot();
};

export const expireCursors: AdminAction = (st) => {
	st.expireCursors();
	return { ok: true };
};

/** GET: the longpolls open now, the latest ones (arrival, answer), the settings below. */
export const longpolls: AdminAction = (st) => ({
	open: st.longpollsOpen,
	backoff: st.longpollBackoff ?? null,
	maxMs: st.longpollMaxMs ?? null,
	recent: st.longpolls,
});

/** POST `{backoff?: seconds | null, maxMs?: ms | null}`: every longpoll answer asks for `backoff`; waits end after `maxMs`. */
export const setLongpolls: AdminAction = (st, b) => {
	const setting = (name: string, value: unknown): number | undefined => {
		if (value === null) return undefined;
		if (!Number.isInteger(value) || (value as number) < 0) throw new AdminError(400, `${name}: a whole number ≥ 0, or null for none`);
		return value as number;
	};
	if ('backoff' in b) st.longpollBackoff = setting('backoff', b.backoff);
	if ('maxMs' in b) st.longpollMaxMs = setting('maxMs', b.maxMs);
	return longpolls(st, {}, new URL('http://admin/'));
};

export const expireTokens: AdminAction = (st) => ({ expired: st.expireAllTokens() });

export const issueToken: AdminAction = (st, b) => {
	const a = account(st, b.accountId);
	const { access, refresh } = st.issueToken({
		token: b.token, accountId: a.accountId, scopes: b.scopes ?? ALL_SCOPES,
		ttlSeconds: b.ttlSeconds === undefined ? undefined : b.ttlSeconds, refresh: b.refreshToken === true, appKey: b.appKey,
	});
	return {
		access_token: access.token, refresh_token: refresh?.token ?? null, account_id: a.accountId, scopes: access.scopes,
		expires_at: access.expiresAt === null ? null : new Date(access.expiresAt).toISOString(),
		expires_in: access.expiresAt === null ? null : Math.round((access.expiresAt - Date.now()) / 1000),
	};
};

export const addAccount: AdminAction = (st, b) => {
	if (b.accountType !== undefined && !['basic', 'pro', 'business'].includes(b.accountType)) throw new AdminError(400, 'accountType: basic, pro or business');
	if (b.teamFolders !== undefined && !b.team) throw new AdminError(400, 'teamFolders needs team');
	if (b.memberSpaceLimitType !== undefined && !['off', 'alert_only', 'stop_sync'].includes(b.memberSpaceLimitType)) throw new AdminError(400, 'memberSpaceLimitType: off, alert_only or stop_sync');
	if (b.memberSpaceLimit !== undefined && !(Number.isInteger(b.memberSpaceLimit) && b.memberSpaceLimit >= 0)) throw new AdminError(400, 'memberSpaceLimit: bytes, 0 for none');
	let a;
	try {
		a = st.addAccount(b);
	} catch (e) {
		throw new AdminError(400, (e as Error).message);
	}
	if (b.default === true) st.defaultAccountId = a.accountId;
	return accountJson(a);
};

export const suspendAccount: AdminAction = (st, b) => {
	if (typeof b.suspended !== 'boolean') throw new AdminError(400, 'suspended: true or false');
	const a = st.setSuspended(account(st, b.accountId).accountId, b.suspended);
	return { accountId: a.accountId, suspended: a.suspended };
};

export const setApp: AdminAction = (st, b) => {
	const key = b.appKey ?? b.key ?? [...st.apps.keys()][0];
	const existing = st.apps.get(key);
	const app = st.addApp(key, b.appSecret ?? b.secret ?? existing?.secret ?? 'sandbox-app-secret', b.webhookUrl === undefined ? existing?.webhookUrl : b.webhookUrl ?? undefined);
	return { key: app.key, secret: app.secret, webhookUrl: app.webhookUrl ?? null };
};

export const verifyWebhook: AdminAction = (st, b) => {
	const key = b.appKey ?? [...st.apps.keys()][0];
	const target = b.url ?? st.apps.get(key)?.webhookUrl;
	if (!target) throw new AdminError(400, 'no webhook url configured');
	return st.webhooks.verify(target, b.challenge ?? Math.random().toString(36).slice(2));
};

export const notifyWebhook: AdminAction = (st, b) => {
	st.changed(account(st, b.accountId).accountId);
	return { ok: true };
};

export const webhookDeliveries: AdminAction = (st) => st.webhooks.deliveries;

export const seed: AdminAction = async (st, b) => {
	const a0 = account(st, b.accountId);
	if (b.root === true && !a0.team) throw new AdminError(400, 'root: true needs a team member account');
	// root: true seeds the team space root (team folders live there), else the home namespace
	const a = { ...a0, ns: b.root === true ? a0.team!.rootNs : a0.ns };
	const before = a.ns.seq;
	const created: unknown[] = [];
	for (const name of b.teamFolders ?? []) {
		if (!a0.team) throw new AdminError(400, 'teamFolders needs a team member account');
		try {
			created.push(nodeMeta(st.addTeamFolder(a0, name)));
		} catch (e) {
			throw new AdminError(400, (e as Error).message);
		}
	}
	for (const f of b.folders ?? []) created.push(nodeMeta(seedFolder(a.ns, typeof f === 'string' ? f : f.path)));
	for (const f of b.files ?? []) {
		let src: Buffer | { size: number; seed?: number; sparse?: boolean };
		if (typeof f.content === 'string') src = Buffer.from(f.content, f.encoding === 'base64' ? 'base64' : 'utf8');
		else if (typeof f.contentBase64 === 'string') src = Buffer.from(f.contentBase64, 'base64');
		else if (typeof f.size === 'number') src = { size: f.size, seed: f.seed, sparse: f.sparse === true };
		else src = Buffer.alloc(0);
		created.push(nodeMeta(await seedFile(st, a.ns, f.path, src, { clientModified: f.clientModified, exportAs: f.exportAs, exportOptions: f.exportOptions, exportable: f.exportable, paperArchived: f.paperArchived === true })));
	}
	if (b.generate) {
		// bulk: { folder, count, prefix?, size? } — many small files quickly
		const g = b.generate;
		const folder = seedFolder(a.ns, g.folder);
		const hasher = new ContentHasher();
		const content = Buffer.alloc(g.size ?? 0, 0x61);
		hasher.update(content);
		const blob = st.store.writeBuffer(content);
		const hash = hasher.digest();
		for (let i = 0; i < g.count; i++) {
			const name = `${g.prefix ?? 'file'}-${String(i).padStart(6, '0')}${g.ext ?? '.txt'}`;
			if (!folder.children!.has(name.toLowerCase())) a.ns.writeFile(folder, name, { blob, size: content.length, contentHash: hash });
		}
		created.push({ generated: g.count });
	}
	for (const t of b.tokens ?? []) {
		const { access, refresh } = st.issueToken({ token: t.token, accountId: a.accountId, scopes: t.scopes, ttlSeconds: t.ttlSeconds, refresh: t.refreshToken === true });
		created.push({ access_token: access.token, refresh_token: refresh?.token ?? null });
	}
	if (a.ns.seq !== before) a.ns.notify();
	return { accountId: a.accountId, created: created.length > 1000 ? created.length : created };
};

/**
 * Locks a file as another user would (the emulator has one user per account): `{path, accountId?,
 * holderAccountId?, holderName?}`. The account's own calls then meet a lock they do not hold:
 * lock_conflict on lock and unlock, locked on move and delete.
 */
export const lockAsOther: AdminAction = (st, b) => {
	const a = account(st, b.accountId);
	if (typeof b.path !== 'string') throw new AdminError(400, 'path: the file to lock');
	const node = a.ns.byPath.get(b.path.toLowerCase());
	if (!node || node.tag !== 'file') throw new AdminError(404, `no file at ${b.path}`);
	const holder = typeof b.holderAccountId === 'string' ? b.holderAccountId : 'dbid:AAOtherLockHolder0000000000000000000';
	if (holder === a.accountId) throw new AdminError(400, 'holderAccountId: another account than the file\'s');
	node.lock = { created: isoNow(), accountId: holder, holderName: typeof b.holderName === 'string' ? b.holderName : 'Other User' };
	return nodeMeta(node);
};

export const files: AdminAction = (st, _b, url) => {
	const a = account(st, url.searchParams.get('accountId') ?? undefined);
	const out = [];
	for (const n of a.ns.byPath.values()) if (n !== a.ns.root) out.push(nodeMeta(n));
	return out;
};
