/** files/* routes except uploads: metadata, listing & cursors, changes, batches, search, links, revisions. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, Json, routeError } from '../errors';
import { autorenamed, checkPathArg, lookupNode, resolvePath, under, Wrap } from '../paths';
import type { State } from '../state';
import { baseName, deletedMeta, fileMeta, isoNow, Namespace, Node, nodeMeta, parentOf, untagged } from '../tree';
import type { Ctx, DownloadResult, RouteTable } from './types';
import { sendText } from '../http';
import { sendDownload } from '../sendDownload';
import { zipFolder } from '../zip';
import { httpRequest } from '../webhooks';
import { ContentHasher } from '../hash';
import { Readable } from 'node:stream';

// ---------- argument helpers ----------
export function optBool(ctx: Ctx, v: unknown, field: string, def: boolean): boolean {
	if (v === undefined || v === null) return def;
	if (typeof v !== 'boolean') throw badRequest(ctx.route, `request body: ${field}: expected boolean, got ${typeof v}`);
	return v;
}
export function optInt(ctx: Ctx, v: unknown, field: string, def: number, min: number, max: number): number {
	if (v === undefined || v === null) return def;
	if (typeof v !== 'number' || !Number.isInteger(v)) throw badRequest(ctx.route, `request body: ${field}: expected integer, got ${typeof v}`);
	if (v < min) throw badRequest(ctx.route, `request body: ${field}: ${v} is not greater than or equal to ${min}`);
	if (v > max) throw badRequest(ctx.route, `request body: ${field}: ${v} is not less than or equal to ${max}`);
	return v;
}
export function reqStr(ctx: Ctx, v: unknown, field: string): string {
	if (v === undefined) throw badRequest(ctx.route, `request body: missing required field '${field}'`);
	if (typeof v !== 'string') throw badRequest(ctx.route, `request body: ${field}: expected string, got ${typeof v}`);
	return v;
}
/** A union argument given as "tag" or {".tag": "tag"}. */
export function unionTag(ctx: Ctx, v: unknown, field: string, allowed: string[], def: string): string {
	if (v === undefined || v === null) return def;
	const t = typeof v === 'string' ? v : typeof v === 'object' ? (v as Record<string, unknown>)['.tag'] : undefined;
	if (typeof t !== 'string' || !allowed.includes(t)) throw badRequest(ctx.route, `request body: ${field}: unknown tag '${String(t)}'`);
	return t;
}

/** files/download_zip refuses folders over 20 GB, files over 4 GB (binary GB, like Dropbox quotas) and over 10,000 entries */
export const ZIP_MAX_BYTES = 20 * 1024 ** 3;
export const ZIP_MAX_FILE_BYTES = 4 * 1024 ** 3;
/** files/download_zip refuses a folder of this many entries or more (the folder itself counted) */
export const ZIP_MAX_ENTRIES = 10_000;

const jobId = (): string => 'dbjid:' + randomBytes(24).toString('base64url');

// ---------- metadata ----------
function getMetadata(ctx: Ctx): Json {
	const a = ctx.arg;
	const p = checkPathArg(ctx, a.path, 'path', 'read');
	const wrap = under('path');
	if (p.startsWith('rev:')) {
		const r = ctx.ns!.revs.get(p.slice(4));
		if (!r) throw routeError(wrap({ '.tag': 'not_found' }));
		return fileMeta(r);
	}
	const r = resolvePath(ctx, p, wrap);
	if (r.isRoot) throw badRequest(ctx.route, 'request body: path: The root folder is unsupported.');
	if (r.node) return nodeMeta(r.node);
	if (optBool(ctx, a.include_deleted, 'include_deleted', false)) {
		const d = r.ns.deleted.get(r.lower);
		if (d) return deletedMeta(d);
	}
	throw routeError(wrap({ '.tag': 'not_found' }));
}

// ---------- cursors ----------
interface CursorState {
	e: string; // epoch
	n: string; // namespace id
	p: string; // folder path lower
	r: boolean; // recursive
	d: boolean; // include_deleted
	l: number; // limit
	s: number; // seq
	k?: string; // snapshot key
	o?: number; // snapshot offset
	m?: boolean; // include_mounted_folders === false (mounted folders and their contents excluded)
	x?: boolean; // include_non_downloadable_files === false
}

/** Whether an entry at pathLower (a live node, if any) is hidden by the cursor's include_* filters. */
function filtered(c: { m?: boolean; x?: boolean }, ns: Namespace, pathLower: string, node?: Node): boolean {
	if (c.x && node?.file?.exportInfo) return true;
	if (c.m) {
		// the mount point is the top-level folder of a path in a team space root
		const top = pathLower.split('/')[1];
		const t = top === undefined ? undefined : ns.root.children!.get(top);
		if (t?.mount) return true;
	}
	return false;
}

const encodeCursor = (c: CursorState): string => 'AAE' + Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(ctx: Ctx, cursor: unknown, wrap: Wrap = (x) => x): CursorState {
	const s = reqStr(ctx, cursor, 'cursor');
	if (s.length === 0) throw badRequest(ctx.route, "request body: cursor: '' needs to be at least 1 characters");
	let c: CursorState | undefined;
	try {
		if (s.startsWith('AAE')) c = JSON.parse(Buffer.from(s.slice(3), 'base64url').toString('utf8'));
	} catch {
		c = undefined;
	}
	if (!c || typeof c !== 'object' || typeof c.s !== 'number') throw badRequest(ctx.route, 'request body: cursor: invalid cursor');
	const ns = ctx.st.namespaces.get(c.n);
	if (c.e !== ctx.st.epoch || !ns || (ctx.ns && ns !== ctx.ns) || c.s < ns.logBase - 1 || c.s > ns.seq) throw routeError(wrap({ '.tag': 'reset' }));
	return c;
}

