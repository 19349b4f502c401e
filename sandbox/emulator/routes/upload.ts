/** files/upload and upload sessions (sequential and concurrent), streamed to disk. */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { badRequest, Json, routeError } from '../errors';
import { checkPathArg } from '../paths';
import { BLOCK_SIZE, ContentHasher, contentHashOfBlocks } from '../hash';
import { TooLarge } from '../store';
import type { UploadSession } from '../records';
import { Node, nodeMeta, untagged } from '../tree';
import { optBool, reqStr } from './arguments';
import { complete } from './asyncJobs';
import type { Ctx } from './types';
import { prepareWrite, WriteFail } from './writeTarget';

const MAX_FILE = 2 ** 41 - 2 ** 22;

/** Streams the request's body into the blob store (at most maxRequestBytes), counted in `calls.uploadedBytes`. */
function receiveBody(ctx: Ctx, opts: Omit<Parameters<Ctx['st']['store']['receive']>[1], 'limit' | 'onData'>) {
	return ctx.st.store.receive(ctx.req, { ...opts, limit: ctx.st.maxRequestBytes, onData: (bytes) => ctx.st.countReceived(bytes) });
}

interface Content {
	blob: string;
	size: number;
	contentHash: string;
}

function parseMode(ctx: Ctx, m: unknown): { mode: 'add' | 'overwrite' | 'update'; rev?: string } {
	if (m === undefined || m === null) return { mode: 'add' };
	const tag = typeof m === 'string' ? m : (m as Record<string, unknown>)['.tag'];
	if (tag === 'add' || tag === 'overwrite') return { mode: tag };
	if (tag === 'update') {
		const rev = typeof m === 'object' ? (m as Record<string, unknown>).update : undefined;
		if (typeof rev !== 'string') throw badRequest(ctx.route, "mode: missing required field 'update'");
		if (!/^[0-9a-f]{9,}$/.test(rev)) throw badRequest(ctx.route, `mode: update: '${rev}' did not match pattern '[0-9a-f]+'`);
		return { mode: 'update', rev };
	}
	throw badRequest(ctx.route, `mode: unknown tag '${String(tag)}'`);
}

function validClientModified(ctx: Ctx, v: unknown): string | undefined {
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(v)) {
		throw badRequest(ctx.route, `client_modified: time data '${String(v)}' does not match format '%Y-%m-%dT%H:%M:%SZ'`);
	}
	return v;
}

/** Validates the commit info before any byte is stored (400s come first, as on Dropbox). */
function checkCommit(ctx: Ctx, c: Record<string, unknown>): void {
	if (!c || typeof c !== 'object') throw badRequest(ctx.route, "missing required field 'commit'");
	checkPathArg(ctx, c.path, 'path', 'write', 'HTTP header "Dropbox-API-Arg"');
	parseMode(ctx, c.mode);
	validClientModified(ctx, c.client_modified);
	optBool(ctx, c.autorename, 'autorename', false);
	optBool(ctx, c.strict_conflict, 'strict_conflict', false);
}

/** Commits content at a path following CommitInfo; throws WriteFail. */
export function commitFile(ctx: Ctx, c: Record<string, unknown>, content: Content): Node {
	const path = c.path as string;
	const { mode, rev } = parseMode(ctx, c.mode);
	const autorename = c.autorename === true;
	const strict = c.strict_conflict === true;
	let same = false;
	const w = prepareWrite(ctx, path, {
		autorename,
		isFolder: false,
		replaceFile: (existing) => {
			same = existing.file!.contentHash === content.contentHash;
			if (mode === 'overwrite') return true;
			if (mode === 'add') return same;
			return existing.file!.rev === rev;
		},
	});
	if (w.existing && same && mode !== 'update') return w.existing;
	if (mode === 'update' && !w.existing && strict && w.name === (path.split('/').pop() ?? '')) {
		throw new WriteFail({ '.tag': 'conflict', conflict: { '.tag': 'file' } });
	}
	const n = ctx.ns!.writeFile(w.parent, w.name, { ...content, clientModified: validClientModified(ctx, c.client_modified) }, w.existing);
	return n;
}

/** Whether the request's content_hash argument (if any) is the hash of its bytes; finishes `h`. */
function checkHash(ctx: Ctx, given: unknown, h: ContentHasher): boolean {
	const actual = h.digest();
	if (given === undefined || given === null) return true;
	if (typeof given !== 'string' || given.length !== 64) throw badRequest(ctx.route, `content_hash: '${String(given)}' length must be 64`);
	return given === actual;
}

