import { createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

import {
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type IPollFunctions,
	type ITriggerFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { sendHttp } from './httpClient';
import { makeTempDir } from './tempDirs';

/**
 * Poll, hook and webhook contexts for the Dropbox Plus triggers in tests: real HTTP to the
 * emulator, workflow static data kept in `staticData` between runs (as n8n saves it), the
 * logger's warnings recorded, binary data stored in a temporary folder.
 */
export interface TriggerContextOptions {
	emulatorUrl: string;
	accessToken: string;
	parameters: IDataObject;
	/** Shared between runs, like the workflow's saved static data. */
	staticData?: IDataObject;
	mode?: 'trigger' | 'manual' | 'webhook';
	appSecret?: string;
	nodeId?: string;
}

export interface FakeResponse {
	statusCode?: number;
	headers: Record<string, string>;
	body?: string;
	ended: boolean;
}

/** The Production URL a webhook delivery's context gives as its own. */
export const OWN_WEBHOOK_URL = 'http://n8n.test/webhook/x/webhook';

export interface TriggerHarness {
	staticData: IDataObject;
	warnings: string[];
	errors: string[];
	/** Routes requested, in order. */
	routes: string[];
	/** POSTs a webhook delivery made to the workflow's own URL (the Instant Trigger continuing a burst), not sent anywhere. */
	ownWebhookPosts: IHttpRequestOptions[];
	/** Set: POSTs to the workflow's own URL fail with it (n8n cannot reach its own Production URL). */
	ownWebhookFailure?: Error;
	poll(): IPollFunctions;
	hook(): IHookFunctions;
	/** A webhook delivery: `GET ?query` (setup) or `POST body` with headers. */
	webhook(request: { method: 'GET' | 'POST'; query?: IDataObject; rawBody?: Buffer; headers?: IDataObject }): {
		ctx: IWebhookFunctions;
		response: FakeResponse;
	};
	readBinary(id: string): Promise<Buffer>;
	/** A trigger() context (the Long-Poll Trigger): what it emits and reports is recorded. */
	trigger(): LongPollContext;
}

export interface LongPollContext {
	ctx: ITriggerFunctions;
	/** Each emission's items (output 0). */
	emitted: INodeExecutionData[][];
	/** emitError calls (manual runs end with one). */
	emitErrors: Error[];
	/** saveFailedExecution calls. */
	failedExecutions: Error[];
	/** Requests sent through the plain `helpers.httpRequest` (no credential), as the node built them. */
	plainRequests: IHttpRequestOptions[];
}

export function signBody(body: Buffer | string, secret: string): string {
	return createHmac('sha256', secret).update(body).digest('hex');
}

export async function createTriggerHarness(options: TriggerContextOptions): Promise<TriggerHarness> {
	const binaryDir = await makeTempDir('dropbox-plus-trigger-');
	const staticData = options.staticData ?? {};
	const warnings: string[] = [];
	const errors: string[] = [];
	const routes: string[] = [];
	const ownWebhookPosts: IHttpRequestOptions[] = [];
	const node: INode = {
		id: options.nodeId ?? 'trigger-node',
		name: 'Dropbox Plus Trigger',
		type: 'n8n-nodes-dropbox-plus.dropboxPlusTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters as INode["parameters"],
	};

	const getNodeParameter = (name: string, fallback?: unknown) => {
		const value = name.split('.').reduce<unknown>((v, key) => (v as IDataObject | undefined)?.[key], options.parameters);
		if (value !== undefined) return value;
		if (fallback !== undefined) return fallback;
		throw new NodeOperationError(node, `Could not get parameter "${name}"`);
	};

	const base = () => ({
		getNode: () => node,
		getWorkflow: () => ({ id: 'workflow-1', name: 'test', active: true }),
		getMode: () => options.mode ?? 'trigger',
		getActivationMode: () => 'activate',
		getNodeParameter,
		getWorkflowStaticData: () => staticData,
		getCredentials: async () => ({ pathRoot: 'home', clientSecret: options.appSecret ?? 'sandbox-app-secret' }),
		logger: {
			debug() {},
			info() {},
			warn: (message: string) => warnings.push(message),
			error: (message: string) => errors.push(message),
		},
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				routes.push(request.url.replace(/^https:\/\/[^/]+\/2\//, ''));
				const headers = { ...(request.headers ?? {}), Authorization: `Bearer ${options.accessToken}` };
				return await sendHttp({ ...request, headers }, { emulatorUrl: options.emulatorUrl });
			},
			prepareBinaryData: async (data: Buffer | Readable, fileName?: string) => {
				const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
				const chunks: Buffer[] = [];
				if (Buffer.isBuffer(data)) chunks.push(data);
				else for await (const chunk of data) chunks.push(chunk as Buffer);
				await fs.writeFile(join(binaryDir, id), Buffer.concat(chunks));
				return { id, data: '', fileName, mimeType: 'application/octet-stream' };
			},
			returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
		},
	});

	const harness: TriggerHarness = {
		staticData,
		ownWebhookPosts,
		warnings,
		errors,
		routes,
		poll: () => ({ ...base(), getPollBudgetMs: () => 60_000 }) as unknown as IPollFunctions,
		hook: () => ({ ...base(), getWebhookName: () => 'default', getNodeWebhookUrl: () => 'http://n8n.test/webhook/x' }) as unknown as IHookFunctions,
		webhook: (request) => {
			const response: FakeResponse = { headers: {}, ended: false };
			const res = {
				status(code: number) {
					response.statusCode = code;
					return res;
				},
				set(name: string | Record<string, string>, value?: string) {
					const entries = typeof name === 'string' ? { [name]: value ?? '' } : name;
					for (const [key, v] of Object.entries(entries)) response.headers[key.toLowerCase()] = v;
					return res;
				},
				send(body?: string) {
					response.body = body ?? '';
					response.ended = true;
					return res;
				},
				end() {
					response.ended = true;
					return res;
				},
			};
			const rawBody = request.rawBody ?? Buffer.alloc(0);
			const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
			const ctx = {
				...base(),
				getMode: () => options.mode ?? 'webhook',
				getWebhookName: () => (request.method === 'GET' ? 'setup' : 'default'),
				getQueryData: () => request.query ?? {},
				getHeaderData: () => headers,
				getBodyData: () => (rawBody.length ? JSON.parse(rawBody.toString('utf8')) : {}),
				getRequestObject: () => ({ method: request.method, headers, rawBody }),
				getResponseObject: () => res,
				getNodeWebhookUrl: () => OWN_WEBHOOK_URL,
				helpers: {
					...base().helpers,
					httpRequest: async (request: IHttpRequestOptions) => {
						ownWebhookPosts.push(request);
						if (harness.ownWebhookFailure) throw harness.ownWebhookFailure;
						return '';
					},
				},
			};
			return { ctx: ctx as unknown as IWebhookFunctions, response };
		},
		readBinary: async (id: string) => await fs.readFile(join(binaryDir, id)),
		trigger: () => {
			const recorded: Omit<LongPollContext, 'ctx'> = { emitted: [], emitErrors: [], failedExecutions: [], plainRequests: [] };
			const parts = base();
			const ctx = {
				...parts,
				emit: (data: INodeExecutionData[][]) => recorded.emitted.push(data[0]),
				emitError: (error: Error) => recorded.emitErrors.push(error),
				saveFailedExecution: (error: Error) => recorded.failedExecutions.push(error),
				helpers: {
					...parts.helpers,
					httpRequest: async (request: IHttpRequestOptions) => {
						recorded.plainRequests.push(request);
						routes.push(request.url.replace(/^https:\/\/[^/]+\/2\//, ''));
						return await sendHttp(request, { emulatorUrl: options.emulatorUrl });
					},
				},
			};
			return { ctx: ctx as unknown as ITriggerFunctions, ...recorded };
		},
	};
	return harness;
}

/**
 * A slow Dropbox on a moved clock: every request `cost` prices (ms, by its URL) moves Date.now
 * that much later, as if Dropbox had taken that long to answer, so deadlines pass without waiting.
 * `priced`: the URLs of the requests that cost something. `restore()` puts the real clock back.
 */
export function slowDropbox(
	helpers: { httpRequestWithAuthentication: (...args: never[]) => Promise<unknown> },
	cost: (url: string) => number,
): { priced: string[]; restore(): void } {
	let offset = 0;
	const priced: string[] = [];
	const realNow = Date.now.bind(Date);
	const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
	const send = helpers.httpRequestWithAuthentication as (...args: unknown[]) => Promise<unknown>;
	helpers.httpRequestWithAuthentication = async function (this: unknown, ...args: unknown[]) {
		const url = String((args[1] as { url?: string }).url);
		const ms = cost(url);
		if (ms > 0) {
			offset += ms;
			priced.push(url);
		}
		return await send.apply(this, args);
	} as typeof helpers.httpRequestWithAuthentication;
	return { priced, restore: () => clock.mockRestore() };
}