const relevant = (c: { p: string; r: boolean }, pathLower: string, parentLower: string): boolean =>
	c.r ? c.p === '' || pathLower.startsWith(c.p + '/') : parentLower === c.p;

function listArgs(ctx: Ctx): { node: Node; recursive: boolean; includeDeleted: boolean; limit: number; noMounted: boolean; noNonDownloadable: boolean } {
	const a = ctx.arg;
	const p = checkPathArg(ctx, a.path, 'path', 'list');
	const node = lookupNode(ctx, p, under('path'), { allowRoot: true });
	if (node.tag !== 'folder') throw routeError(under('path')({ '.tag': 'not_folder' }));
	return {
		node,
		recursive: optBool(ctx, a.recursive, 'recursive', false),
		includeDeleted: optBool(ctx, a.include_deleted, 'include_deleted', false),
		limit: optInt(ctx, a.limit, 'limit', 2000, 1, 2000),
		noMounted: !optBool(ctx, a.include_mounted_folders, 'include_mounted_folders', true),
		noNonDownloadable: !optBool(ctx, a.include_non_downloadable_files, 'include_non_downloadable_files', true),
	};
}

function listFolder(ctx: Ctx): Json {
	const { node, recursive, includeDeleted, limit, noMounted, noNonDownloadable } = listArgs(ctx);
	const ns = ctx.ns!;
	const items: { node?: Node; deleted?: string }[] = [];
	const addDeleted = (folderLower: string) => {
		const set = ns.deletedByParent.get(folderLower);
		if (set) for (const pl of set) items.push({ deleted: pl });
	};
	if (recursive) {
		// the folder listed, unless it is the root where paths start (the namespace's, or a shared folder's)
		if (node !== ns.root && node !== ctx.mount) items.push({ node });
		const stack: Node[] = [node];
		while (stack.length) {
			const f = stack.pop()!;
			for (const c of f.children!.values()) {
				items.push({ node: c });
				if (c.tag === 'folder') stack.push(c);
			}
			if (includeDeleted) addDeleted(f.pathLower);
		}
		if (includeDeleted) {
			// deleted descendants of deleted folders
			for (const [pl] of ns.deleted) if ((node.pathLower === '' || pl.startsWith(node.pathLower + '/')) && !ns.byPath.has(parentOf(pl))) items.push({ deleted: pl });
		}
	} else {
		for (const c of node.children!.values()) items.push({ node: c });
		if (includeDeleted) addDeleted(node.pathLower);
	}
	const cs: CursorState = { e: ctx.st.epoch, n: ns.id, p: node.pathLower, r: recursive, d: includeDeleted, l: limit, s: ns.seq };
	if (noMounted) cs.m = true;
	if (noNonDownloadable) cs.x = true;
	return snapshotPage(ctx, ns, cs, items, 0);
}

function snapshotPage(ctx: Ctx, ns: Namespace, cs: CursorState, items: { node?: Node; deleted?: string }[], offset: number): Json {
	const entries: Json[] = [];
	let i = offset;
	for (; i < items.length && entries.length < cs.l; i++) {
		const it = items[i];
		if (it.node) {
			if (it.node.alive && !filtered(cs, ns, it.node.pathLower, it.node)) entries.push(nodeMeta(it.node));
		} else {
			const d = ns.deleted.get(it.deleted!);
			if (d && !filtered(cs, ns, d.pathLower)) entries.push(deletedMeta(d));
		}
	}
	if (i < items.length) {
		let key = cs.k;
		if (!key) {
			key = randomBytes(9).toString('base64url');
			const snaps = ctx.st.snapshots;
			snaps.set(key, { items, seq: cs.s, created: Date.now() });
			if (snaps.size > 64) snaps.delete(snaps.keys().next().value!);
		}
		return { entries, cursor: encodeCursor({ ...cs, k: key, o: i }), has_more: true };
	}
	if (cs.k) ctx.st.snapshots.delete(cs.k);
	return { entries, cursor: encodeCursor({ ...cs, k: undefined, o: undefined }), has_more: false };
}

function listFolderContinue(ctx: Ctx): Json {
	const cs = decodeCursor(ctx, ctx.arg.cursor, (x) => x);
	const ns = ctx.st.namespaces.get(cs.n)!;
	if (cs.k !== undefined) {
		const snap = ctx.st.snapshots.get(cs.k);
		if (!snap) throw routeError({ '.tag': 'reset' });
		return snapshotPage(ctx, ns, cs, snap.items, cs.o ?? 0);
	}
	// changes since cs.s
	const seen = new Set<string>();
	const entries: Json[] = [];
	let idx = cs.s + 1 - ns.logBase;
	let last = cs.s;
	for (; idx < ns.log.length && seen.size < cs.l; idx++) {
		const ch = ns.log[idx];
		last = ch.seq;
		if (!relevant(cs, ch.pathLower, ch.parentLower) || seen.has(ch.pathLower)) continue;
		seen.add(ch.pathLower);
		const n = ns.byPath.get(ch.pathLower);
		if (filtered(cs, ns, ch.pathLower, n)) continue;
		if (n) entries.push(nodeMeta(n));
		else {
			const d = ns.deleted.get(ch.pathLower);
			if (d) entries.push(deletedMeta(d));
		}
	}
	const hasMore = idx < ns.log.length;
	return { entries, cursor: encodeCursor({ ...cs, s: last }), has_more: hasMore };
}

