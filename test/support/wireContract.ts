import type { IHttpRequestOptions } from 'n8n-workflow';

import { runningEmulators } from '../../sandbox/emulator';
import { apiSpec } from '../../sandbox/spec/api';
import {
	ARG_IN_BODY,
	ARG_IN_HEADER,
	argumentError,
	contentTypeError,
	hostError,
	normalizeContentType,
} from '../../sandbox/spec/wire';

/**
 * The wire-contract check over the whole test suite: every request the node sends must be one
 * real Dropbox accepts by its specification. Requests that reach an emulator are checked there
 * (it answers 400 and records a refusal); requests that unit tests answer with fakes are checked
 * here, the same way. `test/support/wireContractSetup.ts` fails every test that sent one.
 */

const violations: string[] = [];

function headerOf(headers: IHttpRequestOptions['headers'], name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === name.toLowerCase() && value !== undefined) return String(value);
	}
	return undefined;
}

/**
 * The Content-Type on the wire when n8n's HTTP stack (axios) sends the request: the request's own,
 * else JSON for an object body, else — for a POST, with a string body or none — axios's default
 * `application/x-www-form-urlencoded`. n8n 2.41.1's main process installs a global axios
 * interceptor that drops that default when there is no body (measured: a bodyless POST reaches the
 * emulator without a Content-Type), but not every n8n version, process and helper path does, and
 * real Dropbox refuses the default: the node never relies on it, so this check assumes the worst.
 */
export function contentTypeOnTheWire(options: IHttpRequestOptions): string {
	const own = headerOf(options.headers, 'content-type');
	if (own !== undefined) return own;
	const body = options.body as unknown;
	if (body && typeof body === 'object' && !Buffer.isBuffer(body) && Object.keys(body).length > 0) return 'application/json';
	return ['POST', 'PUT', 'PATCH'].includes((options.method ?? 'GET').toUpperCase()) ? 'application/x-www-form-urlencoded' : '';
}

/** What real Dropbox would answer 400 to in this request, as n8n would send it; undefined if nothing. */
export function wireProblem(options: IHttpRequestOptions): string | undefined {
	const url = new URL((options.baseURL ?? '') + options.url);
	const host = /^(api|content|notify)\.dropboxapi\.com$/.exec(url.hostname)?.[1];
	if (!host || !url.pathname.startsWith('/2/')) return undefined;
	const route = url.pathname.slice(3);
	const spec = apiSpec().route(route);
	if (!spec) return `${route}: not a route of Dropbox's API`;
	if ((options.method ?? 'GET').toUpperCase() !== 'POST') return `${route}: Dropbox takes POST only`;
	const body = options.body as unknown;
	const text = body === undefined || body === null || body === '' ? undefined : typeof body === 'string' ? body : Buffer.isBuffer(body) ? '<bytes>' : JSON.stringify(body);
	const problem =
		hostError(spec, host) ??
		contentTypeError(spec.style, normalizeContentType(contentTypeOnTheWire(options)), text === undefined) ??
		(spec.style === 'rpc'
			? argumentError(spec, text, ARG_IN_BODY)
			: argumentError(spec, headerOf(options.headers, 'dropbox-api-arg'), ARG_IN_HEADER));
	return problem && `${route}: ${problem}`;
}

/** Records what Dropbox would refuse in a request a unit test answers itself. */
export function checkFakedRequest(options: IHttpRequestOptions): void {
	const problem = wireProblem(options);
	if (problem) violations.push(problem);
}

/** The refusals since the last call: faked requests, and every running emulator's 400 answers. */
export function takeWireProblems(): string[] {
	const found = violations.splice(0);
	for (const state of runningEmulators()) found.push(...state.refusals.splice(0));
	return found;
}
