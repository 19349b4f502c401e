import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import type { IDataObject } from 'n8n-workflow';

import { contentHash } from '../../nodes/shared/contentHash';
import { ChunkReader } from '../../nodes/shared/content/chunkReader';
import { checkChunkSize, checkDropboxTime, checkFileName, checkRevision } from '../../nodes/shared/fieldChecks';
import { gatheringStream } from '../../nodes/shared/content/gatheringStream';
import { mimeTypeFor } from '../../nodes/shared/content/mimeTypes';
import {
	MIB,
	correctOffsetOf,
	uploadChunks,
	type UploadProblem,
	type UploadRequests,
} from '../../nodes/shared/content/uploadSession';
import { ContentHasher } from '../../nodes/shared/contentHash';

/** Deterministic pseudo-random bytes. */
function bytes(size: number, seed = 1): Buffer {
	const out = Buffer.alloc(size);
	let x = seed;
	for (let i = 0; i < size; i++) {
		x = (x * 1103515245 + 12345) & 0x7fffffff;
		out[i] = x >>> 16;
	}
	return out;
}

/** A stream handing out `data` in uneven pieces, as a file or socket would. */
function unevenStream(data: Buffer, pieces = [1, 7, 65536, 3, 100000]): Readable {
	let offset = 0;
	let turn = 0;
	return new Readable({
		read() {
			if (offset >= data.length) return void this.push(null);
			const size = pieces[turn++ % pieces.length];
			this.push(data.subarray(offset, offset + size));
			offset += size;
		},
	});
}

/** An error as the transport throws it, carrying the Dropbox error union. */
function dropboxError(union: IDataObject): Error {
	return Object.assign(new Error('Dropbox: incorrect_offset'), { context: { dropboxTag: 'incorrect_offset', dropboxError: union } });
}

/** A fake Dropbox upload session: keeps the bytes, checks offsets and per-request hashes. */
class FakeSession implements UploadRequests {
	stored = Buffer.alloc(0);
	calls: string[] = [];
	/** Before the nth append (1-based): make Dropbox hold this many extra/fewer bytes. */
	surprises = new Map<number, (session: FakeSession, offset: number, data: Buffer) => void>();
	private appends = 0;

	async upload(data: Buffer, hash: string) {
		this.calls.push(`upload ${data.length}`);
		expect(hash).toBe(contentHash(data));
		this.stored = Buffer.from(data);
		return this.metadata();
	}
	async start(data: Buffer, hash: string) {
		this.calls.push(`start ${data.length}`);
		expect(hash).toBe(contentHash(data));
		this.stored = Buffer.from(data);
		return 'session-1';
	}
	async append(_id: string, offset: number, data: Buffer, hash: string) {
		this.appends++;
		this.surprises.get(this.appends)?.(this, offset, data);
		this.calls.push(`append ${offset}+${data.length}`);
		expect(hash).toBe(contentHash(data));
		if (offset !== this.stored.length) {
			throw dropboxError({ '.tag': 'incorrect_offset', correct_offset: this.stored.length });
		}
		this.stored = Buffer.concat([this.stored, data]);
	}
	async finish(_id: string, offset: number, data: Buffer, hash: string) {
		this.calls.push(`finish ${offset}+${data.length}`);
		expect(hash).toBe(contentHash(data));
		if (offset !== this.stored.length) {
			throw dropboxError({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'incorrect_offset', correct_offset: this.stored.length } });
		}
		this.stored = Buffer.concat([this.stored, data]);
		return this.metadata();
	}
	private metadata(): IDataObject {
		return { size: this.stored.length, content_hash: contentHash(this.stored) };
	}
}

const stop = (problem: UploadProblem) => new Error(`stopped: ${JSON.stringify(problem)}`);

