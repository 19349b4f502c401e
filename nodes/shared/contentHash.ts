import { createHash, type Hash } from 'node:crypto';

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

/** The content_hash of bytes whose 4 MiB block digests are known, in order. */
export function contentHashOfBlocks(digests: Buffer[]): string {
	const overall = createHash('sha256');
	for (const digest of digests) overall.update(digest);
	return overall.digest('hex');
}

export function contentHash(data: Uint8Array): string {
	return new ContentHasher().update(data).digest();
}
