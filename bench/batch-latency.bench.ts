/**
 * Call counts and wall time of the batched operations for 1,000 items against the emulator
 * with 20 ms added per call, Batch Size 1000 vs 1 (uploads: 8 in parallel, committed by
 * finish_batch_v2, vs one after another). Not part of `npm test` (about a minute):
 *   npx jest --rootDir . --roots '<rootDir>/bench' --testMatch '**' bench/batch-latency.bench.ts
 */
import type { IDataObject } from 'n8n-workflow';

import { route } from '../nodes/DropboxPlus/actions/router';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { createExecuteContext } from '../test/support/executeContext';

const TOKEN = 'test-token';
const ITEMS = 1000;
const LATENCY_MS = 20;
let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ port: 0, accessToken: TOKEN });
});
afterAll(async () => emu.close());

const locator = (value: string) => ({ __rl: true, mode: 'path', value });
const source = (i: number) => `/in/f${i}.txt`;

const cases: Record<string, { seed: boolean; params: (i: number) => IDataObject }> = {
	'file copy': { seed: true, params: (i) => ({ resource: 'file', operation: 'copy', file: locator(source(i)), destination: 'path', destinationPath: `/out/f${i}.txt` }) },
	'file move': { seed: true, params: (i) => ({ resource: 'file', operation: 'move', file: locator(source(i)), destination: 'path', destinationPath: `/out/f${i}.txt` }) },
	'file delete': { seed: true, params: (i) => ({ resource: 'file', operation: 'delete', file: locator(source(i)) }) },
	'folder create': { seed: false, params: (i) => ({ resource: 'folder', operation: 'create', folderPath: `/made/d${i}` }) },
	'file upload (10 KiB)': {
		seed: false,
		params: (i) => ({ resource: 'file', operation: 'upload', destination: 'path', filePath: `/up/f${i}.txt`, content: 'text', text: `${i} `.padEnd(10 * 1024, 'x') }),
	},
};

/** Batch Size 1 runs one item after another, as an unbatched node would (uploads: Parallel Uploads 1 too). */
const optionsFor = (batchSize: number): IDataObject => (batchSize === 1 ? { batchSize, parallelUploads: 1 } : { batchSize });

const table: string[] = [];

for (const [name, spec] of Object.entries(cases)) {
	for (const batchSize of [1000, 1]) {
		it(`${name}, ${ITEMS} items, Batch Size ${batchSize}`, async () => {
			emu.reset();
			emu.setFaults({ latencyMs: 0, replace: true });
			if (spec.seed) for (let i = 0; i < ITEMS; i++) await emu.seedFile(source(i), `file ${i}`);
			emu.setFaults({ latencyMs: LATENCY_MS, replace: true });
			emu.resetCalls();
			const { ctx } = await createExecuteContext({
				emulatorUrl: emu.url,
				accessToken: TOKEN,
				parameters: (i) => ({ authentication: 'oAuth2', ...spec.params(i), options: optionsFor(batchSize) }),
				items: Array.from({ length: ITEMS }, () => ({ json: {} })),
			});
			const started = Date.now();
			const [out] = await route.call(ctx);
			const ms = Date.now() - started;
			expect(out.filter((item) => item.json.error === undefined)).toHaveLength(ITEMS);
			const calls = emu.calls();
			table.push(`| ${name} | ${batchSize} | ${calls.total} | ${JSON.stringify(calls.byRoute)} | ${(ms / 1000).toFixed(2)} s |`);
		}, 300_000);
	}
}

afterAll(() => {
	console.log(['| operation | Batch Size | calls | by route | wall time |', '|---|---|---|---|---|', ...table].join('\n')); // eslint-disable-line no-console
});