function latestCursor(ctx: Ctx): Json {
	const { node, recursive, includeDeleted, limit, noMounted, noNonDownloadable } = listArgs(ctx);
	const ns = ctx.ns!;
	const cs: CursorState = { e: ctx.st.epoch, n: ns.id, p: node.pathLower, r: recursive, d: includeDeleted, l: limit, s: ns.seq };
	if (noMounted) cs.m = true;
	if (noNonDownloadable) cs.x = true;
	return { cursor: encodeCursor(cs) };
}

function hasChanges(ns: Namespace, cs: CursorState): boolean {
	for (let i = cs.s + 1 - ns.logBase; i < ns.log.length; i++) {
		const ch = ns.log[i];
		if (relevant(cs, ch.pathLower, ch.parentLower)) return true;
	}
	return false;
}

async function longpoll(ctx: Ctx): Promise<Json> {
	const cs = decodeCursor(ctx, ctx.arg.cursor, (x) => x);
	const timeout = optInt(ctx, ctx.arg.timeout, 'timeout', 30, 30, 480);
	const ns = ctx.st.namespaces.get(cs.n)!;
	if (cs.k !== undefined || hasChanges(ns, cs)) return { changes: true };
	const maxWait = Number(process.env.DROPBOX_EMULATOR_LONGPOLL_MAX_MS ?? ctx.st.longpollMaxMs ?? Infinity);
	return await new Promise<Json>((resolve) => {
		let done = false;
		const finish = (changes: boolean) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			ns.listeners.delete(listener);
			ctx.res.off('close', onClose);
			resolve({ changes });
		};
		const listener = () => {
			if (ctx.st.epoch !== cs.e || hasChanges(ns, cs)) finish(true);
		};
		const onClose = () => finish(false);
		const timer = setTimeout(() => finish(false), Math.min(timeout * 1000, maxWait));
		ns.listeners.add(listener);
		ctx.res.on('close', onClose);
	});
}

// ---------- writes ----------
/** Thrown by write helpers with a WriteError value; callers wrap it into their route's union. */
export class WriteFail {
	constructor(public err: Json) {}
}

/** Resolves the destination of a write: returns parent folder (created as needed) and final name. */
export function prepareWrite(ctx: Ctx, path: string, opts: { autorename: boolean; isFolder: boolean; replaceFile?: (existing: Node) => boolean }): { parent: Node; name: string; existing?: Node } {
	const wrapW: Wrap = (x) => x;
	let r;
	try {
		r = resolvePath(ctx, path, wrapW);
	} catch (e) {
		throw new WriteFail({ '.tag': 'malformed_path' });
	}
	if (r.isRoot) throw new WriteFail({ '.tag': 'disallowed_name' });
	const ns = r.ns;
	const parentLower = parentOf(r.lower);
	const parentDisplay = parentOf(r.display);
	let name = baseName(r.display);
	// ancestors
	const parent = ns.ensureFolders(parentLower, parentDisplay);
	if (parent.tag === 'file') throw new WriteFail({ '.tag': 'conflict', conflict: { '.tag': 'file_ancestor' } });
	const existing = parent.children!.get(name.toLowerCase());
	if (existing) {
		if (existing.tag === 'file' && !opts.isFolder && opts.replaceFile?.(existing)) return { parent, name: existing.name, existing };
		if (!opts.autorename) throw new WriteFail({ '.tag': 'conflict', conflict: { '.tag': existing.tag === 'file' ? 'file' : 'folder' } });
		name = autorenamed(parent, name, opts.isFolder);
	}
	return { parent, name };
}

function createFolderOne(ctx: Ctx, path: string, autorename: boolean): Node {
	checkPathArg(ctx, path, 'path', 'write');
	const { parent, name } = prepareWrite(ctx, path, { autorename, isFolder: true });
	const n = ctx.ns!.createFolder(parent, name);
	return n;
}

function createFolderV2(ctx: Ctx): Json {
	const autorename = optBool(ctx, ctx.arg.autorename, 'autorename', false);
	try {
		const n = createFolderOne(ctx, ctx.arg.path, autorename);
		ctx.ns!.notify();
		return { metadata: untagged(nodeMeta(n)) };
	} catch (e) {
		if (e instanceof WriteFail) throw routeError({ '.tag': 'path', path: e.err });
		throw e;
	}
}

function deleteOne(ctx: Ctx, path: unknown, parentRev: unknown): Json {
	const p = checkPathArg(ctx, path, 'path', 'write');
	const node = lookupNode(ctx, p, under('path_lookup'));
	if (parentRev !== undefined && parentRev !== null) {
		if (node.tag !== 'file') throw routeError({ '.tag': 'path_write', path_write: { '.tag': 'malformed_path' } });
		if (node.file!.rev !== parentRev) throw routeError({ '.tag': 'path_write', path_write: { '.tag': 'conflict', conflict: { '.tag': 'file' } } });
	}
	const meta = nodeMeta(node);
	ctx.ns!.remove(node);
	return meta;
}

function deleteV2(ctx: Ctx): Json {
	const meta = deleteOne(ctx, ctx.arg.path, ctx.arg.parent_rev);
	ctx.ns!.notify();
	return { metadata: meta };
}

