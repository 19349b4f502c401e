import { NodeOperationError, type INode } from 'n8n-workflow';

import { redactSecrets } from '../transport/redact';

/**
 * n8n's per-file cap on binary data in `database` mode (queue mode's default), which node code
 * cannot read (it is an environment variable of each n8n process). n8n's store says it only by
 * failing, after it received the whole file: its FileTooLargeError ("… exceeds the max size
 * limit of 512 MB set for `database` mode …"). That failure is turned into an error naming the
 * setting and the alternatives, and the cap it states is remembered by this process, so every
 * later download of a file Dropbox says is larger stops before its bytes are read.
 */
const N8N_CAP = /exceeds the max size limit of (\d+(?:\.\d+)?) MB set for `database` mode/;
const MIB = 1024 * 1024;

let learnedCapMiB: number | undefined;
const capErrors = new WeakSet<object>();

/** Whether `error` is one binaryCapError made: a file over n8n's binary data cap. */
export function isBinaryCapError(error: unknown): boolean {
	return typeof error === 'object' && error !== null && capErrors.has(error);
}

/** The cap (MiB) n8n's binary store refused a file over, or undefined for any other failure. */
export function binaryCapOf(error: unknown): number | undefined {
	const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
	const found = N8N_CAP.exec(message);
	return found ? Number(found[1]) : undefined;
}

/** Remembers the cap n8n stated, for this process. */
export function learnBinaryCap(capMiB: number): void {
	learnedCapMiB = capMiB;
}

/** The cap this process learned, if a file of `bytes` is over it. */
export function capExceededBy(bytes: number | undefined): number | undefined {
	return learnedCapMiB !== undefined && bytes !== undefined && bytes > learnedCapMiB * MIB ? learnedCapMiB : undefined;
}

/** Where binary data goes instead of the database: the alternatives the errors below name. */
const ELSEWHERE = 'N8N_DEFAULT_BINARY_DATA_MODE=s3 (needs an n8n licence), or "filesystem" outside queue mode';

/** How to hand a Dropbox file on without n8n's binary store. */
const PASS_ON = 'To hand a Dropbox file on without its bytes passing through n8n, use a Temporary Link or a shared link.';

/** What to check first when n8n's binary data store fails, in either direction. */
const CHECK_STORE = 'Check the binary data store of this n8n (N8N_DEFAULT_BINARY_DATA_MODE): in "database" mode (the default in queue mode), the database connection';

/** Where filesystem mode keeps the files. */
const BINARY_FOLDER = 'the binary data folder (N8N_BINARY_DATA_STORAGE_PATH)';

/** An error's message, with its code when the message does not name it (`ENOSPC`, `ECONNRESET`). */
export function reasonOf(error: unknown): string {
	const code = (error as { code?: unknown } | undefined)?.code;
	const message = error instanceof Error ? error.message : String(error);
	return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

function mib(bytes: number): string {
	return `${Math.round((bytes / MIB) * 100) / 100} MiB`;
}

/**
 * The error for a file over the cap: its size (`atLeast` when only the bytes received before
 * n8n refused are known), the setting, and what to do instead.
 */
export function binaryCapError(
	node: INode,
	file: { path: string; bytes: number; atLeast?: boolean; itemIndex?: number },
	capMiB: number,
): NodeOperationError {
	const size = `${file.atLeast ? 'at least ' : ''}${mib(file.bytes)}`;
	const message = `"${file.path}" (${size}) is larger than n8n's binary data limit of ${capMiB} MiB per file (N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE)`;
	const error = new NodeOperationError(node, message, {
		itemIndex: file.itemIndex,
		description:
			`This n8n keeps binary data in its database (binary data mode "database", the default in queue mode), at most N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE MiB per file. Raise it on every n8n process (at most 1024), or store binary data elsewhere: ${ELSEWHERE}. To bring a file from the web into Dropbox use Save URL, whose bytes never pass through n8n; to hand a Dropbox file on, a Temporary Link or a shared link.`,
	});
	error.message = message;
	capErrors.add(error);
	return error;
}

/** Whether `error` is Node.js refusing a string that long: n8n's default (in-memory) binary mode holding a file as base64. */
export function isStringTooLong(error: unknown): boolean {
	return (error as { code?: unknown } | undefined)?.code === 'ERR_STRING_TOO_LONG';
}

/**
 * The error for a file too large for n8n's default binary data mode, which holds every file in
 * memory as base64 text: Node.js makes no string over 2^29 - 24 characters, so no file over
 * about 384 MiB. Names the setting that lifts it (and keeps large files out of memory).
 */
export function inMemoryTooLargeError(node: INode, file: { path: string; bytes: number; itemIndex?: number }): NodeOperationError {
	const message = `"${file.path}" (${mib(file.bytes)}) is too large for n8n's in-memory binary data: at most about 384 MiB per file (N8N_DEFAULT_BINARY_DATA_MODE=default)`;
	const error = new NodeOperationError(node, message, {
		itemIndex: file.itemIndex,
		description:
			`This n8n keeps binary data in memory, as base64 text, and Node.js makes no text longer than 512 Mi characters. Set N8N_DEFAULT_BINARY_DATA_MODE=filesystem on the n8n instance (or s3, or database in queue mode): files are then streamed to disk, and large ones no longer take memory. ${PASS_ON}`,
	});
	error.message = message;
	return error;
}

/**
 * The error for n8n's binary data store failing to save a file Dropbox was sending without
 * trouble — in database mode the database (a dropped connection, a value too large for
 * PostgreSQL), in filesystem mode the disk: the file, the bytes received, n8n's own reason,
 * and what to check. Downloading again only helps once that is fixed.
 */
export function storeFailedError(node: INode, file: { path: string; received: number; size?: number; itemIndex?: number }, failure: unknown): NodeOperationError {
	const bytes = `${file.received}${file.size === undefined ? '' : ` of ${file.size}`} bytes`;
	const message = `n8n's binary data store failed to save "${file.path}" (${bytes} received from Dropbox): ${redactSecrets(reasonOf(failure))}`;
	const error = new NodeOperationError(node, message, {
		itemIndex: file.itemIndex,
		description: `Dropbox sent the file without trouble; n8n could not keep it. ${CHECK_STORE} and the database's limits (at most N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE MiB per file; PostgreSQL stores no value of about 1 GB); in "filesystem" mode, the free space of ${BINARY_FOLDER}; then run the step again. Large files need a store outside the database: ${ELSEWHERE}. ${PASS_ON}`,
	});
	error.message = message;
	return error;
}

/**
 * The error for n8n's binary data store failing to read back an item's file to upload (in
 * database mode the database, in s3 mode the object's stream): the item, the field, the path,
 * the bytes read, n8n's own reason, and what to check.
 */
export function storeReadError(node: INode, file: { field: string; path: string; read: number; itemIndex: number }, failure: unknown): NodeOperationError {
	const message = `n8n's binary data store failed to read the Input Binary Field "${file.field}" of item ${file.itemIndex} (upload to "${file.path}", ${file.read} bytes read): ${redactSecrets(reasonOf(failure))}`;
	const error = new NodeOperationError(node, message, {
		itemIndex: file.itemIndex,
		description: `Dropbox is not involved: n8n could not read back the file it stored. ${CHECK_STORE}; in "filesystem" mode, ${BINARY_FOLDER}; in "s3" mode, the connection to the bucket. Then run the step again.`,
	});
	error.message = message;
	return error;
}
