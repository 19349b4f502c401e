/**
 * Memory growth of File → Upload and File → Download on 1 GiB, in filesystem binary mode, with
 * the emulator in a child process so the figures are the node code's alone. Not part of
 * `npm test` (about a minute; writes 3 GiB to the temp directory):
 *   npm run build:sandbox
 *   node --expose-gc node_modules/.bin/jest --rootDir . --roots '<rootDir>/bench' --testMatch '**' --runTestsByPath bench/file-memory.bench.ts
 * BENCH_LATENCY_MS=100 adds that much to every call (a distant Dropbox).
 * Prints, per run, the process RSS before and its peak during the operation (sampled every 20 ms).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';

import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { route } from '../nodes/DropboxPlus/actions/router';
import { ContentHasher } from '../nodes/shared/contentHash';
import { createExecuteContext } from '../test/support/executeContext';

const MIB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_SIZE_MIB ?? 1024) * MIB;
const TOKEN = 'bench-token';
let child: ChildProcess;
let url: string;

beforeAll(async () => {
	child = spawn(process.execPath, ['sandbox/dist/emulator/cli.js', '--port', '0', '--access-token', TOKEN], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	url = await new Promise<string>((resolve) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			const match = /listening on (\S+)/.exec(chunk.toString());
			if (match) resolve(match[1]);
		});
	});
});

beforeAll(async () => {
	// BENCH_LATENCY_MS: every call waits this long first, like a distant Dropbox
	const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 0);
	if (latencyMs > 0) await fetch(`${url}/__admin/faults`, { method: 'POST', body: JSON.stringify({ latencyMs }), headers: { 'Content-Type': 'application/json' } });
});

afterAll(() => {
	child.kill();
});

function generated(size: number, hasher: ContentHasher): Readable {
	const block = randomBytes(MIB);
	let sent = 0;
	return new Readable({
		read() {
			if (sent >= size) return void this.push(null);
			const piece = Buffer.from(block);
			piece.writeUInt32BE(sent / MIB, 0);
			sent += MIB;
			hasher.update(piece);
			this.push(piece);
		},
	});
}

/** Runs `work`, sampling RSS; returns baseline and peak in MiB. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; baseMiB: number; peakMiB: number; seconds: number }> {
	(global as { gc?: () => void }).gc?.();
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 20);
	const started = Date.now();
	const result = await work();
	clearInterval(timer);
	peak = Math.max(peak, process.memoryUsage().rss);
	return { result, baseMiB: baseline / MIB, peakMiB: peak / MIB, seconds: (Date.now() - started) / 1000 };
}

function report(label: string, m: { baseMiB: number; peakMiB: number; seconds: number }) {
	// eslint-disable-next-line no-console
	console.log(
		`${label}: RSS ${m.baseMiB.toFixed(0)} MiB before, peak ${m.peakMiB.toFixed(0)} MiB, growth ${(m.peakMiB - m.baseMiB).toFixed(0)} MiB, ${m.seconds.toFixed(1)} s (${((SIZE / MIB) / m.seconds).toFixed(0)} MiB/s)`,
	);
}

it.each([
	[8, 1],
	[8, 2],
	[8, 4],
	[64, 1],
])('uploads and downloads a 1 GiB file in %i MiB chunks, %i in flight, with bounded memory', async (chunkSize, parallelChunks) => {
	const items: INodeExecutionData[] = [{ json: {} }];
	const hasher = new ContentHasher();
	const parameters: IDataObject = {
		authentication: 'oAuth2',
		resource: 'file',
		operation: 'upload',
		destination: 'path',
		filePath: `/bench/big-${chunkSize}.bin`,
		mode: 'overwrite',
		options: { chunkSize, parallelChunks },
	};
	const up = await createExecuteContext({ emulatorUrl: url, accessToken: TOKEN, parameters, items });
	items[0].binary = { data: await up.storeBinary(generated(SIZE, hasher), 'big.bin') };
	const upload = await measured(async () => await route.call(up.ctx));
	expect(upload.result[0][0].json.content_hash).toBe(hasher.digest());
	report(`upload ${SIZE / MIB} MiB, chunk ${chunkSize} MiB × ${parallelChunks} in flight`, upload);

	const down = await createExecuteContext({
		emulatorUrl: url,
		accessToken: TOKEN,
		parameters: { authentication: 'oAuth2', resource: 'file', operation: 'download', file: { __rl: true, mode: 'path', value: `/bench/big-${chunkSize}.bin` } },
	});
	const download = await measured(async () => await route.call(down.ctx));
	const binary = download.result[0][0].binary?.data as IBinaryData;
	expect(binary.fileSize).toBe(String(SIZE));
	report(`download ${SIZE / MIB} MiB`, download);
	await rm(up.binaryDir, { recursive: true, force: true });
	await rm(down.binaryDir, { recursive: true, force: true });
}, 600_000);