/** copy/move of one entry; throws routeError with RelocationError. */
function relocateOne(ctx: Ctx, kind: 'copy' | 'move', from: unknown, to: unknown, autorename: boolean): Node {
	const fp = checkPathArg(ctx, from, 'from_path', 'relocation');
	const tp = checkPathArg(ctx, to, 'to_path', 'relocation');
	const src = lookupNode(ctx, fp, under('from_lookup'));
	const dest = resolvePath(ctx, tp, under('to'));
	if (dest.isRoot) throw routeError({ '.tag': 'to', to: { '.tag': 'disallowed_name' } });
	if (dest.lower === src.pathLower) {
		// The same path, in the same case or another: paths are case-insensitive, so from_path and
		// to_path are duplicates (RelocationError.duplicated_or_nested_paths). move_v2 and
		// move_batch_v2 say "we do not currently support case-only renaming": a case-only rename
		// is refused like any move onto itself; clients rename through a temporary name.
		throw routeError({ '.tag': 'duplicated_or_nested_paths' });
	}
	if (src.tag === 'folder' && dest.lower.startsWith(src.pathLower + '/')) {
		throw routeError({ '.tag': kind === 'copy' ? 'cant_copy_into_itself' : 'cant_move_folder_into_itself' });
	}
	let w;
	try {
		w = prepareWrite(ctx, tp, { autorename, isFolder: src.tag === 'folder' });
	} catch (e) {
		if (e instanceof WriteFail) throw routeError({ '.tag': 'to', to: e.err });
		throw e;
	}
	if (kind === 'copy') return ctx.ns!.copy(src, w.parent, w.name);
	ctx.ns!.move(src, w.parent, w.name);
	return src;
}

function relocateV2(kind: 'copy' | 'move') {
	return (ctx: Ctx): Json => {
		const n = relocateOne(ctx, kind, ctx.arg.from_path, ctx.arg.to_path, optBool(ctx, ctx.arg.autorename, 'autorename', false));
		ctx.ns!.notify();
		return { metadata: nodeMeta(n) };
	};
}

function errValue(e: unknown): Json {
	const body = (e as { body?: { error?: Json } }).body;
	if (body && typeof body === 'object' && body.error) return body.error;
	throw e;
}

function launchJob(ctx: Ctx, kind: string, result: Json, async: boolean, completeAsLaunch: (r: Json) => Json): Json {
	if (!async) return completeAsLaunch(result);
	const id = jobId();
	ctx.st.jobs.set(id, { id, accountId: ctx.account!.accountId, kind, status: 'complete', result, checks: 0 });
	return { '.tag': 'async_job_id', async_job_id: id };
}

function checkJob(kind: string, shape: (r: Json) => Json) {
	return (ctx: Ctx): Json => {
		const id = reqStr(ctx, ctx.arg.async_job_id, 'async_job_id');
		if (id.length < 1) throw badRequest(ctx.route, "request body: async_job_id: '' needs to be at least 1 characters");
		const job = ctx.st.jobs.get(id);
		if (!job || job.kind !== kind || job.accountId !== ctx.account!.accountId) throw routeError({ '.tag': 'invalid_async_job_id' });
		job.checks++;
		if (job.status === 'in_progress') return { '.tag': 'in_progress' };
		if (job.checks === 1 && ctx.st.jobFirstCheckInProgress) return { '.tag': 'in_progress' };
		if (job.status === 'failed') return { '.tag': 'failed', failed: job.result ?? null };
		return shape(job.result!);
	};
}

function batchEntries(ctx: Ctx, max: number): Record<string, unknown>[] {
	const e = ctx.arg.entries;
	if (!Array.isArray(e)) throw badRequest(ctx.route, "request body: missing required field 'entries'");
	if (e.length > max) throw badRequest(ctx.route, `request body: entries: list has ${e.length} items, more than the limit of ${max}`);
	return e;
}

function relocationBatch(kind: 'copy' | 'move') {
	return (ctx: Ctx): Json => {
		const entries = batchEntries(ctx, 1000);
		const autorename = optBool(ctx, ctx.arg.autorename, 'autorename', false);
		const out: Json[] = [];
		for (const en of entries) {
			if (ctx.st.faults.decideEntry(ctx.route)) {
				out.push({ '.tag': 'failure', failure: { '.tag': 'too_many_write_operations' } });
				continue;
			}
			try {
				const n = relocateOne(ctx, kind, en.from_path, en.to_path, autorename);
				out.push({ '.tag': 'success', success: nodeMeta(n) });
			} catch (e) {
				// RelocationBatchErrorEntry: user errors are nested under relocation_error
				out.push({ '.tag': 'failure', failure: { '.tag': 'relocation_error', relocation_error: errValue(e) } });
			}
		}
		ctx.ns!.notify();
		return launchJob(ctx, kind + '_batch', { entries: out }, entries.length > 1, (r) => ({ '.tag': 'complete', ...(r as object) }));
	};
}

function deleteBatch(ctx: Ctx): Json {
	const entries = batchEntries(ctx, 1000);
	const out: Json[] = [];
	for (const en of entries) {
		if (ctx.st.faults.decideEntry(ctx.route)) {
			out.push({ '.tag': 'failure', failure: { '.tag': 'too_many_write_operations' } });
			continue;
		}
		try {
			out.push({ '.tag': 'success', metadata: deleteOne(ctx, en.path, en.parent_rev) });
		} catch (e) {
			out.push({ '.tag': 'failure', failure: errValue(e) });
		}
	}
	ctx.ns!.notify();
	return launchJob(ctx, 'delete_batch', { entries: out }, entries.length > 1, (r) => ({ '.tag': 'complete', ...(r as object) }));
}

