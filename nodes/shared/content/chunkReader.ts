import { CONTENT_HASH_BLOCK_SIZE, ContentHasher, contentHash, contentHashOfBlocks } from '../contentHash';

/**
 * Reads a byte source (a stream from n8n's binary store, or a buffer) in exact-size pieces,
 * forward only, holding no more than one piece plus what the stream has already handed over.
 * With `reuse`, a stream's bytes are gathered into piece buffers that come back through
 * `release` once sent and are filled again: a 1 GiB upload then allocates a handful of pieces
 * instead of one per chunk, and the process's memory stays flat.
 * Every byte is fed to a content hasher as it is read (or skipped), so once the source is
 * exhausted `hasher` holds the Dropbox content_hash of the whole source, read once. The
 * content_hash of each piece (sent with its request) comes from the same block digests: no
 * byte is hashed twice.
 */
export class ChunkReader {
	readonly hasher = new ContentHasher();

	/** Bytes taken out of the source so far (read or skipped). */
	position = 0;

	private readonly source: AsyncIterator<unknown>;

	/** What the bytes come from, to destroy on close when it is a stream. */
	private readonly origin: unknown;

	private closed = false;

	private pending: Buffer[] = [];

	private pendingBytes = 0;

	private exhausted = false;

	/** The piece read last and its content_hash, when it started on a 4 MiB block boundary. */
	private last?: { piece: Buffer; hash: string };

	/** How many released piece buffers are kept for reuse (0: pieces are not reused); it may grow while reading. */
	private readonly reuse: () => number;

	private readonly spare: Buffer[] = [];

	/** The piece buffers this reader made, by their memory: what `release` takes back. */
	private readonly owned = new WeakMap<ArrayBufferLike, Buffer>();

	/** Told of the bytes of piece buffers this reader allocates and lets go of (the node run's memory budget). */
	private readonly holding?: (deltaBytes: number) => void;

	/** Bytes of the piece buffers this reader holds (in use or kept for reuse). */
	private heldBytes = 0;

	/** Bytes the source has handed over so far. */
	private sourceBytes = 0;

	/** Turns the source's own failure (not the caller's) into the error to throw, told how many bytes the source gave before. */
	private readonly failed?: (error: unknown, bytesRead: number) => Error;

	constructor(
		source: AsyncIterable<unknown> | Buffer,
		options: { reuse?: number | (() => number); holding?: (deltaBytes: number) => void; failed?: (error: unknown, bytesRead: number) => Error } = {},
	) {
		this.origin = source;
		this.source = Buffer.isBuffer(source) ? bufferPieces(source) : source[Symbol.asyncIterator]();
		// A buffer is sliced without copying: nothing to reuse
		const reuse = Buffer.isBuffer(source) ? 0 : (options.reuse ?? 0);
		this.reuse = typeof reuse === 'number' ? () => reuse : reuse;
		this.holding = options.holding;
		this.failed = options.failed;
	}

	/** The next `size` bytes; fewer only at the end of the source, empty once it is exhausted. */
	async read(size: number): Promise<Buffer> {
		let piece: Buffer;
		if (this.reuse() > 0) {
			piece = await this.gather(size);
		} else {
			await this.fill(size);
			const take = Math.min(size, this.pendingBytes);
			if (this.pending.length > 0 && this.pending[0].length >= take) {
				piece = this.pending[0].subarray(0, take);
				this.pending[0] = this.pending[0].subarray(take);
				if (this.pending[0].length === 0) this.pending.shift();
			} else {
				const joined = Buffer.concat(this.pending, this.pendingBytes);
				piece = joined.subarray(0, take);
				this.pending = take < joined.length ? [joined.subarray(take)] : [];
			}
			this.pendingBytes -= take;
		}
		const take = piece.length;
		const aligned = this.position % CONTENT_HASH_BLOCK_SIZE === 0;
		this.position += take;
		const blocks: Buffer[] = [];
		this.hasher.onBlock = aligned ? (digest) => blocks.push(digest) : undefined;
		this.hasher.update(piece);
		this.hasher.onBlock = undefined;
		this.last = undefined;
		if (aligned) {
			const partial = this.hasher.partialBlockDigest();
			if (partial) blocks.push(partial);
			this.last = { piece, hash: contentHashOfBlocks(blocks) };
		}
		return piece;
	}

