/** files/get_metadata. */
import { badRequest, Json, routeError } from '../errors';
import { checkPathArg, resolvePath, under } from '../paths';
import { deletedMeta, fileMeta, nodeMeta } from '../tree';
import { optBool } from './arguments';
import type { Ctx } from './types';

export function getMetadata(ctx: Ctx): Json {
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