describe('ChunkReader', () => {
	it('gives each piece the content_hash of its own bytes, from the block digests it made while reading', async () => {
		const data = bytes(2 * 4 * MIB + 4 * MIB + 777);
		const reader = new ChunkReader(unevenStream(data));
		const first = await reader.read(8 * MIB);
		const second = await reader.read(8 * MIB);
		expect(second.length).toBe(4 * MIB + 777);
		expect(reader.hashOf(second)).toBe(contentHash(second));
		// not the piece read last, or a slice of it: hashed from its bytes
		expect(reader.hashOf(first)).toBe(contentHash(first));
		expect(reader.hashOf(second.subarray(5))).toBe(contentHash(second.subarray(5)));
		expect(reader.hasher.digest()).toBe(contentHash(data));
	});

	it('with reuse, fills released piece buffers again and never one still in use', async () => {
		const data = bytes(5 * 1000 + 17);
		const reader = new ChunkReader(unevenStream(data), { reuse: 1 });
		const a = await reader.read(1000);
		const b = await reader.read(1000);
		expect(b.buffer).not.toBe(a.buffer); // a is not released yet
		expect(a.equals(data.subarray(0, 1000))).toBe(true);
		reader.release(a);
		reader.release(b); // only one kept
		const c = await reader.read(1000);
		expect(c.buffer).toBe(a.buffer);
		expect(c.equals(data.subarray(2000, 3000))).toBe(true);
		expect(b.equals(data.subarray(1000, 2000))).toBe(true);
		const d = await reader.read(1000);
		expect(d.buffer).not.toBe(c.buffer);
		reader.release(c);
		reader.release(d);
		const parts = [await reader.read(1000), await reader.read(1000), await reader.read(1000)];
		expect(parts.map((p) => p.length)).toEqual([1000, 17, 0]);
		expect(parts[0].equals(data.subarray(4000, 5000))).toBe(true);
		expect(parts[1].equals(data.subarray(5000))).toBe(true);
		expect(reader.hasher.digest()).toBe(contentHash(data));
	});

	it('hashes pieces off a 4 MiB boundary (after a skip) from their bytes', async () => {
		const data = bytes(4 * MIB + 100);
		const reader = new ChunkReader(data);
		await reader.skip(3);
		const piece = await reader.read(4 * MIB);
		expect(reader.hashOf(piece)).toBe(contentHash(data.subarray(3, 3 + 4 * MIB)));
		const rest = await reader.read(4 * MIB);
		expect(rest.length).toBe(97);
		expect(reader.hashOf(rest)).toBe(contentHash(data.subarray(3 + 4 * MIB)));
	});

	it('slices an unevenly delivered stream into exact chunks and hashes the whole of it', async () => {
		const data = bytes(1_000_003);
		const reader = new ChunkReader(unevenStream(data));
		const sizes: number[] = [];
		const parts: Buffer[] = [];
		for (;;) {
			const piece = await reader.read(262_144);
			if (piece.length === 0) break;
			sizes.push(piece.length);
			parts.push(Buffer.from(piece));
		}
		expect(sizes).toEqual([262_144, 262_144, 262_144, 213_571]);
		expect(Buffer.concat(parts).equals(data)).toBe(true);
		expect(reader.hasher.digest()).toBe(contentHash(data));
		expect(await reader.atEnd()).toBe(true);
	});

	it('skips forward without losing the skipped bytes from the hash', async () => {
		const data = bytes(50_000, 7);
		const reader = new ChunkReader(unevenStream(data));
		expect((await reader.read(10)).equals(data.subarray(0, 10))).toBe(true);
		expect(await reader.skip(30_000)).toBe(30_000);
		expect((await reader.read(5)).equals(data.subarray(30_010, 30_015))).toBe(true);
		await reader.skip(1_000_000);
		expect(reader.position).toBe(50_000);
		expect(reader.hasher.digest()).toBe(contentHash(data));
	});

	it('reads a buffer without copying it', async () => {
		const data = bytes(10_000);
		const reader = new ChunkReader(data);
		const first = await reader.read(4_000);
		expect(first.buffer).toBe(data.buffer);
		expect(await reader.atEnd()).toBe(false);
	});
});

