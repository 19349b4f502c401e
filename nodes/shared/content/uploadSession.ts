import type { IDataObject } from 'n8n-workflow';

import { contentHash } from '../contentHash';
import type { ChunkReader } from './chunkReader';

/** Dropbox takes at most 150 MiB per upload request; chunks are whole multiples of 4 MiB. */
export const MIB = 1024 * 1024;
export const MAX_CHUNK_MIB = 148;
export const DEFAULT_CHUNK_MIB = 8;

/** How many chunks of one file are sent at the same time (a concurrent session); 1 = one after another. */
export const DEFAULT_PARALLEL_CHUNKS = 3;
export const MAX_PARALLEL_CHUNKS = 8;

/** How often one request may be resumed at Dropbox's `correct_offset` before giving up. */
const MAX_RESUMES = 5;

/** The requests an upload is made of; the operation binds them to the transport. */
export interface UploadRequests {
	/** files/upload: the whole file in one request. */
	upload(data: Buffer, hash: string): Promise<IDataObject>;
	/** upload_session/start with the first chunk (`close`: it is also the last): the session ID. */
	start(data: Buffer, hash: string, close: boolean): Promise<string>;
	/** upload_session/start of a concurrent session (no data): the session ID. */
	startConcurrent(): Promise<string>;
	/** upload_session/append_v2 at `offset` (`close`: these are the last bytes). */
	append(sessionId: string, offset: number, data: Buffer, hash: string, close: boolean): Promise<void>;
	/** upload_session/finish at `offset` with the last bytes (possibly none): the file's metadata. */
	finish(sessionId: string, offset: number, data: Buffer, hash: string): Promise<IDataObject>;
}

/**
 * How many chunks of one file may be in flight at once: `most` at best, `now()` at this moment
 * (a memory budget may let it grow while the file is sent); `widen` says the file is larger
 * than one chunk, so it may use more than one. A number is a window that never changes.
 */
export interface ChunkWindow {
	most: number;
	now(): number;
	widen?(): void;
}

function windowOf(parallelChunks: number | ChunkWindow): ChunkWindow {
	return typeof parallelChunks === 'number' ? { most: parallelChunks, now: () => parallelChunks } : parallelChunks;
}

export type UploadProblem =
	| { kind: 'rewind'; correctOffset: number; oldestKept: number }
	| { kind: 'beyond_end'; correctOffset: number; size: number };

/** Turns a problem into the error to throw (the operation names the item and the path). */
export type StopUpload = (problem: UploadProblem) => Error;

/**
 * The offset Dropbox says a session really is at, when a request failed with
 * `incorrect_offset` (append: `error.correct_offset`; finish:
 * `error.lookup_failed.correct_offset`). Read from the Dropbox error union the transport
 * keeps in the error's context.
 */
