/** HTTP front: transport rules (arguments, auth, path root, errors), faults, dispatch. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, errorSummary, Json } from './errors';
import { bearerOf, checkToken, rootInfo } from './auth';
import type { State } from './state';
import type { Ctx, DownloadResult, RouteTable } from './routes/types';
import { apiSpec, type SpecRoute } from '../spec/api';
import { enterNamespace } from './paths';
import { ARG_IN_BODY, ARG_IN_HEADER, argumentError, contentTypeError, hostError, normalizeContentType } from '../spec/wire';
import { handleAdmin } from './admin';
import { handleOAuth } from './routes/oauth';
import { serveTempLink } from './routes/files';
import { serveSharedLink } from './routes/sharing';

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

export function sendError(res: ServerResponse, e: unknown): void {
	if (res.headersSent) {
		res.destroy();
		return;
	}
	if (e instanceof ApiError) {
		if (typeof e.body === 'string') sendText(res, e.status, e.body, e.headers);
		else sendJson(res, e.status, e.body, e.headers);
		return;
	}
	// eslint-disable-next-line no-console
	console.error('[dropbox-emulator] internal error', e);
	sendText(res, 500, 'Internal Server Error');
}

export function readBody(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let n = 0;
		req.on('data', (c: Buffer) => {
			n += c.length;
			if (n > limit) {
				reject(new ApiError(400, 'Request body too large'));
				req.resume();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** Throws Dropbox's 400 when a wire check (sandbox/spec/wire) has something to say. */
function refuse(route: string, problem: string | undefined): void {
	if (problem) throw badRequest(route, problem);
}

async function rpcArg(ctx: Ctx, spec: SpecRoute): Promise<unknown> {
	const { req, route } = ctx;
	const body = await readBody(req);
	refuse(route, contentTypeError('rpc', normalizeContentType(req.headers['content-type']), body.length === 0));
	const text = body.length === 0 ? undefined : body.toString('utf8');
	refuse(route, argumentError(spec, text, ARG_IN_BODY));
	return text === undefined ? null : JSON.parse(text);
}

function headerArg(ctx: Ctx, url: URL, spec: SpecRoute): unknown {
	const { req, route } = ctx;
	refuse(route, contentTypeError(spec.style, normalizeContentType(req.headers['content-type']), false));
	let raw = req.headers['dropbox-api-arg'];
	if (Array.isArray(raw)) raw = raw[0];
	if (raw === undefined && url.searchParams.has('arg')) raw = url.searchParams.get('arg')!;
	if (raw === undefined) throw badRequest(route, 'Must provide HTTP header "Dropbox-API-Arg" or URL parameter "arg".');
	// Node exposes header bytes as latin1; anything >= 0x7F means raw non-ASCII bytes were sent.
	if (req.headers['dropbox-api-arg'] !== undefined && /[\u007f-\uffff]/.test(raw)) {
		throw badRequest(route, `${ARG_IN_HEADER}: could not decode input as JSON`);
	}
	refuse(route, argumentError(spec, raw, ARG_IN_HEADER));
	return JSON.parse(raw);
}

function checkPathRoot(ctx: Ctx): void {
	let h = ctx.req.headers['dropbox-api-path-root'];
	if (Array.isArray(h)) h = h[0];
	if (!h) return;
	let v: Record<string, unknown>;
	try {
		v = JSON.parse(h);
	} catch {
		throw badRequest('', 'Error in call to API function "' + ctx.route + '": HTTP header "Dropbox-API-Path-Root": could not decode input as JSON');
	}
	const acc = ctx.account!;
	const root = acc.team ? acc.team.rootNs : acc.ns;
	const tag = v?.['.tag'];
	if (tag === 'home') {
		ctx.ns = acc.ns;
		return;
	}
	if (tag === 'root') {
		// paths resolve at the root namespace: the team space for team members, else home
		if (String(v.root) === root.id) {
			ctx.ns = root;
			return;
		}
		const error = { '.tag': 'invalid_root', invalid_root: rootInfo(acc) };
		throw new ApiError(422, { error_summary: errorSummary(error), error });
	}
	if (tag === 'namespace_id') {
		const id = String(v.namespace_id);
		if (enterNamespace(ctx, id)) return;
		const error = { '.tag': 'no_permission' };
		throw new ApiError(422, { error_summary: errorSummary(error), error });
	}
	throw badRequest(ctx.route, 'HTTP header "Dropbox-API-Path-Root": unknown tag ' + JSON.stringify(tag));
}

