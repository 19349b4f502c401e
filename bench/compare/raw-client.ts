/**
 * The ceiling: the same bytes sent to and read from the emulator with Node's https and nothing
 * else (no n8n). Upload: upload_session/start, append_v2 in 64 MiB chunks streamed from the file,
 * finish with the last chunk. Download: files/download streamed into a sink that only counts.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { EmulatorHandle } from '../../test/e2e/harness';

const CHUNK = 64 * 1024 * 1024;

/** Dropbox-API-Arg: JSON with non-ASCII characters escaped (HTTP headers are ASCII). */
const apiArg = (arg: unknown) => JSON.stringify(arg).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

interface ContentCall {
	route: string;
	arg: unknown;
	/** request body and its length (none: empty body) */
	body?: { stream: Readable; length: number };
	/** where the response body goes (default: collected and returned) */
	sink?: Writable;
}

/** One content-host call (content.dropboxapi.com) straight to the emulator. */
async function contentCall(emu: EmulatorHandle, ca: Buffer, call: ContentCall): Promise<Buffer> {
	const host = 'content.dropboxapi.com';
	return await new Promise((resolve, reject) => {
		const req = https.request(
			{
				host: '127.0.0.1',
				port: emu.port,
				method: 'POST',
				path: `/2/${call.route}`,
				ca,
				servername: host,
				headers: {
					host,
					authorization: `Bearer ${emu.accessToken}`,
					'dropbox-api-arg': apiArg(call.arg),
					'content-type': 'application/octet-stream',
					'content-length': call.body?.length ?? 0,
				},
			},
			(res) => {
				if (res.statusCode !== 200) {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => reject(new Error(`${call.route} → ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 500)}`)));
					return;
				}
				if (call.sink) {
					pipeline(res, call.sink).then(() => resolve(Buffer.alloc(0)), reject);
					return;
				}
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve(Buffer.concat(chunks)));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		if (call.body) pipeline(call.body.stream, req).catch(reject);
		else req.end();
	});
}

/** Uploads a local file to `dropboxPath` through an upload session; returns the bytes sent. */
export async function rawUpload(emu: EmulatorHandle, localFile: string, dropboxPath: string): Promise<number> {
	const ca = fs.readFileSync(emu.caFile);
	const size = fs.statSync(localFile).size;
	const slice = (offset: number) => {
		const length = Math.min(CHUNK, size - offset);
		return { stream: fs.createReadStream(localFile, { start: offset, end: offset + length - 1, highWaterMark: 1024 * 1024 }), length };
	};
	const started = JSON.parse((await contentCall(emu, ca, { route: 'files/upload_session/start', arg: { close: false } })).toString('utf8'));
	let offset = 0;
	while (size - offset > CHUNK) {
		await contentCall(emu, ca, { route: 'files/upload_session/append_v2', arg: { cursor: { session_id: started.session_id, offset }, close: false }, body: slice(offset) });
		offset += CHUNK;
	}
	const last = size > offset ? slice(offset) : undefined;
	const meta = JSON.parse(
		(
			await contentCall(emu, ca, {
				route: 'files/upload_session/finish',
				arg: { cursor: { session_id: started.session_id, offset }, commit: { path: dropboxPath, mode: 'overwrite' } },
				body: last,
			})
		).toString('utf8'),
	);
	if (meta.size !== size) throw new Error(`uploaded ${size} bytes but Dropbox reports ${meta.size}`);
	return size;
}

/** Downloads `dropboxPath` into a sink that discards the bytes; returns how many arrived. */
export async function rawDownload(emu: EmulatorHandle, dropboxPath: string): Promise<number> {
	const ca = fs.readFileSync(emu.caFile);
	let received = 0;
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			received += chunk.length;
			done();
		},
	});
	await contentCall(emu, ca, { route: 'files/download', arg: { path: dropboxPath }, sink });
	return received;
}
