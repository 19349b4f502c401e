/** Admin API at /__admin/* (JSON in, JSON out): seeding, tokens, faults, calls, webhooks, reset. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { accountJson, ALL_SCOPES } from './auth';
import { ContentHasher, zeroContentHash } from './hash';
import { truncateSync, writeFileSync } from 'node:fs';
import type { State } from './state';
import { readBody, sendJson } from './http';
import { ExportInfo, Namespace, nodeMeta } from './tree';

class AdminError extends Error {
	constructor(public status: number, msg: string) {
		super(msg);
	}
}

/** Generates `size` deterministic bytes (pattern seeded by `seed`) as a stream. */
export function generatedStream(size: number, seed = 0): Readable {
	const block = Buffer.alloc(1024 * 1024);
	for (let i = 0; i < block.length; i++) block[i] = (i * 31 + seed * 7 + (i >> 10)) & 0xff;
	let left = size;
	return new Readable({
		read() {
			if (left <= 0) {
				this.push(null);
				return;
			}
			const n = Math.min(left, block.length);
			left -= n;
			this.push(n === block.length ? Buffer.from(block) : block.subarray(0, n));
		},
	});
}

export interface SeedFileOptions {
	clientModified?: string;
	/** make the file non-downloadable (is_downloadable false), exportable as this format via files/export */
	exportAs?: string;
	exportOptions?: string[];
	/** false forces a downloadable file even for `.paper` */
	exportable?: boolean;
}

/** Paper docs (`.paper`) are non-downloadable by default: export_as html, options html + markdown. */
export function exportInfoFor(path: string, o: SeedFileOptions = {}): ExportInfo | undefined {
	if (o.exportable === false) return undefined;
	if (o.exportAs) return { exportAs: o.exportAs, exportOptions: o.exportOptions ?? [o.exportAs] };
	if (/\.paper$/i.test(path)) return { exportAs: 'html', exportOptions: o.exportOptions ?? ['html', 'markdown'] };
	return undefined;
}

/** Writes a file into a namespace from a buffer or a generated stream (admin seeding). */
export async function seedFile(st: State, ns: Namespace, path: string, src: Buffer | { size: number; seed?: number; sparse?: boolean }, opts: SeedFileOptions | string = {}) {
	const o: SeedFileOptions = typeof opts === 'string' ? { clientModified: opts } : opts;
	const clientModified = o.clientModified;
	const hasher = new ContentHasher();
	let blob: string;
	let size: number;
	let sparseHash: string | undefined;
	if (!Buffer.isBuffer(src) && src.sparse) {
		// zero bytes in a sparse file: any size (e.g. 25 GiB for download_zip too_large) at no disk or time cost
		blob = st.store.newPath();
		writeFileSync(blob, Buffer.alloc(0));
		truncateSync(blob, src.size);
		size = src.size;
		sparseHash = zeroContentHash(size);
	} else if (Buffer.isBuffer(src)) {
		hasher.update(src);
		blob = st.store.writeBuffer(src);
		size = src.length;
	} else {
		const got = await st.store.receive(generatedStream(src.size, src.seed), { limit: Number.MAX_SAFE_INTEGER, hasher });
		blob = got.blob;
		size = got.size;
	}
	if (!path.startsWith('/') || path.endsWith('/')) throw new AdminError(400, `bad path ${path}`);
	const lower = path.toLowerCase();
	const parentLower = lower.slice(0, lower.lastIndexOf('/'));
	const parent = ns.ensureFolders(parentLower, path.slice(0, path.lastIndexOf('/')));
	if (parent.tag === 'file') throw new AdminError(409, `a file blocks ${path}`);
	const name = path.slice(path.lastIndexOf('/') + 1);
	const existing = parent.children!.get(name.toLowerCase());
	if (existing && existing.tag === 'folder') throw new AdminError(409, `a folder exists at ${path}`);
	return ns.writeFile(parent, existing?.name ?? name, { blob, size, contentHash: sparseHash ?? hasher.digest(), clientModified, exportInfo: exportInfoFor(path, o) }, existing);
}

export function seedFolder(ns: Namespace, path: string) {
	const p = ns.ensureFolders(path.toLowerCase(), path);
	if (p.tag === 'file') throw new AdminError(409, `a file exists at ${path}`);
	return p;
}

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function handleAdmin(st: State, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
	const route = url.pathname.slice('/__admin/'.length).replace(/\/$/, '');
	let body: Body = {};
	if (req.method === 'POST' || req.method === 'PUT') {
		const raw = (await readBody(req, 1024 ** 3)).toString('utf8');
		if (raw.trim()) {
			try {
				body = JSON.parse(raw);
			} catch {
				return sendJson(res, 400, { error: 'body is not JSON' });
			}
		}
	}
	try {
		const out = await dispatch(st, req.method ?? 'GET', route, body, url);
		if (out === undefined) return sendJson(res, 404, { error: `unknown admin route ${req.method} /__admin/${route}` });
		sendJson(res, 200, out);
	} catch (e) {
		if (e instanceof AdminError) return sendJson(res, e.status, { error: e.message });
		sendJson(res, 500, { error: (e as Error).message });
	}
}

