/**
 * Content store: every file body lives in its own file under `<dataDir>/blobs`, written while it
 * streams in (hashing on the way) and streamed out on download. Nothing is held in memory.
 */
import { createReadStream, createWriteStream, mkdirSync, rmSync, writeFileSync, promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ContentHasher } from './hash';

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
	receive(src: Readable, opts: { limit: number; target?: string; hasher?: ContentHasher; requestHasher?: ContentHasher }): Promise<{ blob: string; size: number }> {
		const blob = opts.target ?? this.newPath();
		return new Promise((resolve, reject) => {
			const out = createWriteStream(blob, { flags: opts.target ? 'a' : 'w' });
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

	read(blob: string, start?: number, end?: number): Readable {
		return createReadStream(blob, { start, end, highWaterMark: 1024 * 1024 });
	}

	/** Concatenates part files into one new blob, hashing; used by concurrent upload sessions. */
	async concat(parts: string[]): Promise<{ blob: string; size: number; contentHash: string }> {
		const blob = this.newPath();
		const hasher = new ContentHasher();
		const out = createWriteStream(blob);
		for (const p of parts) {
			await new Promise<void>((resolve, reject) => {
				const rs = createReadStream(p, { highWaterMark: 1024 * 1024 });
				rs.on('data', (chunk) => {
					const c = chunk as Buffer;
					hasher.update(c);
					if (!out.write(c)) {
						rs.pause();
						out.once('drain', () => rs.resume());
					}
				});
				rs.on('end', resolve);
				rs.on('error', reject);
			});
		}
		await new Promise<void>((r) => out.end(r));
		return { blob, size: hasher.bytes, contentHash: hasher.digest() };
	}

	async remove(p: string): Promise<void> {
		await fsp.rm(p, { force: true });
	}

	wipe(): void {
		rmSync(this.dir, { recursive: true, force: true });
		mkdirSync(this.dir, { recursive: true });
	}
}
