import type { ContentHasher } from '../../shared/contentHash';

type ReadableClass = { from(iterable: AsyncIterable<unknown>, options?: { objectMode?: boolean }): NodeJS.ReadableStream };

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

/**
 * A pass-through of `stream` that feeds every chunk to `hasher` on its way, with the
 * source's backpressure: nothing is buffered beyond the stream's own high-water mark.
 */
export function hashingStream(stream: NodeJS.ReadableStream, hasher: ContentHasher): NodeJS.ReadableStream {
	async function* pass(): AsyncGenerator<Buffer> {
		for await (const chunk of stream as AsyncIterable<Buffer | string>) {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			hasher.update(bytes);
			yield bytes;
		}
	}
	return readableClassOf(stream).from(pass(), { objectMode: false });
}
