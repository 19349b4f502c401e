/** files/list_folder, its continue, get_latest_cursor and longpoll: cursors, paged listings, changes. */
import { randomBytes } from 'node:crypto';
import { badRequest, Json, routeError } from '../errors';
import { checkPathArg, lookupNode, under, Wrap } from '../paths';
import { deletedMeta, Namespace, Node, nodeMeta, parentOf } from '../tree';
import { optBool, optInt, reqStr } from './arguments';
import type { Ctx } from './types';

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

export function listFolder(ctx: Ctx): Json {
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

export function listFolderContinue(ctx: Ctx): Json {
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

export function latestCursor(ctx: Ctx): Json {
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

/** How many recent longpolls the emulator remembers for the admin API. */
const LONGPOLLS_KEPT = 200;

export async function longpoll(ctx: Ctx): Promise<Json> {
	const cs = decodeCursor(ctx, ctx.arg.cursor, (x) => x);
	const timeout = optInt(ctx, ctx.arg.timeout, 'timeout', 30, 30, 480);
	const ns = ctx.st.namespaces.get(cs.n)!;
	const st = ctx.st;
	const seen: (typeof st.longpolls)[number] = { at: Date.now() };
	st.longpolls.push(seen);
	if (st.longpolls.length > LONGPOLLS_KEPT) st.longpolls.splice(0, st.longpolls.length - LONGPOLLS_KEPT);
	const answer = (changes: boolean): Json => {
		seen.answeredAt = Date.now();
		seen.changes = changes;
		return st.longpollBackoff === undefined ? { changes } : { changes, backoff: st.longpollBackoff };
	};
	if (cs.k !== undefined || hasChanges(ns, cs)) return answer(true);
	const maxWait = Number(process.env.DROPBOX_EMULATOR_LONGPOLL_MAX_MS ?? st.longpollMaxMs ?? Infinity);
	st.longpollsOpen++;
	return await new Promise<Json>((resolve) => {
		let done = false;
		const finish = (changes: boolean) => {
			if (done) return;
			done = true;
			st.longpollsOpen--;
			clearTimeout(timer);
			ns.listeners.delete(listener);
			ctx.res.off('close', onClose);
			resolve(answer(changes));
		};
		const listener = () => {
			if (st.epoch !== cs.e || hasChanges(ns, cs)) finish(true);
		};
		const onClose = () => finish(false);
		const timer = setTimeout(() => finish(false), Math.min(timeout * 1000, maxWait));
		ns.listeners.add(listener);
		ctx.res.on('close', onClose);
	});
}
