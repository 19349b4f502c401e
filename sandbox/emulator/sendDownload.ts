/** A download answer: the Dropbox-API-Result header, the bytes from disk with Range → 206 / 416 and If-None-Match → 304, or a generated stream. */
import { headerSafeJson, parseRange } from './http';
import type { Ctx, DownloadResult } from './routes/types';

/** Streams a download result: Dropbox-API-Result header, Range → 206, If-None-Match → 304. */
export function sendDownload(ctx: Ctx, r: DownloadResult, resetMidBody = false): void {
	const { req, res, st } = ctx;
	const headers: Record<string, string> = {
		'Content-Type': r.contentType ?? 'application/octet-stream',
		'Dropbox-API-Result': headerSafeJson(r.meta),
		'Accept-Ranges': 'bytes',
	};
	if (r.etag) headers.ETag = `"${r.etag}"`;
	if (r.etag && req.headers['if-none-match'] && req.headers['if-none-match'].replace(/"/g, '').split(/\s*,\s*/).includes(r.etag)) {
		res.writeHead(304, headers);
		res.end();
		return;
	}
	if (r.stream) {
		res.writeHead(200, headers);
		if (resetMidBody) {
			// a made-up body (a ZIP): its first piece, then the connection drops
			const made = r.stream;
			let sent = false;
			const cut = () => {
				made.destroy();
				setImmediate(() => res.socket?.destroy());
			};
			made.on('data', (c: Buffer) => {
				if (sent) return cut();
				res.write(c);
				sent = true;
			});
			made.on('end', cut);
			return;
		}
		r.stream.pipe(res);
		r.stream.on('error', () => res.destroy());
		return;
	}
	const { path, size } = r.blob!;
	let start = 0;
	let end = size - 1;
	let status = 200;
	const range = req.headers.range;
	if (range && size >= 0) {
		const pr = parseRange(range, size);
		if (pr === 'bad') {
			res.writeHead(416, { 'Content-Range': `bytes */${size}`, 'Content-Type': 'text/plain' });
			res.end();
			return;
		}
		if (pr) {
			start = pr.start;
			end = pr.end;
			status = 206;
			headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
		}
	}
	headers['Content-Length'] = String(Math.max(0, end - start + 1));
	res.writeHead(status, headers);
	if (size === 0 || end < start) {
		res.end();
		return;
	}
	const rs = st.store.read(path, start, end);
	if (resetMidBody) {
		let sent = 0;
		const half = Math.max(1, Math.floor((end - start + 1) / 2));
		rs.on('data', (c: Buffer) => {
			const left = half - sent;
			if (left <= 0) return;
			res.write(c.subarray(0, left));
			sent += Math.min(left, c.length);
			if (sent >= half) {
				rs.destroy();
				setImmediate(() => res.socket?.destroy());
			}
		});
		return;
	}
	rs.pipe(res);
	rs.on('error', () => res.destroy());
	res.on('close', () => rs.destroy());
}