export function correctOffsetOf(error: unknown): number | undefined {
	const context = (error as { context?: Record<string, unknown> } | undefined)?.context;
	let union = context?.dropboxError as Record<string, unknown> | undefined;
	if (union && union['.tag'] === 'lookup_failed') union = union.lookup_failed as Record<string, unknown> | undefined;
	if (!union || union['.tag'] !== 'incorrect_offset') return undefined;
	const offset = union.correct_offset;
	return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

/**
 * Sends `chunk` (the bytes at `offset`) and, when Dropbox answers `incorrect_offset`, resends
 * from the offset it names: the tail of this chunk if it lies inside it. Returns the offset
 * the session reached, which is past the chunk's end when Dropbox already had more.
 */
async function sendResuming<T>(
	offset: number,
	chunk: Buffer,
	final: boolean,
	send: (at: number, data: Buffer) => Promise<T>,
	stop: StopUpload,
): Promise<{ reached: number; result?: T }> {
	const end = offset + chunk.length;
	let at = offset;
	for (let resumes = 0; ; resumes++) {
		let failure: unknown;
		try {
			return { reached: end, result: await send(at, at === offset ? chunk : chunk.subarray(at - offset)) };
		} catch (error) {
			failure = error;
		}
		const correct = correctOffsetOf(failure);
		if (correct === undefined || resumes >= MAX_RESUMES) throw failure;
		if (correct < offset) throw stop({ kind: 'rewind', correctOffset: correct, oldestKept: offset });
		if (final && correct > end) throw stop({ kind: 'beyond_end', correctOffset: correct, size: end });
		if (!final && correct >= end) return { reached: correct };
		at = correct;
	}
}

/**
 * Uploads everything `reader` holds: in one request when it fits in one chunk, else through
 * an upload session of `chunkBytes` pieces, one piece in memory at a time (up to
 * `parallelChunks` in a concurrent session); each piece goes back to the reader once sent. Every request
 * carries the content_hash of its own bytes. Returns Dropbox's metadata of the new file;
 * the caller compares its content_hash with `reader.hasher`.
 */
export async function uploadChunks(
	reader: ChunkReader,
	chunkBytes: number,
	requests: UploadRequests,
	stop: StopUpload,
	parallelChunks: number | ChunkWindow = 1,
): Promise<IDataObject> {
	const chunk = await reader.read(chunkBytes);
	if (await reader.atEnd()) return await requests.upload(chunk, reader.hashOf(chunk));
	const window = windowOf(parallelChunks);
	window.widen?.();
	if (window.most > 1) {
		const { sessionId, size } = await sendConcurrently(reader, chunk, chunkBytes, requests, window);
		const none = Buffer.alloc(0);
		return await requests.finish(sessionId, size, none, contentHash(none));
	}
	const { sessionId, offset, last } = await sendAllButLast(reader, chunk, chunkBytes, requests, stop);
	const finish = async (at: number, data: Buffer) => await requests.finish(sessionId, at, data, reader.hashOf(data));
	const { result } = await sendResuming(offset, last, true, finish, stop);
	return result as IDataObject;
}

/**
 * Sends a file through a concurrent session: up to `window.now()` chunks in flight at once, each
 * at its own offset (every one a multiple of 4 MiB but the last), so reading and hashing the
 * next chunk overlaps with sending the previous ones. The last chunk closes the session once
 * all others have arrived. A failed chunk is retried by the transport; an append at an offset
 * already sent replaces it, so a retry never corrupts the file.
 */
async function sendConcurrently(
	reader: ChunkReader,
	first: Buffer,
	chunkBytes: number,
	requests: UploadRequests,
	window: ChunkWindow,
): Promise<ClosedSession> {
	const sessionId = await requests.startConcurrent();
	const inFlight = new Set<Promise<void>>();
	let failure: { error: unknown } | undefined;
	const settle = async (): Promise<void> => {
		if (failure) {
			await Promise.all(inFlight);
			throw failure.error;
		}
	};
	let offset = 0;
	let chunk = first;
	while (!(await reader.atEnd())) {
		const piece = chunk;
		const sent: Promise<void> = requests.append(sessionId, offset, piece, reader.hashOf(piece), false).then(
			() => {
				inFlight.delete(sent);
				reader.release(piece);
			},
			(error: unknown) => {
				inFlight.delete(sent);
				reader.release(piece);
				failure ??= { error };
			},
		);
		inFlight.add(sent);
		offset += chunk.length;
		if (inFlight.size >= window.now()) await Promise.race(inFlight);
		await settle();
		chunk = await reader.read(chunkBytes);
	}
	await Promise.all(inFlight);
	await settle();
	await requests.append(sessionId, offset, chunk, reader.hashOf(chunk), true);
	return { sessionId, size: offset + chunk.length };
}

/**
 * Starts a session with `first` (not the last chunk) and appends every further chunk but the
 * last, which it returns unsent together with the offset it goes at.
 */
async function sendAllButLast(
	reader: ChunkReader,
	first: Buffer,
	chunkBytes: number,
	requests: UploadRequests,
	stop: StopUpload,
): Promise<{ sessionId: string; offset: number; last: Buffer }> {
	const sessionId = await requests.start(first, reader.hashOf(first), false);
	reader.release(first);
	let offset = first.length;
	const append = async (at: number, data: Buffer) => await requests.append(sessionId, at, data, reader.hashOf(data), false);
	for (;;) {
		const chunk = await reader.read(chunkBytes);
		if (await reader.atEnd()) return { sessionId, offset, last: chunk };
		const { reached } = await sendResuming(offset, chunk, false, append, stop);
		reader.release(chunk);
		offset += chunk.length;
		if (reached > offset) offset += await reader.skip(reached - offset);
	}
}

/** An upload session holding a whole file, closed, waiting to be committed. */
export interface ClosedSession {
	sessionId: string;
	/** The file's size: the offset its commit names. */
	size: number;
}

/**
 * Sends everything `reader` holds into an upload session and closes it, without committing:
 * the commit is left to `upload_session/finish_batch_v2`, many files in one call. A file
 * that fits in one chunk takes one request (start with close).
 */
export async function uploadToClosedSession(
	reader: ChunkReader,
	chunkBytes: number,
	requests: UploadRequests,
	stop: StopUpload,
	parallelChunks: number | ChunkWindow = 1,
): Promise<ClosedSession> {
	const chunk = await reader.read(chunkBytes);
	if (await reader.atEnd()) {
		return { sessionId: await requests.start(chunk, reader.hashOf(chunk), true), size: chunk.length };
	}
	const window = windowOf(parallelChunks);
	window.widen?.();
	if (window.most > 1) return await sendConcurrently(reader, chunk, chunkBytes, requests, window);
	const { sessionId, offset, last } = await sendAllButLast(reader, chunk, chunkBytes, requests, stop);
	const close = async (at: number, data: Buffer) => await requests.append(sessionId, at, data, reader.hashOf(data), true);
	const { reached } = await sendResuming(offset, last, true, close, stop);
	return { sessionId, size: reached };
}