async function dispatch(st: State, method: string, route: string, b: Body, url: URL): Promise<unknown> {
	const acc = (id?: string) => {
		try {
			return st.account(id);
		} catch {
			throw new AdminError(404, `unknown account ${id}`);
		}
	};
	switch (`${method} ${route}`) {
		case 'GET state':
		case 'GET info':
			return {
				baseUrl: st.baseUrl,
				defaultAccountId: st.defaultAccountId,
				accounts: [...st.accounts.values()].map((a) => ({ ...accountJson(a), files: a.ns.byPath.size - 1, used: a.ns.usedBytes, suspended: a.suspended === true })),
				apps: [...st.apps.values()].map((a) => ({ key: a.key, webhookUrl: a.webhookUrl ?? null })),
				tokenTtlSeconds: st.tokenTtlSeconds,
				faults: st.faults.snapshot(),
				dataDir: st.dataDir,
			};
		case 'POST reset':
			st.reset();
			if (b.keepCalls !== true) st.calls = { total: 0, byRoute: {} };
			return { ok: true, defaultAccountId: st.defaultAccountId };
		case 'POST state/save':
			try {
				return st.save();
			} catch (e) {
				throw new AdminError(400, (e as Error).message);
			}
		case 'GET calls':
			return st.calls;
		case 'POST calls/reset':
			st.calls = { total: 0, byRoute: {} };
			return { ok: true };
		case 'GET faults':
			return st.faults.snapshot();
		case 'POST faults':
			st.faults.set(b, b.replace === true);
			return st.faults.snapshot();
		case 'POST cursors/expire':
			st.expireCursors();
			return { ok: true };
		case 'POST expire-tokens':
			return { expired: st.expireAllTokens() };
		case 'POST tokens': {
			const a = acc(b.accountId);
			const { access, refresh } = st.issueToken({
				token: b.token, accountId: a.accountId, scopes: b.scopes ?? ALL_SCOPES,
				ttlSeconds: b.ttlSeconds === undefined ? undefined : b.ttlSeconds, refresh: b.refreshToken === true, appKey: b.appKey,
			});
			return {
				access_token: access.token, refresh_token: refresh?.token ?? null, account_id: a.accountId, scopes: access.scopes,
				expires_at: access.expiresAt === null ? null : new Date(access.expiresAt).toISOString(),
				expires_in: access.expiresAt === null ? null : Math.round((access.expiresAt - Date.now()) / 1000),
			};
		}
		case 'POST accounts': {
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
		}
		case 'POST accounts/suspend': {
			if (typeof b.suspended !== 'boolean') throw new AdminError(400, 'suspended: true or false');
			const a = st.setSuspended(acc(b.accountId).accountId, b.suspended);
			return { accountId: a.accountId, suspended: a.suspended };
		}
		case 'POST apps':
		case 'POST webhook': {
			const key = b.appKey ?? b.key ?? [...st.apps.keys()][0];
			const existing = st.apps.get(key);
			const app = st.addApp(key, b.appSecret ?? b.secret ?? existing?.secret ?? 'sandbox-app-secret', b.webhookUrl === undefined ? existing?.webhookUrl : b.webhookUrl ?? undefined);
			return { key: app.key, secret: app.secret, webhookUrl: app.webhookUrl ?? null };
		}
		case 'POST webhook/verify': {
			const key = b.appKey ?? [...st.apps.keys()][0];
			const target = b.url ?? st.apps.get(key)?.webhookUrl;
			if (!target) throw new AdminError(400, 'no webhook url configured');
			return st.webhooks.verify(target, b.challenge ?? Math.random().toString(36).slice(2));
		}
		case 'POST webhook/notify': {
			const a = acc(b.accountId);
			st.changed(a.accountId);
			return { ok: true };
		}
		case 'GET webhook/deliveries':
			return st.webhooks.deliveries;
		case 'POST seed': {
			const a0 = acc(b.accountId);
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
				created.push(nodeMeta(await seedFile(st, a.ns, f.path, src, { clientModified: f.clientModified, exportAs: f.exportAs, exportOptions: f.exportOptions, exportable: f.exportable })));
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
		}
		case 'GET files': {
			const a = acc(url.searchParams.get('accountId') ?? undefined);
			const out = [];
			for (const n of a.ns.byPath.values()) if (n !== a.ns.root) out.push(nodeMeta(n));
			return out;
		}
		default:
			return undefined;
	}
}
