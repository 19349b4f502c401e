import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import { COALESCE_BYTES, gatheringStream } from '../../nodes/shared/content/gatheringStream';
import { ContentHasher, contentHash } from '../../nodes/shared/contentHash';

describe('gatheringStream feeding a hasher', () => {
	it('hands on the network\'s small pieces gathered to about 1 MiB, the same bytes, hashed once', async () => {
		const data = randomBytes(5 * COALESCE_BYTES + 12_345);
		const pieces = Array.from({ length: Math.ceil(data.length / 16_384) }, (_, i) => data.subarray(i * 16_384, (i + 1) * 16_384));
		const hasher = new ContentHasher();
		const out: Buffer[] = [];
		for await (const chunk of gatheringStream(Readable.from(pieces), { onChunk: (chunk) => hasher.update(chunk) }) as AsyncIterable<Buffer>) out.push(chunk);
		expect(out.slice(0, -1).every((chunk) => chunk.length >= COALESCE_BYTES && chunk.length < COALESCE_BYTES + 16_384)).toBe(true);
		expect(out.length).toBe(6);
		expect(Buffer.concat(out).equals(data)).toBe(true);
		expect(hasher.digest()).toBe(contentHash(data));
	});
});

describe("gatheringStream telling the source's failure from the reader's", () => {
	const piece = Buffer.alloc(COALESCE_BYTES, 1);

	it('a source that fails (a dropped connection) is told, with its error, before the reader sees it', async () => {
		const cut = new Error('aborted');
		const told: unknown[] = [];
		const source = Readable.from((async function* () {
			yield piece;
			throw cut;
		})());
		const body = gatheringStream(source, { onFailure: (error) => told.push(error) }) as AsyncIterable<Buffer>;
		await expect((async () => {
			for await (const chunk of body) void chunk;
		})()).rejects.toBe(cut);
		expect(told).toEqual([cut]);
	});

	it.each([
		['stops reading (as fs.writeFile does when the disk is full)', (body: Readable) => body.destroy()],
		['destroys the stream with its own error (as stream.pipeline does)', (body: Readable) => body.destroy(new Error('ENOSPC'))],
	])('a reader that %s is not a failure of the source, and the source is let go', async (_how, fail) => {
		const told: unknown[] = [];
		const source = Readable.from([piece, piece, piece]);
		const body = gatheringStream(source, { onFailure: (error) => told.push(error) }) as Readable;
		body.on('error', () => undefined);
		await new Promise<void>((resolve) => body.once('data', () => resolve()));
		fail(body);
		await new Promise<void>((resolve) => source.once('close', () => resolve()));
		expect(told).toEqual([]);
	});
});
