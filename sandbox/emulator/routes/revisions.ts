/** files/list_revisions and files/restore. */
import { badRequest, Json, routeError } from '../errors';
import { checkPathArg, resolvePath, under } from '../paths';
import { fileMeta, nodeMeta, untagged } from '../tree';
import { optInt, reqStr, unionTag } from './arguments';
import type { Ctx } from './types';
import { prepareWrite, WriteFail } from './writeTarget';

export function listRevisions(ctx: Ctx): Json {
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

export function restore(ctx: Ctx): Json {
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
