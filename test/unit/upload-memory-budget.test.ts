import { Readable } from 'node:stream';

import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { executeBatch } from '../../nodes/DropboxPlus/actions/file/upload.operation';
import { budgetObserver, type BufferBudget } from '../../nodes/shared/content/bufferBudget';
import { ContentHasher } from '../../nodes/shared/contentHash';
import { fakeContext } from './helpers/fakes';

/**
 * One memory budget for the whole node run: whatever Parallel Uploads × Parallel Chunks ×
 * Chunk Size allow, the chunk buffers of all files in flight stay within Memory Budget.
 * Measured two ways: the bytes of upload requests Dropbox (a fake, answering after 5 ms) is
 * receiving at the same moment, and the chunk buffers the node holds, as its budget counts them.
 */

const MIB = 1024 * 1024;
const PIECE = 64 * 1024;

function pieceOf(item: number): Buffer {
	return Buffer.alloc(PIECE, item + 1);
}

function hashOf(item: number, bytes: number): string {
	const hasher = new ContentHasher();
	for (let sent = 0; sent < bytes; sent += PIECE) hasher.update(pieceOf(item));
	return hasher.digest();
}

async function run(files: number, fileBytes: number, options: IDataObject) {
	const fake = fakeContext();
	const hashes = Array.from({ length: files }, (_, item) => hashOf(item, fileBytes));
	let inFlight = 0;
	let peakInFlight = 0;
	fake.request.mockImplementation(async (_type: string, request: IHttpRequestOptions) => {
		const bytes = Buffer.isBuffer(request.body) ? request.body.length : 0;
		inFlight += bytes;
		peakInFlight = Math.max(peakInFlight, inFlight);
		await new Promise((resolve) => setTimeout(resolve, 5));
		inFlight -= bytes;
		const arg = JSON.parse(String(request.headers?.['Dropbox-API-Arg'] ?? '{}')) as { commit?: { path: string }; path?: string };
		if (request.url.endsWith('upload_session/start')) return JSON.stringify({ session_id: `s-${Math.random()}` });
		if (request.url.endsWith('upload_session/append_v2')) return 'null';
		const path = arg.commit?.path ?? arg.path ?? '';
		const item = Number(/f(\d+)\.bin$/.exec(path)?.[1]);
		return JSON.stringify({ path_display: path, size: fileBytes, content_hash: hashes[item] });
	});
	const items: INodeExecutionData[] = Array.from({ length: files }, (_, i) => ({
		json: {},
		binary: { data: { id: `filesystem-v2:f${i}`, data: 'filesystem-v2', mimeType: 'application/octet-stream' } },
	}));
	const ctx = fake.ctx as unknown as Record<string, unknown> & { helpers: Record<string, unknown> };
	const parameters: IDataObject = { destination: 'path', options: { batchSize: 1, ...options } };
	ctx.getNodeParameter = (name: string, index: number, fallback?: unknown) => {
		if (name === 'authentication') return 'oAuth2';
		if (name === 'filePath') return `/up/f${index}.bin`;
		const value = name.split('.').reduce<unknown>((v, key) => (v as IDataObject | undefined)?.[key], parameters);
		return value ?? fallback;
	};
	ctx.continueOnFail = () => false;
	ctx.getInputData = () => items;
	ctx.helpers.getBinaryStream = async (id: string) => {
		const item = Number(/f(\d+)$/.exec(id)?.[1]);
		return Readable.from(
			(function* () {
				for (let sent = 0; sent < fileBytes; sent += PIECE) yield pieceOf(item);
			})(),
		);
	};
	const budgets: BufferBudget[] = [];
	budgetObserver.created = (budget) => budgets.push(budget);
	const outcomes = await executeBatch.call(fake.ctx as IExecuteFunctions, items.map((_, i) => i)).finally(() => delete budgetObserver.created);
	expect(outcomes.every((outcome) => 'output' in outcome)).toBe(true);
	expect(budgets).toHaveLength(1);
	return { peakInFlightMib: peakInFlight / MIB, peakHeldMib: budgets[0].peakHeldBytes / MIB };
}

