import { ContentHasher } from '../../shared/contentHash';

/**
 * Reads a byte source (a stream from n8n's binary store, or a buffer) in exact-size pieces,
 * forward only, holding no more than one piece plus what the stream has already handed over.
 * Every byte is fed to a content hasher as it is read (or skipped), so once the source is
 * exhausted `hasher` holds the Dropbox content_hash of the whole source, read once.
 */
export class ChunkReader {
	readonly hasher = new ContentHasher();

	/** Bytes taken out of the source so far (read or skipped). */
	position = 0;

	private readonly source: AsyncIterator<unknown>;

	private pending: Buffer[] = [];

	private pendingBytes = 0;

	private exhausted = false;

	constructor(source: AsyncIterable<unknown> | Buffer) {
		this.source = Buffer.isBuffer(source) ? bufferPieces(source) : source[Symbol.asyncIterator]();
	}

	/** The next `size` bytes; fewer only at the end of the source, empty once it is exhausted. */
	async read(size: number): Promise<Buffer> {
		await this.fill(size);
		const take = Math.min(size, this.pendingBytes);
		let piece: Buffer;
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
		this.position += take;
		this.hasher.update(piece);
		return piece;
	}

	/** Reads and discards `count` bytes (still hashed); returns how many there were. */
	async skip(count: number): Promise<number> {
		let skipped = 0;
		while (skipped < count) {
			const piece = await this.read(Math.min(count - skipped, 4 * 1024 * 1024));
			if (piece.length === 0) break;
			skipped += piece.length;
		}
		return skipped;
	}

	/** Whether the source has no more bytes. */
	async atEnd(): Promise<boolean> {
		await this.fill(1);
		return this.pendingBytes === 0;
	}

	private async fill(size: number): Promise<void> {
		while (this.pendingBytes < size && !this.exhausted) {
			const next = await this.source.next();
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