describe('uploadChunks', () => {
	it('sends a file that fits in one chunk in a single files/upload', async () => {
		const data = bytes(4 * MIB);
		const session = new FakeSession();
		const result = await uploadChunks(new ChunkReader(unevenStream(data)), 4 * MIB, session, stop);
		expect(session.calls).toEqual([`upload ${4 * MIB}`]);
		expect(result.content_hash).toBe(contentHash(data));
	});

	it('uses a session of exact chunks for a larger file, the last one in finish', async () => {
		const data = bytes(2 * 4 * MIB + 123);
		const session = new FakeSession();
		const reader = new ChunkReader(unevenStream(data));
		const result = await uploadChunks(reader, 4 * MIB, session, stop);
		expect(session.calls).toEqual([`start ${4 * MIB}`, `append ${4 * MIB}+${4 * MIB}`, `finish ${8 * MIB}+123`]);
		expect(session.stored.equals(data)).toBe(true);
		expect(result.content_hash).toBe(reader.hasher.digest());
	});

	it('resends only the tail Dropbox is missing when it answers incorrect_offset inside the chunk', async () => {
		const data = bytes(3 * 4 * MIB + 10);
		const session = new FakeSession();
		// Dropbox kept the first 1000 bytes of the first append although the request "failed"
		session.surprises.set(1, (s, offset, chunk) => {
			s.stored = Buffer.concat([s.stored, chunk.subarray(0, 1000)]);
			expect(offset).toBe(4 * MIB);
		});
		const reader = new ChunkReader(unevenStream(data));
		const result = await uploadChunks(reader, 4 * MIB, session, stop);
		expect(session.calls.slice(0, 3)).toEqual([`start ${4 * MIB}`, `append ${4 * MIB}+${4 * MIB}`, `append ${4 * MIB + 1000}+${4 * MIB - 1000}`]);
		expect(session.stored.equals(data)).toBe(true);
		expect(result.content_hash).toBe(reader.hasher.digest());
	});

	it('skips ahead in the stream when Dropbox already holds more than the chunk sent', async () => {
		const data = bytes(4 * 4 * MIB + 5);
		const session = new FakeSession();
		// Dropbox already has this chunk and 2 MiB of the next (an earlier attempt got through)
		session.surprises.set(1, (s, offset) => {
			s.stored = Buffer.from(data.subarray(0, offset + 6 * MIB));
		});
		const reader = new ChunkReader(unevenStream(data));
		const result = await uploadChunks(reader, 4 * MIB, session, stop);
		expect(session.calls[2]).toBe(`append ${10 * MIB}+${4 * MIB}`);
		expect(session.stored.equals(data)).toBe(true);
		expect(result.content_hash).toBe(contentHash(data));
		expect(reader.hasher.digest()).toBe(contentHash(data));
	});

	it('resumes a finish answered lookup_failed/incorrect_offset', async () => {
		const data = bytes(4 * MIB + 300);
		const session = new FakeSession();
		const original = session.finish.bind(session);
		let first = true;
		session.finish = async (id, offset, chunk, hash) => {
			if (first) {
				first = false;
				session.stored = Buffer.concat([session.stored, chunk.subarray(0, 100)]);
			}
			return await original(id, offset, chunk, hash);
		};
		await uploadChunks(new ChunkReader(data), 4 * MIB, session, stop);
		expect(session.calls.slice(-2)).toEqual([`finish ${4 * MIB}+300`, `finish ${4 * MIB + 100}+200`]);
		expect(session.stored.equals(data)).toBe(true);
	});

	it('stops with a clear problem when Dropbox asks for bytes already streamed past', async () => {
		const data = bytes(4 * 4 * MIB);
		const session = new FakeSession();
		session.surprises.set(2, (s) => {
			s.stored = s.stored.subarray(0, 10);
		});
		await expect(uploadChunks(new ChunkReader(data), 4 * MIB, session, stop)).rejects.toThrow(
			`stopped: {"kind":"rewind","correctOffset":10,"oldestKept":${8 * MIB}}`,
		);
	});

	it('passes other Dropbox errors through untouched', async () => {
		const session = new FakeSession();
		const conflict = Object.assign(new Error('conflict'), { context: { dropboxTag: 'path/conflict/file' } });
		session.start = async () => {
			throw conflict;
		};
		await expect(uploadChunks(new ChunkReader(bytes(5 * MIB)), 4 * MIB, session, stop)).rejects.toBe(conflict);
	});
});

