import { Readable } from 'node:stream';

import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { executeBatch as upload } from '../../nodes/DropboxPlus/actions/file/upload.operation';
import { execute as download } from '../../nodes/DropboxPlus/actions/file/download.operation';
import { execute as saveUrl } from '../../nodes/DropboxPlus/actions/file/saveUrl.operation';
import { runBatched } from '../../nodes/shared/batch/batchJobs';
import { COPY_ROUTES } from '../../nodes/shared/batch/batchRoutes';
import { dropboxRpc } from '../../nodes/shared/transport';
import { fakeContext, httpError } from './helpers/fakes';

/**
 * Pressing Stop in n8n aborts the execution's cancel signal: whatever the step is doing —
 * sending chunks, waiting for a batch job or a Save URL job, waiting out a rate limit,
 * receiving a download — it stops within 2 s, sends nothing more and lets go of its streams.
 */

const MIB = 1024 * 1024;
const STOP_AFTER_MS = 300;

type Answer = (options: IHttpRequestOptions) => Promise<unknown>;

/** A context with n8n's cancel signal; Dropbox answers through `answer`, which sees the request (and its abortSignal). */
function stoppable(answer: Answer, parameters: IDataObject = {}, items: INodeExecutionData[] = [{ json: {} }]) {
	const controller = new AbortController();
	const fake = fakeContext();
	const sentAt: Array<{ url: string; at: number }> = [];
	fake.request.mockImplementation(async (_type: string, options: IHttpRequestOptions) => {
		sentAt.push({ url: options.url, at: Date.now() });
		return await answer(options);
	});
	const ctx = fake.ctx as unknown as Record<string, unknown> & { helpers: Record<string, unknown> };
	ctx.getExecutionCancelSignal = () => controller.signal;
	ctx.getNodeParameter = (name: string, _index: number, fallback?: unknown) => {
		if (name === 'authentication') return 'oAuth2';
		const value = name.split('.').reduce<unknown>((v, key) => (v as IDataObject | undefined)?.[key], parameters);
		return value ?? fallback;
	};
	ctx.continueOnFail = () => false;
	ctx.getInputData = () => items;
	return { ctx: fake.ctx as IExecuteFunctions, controller, sentAt };
}

