/**
 * files/lock_file_batch, files/unlock_file_batch, files/get_file_lock_batch (files.stone): a file
 * is locked by one account; the answer is a LockFileBatchResult at once (no async job), one
 * LockFileResultEntry per entry, in order. Folders cannot be locked (cannot_be_locked); a lock
 * held by another account is a lock_conflict for lock and unlock, and a file it holds cannot be
 * moved or deleted (locked). An upload over it is not refused: the spec gives UploadError no
 * lock member (WriteError has none), so what Dropbox answers there is not known.
 */
import { badRequest, routeError, type Json } from '../errors';
import { lookupNode, under } from '../paths';
import { isoNow, nodeMeta, type Node } from '../tree';
import type { Ctx } from './types';

/** The most entries one lock batch takes here (the spec sets none; more is too_many_files). */
export const MAX_LOCK_ENTRIES = 1000;

type Action = 'lock' | 'unlock' | 'get';

function lockOf(node: Node): Json {
	const lock = node.lock;
	if (!lock) return { content: { '.tag': 'unlocked' } };
	return { content: { '.tag': 'single_user', created: lock.created, lock_holder_account_id: lock.accountId } };
}

/** FileMetadata with file_lock_info, as Dropbox gives it for a locked file. */
function metaWithLock(ctx: Ctx, node: Node): Json {
	const meta = nodeMeta(node);
	if (node.lock) {
		meta.file_lock_info = {
			is_lockholder: node.lock.accountId === ctx.account!.accountId,
			lockholder_name: node.lock.holderName,
			lockholder_account_id: node.lock.accountId,
			created: node.lock.created,
		};
	}
	return meta;
}

/**
 * A file locked by another account cannot be moved or deleted: LookupError.locked ("The given path
 * is locked") under the route's lookup member (DeleteError.path_lookup, RelocationError.from_lookup).
 */
export function refuseIfLockedByOther(ctx: Ctx, node: Node, wrap: (error: Json) => Json): void {
	if (node.lock && node.lock.accountId !== ctx.account!.accountId) throw routeError(wrap({ '.tag': 'locked' }));
}

function conflict(node: Node): never {
	throw routeError({ '.tag': 'lock_conflict', lock_conflict: { lock: lockOf(node) } });
}

function one(ctx: Ctx, action: Action, path: string): Json {
	const node = lookupNode(ctx, path, under('path_lookup'));
	if (node.tag !== 'file') throw routeError({ '.tag': 'cannot_be_locked' });
	const mine = node.lock?.accountId === ctx.account!.accountId;
	if (action === 'lock') {
		if (node.lock && !mine) conflict(node);
		if (!node.lock) {
			const a = ctx.account!;
			node.lock = { created: isoNow(), accountId: a.accountId, holderName: `${a.givenName} ${a.surname}` };
		}
	} else if (action === 'unlock') {
		if (node.lock && !mine) conflict(node);
		delete node.lock;
	}
	return { metadata: metaWithLock(ctx, node), lock: lockOf(node) };
}

export function lockBatch(action: Action) {
	return (ctx: Ctx): Json => {
		const entries = ctx.arg.entries as Array<{ path: string }>;
		if (entries.length > MAX_LOCK_ENTRIES) throw routeError({ '.tag': 'too_many_files' });
		if (entries.length === 0) throw badRequest(ctx.route, 'request body: entries: list is empty');
		const out: Json[] = entries.map((entry) => {
			if (action !== 'get' && ctx.st.faults.decideEntry(ctx.route)) return { '.tag': 'failure', failure: { '.tag': 'too_many_write_operations' } };
			try {
				return { '.tag': 'success', ...(one(ctx, action, entry.path) as Record<string, Json>) };
			} catch (e) {
				const body = (e as { body?: { error?: Json } }).body;
				if (body && typeof body === 'object' && body.error) return { '.tag': 'failure', failure: body.error };
				throw e;
			}
		});
		return { entries: out };
	};
}
