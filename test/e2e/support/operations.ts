/**
 * Helpers for the per-operation e2e tests (test/e2e/operations-*.test.ts, triggers-events.test.ts):
 * node builders that read like the editor's fields, a Code node that makes items, a tiny
 * reader for the (stored) ZIP archives Dropbox returns, and a local HTTP server for Save URL.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

import { NODE_PREFIX, type NodeSpec } from '../harness';

/** A resource-locator value "By Path" (expressions allowed: start with "="). */
export const byPath = (value: string) => ({ __rl: true, mode: 'path', value });

/** A Dropbox Plus action node with the refresh-token credential. */
export function dropbox(name: string, credId: string, parameters: Record<string, unknown>, extra: Partial<NodeSpec> = {}): NodeSpec {
	return {
		name,
		type: `${NODE_PREFIX}.dropboxPlus`,
		parameters: { authentication: 'refreshToken', ...parameters },
		credentials: { dropboxPlusApi: credId },
		...extra,
	};
}

/**
 * A Code node ("Run Once for All Items") that outputs `items` as they are given: json plus
 * optional inline binary (base64), the way a user's Code node hands a file to the next step.
 */
export function codeItems(
	name: string,
	items: Array<{ json: Record<string, unknown>; binary?: Record<string, { data: string; mimeType: string; fileName: string }> }>,
	extra: Partial<NodeSpec> = {},
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: `return ${JSON.stringify(items)};` },
		...extra,
	};
}

/** Inline binary for codeItems. */
export const inlineBinary = (bytes: Buffer | string, fileName: string, mimeType: string) => ({
	data: Buffer.from(bytes).toString('base64'),
	mimeType,
	fileName,
});

/** The entries of a ZIP archive (central directory), with the bytes of stored (uncompressed) entries. */
export function zipEntries(zip: Buffer): Array<{ name: string; size: number; data?: Buffer }> {
	let eocd = -1;
	for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
		if (zip.readUInt32LE(i) === 0x06054b50) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0) throw new Error(`not a ZIP archive (${zip.length} bytes, starts ${zip.subarray(0, 4).toString('hex')})`);
	const count = zip.readUInt16LE(eocd + 10);
	let p = zip.readUInt32LE(eocd + 16);
	const out: Array<{ name: string; size: number; data?: Buffer }> = [];
	for (let n = 0; n < count; n++) {
		if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at ${p}`);
		const method = zip.readUInt16LE(p + 10);
		const compressed = zip.readUInt32LE(p + 20);
		const size = zip.readUInt32LE(p + 24);
		const nameLen = zip.readUInt16LE(p + 28);
		const extraLen = zip.readUInt16LE(p + 30);
		const commentLen = zip.readUInt16LE(p + 32);
		const local = zip.readUInt32LE(p + 42);
		const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
		let data: Buffer | undefined;
		if (method === 0) {
			const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
			data = zip.subarray(start, start + compressed);
		}
		out.push({ name, size, data });
		p += 46 + nameLen + extraLen + commentLen;
	}
	return out;
}

/** A local HTTP server with fixed answers per path (for Save URL); counts requests. */
export async function serveFixed(routes: Record<string, { body: Buffer | string; type: string }>): Promise<{
	url: string;
	hits: () => string[];
	close: () => Promise<void>;
}> {
	const hits: string[] = [];
	const server = http.createServer((req, res) => {
		hits.push(req.url ?? '');
		const r = routes[req.url ?? ''];
		if (!r) {
			res.writeHead(404).end('not here');
			return;
		}
		const body = Buffer.from(r.body);
		res.writeHead(200, { 'content-type': r.type, 'content-length': body.length });
		res.end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		hits: () => hits,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** Routes of the emulator whose call count went up between two `calls()` snapshots. */
export function callDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
	const out: Record<string, number> = {};
	for (const [route, n] of Object.entries(after)) {
		const d = n - (before[route] ?? 0);
		if (d > 0) out[route] = d;
	}
	return out;
}

/** GET over HTTPS trusting the emulator's CA (temporary links and shared links point at the emulator). */
export async function getWithCa(url: string, caFile: string): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
	return await new Promise((resolve, reject) => {
		https
			.get(url, { ca: fs.readFileSync(caFile) }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
				res.on('error', reject);
			})
			.on('error', reject);
	});
}