function rateLimited(res: ServerResponse, reason: string, retryAfter: number): void {
	const error = { reason: { '.tag': reason }, retry_after: retryAfter };
	sendJson(res, 429, { error_summary: `${reason}/..`, error }, { 'Retry-After': String(retryAfter) });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function parseRange(h: string, size: number): { start: number; end: number } | 'bad' | null {
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

export function makeHandler(st: State, routes: RouteTable) {
	return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://localhost');
		} catch {
			sendText(res, 400, 'Bad URL');
			return;
		}
		if (st.opts.verbose) console.error(`[dropbox-emulator] ${req.method} ${url.pathname}`); // eslint-disable-line no-console
		try {
			const p = url.pathname;
			if (p.startsWith('/__admin/')) return await handleAdmin(st, req, res, url);
			if (p.startsWith('/__content/')) return await serveTempLink(st, req, res, url);
			if (p.startsWith('/scl/fi/')) return await serveSharedLink(st, req, res, url);
			if (p === '/oauth2/authorize' || p === '/oauth2/token' || p === '/oauth2/authorize/') {
				st.countCall(p.slice(1).replace(/\/$/, ''));
				return await handleOAuth(st, req, res, url);
			}
			const m = /^\/2\/(.+)$/.exec(p);
			if (!m) {
				sendText(res, 404, 'Not Found');
				return;
			}
			const route = m[1];
			const def = routes[route];
			const spec = apiSpec().route(route);
			if (!def || !spec) {
				st.countCall(route);
				throw badRequest('', `Unknown API function: "${route}"`);
			}
			st.countCall(route);
			const ctx: Ctx = { st, route, arg: null, req, res };
			if (req.method !== 'POST') throw badRequest(route, `Expecting POST, got ${req.method}`);

			// faults
			if (st.faults.cfg.latencyMs > 0) await sleep(st.faults.cfg.latencyMs);
			const fault = st.faults.decide(route);
			let resetMidBody = false;
			if (fault) {
				if (fault.kind === '429' || fault.kind === '429w') {
					req.resume();
					return rateLimited(res, fault.reason ?? 'too_many_requests', st.faults.cfg.retryAfter);
				}
				if (fault.kind === '500' || fault.kind === '503') {
					req.resume();
					return sendText(res, Number(fault.kind), fault.kind === '500' ? 'Internal Server Error' : 'Service Unavailable', fault.kind === '503' ? { 'Retry-After': '1' } : {});
				}
				if (fault.kind === 'expired') {
					req.resume();
					throw new ApiError(401, { error_summary: 'expired_access_token/', error: { '.tag': 'expired_access_token' } });
				}
				if (fault.kind === 'reset') {
					if (spec.style === 'download') resetMidBody = true;
					else {
						req.socket.destroy();
						return;
					}
				}
			}

			// auth
			refuse(route, hostError(spec, /^(api|content|notify)\.dropboxapi\.com(:\d+)?$/.exec(req.headers.host ?? '')?.[1]));
			if (spec.auth === 'noauth') {
				if (req.headers.authorization) throw badRequest(route, 'This endpoint does not accept an "Authorization" header.');
			} else {
				const bearer = bearerOf(route, req.headers.authorization, url.searchParams);
				const found = st.tokens.get(bearer);
				const tok = checkToken(found, spec.scope ?? null, found && st.accounts.get(found.accountId));
				ctx.token = tok;
				ctx.account = st.accounts.get(tok.accountId);
				if (!ctx.account) throw new ApiError(401, { error_summary: 'invalid_access_token/', error: { '.tag': 'invalid_access_token' } });
				ctx.ns = ctx.account.ns;
				checkPathRoot(ctx);
			}

			// arguments
			ctx.arg = spec.style === 'rpc' ? await rpcArg(ctx, spec) : headerArg(ctx, url, spec);

			const result = await def.handler(ctx);
			if (res.headersSent || res.writableEnded) return;
			if (fault?.kind === 'drop_answer') {
				req.socket.destroy();
				return;
			}
			if (spec.style === 'download') return sendDownload(ctx, result as DownloadResult, resetMidBody);
			sendJson(res, 200, result === undefined ? null : (result as Json));
		} catch (e) {
			if (e instanceof ApiError && e.status === 400 && url.pathname.startsWith('/2/')) {
				st.refusals.push(`${url.pathname.slice(3)}: ${String(e.body)}`);
			}
			if (!req.readableEnded && !req.destroyed) {
				// let the client finish sending before answering (avoids EPIPE on its side)
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
			sendError(res, e);
		}
	};
}