/** Until the request's abort signal fires (as n8n's HTTP stack does with `abortSignal`): then a cancel error. */
function hangs(options: IHttpRequestOptions): Promise<never> {
	return new Promise((_resolve, reject) => {
		const signal = options.abortSignal as AbortSignal | undefined;
		signal?.addEventListener('abort', () => reject(Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' })), { once: true });
	});
}

/** Runs `work`, presses Stop after STOP_AFTER_MS; the failure and how long after Stop it came. */
async function pressStop(controller: AbortController, work: () => Promise<unknown>): Promise<{ error: unknown; afterStopMs: number; stoppedAt: number }> {
	let stoppedAt = 0;
	const timer = setTimeout(() => {
		stoppedAt = Date.now();
		controller.abort();
	}, STOP_AFTER_MS);
	const error = await work().then(
		() => undefined,
		(failure: unknown) => failure,
	);
	clearTimeout(timer);
	return { error, afterStopMs: Date.now() - stoppedAt, stoppedAt };
}

const STOPPED = /stopped/i;

// today's code would go on for minutes: fail after 10 s instead
jest.setTimeout(10_000);

describe('Stop stops: within 2 s, nothing more sent, streams released', () => {
	it('an upload session sending chunks', async () => {
		const streams: Readable[] = [];
		const piece = Buffer.alloc(64 * 1024, 1);
		const items = [{ json: {}, binary: { data: { id: 'filesystem-v2:big', data: 'filesystem-v2', mimeType: 'application/octet-stream' } } }];
		const { ctx, controller, sentAt } = stoppable(
			async (options) => (options.url.endsWith('upload_session/start') ? JSON.stringify({ session_id: 's' }) : await hangs(options)),
			{ destination: 'path', filePath: '/big.bin', options: { chunkSize: 4, parallelChunks: 2 } },
			items,
		);
		(ctx.helpers as unknown as Record<string, unknown>).getBinaryStream = async () => {
			const stream = Readable.from((function* () { for (let i = 0; i < (64 * MIB) / piece.length; i++) yield piece; })());
			streams.push(stream);
			return stream;
		};
		const { error, afterStopMs, stoppedAt } = await pressStop(controller, async () => await upload.call(ctx, [0]));
		expect(String(error)).toMatch(STOPPED);
		expect(afterStopMs).toBeLessThan(2000);
		expect(sentAt.filter((request) => request.at > stoppedAt)).toEqual([]);
		expect(streams[0].destroyed).toBe(true);
	});

	it('files waiting for the memory budget', async () => {
		const streams: Readable[] = [];
		const piece = Buffer.alloc(64 * 1024, 1);
		const items = [0, 1, 2].map((i) => ({ json: {}, binary: { data: { id: `filesystem-v2:f${i}`, data: 'filesystem-v2', mimeType: 'application/octet-stream' } } }));
		const { ctx, controller, sentAt } = stoppable(
			async (options) => (options.url.endsWith('upload_session/start') ? JSON.stringify({ session_id: 's' }) : await hangs(options)),
			{ destination: 'path', filePath: '/big.bin', options: { chunkSize: 4, parallelChunks: 2, memoryBudget: 8, batchSize: 1 } },
			items,
		);
		(ctx.helpers as unknown as Record<string, unknown>).getBinaryStream = async () => {
			const stream = Readable.from((function* () { for (let i = 0; i < (16 * MIB) / piece.length; i++) yield piece; })());
			streams.push(stream);
			return stream;
		};
		const { error, afterStopMs, stoppedAt } = await pressStop(controller, async () => await upload.call(ctx, [0, 1, 2]));
		expect(String(error)).toMatch(STOPPED);
		expect(afterStopMs).toBeLessThan(2000);
		expect(sentAt.filter((request) => request.at > stoppedAt)).toEqual([]);
		// the first file held the whole budget: the others never opened their files
		expect(streams).toHaveLength(1);
		expect(streams.every((stream) => stream.destroyed)).toBe(true);
	});

	it('a batch job being polled (up to 10 minutes otherwise)', async () => {
		const { ctx, controller } = stoppable(async (options) =>
			JSON.stringify(options.url.endsWith('copy_batch_v2') ? { '.tag': 'async_job_id', async_job_id: 'job' } : { '.tag': 'in_progress' }),
		);
		const entry = { itemIndex: 0, args: { from_path: '/a', to_path: '/b' }, shared: { autorename: false }, path: '/a', destination: '/b' };
		let outcomes: Map<number, unknown> | undefined;
		const { afterStopMs } = await pressStop(controller, async () => {
			outcomes = await runBatched(ctx, COPY_ROUTES, [entry], 1000);
		});
		expect(afterStopMs).toBeLessThan(2000);
		expect(String((outcomes?.get(0) as { error?: Error })?.error)).toMatch(STOPPED);
	});

	it('Save URL waiting for Dropbox\'s job (up to 1 hour otherwise)', async () => {
		const { ctx, controller } = stoppable(
			async (options) => JSON.stringify(options.url.endsWith('save_url') ? { '.tag': 'async_job_id', async_job_id: 'job' } : { '.tag': 'in_progress' }),
			{ url: 'https://example.com/big.iso', path: '/big.iso', options: { timeout: 3600 } },
		);
		const { error, afterStopMs } = await pressStop(controller, async () => await saveUrl.call(ctx, 0));
		expect(String(error)).toMatch(STOPPED);
		expect(afterStopMs).toBeLessThan(2000);
	});

	it('a retry wait (Dropbox asked for 60 s)', async () => {
		const { ctx, controller, sentAt } = stoppable(async () => {
			throw httpError(429, { error_summary: 'too_many_requests/..', error: { reason: { '.tag': 'too_many_requests' }, retry_after: 60 } }, { 'retry-after': '60' });
		});
		const { error, afterStopMs } = await pressStop(controller, async () => await dropboxRpc(ctx, 'files/get_metadata', { path: '/a' }, { path: '/a', itemIndex: 0 }));
		expect(String(error)).toMatch(STOPPED);
		expect(afterStopMs).toBeLessThan(2000);
		expect(sentAt).toHaveLength(1);
	});

	it('a download being received', async () => {
		const body = new Readable({ read() {} });
		body.push(Buffer.alloc(1000));
		const { ctx, controller } = stoppable(async () => ({
			body,
			headers: { 'dropbox-api-result': JSON.stringify({ name: 'a.bin', path_display: '/a.bin', size: 10_000_000, rev: '0123456789abc' }) },
			statusCode: 200,
		}), { file: { __rl: true, mode: 'path', value: '/a.bin' } });
		(ctx.helpers as unknown as Record<string, unknown>).prepareBinaryData = async (stream: Readable) => {
			for await (const _chunk of stream) {
				// stored
			}
			return { data: '', mimeType: 'application/octet-stream' };
		};
		const { error, afterStopMs } = await pressStop(controller, async () => await download.call(ctx, 0));
		expect(String(error)).toMatch(STOPPED);
		expect(afterStopMs).toBeLessThan(2000);
		expect(body.destroyed).toBe(true);
	});
});