function createFolderBatch(ctx: Ctx): Json {
	const paths = ctx.arg.paths;
	if (!Array.isArray(paths)) throw badRequest(ctx.route, "request body: missing required field 'paths'");
	if (paths.length > 10000) throw badRequest(ctx.route, `request body: paths: list has ${paths.length} items, more than the limit of 10000`);
	const autorename = optBool(ctx, ctx.arg.autorename, 'autorename', false);
	const forceAsync = optBool(ctx, ctx.arg.force_async, 'force_async', false);
	const out: Json[] = [];
	for (const p of paths) {
		if (ctx.st.faults.decideEntry(ctx.route)) {
			// CreateFolderEntryError has no own tag for it: WriteError.too_many_write_operations under path
			out.push({ '.tag': 'failure', failure: { '.tag': 'path', path: { '.tag': 'too_many_write_operations' } } });
			continue;
		}
		try {
			out.push({ '.tag': 'success', metadata: untagged(nodeMeta(createFolderOne(ctx, p, autorename))) });
		} catch (e) {
			if (e instanceof WriteFail) out.push({ '.tag': 'failure', failure: { '.tag': 'path', path: e.err } });
			else throw e;
		}
	}
	ctx.ns!.notify();
	return launchJob(ctx, 'create_folder_batch', { entries: out }, forceAsync || paths.length > 1, (r) => ({ '.tag': 'complete', ...(r as object) }));
}

// ---------- search ----------
const CATEGORIES: Record<string, string[]> = {
	image: ['jpg', 'jpeg', 'png', 'gif', 'bmp', 'tif', 'tiff', 'heic', 'webp', 'svg', 'raw', 'psd', 'ico'],
	document: ['doc', 'docx', 'docm', 'odt', 'rtf', 'txt', 'md', 'pages', 'wpd', 'tex'],
	pdf: ['pdf'],
	spreadsheet: ['xls', 'xlsx', 'xlsm', 'ods', 'csv', 'tsv', 'numbers'],
	presentation: ['ppt', 'pptx', 'pptm', 'odp', 'key'],
	audio: ['mp3', 'wav', 'aac', 'm4a', 'flac', 'ogg', 'wma', 'aiff'],
	video: ['mp4', 'mov', 'avi', 'mkv', 'wmv', 'webm', 'm4v', 'flv', 'mpeg', 'mpg'],
	paper: ['paper'],
};
const extOf = (name: string): string => {
	const i = name.lastIndexOf('.');
	return i > 0 ? name.slice(i + 1).toLowerCase() : '';
};
function categoryOf(name: string, isFolder: boolean): string {
	if (isFolder) return 'folder';
	const e = extOf(name);
	for (const [c, exts] of Object.entries(CATEGORIES)) if (exts.includes(e)) return c;
	return 'others';
}

function searchV2(ctx: Ctx): Json {
	const a = ctx.arg;
	const query = reqStr(ctx, a.query, 'query');
	if (query.length > 1000) throw badRequest(ctx.route, 'request body: query: length more than 1000');
	const o = (a.options ?? {}) as Record<string, unknown>;
	const maxResults = optInt(ctx, o.max_results, 'options.max_results', 100, 1, 1000);
	const orderBy = unionTag(ctx, o.order_by, 'options.order_by', ['relevance', 'last_modified_time'], 'relevance');
	const fileStatus = unionTag(ctx, o.file_status, 'options.file_status', ['active', 'deleted'], 'active');
	const filenameOnly = optBool(ctx, o.filename_only, 'options.filename_only', false);
	const exts = Array.isArray(o.file_extensions) ? (o.file_extensions as string[]).map((x) => x.toLowerCase().replace(/^\./, '')) : null;
	const cats = Array.isArray(o.file_categories) ? (o.file_categories as unknown[]).map((c) => unionTag(ctx, c, 'options.file_categories', [...Object.keys(CATEGORIES), 'folder', 'others'], 'others')) : null;
	// SearchOptions: file_extensions and file_categories are "only supported for active file search"
	if (fileStatus === 'deleted' && (exts || cats)) {
		const field = exts ? 'file_extensions' : 'file_categories';
		throw routeError({ '.tag': 'invalid_argument', invalid_argument: `${field} is only supported for active file search` });
	}
	const ns = ctx.ns!;
	// in a shared folder's namespace the search covers that folder only
	let scope = ctx.mount?.pathLower ?? '';
	if (o.path !== undefined && o.path !== null) {
		const p = checkPathArg(ctx, o.path, 'options.path', 'list');
		const n = lookupNode(ctx, p, under('path'), { allowRoot: true });
		if (n.tag !== 'folder') throw routeError({ '.tag': 'path', path: { '.tag': 'not_folder' } });
		scope = n.pathLower;
	}
	const tokens = query.toLowerCase().split(/\s+/).filter(Boolean);
	if (tokens.length === 0) throw routeError({ '.tag': 'invalid_argument', invalid_argument: 'query is empty' });
	const scored: { score: number; mtime: string; meta: Json; name: string }[] = [];
	const consider = (name: string, pathLower: string, isFolder: boolean, meta: () => Json, mtime: string, contentMatch?: () => boolean) => {
		if (scope && !pathLower.startsWith(scope + '/')) return;
		if (exts && (isFolder || !exts.includes(extOf(name)))) return;
		if (cats && !cats.includes(categoryOf(name, isFolder))) return;
		const lname = name.toLowerCase();
		let score = 0;
		for (const t of tokens) {
			if (lname === t) score += 100;
			else if (lname.startsWith(t)) score += 50;
			else if (lname.split(/[\s._\-()]+/).some((w) => w.startsWith(t))) score += 30;
			else if (!filenameOnly && contentMatch?.()) score += 1;
			else return;
		}
		scored.push({ score, mtime, meta: meta(), name: lname });
	};
	if (fileStatus === 'active') {
		for (const n of ns.byPath.values()) {
			if (n === ns.root) continue;
			consider(n.name, n.pathLower, n.tag === 'folder', () => nodeMeta(n), n.file?.serverModified ?? '');
		}
	} else {
		for (const d of ns.deleted.values()) consider(d.name, d.pathLower, d.isFolder, () => deletedMeta(d), d.when);
	}
	if (orderBy === 'relevance') scored.sort((x, y) => y.score - x.score || x.name.localeCompare(y.name));
	else scored.sort((x, y) => (y.mtime > x.mtime ? 1 : y.mtime < x.mtime ? -1 : 0));
	const matches = scored.slice(0, 10000).map((s) => ({ metadata: { '.tag': 'metadata', metadata: s.meta }, match_type: { '.tag': 'filename' } }));
	return searchPage(ctx, matches, 0, maxResults, undefined);
}

