import { Dropbox, DropboxAuth } from 'dropbox';
import nodeFetch from 'node-fetch';
import * as http from 'node:http';
import * as https from 'node:https';

/** A fetch for the SDK that sends every Dropbox URL (any host) to the emulator's origin. */
export function emulatorFetch(base: string, agent?: http.Agent) {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return (url: string, init: any) => nodeFetch(url.replace(/^https:\/\/[^/]+/, base), { ...init, ...(agent ? { agent } : {}) });
}

export function sdk(base: string, accessToken: string, extra: Record<string, unknown> = {}): Dropbox {
	return new Dropbox({ accessToken, fetch: emulatorFetch(base), ...extra } as never);
}

export function sdkAuth(base: string, extra: Record<string, unknown>): DropboxAuth {
	return new DropboxAuth({ fetch: emulatorFetch(base), ...extra } as never);
}

export interface RawResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	text: string;
	json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Plain HTTP request with raw header bytes (so tests can send what the SDK never would). */
export function raw(base: string, path: string, opts: { method?: string; headers?: Record<string, string | Buffer>; body?: Buffer | string; ca?: Buffer } = {}): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const u = new URL(base + path);
		const mod = u.protocol === 'https:' ? https : http;
		const headers: Record<string, string> = {};
		const req = mod.request(u, { method: opts.method ?? 'POST', headers, ca: opts.ca }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const body = Buffer.concat(chunks);
				resolve({ status: res.statusCode!, headers: res.headers, body, text: body.toString('utf8'), json: () => JSON.parse(body.toString('utf8')) });
			});
			res.on('error', reject);
		});
		for (const [k, v] of Object.entries(opts.headers ?? {})) req.setHeader(k, typeof v === 'string' ? v : v.toString('latin1'));
		req.on('error', reject);
		req.end(opts.body);
	});
}

/** The SDK's error for a failed call, with its status and body. */
export async function sdkError(p: Promise<unknown>): Promise<{ status: number; error: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
	try {
		await p;
	} catch (e) {
		const err = e as { status: number; error: unknown; name: string };
		expect(err.name).toBe('DropboxResponseError');
		return { status: err.status, error: err.error };
	}
	throw new Error('expected the call to fail');
}
