/**
 * Helpers for the reliability e2e tests (test/e2e/reliability-*.test.ts): deterministic source
 * files served over HTTP to n8n (streamed, never held whole in memory), Dropbox's content_hash
 * computed independently, and a search for secrets in everything n8n wrote.
 */
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export const MiB = 2 ** 20;
const BLOCK = 4 * MiB;

/** The bytes of source file `index`: AES-CTR keystream keyed by the index (fast, any offset, no memory). */
function keystream(index: number): (length: number) => Buffer {
	const key = createHash('sha256').update(`reliability-source-${index}`).digest().subarray(0, 16);
	const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
	return (length) => cipher.update(Buffer.alloc(length));
}

/** Calls `onChunk` with the bytes of source file `index`, in pieces of at most 1 MiB. */
export function forEachChunk(index: number, size: number, onChunk: (chunk: Buffer) => void): void {
	const next = keystream(index);
	for (let done = 0; done < size; ) {
		const n = Math.min(MiB, size - done);
		onChunk(next(n));
		done += n;
	}
}

/** Dropbox's content_hash (SHA-256 of the SHA-256 of every 4 MiB block) and a plain SHA-256, streaming. */
export class DropboxHasher {
	private readonly blocks: Buffer[] = [];
	private block = createHash('sha256');
	private inBlock = 0;
	private readonly whole = createHash('sha256');

	update(data: Buffer): this {
		this.whole.update(data);
		let offset = 0;
		while (offset < data.length) {
			const n = Math.min(BLOCK - this.inBlock, data.length - offset);
			this.block.update(data.subarray(offset, offset + n));
			this.inBlock += n;
			offset += n;
			if (this.inBlock === BLOCK) {
				this.blocks.push(this.block.digest());
				this.block = createHash('sha256');
				this.inBlock = 0;
			}
		}
		return this;
	}

	digest(): { contentHash: string; sha256: string } {
		if (this.inBlock > 0) this.blocks.push(this.block.digest());
		return {
			contentHash: createHash('sha256').update(Buffer.concat(this.blocks)).digest('hex'),
			sha256: this.whole.digest('hex'),
		};
	}
}

export function sourceHashes(index: number, size: number): { contentHash: string; sha256: string } {
	const hasher = new DropboxHasher();
	forEachChunk(index, size, (c) => hasher.update(c));
	return hasher.digest();
}

export async function fileHashes(file: string): Promise<{ contentHash: string; sha256: string; size: number }> {
	const hasher = new DropboxHasher();
	let size = 0;
	for await (const chunk of fs.createReadStream(file, { highWaterMark: MiB })) {
		hasher.update(chunk as Buffer);
		size += (chunk as Buffer).length;
	}
	return { ...hasher.digest(), size };
}

export interface SourceFile {
	index: number;
	name: string;
	size: number;
}

/**
 * A local HTTP server n8n fetches its inputs from (HTTP Request node, response format File):
 * GET /manifest → the JSON array of files; GET /file/<index> → its bytes, streamed.
 */
export async function serveSources(files: SourceFile[]): Promise<{ url: string; served: () => number; close: () => Promise<void> }> {
	let served = 0;
	const server = http.createServer((req, res) => {
		const url = req.url ?? '';
		if (url === '/manifest') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(files));
			return;
		}
		const m = /^\/file\/(\d+)$/.exec(url);
		const file = m ? files.find((f) => f.index === Number(m[1])) : undefined;
		if (!file) {
			res.writeHead(404).end();
			return;
		}
		served++;
		res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.size });
		const next = keystream(file.index);
		let left = file.size;
		const pump = () => {
			while (left > 0) {
				const n = Math.min(MiB, left);
				left -= n;
				if (!res.write(next(n))) {
					res.once('drain', pump);
					return;
				}
			}
			res.end();
		};
		pump();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		served: () => served,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** Where in `haystacks` any of `secrets` occurs (also base64/URL-encoded): `label: secret` lines; empty = none. */
export function findSecrets(secrets: Record<string, string>, haystacks: Record<string, string | Buffer>): string[] {
	const found: string[] = [];
	for (const [label, text] of Object.entries(haystacks)) {
		const body = Buffer.isBuffer(text) ? text.toString('latin1') : text;
		for (const [name, secret] of Object.entries(secrets)) {
			if (!secret) continue;
			const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
			if (forms.some((f) => body.includes(f))) found.push(`${label}: ${name}`);
		}
	}
	return found;
}

/** Every regular file under `dir` (recursively), except those `skip` says no to. */
export function filesUnder(dir: string, skip: (file: string) => boolean = () => false): string[] {
	const out: string[] = [];
	const walk = (d: string) => {
		for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
			const p = path.join(d, entry.name);
			if (entry.isDirectory()) {
				if (entry.name !== 'node_modules') walk(p);
			} else if (entry.isFile() && !skip(p)) out.push(p);
		}
	};
	if (fs.existsSync(dir)) walk(dir);
	return out;
}

/** A Dropbox webhook notification body and its signature (HMAC-SHA256 keyed by the app secret). */
export function signedNotification(accountId: string, appSecret: string): { body: string; signature: string } {
	const body = JSON.stringify({ list_folder: { accounts: [accountId] }, delta: { users: [Number(accountId.replace(/\D/g, '').slice(0, 9)) || 1] } });
	return { body, signature: createHmac('sha256', appSecret).update(body).digest('hex') };
}

/** Total of the emulator's injected-fault counters. */
export function faultTotal(injected: Record<string, number> | undefined): number {
	return Object.values(injected ?? {}).reduce((s, n) => s + n, 0);
}
