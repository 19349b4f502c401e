/** files/create_folder_v2 and files/create_folder_batch. */
import { badRequest, Json, routeError } from '../errors';
import { checkPathArg } from '../paths';
import { Node, nodeMeta, untagged } from '../tree';
import { optBool } from './arguments';
import { complete, launchJob } from './asyncJobs';
import type { Ctx } from './types';
import { prepareWrite, WriteFail } from './writeTarget';

function createFolderOne(ctx: Ctx, path: string, autorename: boolean): Node {
	checkPathArg(ctx, path, 'path', 'write');
	const { parent, name } = prepareWrite(ctx, path, { autorename, isFolder: true });
	const n = ctx.ns!.createFolder(parent, name);
	return n;
}

export function createFolderV2(ctx: Ctx): Json {
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

export function createFolderBatch(ctx: Ctx): Json {
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
	return launchJob(ctx, 'create_folder_batch', { entries: out }, forceAsync || paths.length > 1, complete);
}
