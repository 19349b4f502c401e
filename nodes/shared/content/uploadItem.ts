import { BINARY_ENCODING, NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { cancelSignalOf, dropboxErrorInfo, dropboxRpc, dropboxUpload, stoppedError } from '../transport';
import { storeReadError } from './binaryLimit';
import type { BufferBudget, Lease } from './bufferBudget';
import { ChunkReader } from './chunkReader';
import { checkChunkSize, checkDropboxTime, checkFileName, checkRevision, fieldError, required, type FieldCheck } from '../fieldChecks';
import { fixedExpressionError, requireValidPath, resolveLocator } from '../locator';
import { checkPath, joinPath } from '../paths';
import { wholeNumberIn } from '../wholeNumber';
import {
	DEFAULT_CHUNK_MIB,
	DEFAULT_PARALLEL_CHUNKS,
	MAX_PARALLEL_CHUNKS,
	uploadChunks,
	uploadToClosedSession,
	type ChunkWindow,
	type ClosedSession,
	type UploadProblem,
	type UploadRequests,
} from './uploadSession';

/**
 * One item of File → Upload: its fields checked before any call (`planUpload`), its bytes
 * read as a stream, and sent either as a whole file (`uploadFile`) or into a closed session
 * for a batched commit (`stageUpload`).
 */

interface UploadOptions {
	autorename?: boolean;
	chunkSize?: number | string;
	clientModified?: unknown;
	parallelChunks?: number | string;
	mute?: boolean;
	strictConflict?: boolean;
	ifUnchanged?: string;
}

/** Everything an item's upload needs, checked. */
export interface UploadPlan {
	path: string;
	/** Dropbox's CommitInfo: path, mode, autorename, mute, strict_conflict, client_modified. */
	commit: IDataObject;
	chunkBytes: number;
	/** Chunks of one file in flight at once (a concurrent session when more than 1). */
	parallelChunks: number;
	/** If Unchanged "Skip": the file is not sent when Dropbox already holds these bytes at the path. */
	skipUnchanged: boolean;
}

/** An item's file in a closed session, waiting for its commit. */
export interface StagedUpload extends ClosedSession {
	itemIndex: number;
	plan: UploadPlan;
	/** The content_hash of the bytes sent. */
	localHash: string;
}

function destinationPath(ctx: IExecuteFunctions, itemIndex: number): string {
	if (ctx.getNodeParameter('destination', itemIndex, 'folder') === 'path') {
		const raw = ctx.getNodeParameter('filePath', itemIndex, '');
		return requireValidPath(ctx, checkPath(raw), 'File Path', itemIndex, raw, 'filePath');
	}
	const folder = resolveLocator(ctx, 'folder', itemIndex, 'Folder', { allowRoot: true });
	const name = required(ctx, itemIndex, 'File Name', checkFileName(fileNameOrBinaryName(ctx, itemIndex)));
	const path = joinPath(folder, name);
	return requireValidPath(ctx, checkPath(path), 'File Name', itemIndex, name, 'fileName');
}

/** The File Name, or when it is blank (as in n8n's Google Drive node) the name of the binary file being saved. */
function fileNameOrBinaryName(ctx: IExecuteFunctions, itemIndex: number): unknown {
	const typed = ctx.getNodeParameter('fileName', itemIndex, '');
	const blank = typed === undefined || typed === null || (typeof typed === 'string' && typed.trim() === '');
	if (!blank) {
		const fixed = fixedExpressionError(ctx, 'fileName', 'File Name', itemIndex);
		if (fixed) throw fixed;
		return typed;
	}
	if (ctx.getNodeParameter('content', itemIndex, 'binary') === 'text') {
		throw fieldError(ctx, itemIndex, 'File Name', 'is empty', 'Give the name the file gets in Dropbox, such as notes.txt (text has no file name of its own).');
	}
	checkBinaryField(ctx, itemIndex);
	const binaryName = ctx.getInputData()[itemIndex]?.binary?.[binaryProperty(ctx, itemIndex)]?.fileName;
	if (binaryName) return binaryName;
	throw fieldError(
		ctx,
		itemIndex,
		'File Name',
		`is empty and the Input Binary Field "${binaryProperty(ctx, itemIndex)}" has no file name`,
		'Give the name the file gets in Dropbox, such as report.pdf.',
	);
}

function commitInfo(ctx: IExecuteFunctions, itemIndex: number, path: string, options: UploadOptions): IDataObject {
	const modeName = ctx.getNodeParameter('mode', itemIndex, 'add') as string;
	const mode =
		modeName === 'update'
			? { '.tag': 'update', update: required(ctx, itemIndex, 'Revision', checkRevision(ctx.getNodeParameter('revision', itemIndex, ''))) }
			: modeName;
	const commit: IDataObject = {
		path,
		mode,
		autorename: options.autorename === true,
		mute: options.mute === true,
		strict_conflict: options.strictConflict === true,
	};
	if (options.clientModified !== undefined && options.clientModified !== '' && options.clientModified !== null) {
		commit.client_modified = required(ctx, itemIndex, 'Client Modified option', checkDropboxTime(options.clientModified));
	}
	return commit;
}

function binaryProperty(ctx: IExecuteFunctions, itemIndex: number): string {
	return String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
}

/** With Content "Binary File": checks that the binary field is there (Upload, Paper Doc); its bytes are read later. */
export function checkBinaryField(ctx: IExecuteFunctions, itemIndex: number): void {
	if (ctx.getNodeParameter('content', itemIndex, 'binary') === 'text') return;
	const property = binaryProperty(ctx, itemIndex);
	const binaries = ctx.getInputData()[itemIndex]?.binary ?? {};
	if (binaries[property]) return;
	const present = Object.keys(binaries);
	throw fieldError(
		ctx,
		itemIndex,
		`Input Binary Field "${property}"`,
		'is not in the input item',
		present.length
			? `The item has the binary field(s) ${present.map((name) => `"${name}"`).join(', ')}: put one of them in Input Binary Field.`
			: 'The item has no binary data: read or download a file in an earlier step, or set Content to Text.',
	);
}

/** Reads and checks an item's fields without any call; throws a NodeOperationError naming item, field and fix. */
export function planUpload(ctx: IExecuteFunctions, itemIndex: number): UploadPlan {
	const path = destinationPath(ctx, itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as UploadOptions;
	const chunkBytes = required(ctx, itemIndex, 'Chunk Size option', checkChunkSize(options.chunkSize ?? DEFAULT_CHUNK_MIB));
	const parallelChunks = required(ctx, itemIndex, 'Parallel Chunks option', checkParallelChunks(options.parallelChunks ?? DEFAULT_PARALLEL_CHUNKS));
	const commit = commitInfo(ctx, itemIndex, path, options);
	const skipUnchanged = required(ctx, itemIndex, 'If Unchanged option', checkIfUnchanged(options.ifUnchanged ?? 'upload'));
	checkBinaryField(ctx, itemIndex);
	return { path, commit, chunkBytes, parallelChunks, skipUnchanged };
}

function checkIfUnchanged(raw: unknown): FieldCheck<boolean> {
	if (raw === 'upload' || raw === 'skip') return { value: raw === 'skip' };
	return { problem: `"${String(raw)}" is not "upload" or "skip"`, fix: 'Use "upload" (Upload Anyway) or "skip" (Skip).' };
}

function checkParallelChunks(raw: unknown): FieldCheck<number> {
	const count = wholeNumberIn(raw, 1, MAX_PARALLEL_CHUNKS);
	if (count !== undefined) return { value: count };
	return { problem: `"${String(raw)}" is not a whole number from 1 to ${MAX_PARALLEL_CHUNKS}`, fix: `Use 1 (one chunk after another) to ${MAX_PARALLEL_CHUNKS}.` };
}

/** The size of each read from n8n's binary store. */
const STORE_READ_BYTES = 64 * 1024;

/**
 * The error for n8n's binary store failing to read the item's file (to upload to `path`) after
 * `bytesRead` bytes: its own failure, not Dropbox's.
 */
export function storeReadFailure(ctx: IExecuteFunctions, itemIndex: number, path: string): (error: unknown, bytesRead: number) => Error {
	return (error, bytesRead) => storeReadError(ctx.getNode(), { field: binaryProperty(ctx, itemIndex), path, read: bytesRead, itemIndex }, error);
}

/** The item's file as a stream of 64 KiB reads from n8n's binary store; a store that cannot open it fails with the error saying so. */
async function storeStream(ctx: IExecuteFunctions, itemIndex: number, binaryId: string, path: string): Promise<AsyncIterable<unknown>> {
	try {
		return await ctx.helpers.getBinaryStream(binaryId, STORE_READ_BYTES);
	} catch (error) {
		throw storeReadFailure(ctx, itemIndex, path)(error, 0);
	}
}

/**
 * The item's bytes (to upload to `path`) as they are, without a memory budget: the text, a
 * binary n8n keeps in memory, or a stream of 64 KiB reads from n8n's binary store (constant
 * memory, any size).
 */
export async function itemSource(ctx: IExecuteFunctions, itemIndex: number, path: string): Promise<Buffer | AsyncIterable<unknown>> {
	if (ctx.getNodeParameter('content', itemIndex, 'binary') === 'text') return Buffer.from(String(ctx.getNodeParameter('text', itemIndex, '')), 'utf8');
	const binary = ctx.getInputData()[itemIndex].binary![binaryProperty(ctx, itemIndex)];
	if (binary.id) return await storeStream(ctx, itemIndex, binary.id, path);
	return Buffer.from(binary.data ?? '', BINARY_ENCODING);
}

/** An item's bytes being read, and how many chunks of them may be in flight at once. */
interface OpenContent {
	reader: ChunkReader;
	parallelChunks: number | ChunkWindow;
	/** Closes the reader and gives its chunk buffers back to the node run's budget. */
	close(): Promise<void>;
}

/**
 * The bytes to upload: the text, or the binary field's file as a stream from n8n's binary
 * store (a decoded buffer when n8n keeps binaries in memory). A binary field must hold bytes.
 * A streamed file's chunk buffers are leased from `budget` (the node run's memory budget):
 * one to start, up to Parallel Chunks once the file proves larger than a chunk, fewer while
 * the budget is short.
 */
async function openContent(ctx: IExecuteFunctions, itemIndex: number, plan: UploadPlan, budget?: BufferBudget): Promise<OpenContent> {
	const text = ctx.getNodeParameter('content', itemIndex, 'binary') === 'text';
	const property = binaryProperty(ctx, itemIndex);
	const binaryId = text ? undefined : ctx.getInputData()[itemIndex].binary![property].id;
	let opened: OpenContent;
	if (binaryId) {
		// From the store in 64 KiB reads, gathered into chunk buffers that are reused once sent
		const lease: Lease | undefined = await budget?.lease(plan.chunkBytes, plan.parallelChunks, cancelSignalOf(ctx), () => stoppedError(ctx, { path: plan.path, itemIndex }));
		let reader: ChunkReader | undefined;
		try {
			reader = new ChunkReader(await storeStream(ctx, itemIndex, binaryId, plan.path), {
				reuse: lease ? () => lease.chunks : plan.parallelChunks,
				holding: (delta) => budget?.holding(delta),
				failed: storeReadFailure(ctx, itemIndex, plan.path),
			});
		} finally {
			// the store could not open the file: nothing will use the leased buffers
			if (!reader) lease?.end();
		}
		opened = {
			reader,
			parallelChunks: lease ?? plan.parallelChunks,
			close: async () => {
				await reader.close();
				lease?.end();
			},
		};
	} else {
		// text, or a binary n8n keeps in memory: one buffer, sliced without copying
		const reader = new ChunkReader((await itemSource(ctx, itemIndex, plan.path)) as Buffer);
		opened = { reader, parallelChunks: plan.parallelChunks, close: async () => await reader.close() };
	}
	if (text) return opened;
	if (await opened.reader.atEnd()) {
		await opened.close();
		throw fieldError(
			ctx,
			itemIndex,
			`Input Binary Field "${property}"`,
			'holds an empty file (0 bytes)',
			'Check the step that produced the file. To save an empty file on purpose, set Content to Text and leave Text empty.',
		);
	}
	return opened;
}

/** Whether a failure says the session is closed already: what a resent close meets when the first one got through. */
function closedAlready(error: unknown): boolean {
	const info = dropboxErrorInfo(error);
	return info?.dropboxUncertain === true && info.dropboxTag.split('/').includes('closed');
}

function requestsFor(ctx: IExecuteFunctions, itemIndex: number, commit: IDataObject): UploadRequests {
	const call = { path: commit.path as string, itemIndex };
	return {
		upload: async (data, hash) => await dropboxUpload(ctx, 'files/upload', { ...commit, content_hash: hash }, data, call),
		start: async (data, hash, close) => {
			const started = await dropboxUpload<{ session_id: string }>(ctx, 'files/upload_session/start', { close, content_hash: hash }, data, call);
			return started.session_id;
		},
		startConcurrent: async () => {
			const args = { close: false, session_type: { '.tag': 'concurrent' } };
			const started = await dropboxUpload<{ session_id: string }>(ctx, 'files/upload_session/start', args, Buffer.alloc(0), call);
			return started.session_id;
		},
		append: async (sessionId, offset, data, hash, close) => {
			const args = { cursor: { session_id: sessionId, offset }, close, content_hash: hash };
			let failure: unknown;
			try {
				await dropboxUpload(ctx, 'files/upload_session/append_v2', args, data, call);
				return;
			} catch (error) {
				failure = error;
			}
			// A resent close whose first attempt got through: the session holds every byte
			if (!(close && closedAlready(failure))) throw failure;
		},
		finish: async (sessionId, offset, data, hash) =>
			await dropboxUpload(
				ctx,
				'files/upload_session/finish',
				{ cursor: { session_id: sessionId, offset }, commit, content_hash: hash },
				data,
				call,
			),
	};
}

function outOfStepError(ctx: IExecuteFunctions, itemIndex: number, path: string, problem: UploadProblem): NodeOperationError {
	const message =
		problem.kind === 'rewind'
			? `Dropbox lost part of the upload of "${path}": it asks to resume at byte ${problem.correctOffset}, before byte ${problem.oldestKept} which was already streamed past`
			: `Dropbox holds ${problem.correctOffset} bytes for "${path}", more than the ${problem.size} bytes of the file`;
	return new NodeOperationError(ctx.getNode(), message, {
		itemIndex,
		description: 'The upload session is out of step with the file. Run the step again: a new upload starts from the beginning.',
	});
}

/**
 * Whether a failed commit may have succeeded after all: an earlier attempt of it got no
 * answer (the connection dropped after Dropbox saved the file), and the retry then met a
 * conflict (the file it had just saved) or a finished session.
 */
export function mayBeSavedAlready(failureTags: string[]): boolean {
	return failureTags.includes('conflict') || failureTags[0] === 'lookup_failed';
}

/** The file at `path`, when it holds exactly the bytes sent (`localHash`); else undefined. */
export async function savedAlready(ctx: IExecuteFunctions, itemIndex: number, path: string, localHash: string): Promise<IDataObject | undefined> {
	try {
		const existing = await dropboxRpc(ctx, 'files/get_metadata', { path }, { path, itemIndex });
		return existing['.tag'] === 'file' && existing.content_hash === localHash ? existing : undefined;
	} catch {
		return undefined;
	}
}

/** The saved file's metadata, once its content_hash is the one of the bytes sent; else the error saying so. */
export function verifiedSave(ctx: IExecuteFunctions, itemIndex: number, plan: UploadPlan, metadata: IDataObject, localHash: string, bytesRead: number): IDataObject {
	if (metadata.content_hash === localHash) return metadata;
	throw new NodeOperationError(
		ctx.getNode(),
		`The file saved at "${String(metadata.path_display ?? plan.path)}" does not match the bytes sent (content_hash ${String(metadata.content_hash)}, expected ${localHash})`,
		{ itemIndex, description: `Some bytes changed on the way (${bytesRead} bytes read, ${String(metadata.size)} saved). Run the step again; if it repeats, check proxies between n8n and Dropbox.` },
	);
}

/**
 * A conflict in mode Update means the file is no longer at the given revision: say that,
 * rather than the generic advice to overwrite or rename.
 */
export function explainStaleRevision(plan: UploadPlan, error: unknown): unknown {
	const mode = plan.commit.mode as { '.tag'?: string; update?: string } | string;
	const info = dropboxErrorInfo(error);
	if (typeof mode === 'string' || mode['.tag'] !== 'update' || !info?.dropboxTag.split('/').includes('conflict')) return error;
	(error as { description?: string }).description =
		`The file at "${plan.path}" is no longer at revision ${mode.update}: someone changed, moved or deleted it since. Get the file again for its current "rev", or choose Mode "Overwrite" to replace it anyway.`;
	return error;
}

/** Saves one item's file, committed by itself: one request when it fits in a chunk, else an upload session, streamed. */
export async function uploadFile(ctx: IExecuteFunctions, itemIndex: number, plan: UploadPlan, budget?: BufferBudget): Promise<IDataObject> {
	const content = await openContent(ctx, itemIndex, plan, budget);
	try {
		return await uploadFrom(ctx, itemIndex, plan, content);
	} finally {
		await content.close();
	}
}

async function uploadFrom(ctx: IExecuteFunctions, itemIndex: number, plan: UploadPlan, { reader, parallelChunks }: OpenContent): Promise<IDataObject> {
	let metadata: IDataObject | undefined;
	let failure: unknown;
	try {
		metadata = await uploadChunks(
			reader,
			plan.chunkBytes,
			requestsFor(ctx, itemIndex, plan.commit),
			(problem) => outOfStepError(ctx, itemIndex, plan.path, problem),
			parallelChunks,
		);
	} catch (error) {
		failure = error;
	}
	let localHash: string | undefined;
	// A retried commit whose first answer was lost: the file may be there already, from us
	const info = dropboxErrorInfo(failure);
	if (!metadata && info?.dropboxUncertain && mayBeSavedAlready(info.dropboxTag.split('/')) && (await reader.atEnd())) {
		localHash = reader.hasher.digest();
		metadata = await savedAlready(ctx, itemIndex, plan.path, localHash);
	}
	if (!metadata) throw explainStaleRevision(plan, failure);
	return verifiedSave(ctx, itemIndex, plan, metadata, localHash ?? reader.hasher.digest(), reader.position);
}

/** Sends one item's file into an upload session and closes it, for a commit together with others. */
export async function stageUpload(ctx: IExecuteFunctions, itemIndex: number, plan: UploadPlan, budget?: BufferBudget): Promise<StagedUpload> {
	const { reader, parallelChunks, close } = await openContent(ctx, itemIndex, plan, budget);
	try {
		const session = await uploadToClosedSession(
			reader,
			plan.chunkBytes,
			requestsFor(ctx, itemIndex, plan.commit),
			(problem) => outOfStepError(ctx, itemIndex, plan.path, problem),
			parallelChunks,
		);
		return { ...session, itemIndex, plan, localHash: reader.hasher.digest() };
	} finally {
		await close();
	}
}
