import { Readable } from 'node:stream';

import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { executeBatch } from '../../nodes/DropboxPlus/actions/file/upload.operation';
import { BufferBudget, budgetObserver, type Lease } from '../../nodes/shared/content/bufferBudget';
import { ContentHasher } from '../../nodes/shared/contentHash';
import { fakeContext } from './helpers/fakes';

/**
 * One memory budget for the whole node run: whatever Parallel Uploads × Parallel Chunks ×
 * Chunk Size allow, what the uploads take stays within Memory Budget. Measured three ways: the
 * bytes of upload requests Dropbox (a fake, answering after 5 ms) is receiving at the same
 * moment, the chunk buffers the node holds, as its budget counts them, and the two together
 * at the same moment — what the process really holds: Node's TLS layer encrypts a request's
 * whole body at once and keeps that copy until the socket has taken it, so a chunk in flight
 * is in memory twice.
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
	let held = 0;
	let peakCost = 0;
	let requests = 0;
	let peakRequests = 0;
	const sample = () => (peakCost = Math.max(peakCost, held + inFlight));
	fake.request.mockImplementation(async (_type: string, request: IHttpRequestOptions) => {
		const bytes = Buffer.isBuffer(request.body) ? request.body.length : 0;
		inFlight += bytes;
		peakInFlight = Math.max(peakInFlight, inFlight);
		peakRequests = Math.max(peakRequests, ++requests);
		sample();
		await new Promise((resolve) => setTimeout(resolve, 5));
		inFlight -= bytes;
		requests--;
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
	budgetObserver.created = (budget) => {
		budgets.push(budget);
		const holding = budget.holding.bind(budget);
		budget.holding = (deltaBytes) => {
			holding(deltaBytes);
			held += deltaBytes;
			sample();
		};
	};
	const outcomes = await executeBatch.call(fake.ctx as IExecuteFunctions, items.map((_, i) => i)).finally(() => delete budgetObserver.created);
	expect(outcomes.every((outcome) => 'output' in outcome)).toBe(true);
	expect(budgets).toHaveLength(1);
	return { peakInFlightMib: peakInFlight / MIB, peakHeldMib: budgets[0].peakHeldBytes / MIB, peakCostMib: peakCost / MIB, peakRequests };
}

describe('File → Upload: one memory budget for the whole node run', () => {
	it('six 24 MiB files with 4 MiB chunks, 4 in parallel each, 6 files at once: at most 32 MiB held and in flight together with Memory Budget 32', async () => {
		// without a budget: 6 files × 4 chunks × 4 MiB = 96 MiB in flight
		const { peakInFlightMib, peakHeldMib, peakCostMib } = await run(6, 24 * MIB, { chunkSize: 4, parallelChunks: 4, parallelUploads: 6, memoryBudget: 32 });
		console.log(
			`budget 32 MiB, 6 files × 24 MiB, 4 MiB chunks, 4 parallel chunks, 6 parallel uploads: peak ${peakInFlightMib} MiB in flight, ${peakHeldMib} MiB of chunk buffers held, ${peakCostMib} MiB both together`,
		);
		expect(peakCostMib).toBeLessThanOrEqual(32);
		expect(peakInFlightMib).toBeGreaterThanOrEqual(8);
	});

	it('eight 40 MiB files with the defaults (8 MiB chunks, 3 parallel chunks, 8 parallel uploads) stay within the default 256 MiB, chunks in flight counted twice', async () => {
		const { peakInFlightMib, peakHeldMib, peakCostMib } = await run(8, 40 * MIB, {});
		console.log(`defaults, 8 files × 40 MiB: peak ${peakInFlightMib} MiB in flight, ${peakHeldMib} MiB of chunk buffers held, ${peakCostMib} MiB both together`);
		expect(peakCostMib).toBeLessThanOrEqual(256);
		// the budget is used, not left idle: at least 8 chunks in flight at once
		expect(peakInFlightMib).toBeGreaterThanOrEqual(64);
	});

	it('eight files smaller than one chunk with the defaults: all eight sent at once (each takes one chunk of the budget, not Parallel Chunks)', async () => {
		const { peakRequests, peakCostMib } = await run(8, 2 * MIB, {});
		console.log(`defaults, 8 files × 2 MiB: peak ${peakRequests} requests at once, ${peakCostMib} MiB held and in flight together`);
		expect(peakRequests).toBe(8);
		expect(peakCostMib).toBeLessThanOrEqual(256);
	});

	it('a budget smaller than one chunk still uploads, one chunk at a time', async () => {
		const { peakInFlightMib, peakHeldMib, peakCostMib } = await run(3, 12 * MIB, { chunkSize: 8, parallelChunks: 3, parallelUploads: 3, memoryBudget: 4 });
		console.log(`budget 4 MiB, 8 MiB chunks, 3 files × 12 MiB: peak ${peakInFlightMib} MiB in flight, ${peakHeldMib} MiB of chunk buffers held, ${peakCostMib} MiB both together`);
		expect(peakInFlightMib).toBeLessThanOrEqual(8);
		expect(peakHeldMib).toBeLessThanOrEqual(8);
		expect(peakCostMib).toBeLessThanOrEqual(16);
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
		const { peakInFlightMib, peakHeldMib, peakCostMib } = await run(32, 12 * MIB, { chunkSize: 4, parallelChunks: 8, parallelUploads: 32 });
		console.log(
			`defaults but 32 parallel uploads × 8 parallel chunks × 4 MiB, 32 files × 12 MiB: peak ${peakInFlightMib} MiB in flight, ${peakHeldMib} MiB of chunk buffers held, ${peakCostMib} MiB both together`,
		);
		expect(peakCostMib).toBeLessThanOrEqual(256);
	});
});

describe('File → Upload: each chunk buffer is charged twice its size', () => {
	it('leases no more chunks than fit in the budget at twice their size; a file starts with one and grows as others give theirs back', async () => {
		const budget = new BufferBudget(256 * MIB);
		const leases = [];
		for (let file = 0; file < 8; file++) leases.push(await budget.lease(8 * MIB, 3));
		expect(leases.map((lease) => lease.chunks)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
		for (const lease of leases) lease.widen();
		// 16 chunks of 8 MiB, each with the encrypted copy of it in flight: 256 MiB
		expect(leases.map((lease) => lease.chunks)).toEqual([3, 3, 3, 3, 1, 1, 1, 1]);
		expect(budget.peakReservedBytes).toBe(256 * MIB);
		let ninth: Lease | undefined;
		const waiting = budget.lease(8 * MIB, 3).then((lease) => (ninth = lease));
		await new Promise((resolve) => setImmediate(resolve));
		expect(ninth).toBeUndefined();
		leases[0].end();
		await waiting;
		// the file waiting to start comes first, then the files that asked for more, in turn
		expect([ninth?.chunks, ...leases.map((lease) => lease.chunks)]).toEqual([1, 0, 3, 3, 3, 3, 1, 1, 1]);
		expect(budget.peakReservedBytes).toBe(256 * MIB);
	});

	it('still lets one chunk go when it costs more than the whole budget, and never grows it', async () => {
		const budget = new BufferBudget(4 * MIB);
		const lease = await budget.lease(8 * MIB, 3);
		lease.widen();
		expect([lease.chunks, lease.most]).toEqual([1, 1]);
	});
});
