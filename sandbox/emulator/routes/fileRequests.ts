/**
 * file_requests/create, get, list_v2 (list:2), list, list/continue, update, delete, count,
 * delete_all_closed (file_requests.stone): requests kept per account, each with an ID of 20
 * letters and digits, its URL https://www.dropbox.com/request/<id>, a destination folder (made
 * when missing, as Dropbox's "Request files" does; a file there is not_a_folder), an optional
 * deadline (FileRequestDeadline with a GracePeriod), open or closed. Only closed requests can be
 * deleted (file_request_open). `file_count` counts the files that landed directly in the
 * destination folder since the request was made (or its destination changed): the emulator has
 * no upload page, so a file written there by any route counts. The arguments' types (FileRequestId,
 * title min_length 1, Path, DropboxTimestamp, GracePeriod) are checked against the spec first.
 */
import { randomBytes } from 'node:crypto';
import { routeError, type Json } from '../errors';
import { resolvePath, type Wrap } from '../paths';
import type { FileRequestRec } from '../records';
import type { State } from '../state';
import { isoNow, type Namespace, type Node } from '../tree';
import type { Ctx } from './types';

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function newRequestId(): string {
	return [...randomBytes(20)].map((b) => ID_CHARS[b % ID_CHARS.length]).join('');
}

const fail = (tag: string): never => {
	throw routeError({ '.tag': tag });
};

/** A destination path that Dropbox cannot use ("disallowed characters in the destination path"). */
const invalidPath: Wrap = () => ({ '.tag': 'validation_error' });

/** The account's request with this ID, or not_found. */
function requestOf(ctx: Ctx, id: string): FileRequestRec {
	const r = ctx.st.fileRequests.get(id);
	if (!r || r.accountId !== ctx.account!.accountId) fail('not_found');
	return r!;
}

function folderOf(st: State, r: FileRequestRec): { ns?: Namespace; node?: Node } {
	const ns = st.namespaces.get(r.nsId);
	const node = ns?.byId.get(r.folderId);
	return { ns, node: node?.alive && node.tag === 'folder' ? node : undefined };
}

const fileIdsIn = (folder: Node): string[] => [...folder.children!.values()].filter((c) => c.tag === 'file').map((c) => c.id);

/**
 * The folder a destination names, made (with its parents) when nothing is there; a file there is
 * not_a_folder, the root and malformed paths are refused with `rootTag` / validation_error.
 */
function destinationFolder(ctx: Ctx, path: string, rootTag: string): Node {
	const r = resolvePath(ctx, path, invalidPath);
	if (r.isRoot) fail(rootTag);
	if (r.node) {
		if (r.node.tag !== 'folder') fail('not_a_folder');
		return r.node;
	}
	const made = r.ns.ensureFolders(r.lower, r.display);
	if (made.tag !== 'folder') fail('not_a_folder');
	r.ns.notify();
	return made;
}

function setDestination(ctx: Ctx, rec: FileRequestRec, folder: Node): void {
	rec.nsId = ctx.ns!.id;
	rec.folderId = folder.id;
	rec.filesBefore = fileIdsIn(folder);
}

/** The destination as the caller's paths see it (relative to a shared folder named by the Path-Root header). */
function shownPath(ctx: Ctx, node: Node): string {
	const mount = ctx.mount;
	return mount && node.pathLower.startsWith(mount.pathLower + '/') ? node.pathDisplay.slice(mount.pathDisplay.length) : node.pathDisplay;
}

/** A FileRequest as the spec describes it; `destination` null once the folder is gone. */
function requestMeta(ctx: Ctx, r: FileRequestRec): Json {
	const { node } = folderOf(ctx.st, r);
	const before = new Set(r.filesBefore);
	const out: Record<string, Json> = {
		id: r.id,
		url: `https://www.dropbox.com/request/${r.id}`,
		title: r.title,
		destination: node ? shownPath(ctx, node) : null,
		created: r.created,
		is_open: r.isOpen,
		file_count: node ? fileIdsIn(node).filter((id) => !before.has(id)).length : 0,
	};
	if (r.deadline) out.deadline = r.deadline;
	if (r.description !== undefined) out.description = r.description;
	if (r.videoProjectId !== undefined) out.video_project_id = r.videoProjectId;
	return out;
}

/** FileRequestDeadline: the timestamp must be in the future (Dropbox offers no past deadline). */
function deadlineOf(arg: Record<string, Json>): FileRequestRec['deadline'] {
	const when = arg.deadline as string;
	if (Date.parse(when) <= Date.now()) fail('validation_error');
	const grace = arg.allow_late_uploads;
	const tag = typeof grace === 'string' ? grace : grace && typeof grace === 'object' ? (grace as Record<string, Json>)['.tag'] : undefined;
	return tag ? { deadline: when, allow_late_uploads: { '.tag': tag as string } } : { deadline: when };
}

/** A title that is only spaces is "invalid" (validation_error); the spec checks min_length 1. */
function titleOf(title: unknown): string {
	const t = String(title);
	if (t.trim() === '') fail('validation_error');
	return t;
}

