import {
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type ITriggerFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { dropboxErrorParts, type CallContext } from './errors';
import { headerSafeJson } from './headerSafeJson';
import { heldCredential, signingOptions } from './heldCredentials';
import { PATH_ROOT_HEADER, pathRootHeader } from './pathRoot';
import { readHttpFailure, type HttpFailure } from './httpFailure';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy } from './retry';

/**
 * The one place that talks HTTP to Dropbox. Every request goes through n8n's
 * `httpRequestWithAuthentication`, so n8n signs it, refreshes tokens and applies proxies;
 * this module adds Dropbox's transport rules, retries and error translation.
 */

export type DropboxFunctions =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IHookFunctions
	| ITriggerFunctions
	| IWebhookFunctions;

export const RPC_BASE_URL = 'https://api.dropboxapi.com/2';
export const CONTENT_BASE_URL = 'https://content.dropboxapi.com/2';
export const NOTIFY_BASE_URL = 'https://notify.dropboxapi.com/2';

/**
 * The routes Dropbox serves on another host than their style's (files.stone's `host`): an RPC
 * on content.dropboxapi.com, uploads on api.dropboxapi.com. Every other RPC goes to the api
 * host, every upload and download to the content host.
 */
export const ROUTE_HOSTS: Record<string, 'api' | 'content'> = {
	'files/get_thumbnail_batch': 'content',
	'files/paper/create': 'api',
	'files/paper/update': 'api',
};

function baseUrlOf(route: string, usual: 'api' | 'content'): string {
	return (ROUTE_HOSTS[route] ?? usual) === 'api' ? RPC_BASE_URL : CONTENT_BASE_URL;
}

/** The node parameter `authentication` picks the credential: OAuth2, or the headless refresh-token one. */
export type AuthenticationMethod = 'oAuth2' | 'refreshToken';

export function credentialTypeFor(method: AuthenticationMethod): string {
	return method === 'refreshToken' ? 'dropboxPlusApi' : 'dropboxPlusOAuth2Api';
}

export interface CallOptions {
	/** The path, ID or URL the call is about: named in error messages. */
	path?: string;
	itemIndex?: number;
	/** Overrides of the retry policy (tests, or callers that must not wait long). */
	retry?: Partial<RetryPolicy>;
	/**
	 * Told when an attempt got no answer (the connection dropped) and the call is sent again:
	 * Dropbox may have done the first attempt's work, so the answer to the retry may describe
	 * the state after it (e.g. a commit's session already used).
	 */
	onLostAnswer?: () => void;
}

export interface DownloadResult<T> {
	/** File metadata from the `Dropbox-API-Result` header. */
	result: T;
	/** The bytes, not yet read. */
	stream: NodeJS.ReadableStream;
	headers: Record<string, string>;
	statusCode: number;
}

/** Indirection so tests can observe waits without waiting. A signal ends the wait early. */
export const clock = {
	sleep: async (ms: number, signal?: AbortSignal): Promise<void> => {
		if (ms > 0) await sleep(ms, signal);
	},
};

/** n8n's signal for the user's Stop, when the context has one (the action node's); none in triggers. */
export function cancelSignalOf(ctx: DropboxFunctions): AbortSignal | undefined {
	const probe = ctx as { getExecutionCancelSignal?: () => AbortSignal | undefined };
	return typeof probe.getExecutionCancelSignal === 'function' ? probe.getExecutionCancelSignal() : undefined;
}

/** What a step stopped by the user ends with: nothing more is sent to Dropbox. */
export function stoppedError(ctx: DropboxFunctions, call: { route?: string; path?: string; itemIndex?: number } = {}): NodeOperationError {
	const during = call.route ? ` during ${call.route}${call.path ? ` for "${call.path}"` : ''}` : call.path ? ` at "${call.path}"` : '';
	return new NodeOperationError(ctx.getNode(), `The execution was stopped${during}`, {
		itemIndex: call.itemIndex,
		description:
			'Stop was pressed: nothing more is sent to Dropbox. What Dropbox finished before stays done (an unfinished upload session expires by itself); run the step again to finish the rest.',
	});
}

/** Throws `stoppedError` once the user has pressed Stop. */
export function checkNotStopped(ctx: DropboxFunctions, call: { route?: string; path?: string; itemIndex?: number } = {}): void {
	if (cancelSignalOf(ctx)?.aborted) throw stoppedError(ctx, call);
}

