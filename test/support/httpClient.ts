import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

import type { IHttpRequestOptions } from 'n8n-workflow';

/**
 * A real HTTP client with the contract of n8n's `helpers.httpRequest` that the transport
 * relies on (json, encoding 'stream', returnFullResponse, Axios-shaped errors), sending
 * Dropbox's hosts to an emulator. Test support only: the package itself always talks to
 * the real hosts through n8n.
 */
export interface DropboxRedirect {
	/** Base URL of the emulator, e.g. http://127.0.0.1:8787 */
	emulatorUrl: string;
}

const DROPBOX_HOSTS = /^https:\/\/(api|content|notify)\.dropboxapi\.com|^https:\/\/www\.dropbox\.com/;

export class HttpError extends Error {
	constructor(
		message: string,
		readonly response: { status: number; headers: Record<string, string>; data: unknown },
		readonly config: IHttpRequestOptions,
	) {
		super(message);
	}
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(raw)) {
		if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
	}
	return out;
}

async function readAll(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function decode(body: Buffer, headers: Record<string, string>): unknown {
	const text = body.toString('utf8');
	if ((headers['content-type'] ?? '').includes('json') || /^\s*[{[]/.test(text)) {
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}
	return text;
}

export async function sendHttp(options: IHttpRequestOptions, redirect: DropboxRedirect): Promise<unknown> {
	const target = new URL(
		(options.baseURL ?? '') + options.url.replace(DROPBOX_HOSTS, redirect.emulatorUrl.replace(/\/$/, '')),
	);
	if (options.qs) for (const [k, v] of Object.entries(options.qs)) target.searchParams.set(k, String(v));
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(options.headers ?? {})) headers[k] = String(v);
	let body: Buffer | Readable | undefined;
	if (options.body !== undefined && options.body !== null && options.body !== '') {
		if (Buffer.isBuffer(options.body)) body = options.body;
		else if (options.body instanceof Readable) body = options.body;
		else if (typeof options.body === 'string') body = Buffer.from(options.body);
		else if (options.body instanceof URLSearchParams) {
			body = Buffer.from(options.body.toString());
			headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
		} else {
			body = Buffer.from(JSON.stringify(options.body));
			headers['Content-Type'] ??= 'application/json';
		}
	}
	// as n8n's HTTP stack (axios) does: a POST, PUT or PATCH without a body is declared form-encoded
	const hasContentType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
	if (!hasContentType && ['POST', 'PUT', 'PATCH'].includes((options.method ?? 'GET').toUpperCase())) {
		headers['Content-Type'] = 'application/x-www-form-urlencoded';
	}
	if (Buffer.isBuffer(body)) headers['Content-Length'] = String(body.length);
	const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
	const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
		// as n8n's HTTP stack does: `abortSignal` ends the request, `timeout` bounds it
		const signal = options.abortSignal as AbortSignal | undefined;
		const req = send(target, { method: options.method ?? 'GET', headers, ...(signal ? { signal } : {}) }, resolve);
		if (options.timeout) req.setTimeout(options.timeout, () => req.destroy(Object.assign(new Error(`timeout of ${options.timeout}ms exceeded`), { code: 'ECONNABORTED' })));
		req.on('error', reject);
		if (body instanceof Readable) body.pipe(req);
		else req.end(body);
	});
	const responseHeaders = toHeaders(response.headers);
	const status = response.statusCode ?? 0;
	if (status >= 400) {
		const data = decode(await readAll(response), responseHeaders);
		throw new HttpError(`Request failed with status code ${status}`, { status, headers: responseHeaders, data }, options);
	}
	const data = options.encoding === 'stream' ? response : decode(await readAll(response), responseHeaders);
	return options.returnFullResponse
		? { body: data, headers: responseHeaders, statusCode: status, statusMessage: response.statusMessage }
		: data;
}
