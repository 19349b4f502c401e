import { createHash, webcrypto, type Hash } from 'node:crypto';

/** Dropbox hashes content in blocks of 4 MiB. */
export const CONTENT_HASH_BLOCK_SIZE = 4 * 1024 * 1024;

/**
 * Dropbox's content_hash, computed incrementally: SHA-256 of every 4 MiB block, then
 * SHA-256 of the concatenated block digests, in hex. Feed bytes in any slicing.
 */
export class ContentHasher {
	private readonly overall: Hash = createHash('sha256');

	private block: Hash = createHash('sha256');

	private blockFill = 0;

	/** Told the digest of every 4 MiB block as it is closed. */
	onBlock?: (digest: Buffer) => void;

	update(data: Uint8Array): this {
		let offset = 0;
		while (offset < data.length) {
			const take = Math.min(CONTENT_HASH_BLOCK_SIZE - this.blockFill, data.length - offset);
			this.block.update(data.subarray(offset, offset + take));
			this.blockFill += take;
			offset += take;
			if (this.blockFill === CONTENT_HASH_BLOCK_SIZE) this.closeBlock();
		}
		return this;
	}

	/** The digest the block in progress would have if the bytes ended here (undefined on a block boundary). */
	partialBlockDigest(): Buffer | undefined {
		return this.blockFill > 0 ? this.block.copy().digest() : undefined;
	}

	digest(): string {
		if (this.blockFill > 0) this.closeBlock();
		return this.overall.digest('hex');
	}

	private closeBlock(): void {
		const digest = this.block.digest();
		this.overall.update(digest);
		this.onBlock?.(digest);
		this.block = createHash('sha256');
		this.blockFill = 0;
	}
}

/** How many blocks may wait for their digest: hashing (about 1 GiB/s) outruns any download, so this only bounds memory. */
const BLOCKS_IN_FLIGHT = 2;

/**
 * Dropbox's content_hash of bytes given as whole 4 MiB blocks (the last may be shorter), each
 * block hashed by WebCrypto's digest, which runs in libuv's thread pool: the hashing of a
 * download leaves n8n's main thread, which decrypts, parses and stores the bytes meanwhile.
 * `add` resolves once no more than BLOCKS_IN_FLIGHT blocks wait (await it before the next).
 */
export class BlockContentHasher {
	private readonly digests: Array<Promise<ArrayBuffer>> = [];

	async add(block: Uint8Array): Promise<void> {
		const digest = webcrypto.subtle.digest('SHA-256', block);
		digest.catch(() => undefined); // awaited in digest(); a failure surfaces there
		this.digests.push(digest);
		if (this.digests.length > BLOCKS_IN_FLIGHT) await this.digests[this.digests.length - 1 - BLOCKS_IN_FLIGHT];
	}

	async digest(): Promise<string> {
		return contentHashOfBlocks((await Promise.all(this.digests)).map((d) => Buffer.from(d)));
	}
}

/** The content_hash of bytes whose 4 MiB block digests are known, in order. */
export function contentHashOfBlocks(digests: Buffer[]): string {
	const overall = createHash('sha256');
	for (const digest of digests) overall.update(digest);
	return overall.digest('hex');
}

export function contentHash(data: Uint8Array): string {
	return new ContentHasher().update(data).digest();
}