describe('correctOffsetOf', () => {
	it('reads append and finish shapes, and nothing else', () => {
		expect(correctOffsetOf(dropboxError({ '.tag': 'incorrect_offset', correct_offset: 42 }))).toBe(42);
		expect(
			correctOffsetOf(dropboxError({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 7 } })),
		).toBe(7);
		expect(correctOffsetOf(dropboxError({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'not_found' } }))).toBeUndefined();
		expect(correctOffsetOf(new Error('plain'))).toBeUndefined();
	});
});

describe('field checks', () => {
	it('accepts chunk sizes in whole 4 MiB steps up to 148 MiB', () => {
		expect(checkChunkSize(8)).toEqual({ value: 8 * MIB });
		expect(checkChunkSize('148')).toEqual({ value: 148 * MIB });
		expect(checkChunkSize(6)).toMatchObject({ problem: '6 MiB is not a multiple of 4 MiB', fix: expect.stringContaining('use 4 or 8') });
		expect(checkChunkSize(152)).toMatchObject({ problem: '152 MiB is over the limit' });
		expect(checkChunkSize(0)).toHaveProperty('problem');
		expect(checkChunkSize('abc')).toHaveProperty('problem');
		expect(checkChunkSize(4.5)).toHaveProperty('problem');
	});

	it('accepts revisions of 9+ lowercase hex digits, with or without rev:', () => {
		expect(checkRevision('a1c10ce0dd78')).toEqual({ value: 'a1c10ce0dd78' });
		expect(checkRevision('rev:015f9a2b3c4d')).toEqual({ value: '015f9a2b3c4d' });
		expect(checkRevision('A1C10CE0DD78')).toHaveProperty('problem');
		expect(checkRevision('a1c10')).toHaveProperty('problem');
		expect(checkRevision('')).toMatchObject({ problem: 'is empty' });
	});

	it('writes times the way Dropbox wants them', () => {
		expect(checkDropboxTime('2024-05-01T09:30:15.250Z')).toEqual({ value: '2024-05-01T09:30:15Z' });
		expect(checkDropboxTime('2024-05-01T09:30:15+02:00')).toEqual({ value: '2024-05-01T07:30:15Z' });
		expect(checkDropboxTime('2024-05-01T09:30')).toEqual({ value: '2024-05-01T09:30:00Z' });
		expect(checkDropboxTime({ toISO: () => '2024-01-02T03:04:05.000+00:00' })).toEqual({ value: '2024-01-02T03:04:05Z' });
		expect(checkDropboxTime('yesterday')).toHaveProperty('problem');
	});

	it('refuses file names with a slash or surrounding spaces', () => {
		expect(checkFileName('résumé 📄.pdf')).toEqual({ value: 'résumé 📄.pdf' });
		expect(checkFileName('a/b.txt')).toHaveProperty('problem');
		expect(checkFileName(' a.txt')).toHaveProperty('problem');
		expect(checkFileName('')).toMatchObject({ problem: 'is empty' });
	});
});

describe('mimeTypeFor', () => {
	it('maps extensions case-insensitively and falls back to octet-stream', () => {
		expect(mimeTypeFor('Report.PDF')).toBe('application/pdf');
		expect(mimeTypeFor('photo.jpeg')).toBe('image/jpeg');
		expect(mimeTypeFor('sheet.xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		expect(mimeTypeFor('notes.md')).toBe('text/markdown');
		expect(mimeTypeFor('archive.unknownext')).toBe('application/octet-stream');
		expect(mimeTypeFor('.bashrc')).toBe('application/octet-stream');
		expect(mimeTypeFor('README')).toBe('application/octet-stream');
	});
});

describe('gatheringStream feeding a hasher', () => {
	it('passes every byte through unchanged and hashes them', async () => {
		const data = bytes(9 * MIB + 17, 3);
		const hasher = new ContentHasher();
		const out = gatheringStream(unevenStream(data, [65536, 1, 200_000]), { onChunk: (chunk) => hasher.update(chunk) });
		expect(out).toBeInstanceOf(Readable);
		const digest = createHash('sha256');
		let size = 0;
		for await (const chunk of out as Readable) {
			digest.update(chunk as Buffer);
			size += (chunk as Buffer).length;
		}
		expect(size).toBe(data.length);
		expect(digest.digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
		expect(hasher.digest()).toBe(contentHash(data));
	});
});