export async function upload(ctx: Ctx): Promise<Json> {
	const a = ctx.arg;
	checkCommit(ctx, a);
	const hasher = new ContentHasher();
	let got;
	try {
		got = await receiveBody(ctx, { hasher });
	} catch (e) {
		if (e instanceof TooLarge) throw routeError({ '.tag': 'payload_too_large' });
		throw e;
	}
	const contentHash = hasher.digest();
	if (a.content_hash !== undefined && a.content_hash !== null) {
		if (typeof a.content_hash !== 'string' || a.content_hash.length !== 64) throw badRequest(ctx.route, `content_hash: '${String(a.content_hash)}' length must be 64`);
		if (a.content_hash !== contentHash) {
			void ctx.st.store.remove(got.blob);
			throw routeError({ '.tag': 'content_hash_mismatch' });
		}
	}
	try {
		const n = commitFile(ctx, a, { blob: got.blob, size: got.size, contentHash });
		ctx.ns!.notify();
		return untagged(nodeMeta(n));
	} catch (e) {
		if (e instanceof WriteFail) throw routeError({ '.tag': 'path', reason: e.err, upload_session_id: 'pid_upload_session:' + randomBytes(12).toString('base64url') });
		throw e;
	}
}

const sessionId = (): string => 'pid_upload_session:' + randomBytes(24).toString('base64url');

export async function start(ctx: Ctx): Promise<Json> {
	const a = ctx.arg;
	const close = optBool(ctx, a.close, 'close', false);
	const type = a.session_type === undefined || a.session_type === null ? 'sequential' : typeof a.session_type === 'string' ? a.session_type : a.session_type['.tag'];
	if (type !== 'sequential' && type !== 'concurrent') throw badRequest(ctx.route, `session_type: unknown tag '${type}'`);
	const s: UploadSession = {
		id: sessionId(), accountId: ctx.account!.accountId, type, offset: 0, closed: close, parts: new Map(), writing: [], created: Date.now(), busy: false,
	};
	if (type === 'concurrent') {
		const body = await drainCount(ctx);
		if (body > 0) throw routeError({ '.tag': 'concurrent_session_data_not_allowed' });
		if (close) throw routeError({ '.tag': 'concurrent_session_close_not_allowed' });
		s.blob = ctx.st.store.newEmpty();
	} else {
		s.hasher = new ContentHasher();
		const req = new ContentHasher();
		try {
			const got = await receiveBody(ctx, { hasher: s.hasher, requestHasher: req });
			s.blob = got.blob;
			s.offset = got.size;
		} catch (e) {
			if (e instanceof TooLarge) throw routeError({ '.tag': 'payload_too_large' });
			throw e;
		}
		if (!checkHash(ctx, a.content_hash, req)) {
			void ctx.st.store.remove(s.blob!);
			throw routeError({ '.tag': 'content_hash_mismatch' });
		}
	}
	ctx.st.sessions.set(s.id, s);
	return { session_id: s.id };
}

function drainCount(ctx: Ctx): Promise<number> {
	return new Promise((resolve, reject) => {
		let n = 0;
		ctx.req.on('data', (c: Buffer) => {
			n += c.length;
			ctx.st.countReceived(c.length);
		});
		ctx.req.on('end', () => resolve(n));
		ctx.req.on('error', reject);
	});
}

function lookupSession(ctx: Ctx, cursor: unknown): { s: UploadSession; offset: number } {
	if (!cursor || typeof cursor !== 'object') throw badRequest(ctx.route, "missing required field 'cursor'");
	const c = cursor as Record<string, unknown>;
	const id = reqStr(ctx, c.session_id, 'cursor.session_id');
	if (typeof c.offset !== 'number' || !Number.isInteger(c.offset) || c.offset < 0) throw badRequest(ctx.route, "cursor: missing required field 'offset'");
	const s = ctx.st.sessions.get(id);
	if (!s || s.accountId !== ctx.account!.accountId || Date.now() - s.created > 7 * 86400_000) throw new LookupFail({ '.tag': 'not_found' });
	return { s, offset: c.offset };
}

class LookupFail {
	constructor(public err: Json) {}
}

