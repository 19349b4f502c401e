import { NodeApiError, NodeOperationError, type IBinaryData, type IDataObject, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { ContentHasher } from '../contentHash';
import { binaryCapError, binaryCapOf, capExceededBy, inMemoryTooLargeError, isStringTooLong, learnBinaryCap, reasonOf, storeFailedError } from './binaryLimit';
import { cancelSignalOf, checkNotStopped, dropboxDownload, type DownloadResult } from '../transport';
import { gatheringStream } from './gatheringStream';
import { resumingPieces, MAX_DOWNLOAD_RESUMES } from './resumingStream';

/**
 * The one download pipeline, used by File → Download, Download as ZIP, Download File From
 * Link and the triggers' attached content: the request, the body streamed into n8n's binary
 * store (gathered to about 1 MiB per write, never whole in memory), resumed with `Range`
 * where Dropbox can serve the same bytes again, and checked against Dropbox's content_hash
 * where Dropbox gives one. Every failure reaching n8n is a NodeApiError or NodeOperationError
 * naming the item, the path and the fix; a failed download's streams are destroyed.
 */

/** How a download whose connection dropped mid-body goes on. */
export type ResumeRule =
	/** Range from the byte reached, on the revision first answered (`rev:` of the answer): files/download. */
	| 'revision'
	/** Range from the byte reached with the same arguments, accepted only while the answer names the same revision: shared links. */
	| 'sameRevision'
	/** Never (a ZIP is made afresh for every request; an export has no revision to pin). */
	| 'none';

export interface DownloadRequest {
	route: string;
	args: IDataObject;
	/** The path, ID or URL the download is of: named in messages. */
	path: string;
	itemIndex?: number;
	resume: ResumeRule;
}

/** What the caller takes from Dropbox's answer: the stored file's name and type, and the hash to check when Dropbox gives one. */
export interface StoredAs {
	fileName: string;
	mimeType?: string;
	/** Dropbox's content_hash of exactly these bytes (files/download); none for ZIPs, exports and shared links. */
	expectedHash?: string;
	/** The path to name in a mismatch (the answer's path_display), else the request's. */
	shownPath?: string;
}

/** The contexts that download: any with n8n's binary store. */
export type DownloadFunctions = Parameters<typeof dropboxDownload>[0] & {
	helpers: Pick<IExecuteFunctions['helpers'], 'prepareBinaryData'>;
	getNode(): INode;
};

type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

function isNodeError(error: unknown): boolean {
	return error instanceof NodeApiError || error instanceof NodeOperationError;
}

function destroy(stream: NodeJS.ReadableStream | undefined): void {
	const destroyable = stream as { destroy?: () => void; destroyed?: boolean } | undefined;
	if (destroyable && typeof destroyable.destroy === 'function' && destroyable.destroyed !== true) destroyable.destroy();
}

/** Requests a download and stores its body in n8n's binary store: Dropbox's metadata and the stored file. */
export async function downloadToBinary<T extends IDataObject>(
	ctx: DownloadFunctions,
	request: DownloadRequest,
	storedAs: (result: T) => StoredAs,
): Promise<{ result: T; binary: IBinaryData }> {
	const { route, args, path, itemIndex } = request;
	const answer = await dropboxDownload<T>(ctx, route, args, { path, itemIndex });
	const streams: NodeJS.ReadableStream[] = [answer.stream];
	const size = request.resume !== 'none' && typeof answer.result.size === 'number' ? answer.result.size : undefined;
	let received = 0;
	let resumes = 0;
	// Set once n8n's binary store failed with Dropbox's side fine: nothing more is asked of Dropbox
	let storeFailed = false;
	let failure: unknown;
	const resume = async (offset: number): Promise<NodeJS.ReadableStream> => {
		// the store gave up on the body (its streams are being destroyed): resuming cannot help
		if (storeFailed) throw failure;
		resumes++;
		const rev = typeof answer.result.rev === 'string' ? answer.result.rev : undefined;
		const again = request.resume === 'revision' && rev ? { ...args, path: `rev:${rev}` } : args;
		const next: DownloadResult<T> = await dropboxDownload<T>(ctx, route, again, { path, itemIndex, range: { start: offset } });
		streams.push(next.stream);
		const sameRevision = request.resume === 'revision' || next.result.rev === rev;
		if (next.statusCode !== 206 || !sameRevision) {
			throw new NodeOperationError(ctx.getNode(), `The download of "${path}" was cut off at byte ${offset} and could not be resumed`, {
				itemIndex,
				description:
					next.statusCode !== 206
						? 'Dropbox sent the whole file again instead of the rest. Run the step again.'
						: 'The file changed while it was downloaded. Run the step again for the new version.',
			});
		}
		return next.stream;
	};
	let target: StoredAs | undefined;
	try {
		target = storedAs(answer.result);
	} finally {
		// nothing will read a body whose answer could not be used
		if (!target) destroy(answer.stream);
	}
	// Larger than n8n's binary store already refused in this process: stop before reading the body
	const knownSize = typeof answer.result.size === 'number' ? answer.result.size : undefined;
	const overCap = capExceededBy(knownSize);
	if (overCap !== undefined && knownSize !== undefined) {
		destroy(answer.stream);
		throw binaryCapError(ctx.getNode(), { path: target.shownPath ?? path, bytes: knownSize, itemIndex }, overCap);
	}
	const pieces = request.resume === 'none' ? (answer.stream as AsyncIterable<Buffer | string>) : resumingPieces(answer.stream, size, resume);
	const hasher = target.expectedHash ? new ContentHasher() : undefined;
	// Stop ends the download at once: its streams are destroyed, the binary store's write fails
	const signal = cancelSignalOf(ctx);
	const onStop = () => streams.forEach(destroy);
	signal?.addEventListener('abort', onStop, { once: true });
	let binary: IBinaryData | undefined;
	let dropboxFailed = false;
	try {
		const body = gatheringStream(
			pieces,
			{
				onChunk: (chunk) => {
					received += chunk.length;
					hasher?.update(chunk);
				},
				// Dropbox's side failed (the connection dropped for good, a body that is not bytes): known before the store hears of it
				onFailure: () => (dropboxFailed = true),
			},
			answer.stream,
		);
		binary = await ctx.helpers.prepareBinaryData(body as BinarySource, target.fileName, target.mimeType);
	} catch (error) {
		failure = error;
		storeFailed = !dropboxFailed;
	} finally {
		signal?.removeEventListener('abort', onStop);
	}
	if (!binary) {
		streams.forEach(destroy);
		checkNotStopped(ctx, { route, path, itemIndex });
		if (isNodeError(failure)) throw failure;
		const cap = binaryCapOf(failure);
		if (cap !== undefined) {
			learnBinaryCap(cap);
			const bytes = knownSize ?? received;
			throw binaryCapError(ctx.getNode(), { path: target.shownPath ?? path, bytes, atLeast: knownSize === undefined, itemIndex }, cap);
		}
		if (isStringTooLong(failure)) throw inMemoryTooLargeError(ctx.getNode(), { path: target.shownPath ?? path, bytes: knownSize ?? received, itemIndex });
		if (storeFailed) throw storeFailedError(ctx.getNode(), { path: target.shownPath ?? path, received, size, itemIndex }, failure);
		const tries = resumes > 0 ? ` (resumed ${resumes} time${resumes === 1 ? '' : 's'})` : '';
		const message = `The download of "${path}" failed after ${received}${size === undefined ? '' : ` of ${size}`} bytes${tries}: ${reasonOf(failure)}`;
		const cut = new NodeOperationError(ctx.getNode(), message, {
			itemIndex,
			description:
				(request.resume === 'none'
					? 'The connection to Dropbox dropped while the file was being received (this download cannot be resumed: Dropbox makes it afresh for every request). '
					: `The connection to Dropbox kept dropping (up to ${MAX_DOWNLOAD_RESUMES} resumes are tried). `) +
				'Run the step again; if it repeats, check the network and proxies between n8n and Dropbox.',
		});
		// n8n swaps messages naming ECONNRESET and the like for generic ones: keep ours
		cut.message = message;
		throw cut;
	}
	const got = hasher?.digest();
	if (target.expectedHash && got !== target.expectedHash) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The bytes downloaded from "${target.shownPath ?? path}" do not match Dropbox's content_hash (got ${got}, expected ${target.expectedHash})`,
			{ itemIndex, description: 'The download was cut or changed on the way. Run the step again; if it repeats, check proxies between n8n and Dropbox.' },
		);
	}
	return { result: answer.result, binary };
}
