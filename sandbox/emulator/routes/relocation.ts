/** files/copy_v2, move_v2, delete_v2 and their batches (copy_batch_v2, move_batch_v2, delete_batch). */
import { badRequest, Json, routeError } from '../errors';
import { checkPathArg, lookupNode, resolvePath, under } from '../paths';
import { Node, nodeMeta } from '../tree';
import { optBool } from './arguments';
import { complete, launchJob } from './asyncJobs';
import type { Ctx } from './types';
import { refuseIfLockedByOther } from './locks';
import { prepareWrite, WriteFail } from './writeTarget';

function deleteOne(ctx: Ctx, path: unknown, parentRev: unknown): Json {
	const p = checkPathArg(ctx, path, 'path', 'write');
	const node = lookupNode(ctx, p, under('path_lookup'));
	refuseIfLockedByOther(ctx, node, under('path_lookup'));
	if (parentRev !== undefined && parentRev !== null) {
		if (node.tag !== 'file') throw routeError({ '.tag': 'path_write', path_write: { '.tag': 'malformed_path' } });
		if (node.file!.rev !== parentRev) throw routeError({ '.tag': 'path_write', path_write: { '.tag': 'conflict', conflict: { '.tag': 'file' } } });
	}
	const meta = nodeMeta(node);
	ctx.ns!.remove(node);
	return meta;
}

export function deleteV2(ctx: Ctx): Json {
	const meta = deleteOne(ctx, ctx.arg.path, ctx.arg.parent_rev);
	ctx.ns!.notify();
	return { metadata: meta };
}

/** copy/move of one entry; throws routeError with RelocationError. */
function relocateOne(ctx: Ctx, kind: 'copy' | 'move', from: unknown, to: unknown, autorename: boolean): Node {
	const fp = checkPathArg(ctx, from, 'from_path', 'relocation');
	const tp = checkPathArg(ctx, to, 'to_path', 'relocation');
	const src = lookupNode(ctx, fp, under('from_lookup'));
	if (kind === 'move') refuseIfLockedByOther(ctx, src, under('from_lookup'));
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

export function relocateV2(kind: 'copy' | 'move') {
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

function batchEntries(ctx: Ctx, max: number): Record<string, unknown>[] {
	const e = ctx.arg.entries;
	if (!Array.isArray(e)) throw badRequest(ctx.route, "request body: missing required field 'entries'");
	if (e.length > max) throw badRequest(ctx.route, `request body: entries: list has ${e.length} items, more than the limit of ${max}`);
	return e;
}

/**
 * One result per batch entry: `one`'s, its error as `failure`, or too_many_write_operations where the
 * fault injector contends for the entry (rate-entry-contention); the namespace notified once after.
 */
function entryResults(ctx: Ctx, entries: Record<string, unknown>[], one: (en: Record<string, unknown>) => Json, failure: (e: unknown) => Json): Json[] {
	const out: Json[] = [];
	for (const en of entries) {
		if (ctx.st.faults.decideEntry(ctx.route)) {
			out.push({ '.tag': 'failure', failure: { '.tag': 'too_many_write_operations' } });
			continue;
		}
		try {
			out.push(one(en));
		} catch (e) {
			out.push({ '.tag': 'failure', failure: failure(e) });
		}
	}
	ctx.ns!.notify();
	return out;
}

export function relocationBatch(kind: 'copy' | 'move') {
	return (ctx: Ctx): Json => {
		const entries = batchEntries(ctx, 1000);
		const autorename = optBool(ctx, ctx.arg.autorename, 'autorename', false);
		const out = entryResults(
			ctx,
			entries,
			(en) => ({ '.tag': 'success', success: nodeMeta(relocateOne(ctx, kind, en.from_path, en.to_path, autorename)) }),
			// RelocationBatchErrorEntry: user errors are nested under relocation_error
			(e) => ({ '.tag': 'relocation_error', relocation_error: errValue(e) }),
		);
		return launchJob(ctx, kind + '_batch', { entries: out }, entries.length > 1, complete);
	};
}

export function deleteBatch(ctx: Ctx): Json {
	const entries = batchEntries(ctx, 1000);
	const out = entryResults(ctx, entries, (en) => ({ '.tag': 'success', metadata: deleteOne(ctx, en.path, en.parent_rev) }), errValue);
	return launchJob(ctx, 'delete_batch', { entries: out }, entries.length > 1, complete);
}