/** Appends request data to a session; throws LookupFail (UploadSessionLookupError) or content_hash. */
async function appendData(ctx: Ctx, s: UploadSession, offset: number, close: boolean, contentHash: unknown, isFinish = false): Promise<void> {
	if (s.type === 'sequential') {
		if (s.closed && !(isFinish && (await peekEmpty(ctx)))) throw new LookupFail({ '.tag': 'closed' });
		if (offset !== s.offset || s.busy) throw new LookupFail({ '.tag': 'incorrect_offset', correct_offset: s.offset });
		s.busy = true;
		const snapshot = s.hasher!.clone();
		// On a 4 MiB boundary the request's blocks are the session's: hash them once, then absorb
		const aligned = s.hasher!.atBlockBoundary;
		const reqHash = new ContentHasher({ keepBlocks: aligned });
		const rollback = async () => {
			s.hasher = snapshot;
			await fsp.truncate(s.blob!, s.offset).catch(() => undefined);
		};
		try {
			await receiveBody(ctx, { target: s.blob!, hasher: aligned ? undefined : s.hasher!, requestHasher: reqHash });
			if (aligned) s.hasher!.absorb(reqHash);
		} catch (e) {
			await rollback();
			if (e instanceof TooLarge) throw new LookupFail({ '.tag': 'payload_too_large' });
			throw e;
		} finally {
			s.busy = false;
		}
		if (!checkHash(ctx, contentHash, reqHash)) {
			await rollback();
			throw new HashFail();
		}
		s.offset += reqHash.bytes;
		if (s.offset > MAX_FILE) throw new LookupFail({ '.tag': 'too_large' });
		if (close) s.closed = true;
		return;
	}
	// concurrent
	if (isFinish) {
		const n = await drainCount(ctx);
		if (n > 0) throw new FinishFail({ '.tag': 'concurrent_session_data_not_allowed' });
		return;
	}
	if (offset % BLOCK_SIZE !== 0) throw new LookupFail({ '.tag': 'concurrent_session_invalid_offset' });
	const reqHash = new ContentHasher({ keepBlocks: true });
	// A first send goes straight into the session's file at its offset; a resend, or bytes that
	// would touch another part, are received aside and copied in only once they are good
	const declared = Number(ctx.req.headers['content-length']);
	const range: [number, number] = [offset, offset + (Number.isFinite(declared) ? declared : Infinity)];
	const touches = ([a, b]: [number, number]) => a < range[1] && range[0] < b;
	const direct =
		Number.isFinite(declared) &&
		!s.writing.some(touches) &&
		![...s.parts].some(([o, p]) => touches([o, o + Math.max(p.size, 1)]));
	let got;
	if (direct) s.writing.push(range);
	try {
		got = await receiveBody(ctx, {
			requestHasher: reqHash,
			...(direct ? { target: s.blob!, position: offset } : {}),
		});
	} catch (e) {
		if (e instanceof TooLarge) throw new LookupFail({ '.tag': 'payload_too_large' });
		throw e;
	} finally {
		if (direct) s.writing.splice(s.writing.indexOf(range), 1);
	}
	const aside = direct ? undefined : got.blob;
	try {
		if (!close && got.size % BLOCK_SIZE !== 0) throw new LookupFail({ '.tag': 'concurrent_session_invalid_data_size' });
		if (!checkHash(ctx, contentHash, reqHash)) throw new HashFail();
		if (aside) await ctx.st.store.copyInto(aside, s.blob!, offset);
	} finally {
		if (aside) void ctx.st.store.remove(aside);
	}
	s.parts.set(offset, { size: got.size, closing: close, blocks: reqHash.blocks! });
	if (close) s.closed = true;
}

async function peekEmpty(ctx: Ctx): Promise<boolean> {
	const len = ctx.req.headers['content-length'];
	return len === '0' || len === undefined;
}

class HashFail {}
class FinishFail {
	constructor(public err: Json) {}
}

export async function appendV2(ctx: Ctx): Promise<Json> {
	try {
		const { s, offset } = lookupSession(ctx, ctx.arg.cursor);
		await appendData(ctx, s, offset, optBool(ctx, ctx.arg.close, 'close', false), ctx.arg.content_hash);
		return null;
	} catch (e) {
		if (e instanceof LookupFail) throw routeError(e.err);
		if (e instanceof HashFail) throw routeError({ '.tag': 'content_hash_mismatch' });
		throw e;
	}
}

export async function appendV1(ctx: Ctx): Promise<Json> {
	try {
		const { s, offset } = lookupSession(ctx, ctx.arg);
		await appendData(ctx, s, offset, false, undefined);
		return null;
	} catch (e) {
		if (e instanceof LookupFail) throw routeError(e.err);
		throw e;
	}
}

