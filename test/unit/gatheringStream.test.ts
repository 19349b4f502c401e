import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import { COALESCE_BYTES, gatheringStream } from '../../nodes/shared/content/gatheringStream';
import { BlockContentHasher, ContentHasher, contentHash } from '../../nodes/shared/contentHash';

describe('gatheringStream feeding a hasher', () => {
	it('hands on the network\'s small pieces gathered to whole 4 MiB pieces, the same bytes, hashed once', async () => {
		const data = randomBytes(5 * COALESCE_BYTES + 12_345);
		const pieces = Array.from({ length: Math.ceil(data.length / 16_384) }, (_, i) => data.subarray(i * 16_384, (i + 1) * 16_384));
		const hasher = new ContentHasher();
		const out: Buffer[] = [];
		for await (const chunk of gatheringStream(Readable.from(pieces), (chunk) => hasher.update(chunk)) as AsyncIterable<Buffer>) out.push(chunk);
		expect(out.slice(0, -1).every((chunk) => chunk.length >= COALESCE_BYTES && chunk.length < COALESCE_BYTES + 16_384)).toBe(true);
		expect(out.length).toBe(6);
		expect(Buffer.concat(out).equals(data)).toBe(true);
		expect(hasher.digest()).toBe(contentHash(data));
	});
});

describe('gatheringStream feeding the off-thread block hasher', () => {
	it('hands on whole 4 MiB pieces (the last shorter), each shown to onPiece first, whose block hashes make the content_hash', async () => {
		for (const size of [0, 1, COALESCE_BYTES, COALESCE_BYTES + 1, 2 * COALESCE_BYTES + 123_457]) {
			const data = randomBytes(size);
			const chunks = Array.from({ length: Math.ceil(size / 65_521) }, (_, i) => data.subarray(i * 65_521, (i + 1) * 65_521));
			const hasher = new BlockContentHasher();
			const shown: number[] = [];
			const out: Buffer[] = [];
			const stream = gatheringStream(Readable.from(chunks), undefined, Readable.from([]), async (piece) => {
				shown.push(piece.length);
				await hasher.add(piece);
			});
			for await (const piece of stream as AsyncIterable<Buffer>) out.push(piece);
			const expected = [...Array(Math.floor(size / COALESCE_BYTES)).fill(COALESCE_BYTES), ...(size % COALESCE_BYTES ? [size % COALESCE_BYTES] : [])];
			expect({ size, pieces: out.map((p) => p.length), shown }).toEqual({ size, pieces: expected, shown: expected });
			expect(Buffer.concat(out).equals(data)).toBe(true);
			expect(await hasher.digest()).toBe(contentHash(data));
		}
	});
});