/** Waits `ms` (through `clock`), ending at once with `stoppedError` when the user presses Stop. */
export async function pause(ctx: DropboxFunctions, ms: number, call: { route?: string; path?: string; itemIndex?: number } = {}): Promise<void> {
	const signal = cancelSignalOf(ctx);
	checkNotStopped(ctx, call);
	let onAbort: (() => void) | undefined;
	const stopped = new Promise<void>((resolve) => {
		onAbort = () => resolve();
		signal?.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([clock.sleep(ms, signal).catch(() => undefined), stopped]);
	} finally {
		if (onAbort) signal?.removeEventListener('abort', onAbort);
	}
	checkNotStopped(ctx, call);
}

/**
 * The credential the node's `authentication` parameter picks, read with the signature of the
 * context at hand: execute contexts take an item index (`name, 0, fallback`); poll, webhook,
 * hook and load-options contexts do not (`name, fallback`). Only an execute context has
 * `getInputData` returning a list of items (an execute-single context has `getItemIndex` too).
 */
function credentialTypeOf(ctx: DropboxFunctions): string {
	const probe = ctx as { getInputData?: unknown; getItemIndex?: unknown };
	const perItem = typeof probe.getInputData === 'function' && typeof probe.getItemIndex !== 'function';
	const method = perItem
		? (ctx.getNodeParameter as (name: string, index: number, fallback: unknown) => unknown).call(ctx, 'authentication', 0, 'oAuth2')
		: (ctx.getNodeParameter as (name: string, fallback: unknown) => unknown).call(ctx, 'authentication', 'oAuth2');
	return credentialTypeFor(method as AuthenticationMethod);
}

/** The NodeApiError a failed call ends with: Dropbox's error explained, with its tag, path and status in `context`. */
function apiErrorOf(ctx: DropboxFunctions, failure: HttpFailure, call: CallContext): NodeApiError {
	const parts = dropboxErrorParts(failure, call);
	const apiError = new NodeApiError(ctx.getNode(), parts.response, parts.options);
	// NodeApiError swaps messages containing ECONNRESET, ENOENT, EPERM… for generic ones: keep ours
	apiError.message = parts.options.message;
	Object.assign(apiError.context, parts.context);
	return apiError;
}

async function send<T>(
	ctx: DropboxFunctions,
	route: string,
	options: CallOptions,
	build: (headers: Record<string, string>) => IHttpRequestOptions,
): Promise<T> {
	const credentialType = credentialTypeOf(ctx);
	const headers: Record<string, string> = {};
	const credential = await heldCredential(ctx, credentialType);
	const pathRoot = pathRootHeader(credential);
	if (pathRoot) headers[PATH_ROOT_HEADER] = pathRoot;
	const signing = signingOptions(ctx, credentialType, credential);
	const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
	// A caller that bounds the attempts bounds rate-limit retries too, unless it says otherwise
	if (options.retry?.maxAttempts !== undefined && options.retry.maxRateLimitAttempts === undefined) {
		policy.maxRateLimitAttempts = options.retry.maxAttempts;
	}
	const call: CallContext = { route, path: options.path, itemIndex: options.itemIndex };
	const signal = cancelSignalOf(ctx);
	let uncertain = false;
	for (let attempt = 1; ; attempt++) {
		checkNotStopped(ctx, call);
		try {
			const request = build({ ...headers });
			// n8n's HTTP stack ends the request in flight when the user presses Stop
			if (signal) request.abortSignal = signal;
			return (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, request, signing)) as T;
		} catch (error) {
			checkNotStopped(ctx, call);
			const failure = await readHttpFailure(error);
			const decision = decideRetry(failure, attempt, policy);
			if (!decision.retry) throw apiErrorOf(ctx, failure, { ...call, attempts: attempt, uncertain });
			ctx.logger.debug(
				`Dropbox ${route}: ${decision.reason} (HTTP ${failure.status ?? failure.networkCode}), attempt ${attempt} of ${policy.maxAttempts}, retrying in ${decision.delayMs} ms`,
			);
			if (failure.status === undefined) {
				uncertain = true;
				options.onLostAnswer?.();
			}
			await pause(ctx, decision.delayMs, call);
		}
	}
}

function parseJson(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string') return body === '' ? null : JSON.parse(body);
	return body;
}

/**
 * An RPC call (api.dropboxapi.com, but for ROUTE_HOSTS): JSON in, JSON out. A route without arguments (`args`
 * undefined) is sent the JSON `null`: n8n's HTTP stack gives a POST without a body
 * `Content-Type: application/x-www-form-urlencoded`, which Dropbox refuses with a 400.
 */
export async function dropboxRpc<T = IDataObject>(
	ctx: DropboxFunctions,
	route: string,
	args?: object | null,
	options: CallOptions = {},
): Promise<T> {
	const body = await send<unknown>(ctx, route, options, (headers) => ({
		method: 'POST',
		url: `${baseUrlOf(route, 'api')}/${route}`,
		headers: { ...headers, 'Content-Type': 'application/json' },
		body: JSON.stringify(args ?? null),
		json: false,
	}));
	return parseJson(body) as T;
}

