import {
	BINARY_ENCODING,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { dropboxErrorInfo, dropboxRpc, dropboxUpload } from '../../../shared/transport';
import { ChunkReader } from '../../helpers/chunkReader';
import {
	checkChunkSize,
	checkDropboxTime,
	checkFileName,
	checkRevision,
	fieldError,
	required,
} from '../../helpers/fileInput';
import { resolveLocator, requireValidPath } from '../../helpers/locator';
import { checkPath, joinPath } from '../../helpers/paths';
import { DEFAULT_CHUNK_MIB, uploadChunks, type UploadProblem, type UploadRequests } from '../../helpers/uploadSession';
import { dropboxLocator } from '../common.descriptions';
import type { ItemOutput } from '../types';

const show = { resource: ['file'], operation: ['upload'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Destination',
		name: 'destination',
		type: 'options',
		options: [
			{ name: 'Folder and File Name', value: 'folder', description: 'Pick a folder and give the file a name' },
			{ name: 'Full Path', value: 'path', description: 'Give the whole path, e.g. /Reports/q1.pdf' },
		],
		default: 'folder',
		description: 'How to say where the file goes',
		displayOptions: { show },
	},
	dropboxLocator('folder', {
		displayName: 'Folder',
		name: 'folder',
		description: 'The folder to save the file in: pick it, or give its path ("/" is the root) or ID',
		displayOptions: { show: { ...show, destination: ['folder'] } },
	}),
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'report.pdf',
		description: 'The name the file gets in Dropbox, e.g. {{ $binary.data.fileName }}',
		displayOptions: { show: { ...show, destination: ['folder'] } },
	},
	{
		displayName: 'File Path',
		name: 'filePath',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/Reports/q1.pdf',
		description: 'The full path of the file in Dropbox, starting with "/"',
		displayOptions: { show: { ...show, destination: ['path'] } },
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'options',
		options: [
			{ name: 'Binary File', value: 'binary', description: 'A file from a binary field of the input item' },
			{ name: 'Text', value: 'text', description: 'Text typed here or given by an expression, saved as UTF-8' },
		],
		default: 'binary',
		description: 'Where the bytes to save come from',
		displayOptions: { show },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the file',
		description: 'The binary field of the input item that holds the file to save, e.g. data',
		displayOptions: { show: { ...show, content: ['binary'] } },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 5 },
		default: '',
		description: 'The text to save in the file, as UTF-8',
		displayOptions: { show: { ...show, content: ['text'] } },
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Add', value: 'add', description: 'Never replace a file: if the name is taken, fail or (with Autorename) pick a new name' },
			{ name: 'Overwrite', value: 'overwrite', description: 'Replace any file already at the path' },
			{ name: 'Update', value: 'update', description: 'Replace the file only if it is still at the given revision' },
		],
		default: 'add',
		description: 'What to do when a file already exists at the path',
		displayOptions: { show },
	},
	{
		displayName: 'Revision',
		name: 'revision',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'a1c10ce0dd78',
		description: 'The revision the file must still have to be replaced: the "rev" from an earlier Get or Upload',
		displayOptions: { show: { ...show, mode: ['update'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Autorename',
				name: 'autorename',
				type: 'boolean',
				default: false,
				description: 'Whether to save under a new name such as "report (1).pdf" instead of failing on a conflict',
			},
			{
				displayName: 'Chunk Size (MiB)',
				name: 'chunkSize',
				type: 'number',
				typeOptions: { minValue: 4, maxValue: 148, numberPrecision: 0 },
				default: DEFAULT_CHUNK_MIB,
				description: 'Files up to this size go in one request; larger ones in pieces of this size. A multiple of 4, at most 148. Memory use stays near this size whatever the file size.',
			},
			{
				displayName: 'Client Modified',
				name: 'clientModified',
				type: 'dateTime',
				default: '',
				description: 'The modification time to record for the file (shown by Dropbox as "modified"); without a time zone it is read as UTC',
			},
			{
				displayName: 'Mute Notifications',
				name: 'mute',
				type: 'boolean',
				default: false,
				description: 'Whether to spare the Dropbox desktop apps the "file added/changed" notification',
			},
			{
				displayName: 'Strict Conflict',
				name: 'strictConflict',
				type: 'boolean',
				default: false,
				description: 'Whether to treat an identical file already at the path as a conflict too (by default Dropbox accepts it silently)',
			},
		],
	},
];

interface UploadOptions {
	autorename?: boolean;
	chunkSize?: number | string;
	clientModified?: unknown;
	mute?: boolean;
	strictConflict?: boolean;
}

