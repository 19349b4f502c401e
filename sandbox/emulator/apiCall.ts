/**
 * One call to an API route, /2/<route>: faults, method, host, auth, Dropbox-API-Path-Root, the argument
 * decoded and checked against the spec, the route's handler, and its answer (JSON or a download).
 */
import type { ServerResponse } from 'node:http';
import type { SpecRoute } from '../spec/api';
import { ARG_IN_BODY, ARG_IN_HEADER, argumentError, contentTypeError, hostError, normalizeContentType } from '../spec/wire';
import { bearerOf, checkToken, rootInfo } from './auth';
import { ApiError, badRequest, errorSummary, Json } from './errors';
import { HttpError, readBody, sendJson, sendText } from './http';
import { enterNamespace } from './paths';
import type { Ctx, DownloadResult, EndpointHandler, RouteDef } from './routes/types';
import { sendDownload } from './sendDownload';

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

/** Each 400 answered to an API call is kept in `state.refusals` (a request real Dropbox refuses). */
function keepingRefusals(handler: EndpointHandler): EndpointHandler {
	return async (st, req, res, url) => {
		try {
			await handler(st, req, res, url);
		} catch (e) {
			if (e instanceof HttpError && e.status === 400) st.refusals.push(`${url.pathname.slice(3)}: ${String(e.body)}`);
			throw e;
		}
	};
}

/** The endpoint of one API route: `def` answers it, `spec` (Dropbox's) says how it is called. */
export function apiCall(route: string, def: RouteDef, spec: SpecRoute): EndpointHandler {
	return keepingRefusals(async (st, req, res, url) => {
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
	});
}

/** /2/<anything else>: Dropbox's 400 for a function it does not have. */
export const unknownApiFunction: EndpointHandler = keepingRefusals((st, _req, res, url) => {
	const route = url.pathname.slice('/2/'.length);
	if (!route) return sendText(res, 404, 'Not Found');
	st.countCall(route);
	throw badRequest('', `Unknown API function: "${route}"`);
});
