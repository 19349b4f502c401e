/** HTTP read and send helpers: node built-ins only, nothing from the emulator. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer thrown instead of returned: a string body is sent as text, anything else as JSON. */
export class HttpError extends Error {
	constructor(
		public status: number,
		public body: unknown,
		public headers: Record<string, string> = {},
	) {
		super(typeof body === 'string' ? body : JSON.stringify(body));
	}
}

/** JSON with every character 0x7F and above escaped, safe for an HTTP header. */
export function headerSafeJson(v: unknown): string {
	return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body === undefined ? null : body);
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

/** Sends a thrown HttpError as its answer, anything else as a 500; a half-sent answer is cut off. */
export function sendError(res: ServerResponse, e: unknown): void {
	if (res.headersSent) {
		res.destroy();
		return;
	}
	if (e instanceof HttpError) {
		if (typeof e.body === 'string') sendText(res, e.status, e.body, e.headers);
		else sendJson(res, e.status, e.body, e.headers);
		return;
	}
	// eslint-disable-next-line no-console
	console.error('[dropbox-emulator] internal error', e);
	sendText(res, 500, 'Internal Server Error');
}

/** The whole body; more than `limit` bytes → 400 `Request body too large`. */
export function readBody(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let n = 0;
		req.on('data', (c: Buffer) => {
			n += c.length;
			if (n > limit) {
				reject(new HttpError(400, 'Request body too large'));
				req.resume();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** Lets the client finish sending (at most 30 s) before an early answer, which avoids EPIPE on its side. */
export async function drain(req: IncomingMessage): Promise<void> {
	if (req.readableEnded || req.destroyed) return;
	req.resume();
	await new Promise<void>((r) => {
		const t = setTimeout(r, 30_000);
		const done = () => {
			clearTimeout(t);
			r();
		};
		req.once('end', done);
		req.once('close', done);
	});
}

/** A `Range: bytes=…` header against a body of `size` bytes: the range, 'bad' (→ 416), or null (ignored). */
export function parseRange(h: string, size: number): { start: number; end: number } | 'bad' | null {
	const m = /^bytes=(\d*)-(\d*)$/.exec(h.trim());
	if (!m) return null;
	let start: number;
	let end: number;
	if (m[1] === '' && m[2] === '') return null;
	if (m[1] === '') {
		const n = Number(m[2]);
		if (n === 0) return 'bad';
		start = Math.max(0, size - n);
		end = size - 1;
	} else {
		start = Number(m[1]);
		end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
	}
	if (start >= size || end < start) return 'bad';
	return { start, end };
}