function destinationPath(ctx: IExecuteFunctions, itemIndex: number): string {
	if (ctx.getNodeParameter('destination', itemIndex, 'folder') === 'path') {
		const raw = ctx.getNodeParameter('filePath', itemIndex, '');
		return requireValidPath(ctx, checkPath(raw), 'File Path', itemIndex, raw);
	}
	const folder = resolveLocator(ctx, 'folder', itemIndex, 'Folder', { allowRoot: true });
	const name = required(ctx, itemIndex, 'File Name', checkFileName(ctx.getNodeParameter('fileName', itemIndex, '')));
	const path = joinPath(folder, name);
	return requireValidPath(ctx, checkPath(path), 'File Name', itemIndex, name);
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

/**
 * The bytes to upload: the text, or the binary field's file as a stream from n8n's binary
 * store (a decoded buffer when n8n keeps binaries in memory). A binary field must hold bytes.
 */
async function contentReader(ctx: IExecuteFunctions, itemIndex: number, chunkBytes: number): Promise<ChunkReader> {
	if (ctx.getNodeParameter('content', itemIndex, 'binary') === 'text') {
		return new ChunkReader(Buffer.from(String(ctx.getNodeParameter('text', itemIndex, '')), 'utf8'));
	}
	const property = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	const field = `Input Binary Field "${property}"`;
	const binaries = ctx.getInputData()[itemIndex]?.binary ?? {};
	const binary = binaries[property];
	if (!binary) {
		const present = Object.keys(binaries);
		throw fieldError(
			ctx,
			itemIndex,
			field,
			'is not in the input item',
			present.length
				? `The item has the binary field(s) ${present.map((name) => `"${name}"`).join(', ')}: put one of them in Input Binary Field.`
				: 'The item has no binary data: read or download a file in an earlier step, or set Content to Text.',
		);
	}
	const reader = new ChunkReader(
		binary.id ? await ctx.helpers.getBinaryStream(binary.id, chunkBytes) : Buffer.from(binary.data ?? '', BINARY_ENCODING),
	);
	if (await reader.atEnd()) {
		throw fieldError(
			ctx,
			itemIndex,
			field,
			'holds an empty file (0 bytes)',
			'Check the step that produced the file. To save an empty file on purpose, set Content to Text and leave Text empty.',
		);
	}
	return reader;
}

function requestsFor(ctx: IExecuteFunctions, itemIndex: number, commit: IDataObject): UploadRequests {
	const call = { path: commit.path as string, itemIndex };
	return {
		upload: async (data, hash) => await dropboxUpload(ctx, 'files/upload', { ...commit, content_hash: hash }, data, call),
		start: async (data, hash) => {
			const started = await dropboxUpload<{ session_id: string }>(
				ctx,
				'files/upload_session/start',
				{ close: false, content_hash: hash },
				data,
				call,
			);
			return started.session_id;
		},
		append: async (sessionId, offset, data, hash) => {
			await dropboxUpload(
				ctx,
				'files/upload_session/append_v2',
				{ cursor: { session_id: sessionId, offset }, close: false, content_hash: hash },
				data,
				call,
			);
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

function stoppedError(ctx: IExecuteFunctions, itemIndex: number, path: string, problem: UploadProblem): NodeOperationError {
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
function mayBeSavedAlready(error: unknown): boolean {
	const info = dropboxErrorInfo(error);
	if (!info?.dropboxUncertain) return false;
	const tags = info.dropboxTag.split('/');
	return tags.includes('conflict') || tags[0] === 'lookup_failed';
}

/** The file at `path`, when it holds exactly the bytes sent (`localHash`); else undefined. */
async function savedAlready(ctx: IExecuteFunctions, itemIndex: number, path: string, localHash: string): Promise<IDataObject | undefined> {
	try {
		const existing = await dropboxRpc(ctx, 'files/get_metadata', { path }, { path, itemIndex });
		return existing['.tag'] === 'file' && existing.content_hash === localHash ? existing : undefined;
	} catch {
		return undefined;
	}
}

/** Saves a file of any size: one request when it fits in a chunk, else an upload session, streamed. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const path = destinationPath(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as UploadOptions;
	const chunkBytes = required(this, itemIndex, 'Chunk Size option', checkChunkSize(options.chunkSize ?? DEFAULT_CHUNK_MIB));
	const commit = commitInfo(this, itemIndex, path, options);
	const reader = await contentReader(this, itemIndex, chunkBytes);
	let metadata: IDataObject | undefined;
	let failure: unknown;
	try {
		metadata = await uploadChunks(reader, chunkBytes, requestsFor(this, itemIndex, commit), (problem) =>
			stoppedError(this, itemIndex, path, problem),
		);
	} catch (error) {
		failure = error;
	}
	let localHash: string | undefined;
	// A retried commit whose first answer was lost: the file may be there already, from us
	if (!metadata && mayBeSavedAlready(failure) && (await reader.atEnd())) {
		localHash = reader.hasher.digest();
		metadata = await savedAlready(this, itemIndex, path, localHash);
	}
	if (!metadata) throw failure;
	localHash ??= reader.hasher.digest();
	if (metadata.content_hash !== localHash) {
		throw new NodeOperationError(
			this.getNode(),
			`The file saved at "${metadata.path_display ?? path}" does not match the bytes sent (content_hash ${String(metadata.content_hash)}, expected ${localHash})`,
			{ itemIndex, description: `Some bytes changed on the way (${reader.position} bytes read, ${String(metadata.size)} saved). Run the step again; if it repeats, check proxies between n8n and Dropbox.` },
		);
	}
	return metadata;
}
