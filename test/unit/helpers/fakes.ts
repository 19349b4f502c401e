import { Readable } from 'node:stream';

import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';

import { checkFakedRequest } from '../../support/wireContract';

/** An Axios-shaped HTTP error, as n8n's request helpers throw it (class name AxiosError on purpose). */
export class AxiosError extends Error {
	isAxiosError = true;

	code?: string;

	config: IDataObject;

	response?: { status: number; statusText?: string; headers: Record<string, string>; data: unknown };

	constructor(message: string, fields: Partial<Pick<AxiosError, 'code' | 'config' | 'response'>> = {}) {
		super(message);
		this.name = 'AxiosError';
		this.code = fields.code;
		this.config = fields.config ?? {
			method: 'post',
			url: 'https://api.dropboxapi.com/2/files/get_metadata',
			headers: { Authorization: 'Bearer sl.TESTTOKEN-not-secret-0000000000' },
		};
		this.response = fields.response;
	}
}

/** An HTTP error answer: JSON bodies as objects, text bodies as strings. */
export function httpError(
	status: number,
	data: unknown,
	headers: Record<string, string> = {},
	config?: IDataObject,
): AxiosError {
	const contentType = typeof data === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
	return new AxiosError(`Request failed with status code ${status}`, {
		code: status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST',
		config,
		response: { status, headers: { 'content-type': contentType, ...headers }, data },
	});
}

/** A Dropbox JSON error body: `{error_summary, error}` with the summary's trailing dots. */
export function dropboxError(error: IDataObject, extra: IDataObject = {}): IDataObject {
	const tags: string[] = [];
	let node: IDataObject | undefined = error;
	while (node && typeof node['.tag'] === 'string') {
		tags.push(node['.tag']);
		const next: unknown = node[node['.tag']] ?? node.reason;
		node = next && typeof next === 'object' ? (next as IDataObject) : undefined;
	}
	return { error_summary: `${tags.join('/')}/...`, error, ...extra };
}

/** A connection reset without any response. */
export function networkError(code = 'ECONNRESET', message = 'socket hang up'): AxiosError {
	return new AxiosError(message, { code });
}

export function streamOf(text: string): Readable {
	return Readable.from([Buffer.from(text)]);
}

export const NODE: INode = {
	id: 'node-1',
	name: 'Dropbox Plus',
	type: 'n8n-nodes-dropbox-plus.dropboxPlus',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export interface FakeContext {
	ctx: IExecuteFunctions;
	request: jest.Mock;
	getCredentials: jest.Mock;
	debug: jest.Mock;
}

/**
 * A minimal IExecuteFunctions: `helpers.httpRequestWithAuthentication` answers from the queue
 * (an Error is thrown, anything else returned), then returns `fallback`.
 */
export function fakeContext(
	answers: unknown[] = [],
	{
		authentication = 'oAuth2',
		credentials = { pathRoot: 'home' },
		fallback = {},
	}: { authentication?: string; credentials?: IDataObject; fallback?: unknown } = {},
): FakeContext {
	const queue = [...answers];
	const request = jest.fn(async (_credentialType: string, options: IHttpRequestOptions) => {
		checkFakedRequest(options);
		const next = queue.length ? queue.shift() : fallback;
		if (next instanceof Error) throw next;
		return next;
	});
	const getCredentials = jest.fn(async () => credentials);
	const debug = jest.fn();
	const ctx = {
		getNode: () => NODE,
		getInputData: () => [{ json: {} }],
		getNodeParameter: jest.fn((name: string, _index: number, fallbackValue?: unknown) =>
			name === 'authentication' ? authentication : fallbackValue,
		),
		getCredentials,
		logger: { debug, info: jest.fn(), warn: jest.fn(), error: jest.fn() },
		helpers: { httpRequestWithAuthentication: request },
	} as unknown as IExecuteFunctions;
	return { ctx, request, getCredentials, debug };
}
