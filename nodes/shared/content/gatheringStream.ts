type ReadableClass = { from(iterable: AsyncIterable<unknown>, options?: { objectMode?: boolean; highWaterMark?: number }): NodeJS.ReadableStream };

/**
 * The Readable class a stream is built on, found on its prototype chain: node code may not
 * import `node:stream`, and n8n's binary store wants a real Readable.
 */
export function readableClassOf(stream: object): ReadableClass {
	for (let proto = Object.getPrototypeOf(stream) as object | null; proto; proto = Object.getPrototypeOf(proto) as object | null) {
		const candidate = (proto as { constructor?: { name?: string; from?: unknown } }).constructor;
		if (candidate?.name === 'Readable' && typeof candidate.from === 'function') return candidate as unknown as ReadableClass;
	}
	throw new TypeError('The download is not a Node.js readable stream');
}

/** Pieces handed on are gathered to about this size: n8n's binary store writes each piece with its own call. */
export const COALESCE_BYTES = 1024 * 1024;

/** What the reader of a gathering stream learns of its source on the way. */
export interface SourceWatch {
	/** Every chunk of the source, as it passes. */
	onChunk?(chunk: Buffer): void;
	/**
	 * The source failed (its iteration threw, or a chunk was not bytes): told before the
	 * reader hears of it. Not told when the reader stops reading or fails on its own.
	 */
	onFailure?(error: unknown): void;
}

/**
 * A pass-through of `source` (a stream, or the pieces a generator makes of one) with the
 * source's backpressure that shows every chunk to `watch` on its way. The network's small
 * pieces (16–64 KiB) are gathered into pieces of about 1 MiB, so n8n's binary store behind
 * writes a 1 GiB file in about a thousand writes instead of tens of thousands; nothing more
 * than one such piece is held. `like` is a Node.js stream whose Readable class the result is
 * made of (the source itself when it is one).
 */
export function gatheringStream(source: AsyncIterable<Buffer | string>, watch: SourceWatch = {}, like: object = source): NodeJS.ReadableStream {
	async function* pass(): AsyncGenerator<Buffer> {
		let gathered: Buffer[] = [];
		let bytes = 0;
		// a reader destroyed with an error throws it in at a yield: that is the reader's failure, not the source's
		let handing = false;
		let failed: { error: unknown } | undefined;
		try {
			for await (const chunk of source) {
				const piece = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
				watch.onChunk?.(piece);
				gathered.push(piece);
				bytes += piece.length;
				if (bytes >= COALESCE_BYTES) {
					handing = true;
					yield gathered.length === 1 ? gathered[0] : Buffer.concat(gathered, bytes);
					handing = false;
					gathered = [];
					bytes = 0;
				}
			}
		} catch (error) {
			failed = { error };
		}
		if (failed) {
			if (!handing) watch.onFailure?.(failed.error);
			throw failed.error;
		}
		if (bytes > 0) yield Buffer.concat(gathered, bytes);
	}
	return readableClassOf(like).from(pass(), { objectMode: false });
}
