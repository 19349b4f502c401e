import { createHash, Hash } from 'node:crypto';

export const BLOCK_SIZE = 4 * 1024 * 1024;

/** Incremental Dropbox content_hash: SHA-256 of the concatenated SHA-256 digests of 4 MiB blocks. */
export class ContentHasher {
	private outer: Hash = createHash('sha256');
	private block: Hash | null = null;
	private inBlock = 0;
	bytes = 0;
	/** The digest of every whole 4 MiB block so far, when made with `keepBlocks` (concurrent session parts). */
	readonly blocks: Buffer[] | undefined;

	constructor(opts: { keepBlocks?: boolean } = {}) {
		this.blocks = opts.keepBlocks ? [] : undefined;
	}

	/** Whether the bytes so far end on a block boundary: a request hashed from here hashes the same blocks. */
	get atBlockBoundary(): boolean {
		return this.block === null;
	}

	/**
	 * Carries on with everything `request` hashed, as if its bytes had been fed here (no byte is
	 * hashed twice). Only valid at a block boundary, with `request` made with `keepBlocks`.
	 */
	absorb(request: ContentHasher): void {
		if (!this.atBlockBoundary || !request.blocks) throw new Error('absorb needs a block boundary and a request hasher keeping its blocks');
		for (const d of request.blocks) this.outer.update(d);
		this.block = request.block ? request.block.copy() : null;
		this.inBlock = request.inBlock;
		this.bytes += request.bytes;
	}

	update(chunk: Buffer): void {
		let pos = 0;
		this.bytes += chunk.length;
		while (pos < chunk.length) {
			if (!this.block) {
				this.block = createHash('sha256');
				this.inBlock = 0;
			}
			const take = Math.min(BLOCK_SIZE - this.inBlock, chunk.length - pos);
			this.block.update(pos === 0 && take === chunk.length ? chunk : chunk.subarray(pos, pos + take));
			this.inBlock += take;
			pos += take;
			if (this.inBlock === BLOCK_SIZE) {
				const d = this.block.digest();
				this.outer.update(d);
				this.blocks?.push(d);
				this.block = null;
			}
		}
	}

	clone(): ContentHasher {
		const c = new ContentHasher();
		c.outer = this.outer.copy();
		c.block = this.block ? this.block.copy() : null;
		c.inBlock = this.inBlock;
		c.bytes = this.bytes;
		return c;
	}

	digest(): string {
		if (this.block) {
			const d = this.block.digest();
			this.outer.update(d);
			this.blocks?.push(d);
			this.block = null;
		}
		return this.outer.digest('hex');
	}
}

/** content_hash from block digests in file order (the parts of a concurrent session, each hashed once). */
export function contentHashOfBlocks(blocks: Buffer[]): string {
	const outer = createHash('sha256');
	for (const d of blocks) outer.update(d);
	return outer.digest('hex');
}

export function contentHashOf(buf: Buffer): string {
	const h = new ContentHasher();
	h.update(buf);
	return h.digest();
}

/** content_hash of `size` zero bytes without touching them (sparse seeded files). */
export function zeroContentHash(size: number): string {
	const outer = createHash('sha256');
	const full = Math.floor(size / BLOCK_SIZE);
	if (full > 0) {
		const d = createHash('sha256').update(Buffer.alloc(BLOCK_SIZE)).digest();
		for (let i = 0; i < full; i++) outer.update(d);
	}
	const rest = size % BLOCK_SIZE;
	if (rest > 0) outer.update(createHash('sha256').update(Buffer.alloc(rest)).digest());
	return outer.digest('hex');
}