function searchPage(ctx: Ctx, matches: Json[], pos: number, pageSize: number, key: string | undefined): Json {
	const page = matches.slice(pos, pos + pageSize);
	const next = pos + page.length;
	if (next < matches.length) {
		const k = key ?? randomBytes(12).toString('base64url');
		ctx.st.searches.set(k, { matches, pos: next, pageSize });
		if (ctx.st.searches.size > 200) ctx.st.searches.delete(ctx.st.searches.keys().next().value!);
		return { matches: page, has_more: true, cursor: 'SRC' + k + '.' + next };
	}
	if (key) ctx.st.searches.delete(key);
	return { matches: page, has_more: false };
}

function searchContinue(ctx: Ctx): Json {
	const c = reqStr(ctx, ctx.arg.cursor, 'cursor');
	const m = /^SRC([A-Za-z0-9_-]+)\.(\d+)$/.exec(c);
	const s = m ? ctx.st.searches.get(m[1]) : undefined;
	if (!m || !s) throw routeError({ '.tag': 'internal_error' });
	return searchPage(ctx, s.matches, Number(m[2]), s.pageSize, m[1]);
}

// ---------- download & links ----------
function fileForRead(ctx: Ctx, pathArg: unknown): { meta: Record<string, Json>; blob: string; size: number; etag: string } {
	const p = checkPathArg(ctx, pathArg, 'path', 'read');
	const wrap = under('path');
	if (p.startsWith('rev:')) {
		const r = ctx.ns!.revs.get(p.slice(4));
		if (!r) throw routeError(wrap({ '.tag': 'not_found' }));
		return { meta: untagged(fileMeta(r)), blob: r.blob, size: r.size, etag: r.rev };
	}
	const n = lookupNode(ctx, p, wrap);
	if (n.tag !== 'file') throw routeError(wrap({ '.tag': 'not_file' }));
	// non-downloadable (Paper docs, …): DownloadError / GetTemporaryLinkError unsupported_file → use files/export
	if (n.file!.exportInfo) throw routeError({ '.tag': 'unsupported_file' });
	return { meta: untagged(nodeMeta(n)), blob: n.file!.blob, size: n.file!.size, etag: n.file!.rev };
}

// ---------- export ----------
const EXPORT_EXT: Record<string, string> = { html: '.html', markdown: '.md', plain_text: '.txt', txt: '.txt', pdf: '.pdf', docx: '.docx', xlsx: '.xlsx', pptx: '.pptx' };

