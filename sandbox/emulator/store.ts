/**
 * Content store: every file body lives in its own file under `<dataDir>/blobs`, written while it
 * streams in (hashing on the way) and streamed out on download. Nothing is held in memory.
 */
import { createReadStream, createWriteStream, mkdirSync, rmSync, writeFileSync, promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ContentHasher } from './hash';

export class TooLarge extends Error {}

export class BlobStore {
	readonly dir: string;
	constructor(readonly dataDir: string) {
		this.dir = join(dataDir, 'blobs');
		mkdirSync(this.dir, { recursive: true });
	}

	newPath(): string {
		return join(this.dir, randomBytes(12).toString('hex'));
	}

	/**
	 * Streams `src` into a new blob (or appends to `target`), hashing it. Rejects with TooLarge when
	 * more than `limit` bytes arrive (the rest of the body is then drained and dropped).
	 */
	receive(
		src: Readable,
		opts: { limit: number; target?: string; position?: number; hasher?: ContentHasher; requestHasher?: ContentHasher; onData?: (bytes: number) => void },
	): Promise<{ blob: string; size: number }> {
		const blob = opts.target ?? this.newPath();
		return new Promise((resolve, reject) => {
			// into `target` at `position` (a concurrent session's part), appended to `target`, or a new blob
			const out = createWriteStream(blob, opts.position !== undefined ? { flags: 'r+', start: opts.position } : { flags: opts.target ? 'a' : 'w' });
			let size = 0;
			let failed = false;
			const fail = (e: Error) => {
				if (failed) return;
				failed = true;
				src.unpipe?.();
				out.destroy();
				if (!opts.target) rmSync(blob, { force: true });
				reject(e);
			};
			src.on('data', (chunk: Buffer) => {
				if (failed) return;
				opts.onData?.(chunk.length);
				size += chunk.length;
				if (size > opts.limit) {
					fail(new TooLarge());
					src.resume();
					return;
				}
				opts.hasher?.update(chunk);
				opts.requestHasher?.update(chunk);
				if (!out.write(chunk)) {
					src.pause();
					out.once('drain', () => src.resume());
				}
			});
			src.on('end', () => {
				if (failed) return;
				out.end(() => resolve({ blob, size }));
			});
			src.on('error', fail);
			src.on('aborted', () => fail(new Error('aborted')));
			out.on('error', fail);
		});
	}

	writeBuffer(buf: Buffer): string {
		const p = this.newPath();
		writeFileSync(p, buf);
		return p;
	}

	/** Whole blob in memory (small exported documents only). */
	readAll(blob: string): Promise<Buffer> {
		return fsp.readFile(blob);
	}

	/** The first `bytes` bytes of a blob (fewer when it is shorter): a file's header. */
	async head(blob: string, bytes: number): Promise<Buffer> {
		const file = await fsp.open(blob, 'r');
		try {
			const { buffer, bytesRead } = await file.read(Buffer.alloc(bytes), 0, bytes, 0);
			return buffer.subarray(0, bytesRead);
		} finally {
			await file.close();
		}
	}

	read(blob: string, start?: number, end?: number): Readable {
		return createReadStream(blob, { start, end, highWaterMark: 1024 * 1024 });
	}

	/** A new empty blob (a concurrent session's file, its parts written in at their offsets). */
	newEmpty(): string {
		return this.writeBuffer(Buffer.alloc(0));
	}

	/** Copies blob `from` into `target` at `position` (a resent concurrent part, received aside first). */
	async copyInto(from: string, target: string, position: number): Promise<void> {
		await pipeline(createReadStream(from, { highWaterMark: 1024 * 1024 }), createWriteStream(target, { flags: 'r+', start: position }));
	}

	async remove(p: string): Promise<void> {
		await fsp.rm(p, { force: true });
	}

	wipe(): void {
		rmSync(this.dir, { recursive: true, force: true });
		mkdirSync(this.dir, { recursive: true });
	}
}