export function create(ctx: Ctx): Json {
	const a = ctx.arg as Record<string, Json>;
	const title = titleOf(a.title);
	const deadline = a.deadline ? deadlineOf(a.deadline as Record<string, Json>) : undefined;
	const folder = destinationFolder(ctx, a.destination as string, 'invalid_location');
	const rec: FileRequestRec = {
		id: newRequestId(),
		accountId: ctx.account!.accountId,
		title,
		created: isoNow(),
		isOpen: a.open !== false,
		nsId: '',
		folderId: '',
		filesBefore: [],
	};
	if (deadline) rec.deadline = deadline;
	if (typeof a.description === 'string') rec.description = a.description;
	if (typeof a.video_project_id === 'string') rec.videoProjectId = a.video_project_id;
	setDestination(ctx, rec, folder);
	ctx.st.fileRequests.set(rec.id, rec);
	return requestMeta(ctx, rec);
}

export function get(ctx: Ctx): Json {
	return requestMeta(ctx, requestOf(ctx, ctx.arg.id as string));
}

/** UpdateFileRequestArgs: only what is given changes; deadline no_update / update (null clears it). */
export function update(ctx: Ctx): Json {
	const a = ctx.arg as Record<string, Json>;
	const rec = requestOf(ctx, a.id as string);
	const title = a.title === undefined || a.title === null ? undefined : titleOf(a.title);
	const d = a.deadline as Record<string, Json> | string | undefined | null;
	const dTag = typeof d === 'string' ? d : d?.['.tag'];
	let deadline: FileRequestRec['deadline'] | null | undefined;
	if (dTag === 'update') {
		const value = typeof d === 'object' && d ? d.update : undefined;
		deadline = value ? deadlineOf(value as Record<string, Json>) : null;
	}
	const folder = a.destination === undefined || a.destination === null ? undefined : destinationFolder(ctx, a.destination as string, 'validation_error');
	if (title !== undefined) rec.title = title;
	if (folder && folder.id !== rec.folderId) setDestination(ctx, rec, folder);
	if (deadline === null) delete rec.deadline;
	else if (deadline) rec.deadline = deadline;
	if (typeof a.open === 'boolean') rec.isOpen = a.open;
	if (typeof a.description === 'string') rec.description = a.description;
	return requestMeta(ctx, rec);
}

const mine = (ctx: Ctx): FileRequestRec[] => [...ctx.st.fileRequests.values()].filter((r) => r.accountId === ctx.account!.accountId);

/** Deletes the closed requests named; nothing is deleted when one is unknown (not_found) or open (file_request_open). */
export function remove(ctx: Ctx): Json {
	const ids = ctx.arg.ids as string[];
	const recs = [...new Set(ids)].map((id) => requestOf(ctx, id));
	if (recs.some((r) => r.isOpen)) fail('file_request_open');
	for (const r of recs) ctx.st.fileRequests.delete(r.id);
	return { file_requests: recs.map((r) => requestMeta(ctx, r)) };
}

export function deleteAllClosed(ctx: Ctx): Json {
	const closed = mine(ctx).filter((r) => !r.isOpen);
	for (const r of closed) ctx.st.fileRequests.delete(r.id);
	return { file_requests: closed.map((r) => requestMeta(ctx, r)) };
}

export function count(ctx: Ctx): Json {
	return { file_request_count: mine(ctx).length };
}

/** A page cursor: the account, where the next page starts, the page size, and the emulator's epoch (a reset state refuses it). */
interface PageCursor {
	a: string;
	o: number;
	l: number;
	e: string;
}

function page(ctx: Ctx, offset: number, limit: number): Json {
	const all = mine(ctx);
	const slice = all.slice(offset, offset + limit);
	const next: PageCursor = { a: ctx.account!.accountId, o: offset + slice.length, l: limit, e: ctx.st.epoch };
	return {
		file_requests: slice.map((r) => requestMeta(ctx, r)),
		cursor: Buffer.from(JSON.stringify(next)).toString('base64url'),
		has_more: offset + slice.length < all.length,
	};
}

/** list:2 (ListFileRequestsArg.limit, default 1000). */
export function listV2(ctx: Ctx): Json {
	const limit = Number(ctx.arg?.limit ?? 1000);
	return page(ctx, 0, Math.max(1, limit));
}

/** list (v1, no arguments): every request in one answer. */
export function listAll(ctx: Ctx): Json {
	return { file_requests: mine(ctx).map((r) => requestMeta(ctx, r)) };
}

export function listContinue(ctx: Ctx): Json {
	let cursor: PageCursor | undefined;
	try {
		cursor = JSON.parse(Buffer.from(String(ctx.arg.cursor), 'base64url').toString('utf8')) as PageCursor;
	} catch {
		cursor = undefined;
	}
	if (!cursor || cursor.a !== ctx.account!.accountId || cursor.e !== ctx.st.epoch || !Number.isInteger(cursor.o) || !Number.isInteger(cursor.l)) {
		fail('invalid_cursor');
	}
	return page(ctx, cursor!.o, cursor!.l);
}