describe('File → Upload: one memory budget for the whole node run', () => {
	it('six 24 MiB files with 4 MiB chunks, 4 in parallel each, 6 files at once: at most 32 MiB in flight with Memory Budget 32', async () => {
		// without a budget: 6 files × 4 chunks × 4 MiB = 96 MiB in flight
		const { peakInFlightMib, peakHeldMib } = await run(6, 24 * MIB, { chunkSize: 4, parallelChunks: 4, parallelUploads: 6, memoryBudget: 32 });
		console.log(`budget 32 MiB, 6 files × 24 MiB, 4 MiB chunks, 4 parallel chunks, 6 parallel uploads: peak ${peakInFlightMib} MiB in flight, ${peakHeldMib} MiB of chunk buffers held`);
		expect(peakInFlightMib).toBeLessThanOrEqual(32);
		expect(peakHeldMib).toBeLessThanOrEqual(32);
		expect(peakInFlightMib).toBeGreaterThanOrEqual(8);
	});

	it('eight 40 MiB files with the defaults (8 MiB chunks, 3 parallel chunks, 8 parallel uploads) stay within the default 256 MiB', async () => {
		const { peakInFlightMib, peakHeldMib } = await run(8, 40 * MIB, {});
		console.log(`defaults, 8 files × 40 MiB: peak ${peakInFlightMib} MiB in flight, ${peakHeldMib} MiB of chunk buffers held`);
		expect(peakInFlightMib).toBeLessThanOrEqual(256);
		expect(peakHeldMib).toBeLessThanOrEqual(256);
	});

	it('a budget smaller than one chunk still uploads, one chunk at a time', async () => {
		const { peakInFlightMib, peakHeldMib } = await run(3, 12 * MIB, { chunkSize: 8, parallelChunks: 3, parallelUploads: 3, memoryBudget: 4 });
		console.log(`budget 4 MiB, 8 MiB chunks, 3 files × 12 MiB: peak ${peakInFlightMib} MiB in flight, ${peakHeldMib} MiB of chunk buffers held`);
		expect(peakInFlightMib).toBeLessThanOrEqual(8);
		expect(peakHeldMib).toBeLessThanOrEqual(8);
	});

	it.each([2, 70_000, 'lots'])('refuses Memory Budget %p, on every item, before anything is sent', async (value) => {
		const fake = fakeContext();
		const ctx = fake.ctx as unknown as Record<string, unknown>;
		ctx.getNodeParameter = (name: string, _index: number, fallback?: unknown) =>
			name === 'authentication' ? 'oAuth2' : name === 'options.memoryBudget' ? value : fallback;
		ctx.continueOnFail = () => true;
		ctx.getInputData = () => [{ json: {} }, { json: {} }];
		const outcomes = await executeBatch.call(fake.ctx as IExecuteFunctions, [0, 1]);
		const message = `The Memory Budget option "${value}" is not a whole number of MiB from 4 to 65536`;
		expect(outcomes.map((outcome) => String((outcome as { error?: Error }).error?.message))).toEqual([message, message]);
		expect(fake.request).not.toHaveBeenCalled();
	});
});

describe('File → Upload: the largest settings are held to the budget', () => {
	it('32 files at once × 8 parallel chunks × 4 MiB (1 GiB without a budget) with the default 256 MiB', async () => {
		const { peakInFlightMib, peakHeldMib } = await run(32, 12 * MIB, { chunkSize: 4, parallelChunks: 8, parallelUploads: 32 });
		console.log(`defaults but 32 parallel uploads × 8 parallel chunks × 4 MiB, 32 files × 12 MiB: peak ${peakInFlightMib} MiB in flight, ${peakHeldMib} MiB of chunk buffers held`);
		expect(peakHeldMib).toBeLessThanOrEqual(256);
		expect(peakInFlightMib).toBeLessThanOrEqual(256);
	});
});