/** Assembles the session's bytes; returns the content or throws FinishFail/LookupFail. */
async function assemble(ctx: Ctx, s: UploadSession, offset: number, requireClosed: boolean): Promise<Content> {
	if (s.type === 'sequential') {
		if (requireClosed && !s.closed) throw new LookupFail({ '.tag': 'not_closed' });
		if (offset !== s.offset) throw new LookupFail({ '.tag': 'incorrect_offset', correct_offset: s.offset });
		return { blob: s.blob!, size: s.offset, contentHash: s.hasher!.clone().digest() };
	}
	if (!s.closed) throw new FinishFail({ '.tag': 'concurrent_session_not_closed' });
	const offsets = [...s.parts.keys()].sort((x, y) => x - y);
	let pos = 0;
	for (const o of offsets) {
		if (o !== pos) throw new FinishFail({ '.tag': 'concurrent_session_missing_data' });
		pos += s.parts.get(o)!.size;
	}
	const last = s.parts.get(offsets[offsets.length - 1]);
	if (!last || !last.closing) throw new FinishFail({ '.tag': 'concurrent_session_missing_data' });
	if (offset !== pos) throw new LookupFail({ '.tag': 'incorrect_offset', correct_offset: pos });
	// Every part but the last is whole 4 MiB blocks: the file's blocks are the parts' blocks in order
	await fsp.truncate(s.blob!, pos);
	return { blob: s.blob!, size: pos, contentHash: contentHashOfBlocks(offsets.flatMap((o) => s.parts.get(o)!.blocks)) };
}

function finishErr(e: unknown): Json {
	if (e instanceof LookupFail) return { '.tag': 'lookup_failed', lookup_failed: e.err };
	if (e instanceof FinishFail) return e.err;
	if (e instanceof HashFail) return { '.tag': 'content_hash_mismatch' };
	if (e instanceof WriteFail) return { '.tag': 'path', path: e.err };
	throw e;
}

export async function finish(ctx: Ctx): Promise<Json> {
	const a = ctx.arg;
	checkCommit(ctx, a.commit);
	try {
		const { s, offset } = lookupSession(ctx, a.cursor);
		// data sent with finish (sequential): append first, at the cursor's offset
		if (s.type === 'sequential') {
			const len = ctx.req.headers['content-length'];
			if (len !== '0' && (len !== undefined || ctx.req.headers['transfer-encoding'])) {
				await appendData(ctx, s, offset, true, a.content_hash, true);
				const content = await assemble(ctx, s, s.offset, false);
				return commitSession(ctx, s, a.commit, content);
			}
			await drainCount(ctx);
			const content = await assemble(ctx, s, offset, false);
			return commitSession(ctx, s, a.commit, content);
		}
		await appendData(ctx, s, offset, false, undefined, true);
		const content = await assemble(ctx, s, offset, false);
		return commitSession(ctx, s, a.commit, content);
	} catch (e) {
		throw routeError(finishErr(e));
	}
}

function commitSession(ctx: Ctx, s: UploadSession, commit: Record<string, unknown>, content: Content): Json {
	const n = commitFile(ctx, commit, content);
	ctx.st.sessions.delete(s.id);
	ctx.ns!.notify();
	return untagged(nodeMeta(n));
}

async function finishBatchEntries(ctx: Ctx): Promise<Json[]> {
	const entries = ctx.arg.entries;
	if (!Array.isArray(entries)) throw badRequest(ctx.route, "request body: missing required field 'entries'");
	if (entries.length > 1000) throw badRequest(ctx.route, `request body: entries: list has ${entries.length} items, more than the limit of 1000`);
	for (const en of entries) checkCommit(ctx, en.commit);
	const out: Json[] = [];
	for (const en of entries) {
		if (ctx.st.faults.decideEntry(ctx.route)) {
			out.push({ '.tag': 'failure', failure: { '.tag': 'too_many_write_operations' } });
			continue;
		}
		try {
			const { s, offset } = lookupSession(ctx, en.cursor);
			const content = await assemble(ctx, s, offset, true);
			const n = commitFile(ctx, en.commit, content);
			ctx.st.sessions.delete(s.id);
			out.push({ ...untagged(nodeMeta(n)), '.tag': 'success' });
		} catch (e) {
			out.push({ '.tag': 'failure', failure: finishErr(e) });
		}
	}
	ctx.ns!.notify();
	return out;
}

export async function finishBatchV2(ctx: Ctx): Promise<Json> {
	return { entries: await finishBatchEntries(ctx) };
}

export async function finishBatchV1(ctx: Ctx): Promise<Json> {
	const entries = await finishBatchEntries(ctx);
	const id = 'dbjid:' + randomBytes(24).toString('base64url');
	ctx.st.jobs.set(id, { id, accountId: ctx.account!.accountId, kind: 'finish_batch', status: 'complete', result: { entries }, checks: 0 });
	return { '.tag': 'async_job_id', async_job_id: id };
}

export function finishBatchCheck(ctx: Ctx): Json {
	const job = ctx.st.jobs.get(reqStr(ctx, ctx.arg.async_job_id, 'async_job_id'));
	if (!job || job.kind !== 'finish_batch' || job.accountId !== ctx.account!.accountId) throw routeError({ '.tag': 'invalid_async_job_id' });
	job.checks++;
	if (job.checks === 1 && ctx.st.jobFirstCheckInProgress) return { '.tag': 'in_progress' };
	return complete(job.result!);
}
