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
		for await (const chunk of gatheringStream(Readable.from(pieces), (chunk) => hasher.update(chunk)) as AsyncIterable<Buffer>) out.push(chunk);
		expect(out.slice(0, -1).every((chunk) => chunk.length >= COALESCE_BYTES && chunk.length < COALESCE_BYTES + 16_384)).toBe(true);
		expect(out.length).toBe(6);
		expect(Buffer.concat(out).equals(data)).toBe(true);
		expect(hasher.digest()).toBe(contentHash(data));
	});
});