async function exportFile(ctx: Ctx): Promise<DownloadResult> {
	const a = ctx.arg;
	const p = checkPathArg(ctx, a.path, 'path', 'read');
	const wrap = under('path');
	let rev;
	let n: Node | undefined;
	if (p.startsWith('rev:')) {
		rev = ctx.ns!.revs.get(p.slice(4));
		if (!rev) throw routeError(wrap({ '.tag': 'not_found' }));
	} else {
		n = lookupNode(ctx, p, wrap);
		if (n.tag !== 'file') throw routeError(wrap({ '.tag': 'not_file' }));
		rev = n.file!;
	}
	const info = rev.exportInfo;
	if (!info) throw routeError({ '.tag': 'non_exportable' });
	let format = info.exportAs;
	if (a.export_format !== undefined && a.export_format !== null) {
		format = reqStr(ctx, a.export_format, 'export_format');
		if (format !== info.exportAs && !info.exportOptions.includes(format)) throw routeError({ '.tag': 'invalid_export_format' });
	}
	// the stored bytes are the document's source (markdown for Paper docs); html wraps them
	let bytes = await ctx.st.store.readAll(rev.blob);
	if (format === 'html' && /\.paper$/i.test(rev.name)) {
		const esc = bytes.toString('utf8').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
		bytes = Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${rev.name.replace(/\.paper$/i, '').replace(/[<&>]/g, '')}</title></head><body><pre>${esc}</pre></body></html>`);
	}
	const h = new ContentHasher();
	h.update(bytes);
	const dot = rev.name.lastIndexOf('.');
	const stem = dot > 0 ? rev.name.slice(0, dot) : rev.name;
	const exportMeta: Record<string, Json> = { name: stem + (EXPORT_EXT[format] ?? '.' + format), size: bytes.length, export_hash: h.digest() };
	if (/\.paper$/i.test(rev.name)) exportMeta.paper_revision = ctx.ns!.historyById.get(rev.id)?.length ?? 1;
	const fileMetadata = n ? untagged(nodeMeta(n)) : untagged(fileMeta(rev));
	return { meta: { export_metadata: exportMeta, file_metadata: fileMetadata }, stream: Readable.from([bytes]), etag: rev.rev };
}

function download(ctx: Ctx): DownloadResult {
	const f = fileForRead(ctx, ctx.arg.path);
	return { meta: f.meta, blob: { path: f.blob, size: f.size }, etag: f.etag };
}

function downloadZip(ctx: Ctx): DownloadResult {
	const p = checkPathArg(ctx, ctx.arg.path, 'path', 'read');
	const n = lookupNode(ctx, p, under('path'), { allowRoot: false });
	if (n.tag !== 'folder') throw routeError({ '.tag': 'path', path: { '.tag': 'not_folder' } });
	const count = ctx.ns!.countSubtree(n);
	// DownloadZipError.too_many_files: 10,000 entries or more, the folder itself counted
	if (count >= ZIP_MAX_ENTRIES) throw routeError({ '.tag': 'too_many_files' });
	// 20 GB cap on the folder's total size, computed from metadata (Dropbox: "The folder or a file is too large")
	const sz = ctx.ns!.subtreeBytes(n);
	if (sz.total > ZIP_MAX_BYTES || sz.largest > ZIP_MAX_FILE_BYTES) throw routeError({ '.tag': 'too_large' });
	return { meta: { metadata: untagged(nodeMeta(n)) }, stream: zipFolder(ctx.st.store, n), contentType: 'application/zip' };
}

function getTemporaryLink(ctx: Ctx): Json {
	const f = fileForRead(ctx, ctx.arg.path);
	const token = randomBytes(18).toString('base64url');
	ctx.st.tempLinks.set(token, { blob: f.blob, size: f.size, name: String(f.meta.name), expires: Date.now() + 4 * 3600 * 1000 });
	return { metadata: f.meta, link: `${ctx.st.baseUrl}/__content/temp/${token}/${encodeURIComponent(String(f.meta.name))}` };
}

/** GET /__content/temp/<token>/<name>: the bytes behind a temporary link (no auth). */
export async function serveTempLink(st: State, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
	const m = /^\/__content\/temp\/([A-Za-z0-9_-]+)/.exec(url.pathname);
	const t = m ? st.tempLinks.get(m[1]) : undefined;
	if (!t || t.expires < Date.now()) return sendText(res, 410, 'This link has expired or does not exist.');
	const ctx = { st, route: 'temp', arg: null, req, res } as Ctx;
	sendDownload(ctx, { meta: { name: t.name, size: t.size }, blob: { path: t.blob, size: t.size } });
}

// ---------- revisions ----------
function listRevisions(ctx: Ctx): Json {
	const a = ctx.arg;
	const p = checkPathArg(ctx, a.path, 'path', 'read');
	const mode = unionTag(ctx, a.mode, 'mode', ['path', 'id'], 'path');
	const limit = optInt(ctx, a.limit, 'limit', 10, 1, 100);
	const ns = ctx.ns!;
	let history;
	let isDeleted = false;
	let deletedAt: string | undefined;
	if (mode === 'id') {
		if (!p.startsWith('id:')) throw routeError({ '.tag': 'path', path: { '.tag': 'malformed_path' } });
		history = ns.historyById.get(p.split('/')[0]);
		if (!history) throw routeError({ '.tag': 'path', path: { '.tag': 'not_found' } });
		isDeleted = !ns.byId.has(p.split('/')[0]);
	} else {
		const r = resolvePath(ctx, p, under('path'));
		if (r.node && r.node.tag === 'folder') throw routeError({ '.tag': 'path', path: { '.tag': 'not_file' } });
		history = ns.historyByPath.get(r.lower);
		if (!history) throw routeError({ '.tag': 'path', path: { '.tag': 'not_found' } });
		if (!r.node) {
			isDeleted = true;
			deletedAt = ns.deleted.get(r.lower)?.when;
		}
	}
	// before_rev (path mode only): the revisions older than that one, for the next page
	let older = history;
	if (a.before_rev !== undefined && a.before_rev !== null) {
		const before = reqStr(ctx, a.before_rev, 'before_rev');
		if (!/^[0-9a-f]{9,}$/.test(before)) throw badRequest(ctx.route, `request body: before_rev: '${before}' did not match pattern '[0-9a-f]+'`);
		if (mode !== 'path') throw routeError({ '.tag': 'before_rev_not_supported' });
		const at = history.findIndex((r) => r.rev === before);
		if (at < 0) throw routeError({ '.tag': 'invalid_before_rev' });
		older = history.slice(0, at);
	}
	const entries = older.slice(-limit).reverse().map((r) => untagged(fileMeta(r)));
	// ListRevisionsResult.has_more: more (older) revisions than this page holds
	const out: Record<string, Json> = { is_deleted: isDeleted, entries, has_more: older.length > limit };
	if (deletedAt) out.server_deleted = deletedAt;
	return out;
}

function restore(ctx: Ctx): Json {
	// RestoreArg.path is a WritePath: a path or ns:, never id: (400, like Dropbox's argument validation)
	const p = checkPathArg(ctx, ctx.arg.path, 'path', 'writePath');
	const rev = reqStr(ctx, ctx.arg.rev, 'rev');
	if (!/^[0-9a-f]{9,}$/.test(rev)) throw badRequest(ctx.route, `request body: rev: '${rev}' did not match pattern '[0-9a-f]+'`);
	const r = ctx.ns!.revs.get(rev);
	if (!r) throw routeError({ '.tag': 'invalid_revision' });
	let w;
	try {
		w = prepareWrite(ctx, p, { autorename: false, isFolder: false, replaceFile: () => true });
	} catch (e) {
		if (e instanceof WriteFail) throw routeError({ '.tag': 'path_write', path_write: e.err });
		throw e;
	}
	const n = ctx.ns!.writeFile(w.parent, w.name, { blob: r.blob, size: r.size, contentHash: r.contentHash, clientModified: r.clientModified }, w.existing);
	ctx.ns!.notify();
	return untagged(nodeMeta(n));
}

// ---------- save_url ----------
function saveUrl(ctx: Ctx): Json {
	// SaveUrlArg.path is a Path: "/…" only, neither id: nor ns: (400)
	const p = checkPathArg(ctx, ctx.arg.path, 'path', 'path');
	const url = reqStr(ctx, ctx.arg.url, 'url');
	// a malformed or non-http(s) URL fails at launch (SaveUrlError.invalid_url); download_failed is for fetch failures
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname || /\s/.test(url)) {
		throw routeError({ '.tag': 'invalid_url' });
	}
	// SaveUrlArg has no write mode nor autorename: something at the path is SaveUrlError.path
	// (WriteError conflict), at launch or, if it appeared meanwhile, as the failed job's error
	try {
		prepareWrite(ctx, p, { autorename: false, isFolder: false, replaceFile: () => false });
	} catch (e) {
		if (e instanceof WriteFail) throw routeError({ '.tag': 'path', path: e.err });
		throw e;
	}
	const id = jobId();
	const st = ctx.st;
	const job = { id, accountId: ctx.account!.accountId, kind: 'save_url', status: 'in_progress' as 'in_progress' | 'complete' | 'failed', result: undefined as Json | undefined, checks: 0 };
	st.jobs.set(id, job);
	const ns = ctx.ns!;
	void (async () => {
		try {
			const fetched = await fetchToBlob(st, url);
			const c2 = { ...ctx, ns } as Ctx;
			const w = prepareWrite(c2, p, { autorename: false, isFolder: false, replaceFile: () => false });
			const n = ns.writeFile(w.parent, w.name, fetched);
			ns.notify();
			job.status = 'complete';
			job.result = untagged(nodeMeta(n));
		} catch (e) {
			job.status = 'failed';
			job.result = { '.tag': e instanceof WriteFail ? 'path' : 'download_failed', ...(e instanceof WriteFail ? { path: e.err } : {}) };
		}
	})();
	return { '.tag': 'async_job_id', async_job_id: id };
}

async function fetchToBlob(st: State, url: string, redirects = 5): Promise<{ blob: string; size: number; contentHash: string }> {
	const u = new URL(url);
	const mod = u.protocol === 'https:' ? await import('node:https') : await import('node:http');
	return await new Promise((resolve, reject) => {
		const req = mod.get(u, { timeout: 30_000, rejectUnauthorized: false }, (res) => {
			const code = res.statusCode ?? 0;
			if (code >= 300 && code < 400 && res.headers.location && redirects > 0) {
				res.resume();
				fetchToBlob(st, new URL(res.headers.location, u).toString(), redirects - 1).then(resolve, reject);
				return;
			}
			if (code !== 200) {
				res.resume();
				reject(new Error('status ' + code));
				return;
			}
			const hasher = new ContentHasher();
			st.store.receive(res, { limit: 20 * 1024 ** 3, hasher }).then((r) => resolve({ ...r, contentHash: hasher.digest() }), reject);
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
	});
}

export function filesRoutes(): RouteTable {
	const complete = (r: Json) => ({ '.tag': 'complete', ...(r as object) });
	return {
		'files/get_metadata': { handler: getMetadata },
		'files/list_folder': { handler: listFolder },
		'files/list_folder/continue': { handler: listFolderContinue },
		'files/list_folder/get_latest_cursor': { handler: latestCursor },
		'files/list_folder/longpoll': { handler: longpoll },
		'files/create_folder_v2': { handler: createFolderV2 },
		'files/delete_v2': { handler: deleteV2 },
		'files/copy_v2': { handler: relocateV2('copy') },
		'files/move_v2': { handler: relocateV2('move') },
		'files/copy_batch_v2': { handler: relocationBatch('copy') },
		'files/copy_batch/check_v2': { handler: checkJob('copy_batch', complete) },
		'files/move_batch_v2': { handler: relocationBatch('move') },
		'files/move_batch/check_v2': { handler: checkJob('move_batch', complete) },
		'files/delete_batch': { handler: deleteBatch },
		'files/delete_batch/check': { handler: checkJob('delete_batch', complete) },
		'files/create_folder_batch': { handler: createFolderBatch },
		'files/create_folder_batch/check': { handler: checkJob('create_folder_batch', complete) },
		'files/search_v2': { handler: searchV2 },
		'files/search/continue_v2': { handler: searchContinue },
		'files/download': { handler: download },
		'files/download_zip': { handler: downloadZip },
		'files/export': { handler: exportFile },
		'files/get_temporary_link': { handler: getTemporaryLink },
		'files/list_revisions': { handler: listRevisions },
		'files/restore': { handler: restore },
		'files/save_url': { handler: saveUrl },
		'files/save_url/check_job_status': { handler: checkJob('save_url', complete) },
	};
}

export { isoNow };
