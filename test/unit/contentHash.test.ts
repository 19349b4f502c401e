import { createHash } from 'node:crypto';

import { CONTENT_HASH_BLOCK_SIZE, ContentHasher, contentHash } from '../../nodes/shared/contentHash';

const MiB4 = 4 * 1024 * 1024;

/** The definition from DROPBOX-API.md, written independently, as an oracle. */
function reference(data: Buffer): string {
	const overall = createHash('sha256');
	for (let offset = 0; offset < data.length; offset += MiB4) {
		overall.update(createHash('sha256').update(data.subarray(offset, offset + MiB4)).digest());
	}
	return overall.digest('hex');
}

/** Deterministic pseudo-random bytes. */
function bytes(length: number, seed = 1): Buffer {
	const out = Buffer.alloc(length);
	let x = seed;
	for (let i = 0; i < length; i++) {
		x = (x * 1103515245 + 12345) & 0x7fffffff;
		out[i] = x >>> 16;
	}
	return out;
}

/** Feeds `data` to a ContentHasher in slices of the given sizes, cycling through them. */
function sliced(data: Buffer, sizes: number[]): string {
	const hasher = new ContentHasher();
	let offset = 0;
	for (let i = 0; offset < data.length; i++) {
		const size = sizes[i % sizes.length];
		hasher.update(data.subarray(offset, offset + size));
		offset += size;
	}
	return hasher.digest();
}

describe('Dropbox content_hash', () => {
	it('blocks are 4 MiB (4,194,304 bytes)', () => {
		expect(CONTENT_HASH_BLOCK_SIZE).toBe(4_194_304);
	});

	it('the empty file hashes to the SHA-256 of nothing (no blocks)', () => {
		expect(contentHash(Buffer.alloc(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
		expect(new ContentHasher().digest()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
	});

	it('"A" matches the golden vector 1cd6ef71…5e42', () => {
		const hash = contentHash(Buffer.from('A'));
		expect(hash).toMatch(/^1cd6ef71[0-9a-f]{52}5e42$/);
		expect(hash).toBe('1cd6ef71e6e0ff46ad2609d403dc3fee244417089aa4461245a4e4fe23a55e42');
	});

	it('4,194,304 × "A" (exactly one full block) matches the golden vector d4d63bac…efa3', () => {
		const hash = contentHash(Buffer.alloc(MiB4, 'A'));
		expect(hash).toMatch(/^d4d63bac[0-9a-f]{52}efa3$/);
		expect(hash).toBe('d4d63bac5b866c71620185392a8a6218ac1092454a2d16f820363b69852befa3');
	});

	it('4 MiB + 1 byte is two blocks: the second of one byte', () => {
		const data = Buffer.alloc(MiB4 + 1, 'A');
		const twoBlocks = createHash('sha256')
			.update(createHash('sha256').update(data.subarray(0, MiB4)).digest())
			.update(createHash('sha256').update(Buffer.from('A')).digest())
			.digest('hex');
		expect(contentHash(data)).toBe(twoBlocks);
		expect(contentHash(data)).toBe('8f553da8d00d0bf509d8470e242888be33019c20c0544811f5b2b89e98360b92');
		expect(contentHash(data)).not.toBe(contentHash(Buffer.alloc(MiB4, 'A')));
	});

	it('is not a plain SHA-256 of the bytes', () => {
		const data = Buffer.from('hello');
		expect(contentHash(data)).not.toBe(createHash('sha256').update(data).digest('hex'));
		expect(contentHash(data)).toBe(reference(data));
	});

	it.each([1, 2, MiB4 - 1, MiB4, MiB4 + 1, 2 * MiB4, 2 * MiB4 + 12345])('matches the definition for %i bytes', (length) => {
		const data = bytes(length, length);
		expect(contentHash(data)).toBe(reference(data));
	});

	describe('incremental updates in odd slices equal the one-shot hash', () => {
		const data = bytes(2 * MiB4 + 777_777, 42);
		const oneShot = contentHash(data);

		it.each<[string, number[]]>([
			['1- and 3-byte slices between large ones', [1, 3, 1_000_003]],
			['prime-sized slices', [65_537, 7, 999_983]],
			['slices that end exactly on block boundaries', [MiB4]],
			['slices one byte short of a block', [MiB4 - 1]],
			['slices one byte over a block', [MiB4 + 1]],
			['one slice spanning several blocks', [3 * MiB4]],
			['empty slices in between', [0, 100_000, 0, 0, 1_234_567]],
		])('%s', (_name, sizes) => {
			// a zero-size slice is an empty update() between real ones
			expect(sliced(data, sizes)).toBe(oneShot);
		});

		it('explicit empty updates change nothing', () => {
			const hasher = new ContentHasher();
			hasher.update(Buffer.alloc(0));
			hasher.update(data.subarray(0, 10));
			hasher.update(new Uint8Array(0));
			hasher.update(data.subarray(10));
			hasher.update(Buffer.alloc(0));
			expect(hasher.digest()).toBe(oneShot);
		});

		it('accepts plain Uint8Array slices (not only Buffers)', () => {
			const hasher = new ContentHasher();
			for (let offset = 0; offset < data.length; offset += 1_000_000) {
				hasher.update(new Uint8Array(data.subarray(offset, offset + 1_000_000)));
			}
			expect(hasher.digest()).toBe(oneShot);
		});

		it('update() chains', () => {
			expect(new ContentHasher().update(data.subarray(0, 5)).update(data.subarray(5)).digest()).toBe(oneShot);
		});
	});
});