	/** The content_hash of `data`: from the digests made while reading when it is the piece read last, else computed. */
	hashOf(data: Buffer): string {
		return this.last?.piece === data ? this.last.hash : contentHash(data);
	}

	/** Hands back a piece `read` gave once nothing uses it any more: its buffer is filled again by a later read. */
	release(piece: Buffer): void {
		const whole = this.owned.get(piece.buffer);
		if (!whole || this.spare.includes(whole)) return;
		if (this.spare.length < this.reuse()) this.spare.push(whole);
		else this.let(whole);
	}

	/** Reads and discards `count` bytes (still hashed); returns how many there were. */
	async skip(count: number): Promise<number> {
		let skipped = 0;
		while (skipped < count) {
			const piece = await this.read(Math.min(count - skipped, 4 * 1024 * 1024));
			this.release(piece);
			if (piece.length === 0) break;
			skipped += piece.length;
		}
		return skipped;
	}

	/**
	 * The next `size` bytes (fewer at the end) copied into a reused (or new) piece buffer as
	 * they come from the source: the piece is the only copy held, not the source's small pieces
	 * and the piece besides.
	 */
	private async gather(size: number): Promise<Buffer> {
		let target: Buffer | undefined;
		let filled = 0;
		while (filled < size) {
			if (this.pendingBytes === 0) await this.fill(1);
			if (this.pendingBytes === 0) break;
			target ??= this.pieceBuffer(size);
			const head = this.pending[0];
			const count = Math.min(head.length, size - filled);
			head.copy(target, filled, 0, count);
			filled += count;
			this.pendingBytes -= count;
			if (count === head.length) this.pending.shift();
			else this.pending[0] = head.subarray(count);
		}
		return target ? target.subarray(0, filled) : Buffer.alloc(0);
	}

	/** A spare piece buffer of at least `size` bytes, else a new one. */
	private pieceBuffer(size: number): Buffer {
		let target = this.spare.pop();
		if (target && target.length < size) {
			this.let(target);
			target = undefined;
		}
		if (!target) {
			target = Buffer.allocUnsafeSlow(size);
			this.owned.set(target.buffer, target);
			this.heldBytes += size;
			this.holding?.(size);
		}
		return target;
	}

	/** Forgets a piece buffer: its memory goes once nothing else uses it. */
	private let(buffer: Buffer): void {
		this.owned.delete(buffer.buffer);
		this.heldBytes -= buffer.length;
		this.holding?.(-buffer.length);
	}

	/** Whether the source has no more bytes. */
	async atEnd(): Promise<boolean> {
		await this.fill(1);
		return this.pendingBytes === 0;
	}

	/**
	 * Lets go of the source, whether it was read to its end or not: its iterator is ended and a
	 * stream is destroyed (n8n's binary store hands out a file descriptor in filesystem mode,
	 * a socket in S3 mode). Held bytes are dropped. Safe to call more than once.
	 */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.exhausted = true;
		this.pending = [];
		this.pendingBytes = 0;
		this.spare.length = 0;
		if (this.heldBytes > 0) this.holding?.(-this.heldBytes);
		this.heldBytes = 0;
		try {
			await this.source.return?.();
		} catch {
			// a source that fails while closing is closed all the same
		}
		const stream = this.origin as { destroy?: () => void; destroyed?: boolean };
		if (!Buffer.isBuffer(this.origin) && typeof stream.destroy === 'function' && stream.destroyed !== true) stream.destroy();
	}

	private async fill(size: number): Promise<void> {
		while (this.pendingBytes < size && !this.exhausted) {
			const next = await this.source.next().catch((error: unknown) => {
				throw this.failed ? this.failed(error, this.sourceBytes) : error;
			});
			if (next.done) {
				this.exhausted = true;
				break;
			}
			const value = next.value;
			const piece = Buffer.isBuffer(value)
				? value
				: value instanceof Uint8Array
					? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
					: Buffer.from(String(value));
			if (piece.length === 0) continue;
			this.pending.push(piece);
			this.pendingBytes += piece.length;
			this.sourceBytes += piece.length;
		}
	}
}

/** A buffer as an iterator of one piece: the reader slices it without copying. */
function bufferPieces(buffer: Buffer): AsyncIterator<unknown> {
	let given = false;
	return {
		next: async () => {
			if (given) return { done: true, value: undefined };
			given = true;
			return { done: false, value: buffer };
		},
	};
}