/** A content-upload call (content.dropboxapi.com, but for ROUTE_HOSTS): arguments in the header, bytes as body. */
export async function dropboxUpload<T = IDataObject>(
	ctx: DropboxFunctions,
	route: string,
	args: object,
	data: Buffer,
	options: CallOptions = {},
): Promise<T> {
	const body = await send<unknown>(ctx, route, options, (headers) => ({
		method: 'POST',
		url: `${baseUrlOf(route, 'content')}/${route}`,
		headers: {
			...headers,
			'Content-Type': 'application/octet-stream',
			'Dropbox-API-Arg': headerSafeJson(args),
		},
		body: data,
		json: false,
	}));
	return parseJson(body) as T;
}

/**
 * An RPC call on notify.dropboxapi.com (`files/list_folder/longpoll`): the one request not sent
 * through `httpRequestWithAuthentication`, on purpose. Dropbox refuses it with an Authorization
 * header (the cursor alone says what to wait for), and n8n's authenticated helper always adds
 * one; so it goes through n8n's plain `httpRequest` (still n8n's HTTP stack: proxies, SSRF
 * rules), carrying no credential at all. No retries here: the caller waits and reconnects on
 * its own schedule. `timeoutMs` bounds the whole request; `signal` ends it at once.
 * Failures are translated like every other call's.
 */
export async function dropboxNotify<T = IDataObject>(
	ctx: DropboxFunctions,
	route: string,
	args: object,
	options: CallOptions & { timeoutMs: number; signal?: AbortSignal },
): Promise<T> {
	try {
		const body = await ctx.helpers.httpRequest({
			method: 'POST',
			url: `${NOTIFY_BASE_URL}/${route}`,
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(args),
			json: false,
			timeout: options.timeoutMs,
			...(options.signal ? { abortSignal: options.signal } : {}),
		});
		return parseJson(body) as T;
	} catch (error) {
		throw apiErrorOf(ctx, await readHttpFailure(error), { route, path: options.path });
	}
}

/**
 * A POST to the workflow's own webhook URL (the Instant Trigger continuing a burst, see
 * nodes/shared/watch/continuation.ts): not a Dropbox call, so no credential; through n8n's plain
 * `httpRequest` like dropboxNotify. Bounded by `timeoutMs`; no retries (the caller falls back to
 * waiting for Dropbox's next notification).
 */
export async function postToOwnWebhook(ctx: DropboxFunctions, url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
	await ctx.helpers.httpRequest({ method: 'POST', url, headers: { 'Content-Type': 'application/json', ...headers }, body, json: false, timeout: timeoutMs });
}

/** What a download request (which has no body) declares as its Content-Type: one Dropbox accepts. */
export const DOWNLOAD_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** A content-download call: arguments in the header, metadata in `Dropbox-API-Result`, bytes streamed. */
export async function dropboxDownload<T = IDataObject>(
	ctx: DropboxFunctions,
	route: string,
	args: object,
	options: CallOptions & { range?: { start: number; end?: number } } = {},
): Promise<DownloadResult<T>> {
	const response = await send<{ body: NodeJS.ReadableStream; headers: Record<string, unknown>; statusCode: number }>(
		ctx,
		route,
		options,
		(headers) => {
			// no body; a Content-Type of our own, or n8n's HTTP stack sends a form-encoded one that Dropbox refuses
			const requestHeaders: Record<string, string> = {
				...headers,
				'Content-Type': DOWNLOAD_CONTENT_TYPE,
				'Dropbox-API-Arg': headerSafeJson(args),
			};
			if (options.range) requestHeaders.Range = `bytes=${options.range.start}-${options.range.end ?? ''}`;
			return {
				method: 'POST',
				url: `${CONTENT_BASE_URL}/${route}`,
				headers: requestHeaders,
				encoding: 'stream',
				returnFullResponse: true,
				json: false,
			};
		},
	);
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(response.headers ?? {})) {
		if (value !== undefined && value !== null) headers[key.toLowerCase()] = String(value);
	}
	let result: T;
	try {
		result = (headers['dropbox-api-result'] ? JSON.parse(headers['dropbox-api-result']) : {}) as T;
	} catch {
		// the bytes behind an unreadable header are of no use: let go of the connection
		(response.body as { destroy?: () => void }).destroy?.();
		throw new NodeOperationError(ctx.getNode(), `Dropbox answered ${route} for "${options.path ?? ''}" with a Dropbox-API-Result header that is not JSON`, {
			itemIndex: options.itemIndex,
			description: 'Something between n8n and Dropbox (a proxy) changed the answer. Run the step again; if it repeats, check the proxies on the way to content.dropboxapi.com.',
		});
	}
	return {
		result,
		stream: response.body,
		headers,
		statusCode: response.statusCode,
	};
}

export { dropboxErrorInfo, isRouteError } from './errors';
export { headerSafeJson } from './headerSafeJson';
export { pathRootHeader } from './pathRoot';
