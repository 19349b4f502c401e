/**
 * File → Download then File → Upload of the same file in real n8n (filesystem binary mode)
 * against the emulator, 1 MiB and 1 GiB: the peak RSS of the `n8n execute` process for each,
 * so the difference is what the file's size costs (sizes: BENCH_SIZES_MIB, default 1,1024).
 * Not part of `npm test` (a few minutes):
 *   npm run build
 *   npx jest --rootDir . --roots '<rootDir>/bench' --testMatch '**' --runTestsByPath bench/file-memory-n8n.bench.ts
 */
import { execFileSync } from 'node:child_process';

import { HARNESS_TIMEOUT_MS, NODE_PREFIX, startHarness, workflow, type Harness } from '../test/e2e/harness';

const MIB = 1024 * 1024;
let h: Harness;
let credentialId: string;

beforeAll(async () => {
	h = await startHarness();
	credentialId = await h.importApiCredential();
}, HARNESS_TIMEOUT_MS);

afterAll(async () => {
	await h?.stop();
});

/** The largest RSS seen, in MiB, of processes running `n8n execute`, sampled every 100 ms while `work` runs. */
async function peakExecuteRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
	let peak = 0;
	const timer = setInterval(() => {
		const table = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8' });
		for (const line of table.split('\n')) {
			if (!/\bexecute --id=/.test(line)) continue;
			peak = Math.max(peak, Number(line.trim().split(/\s+/)[0]) / 1024);
		}
	}, 100);
	try {
		return { result: await work(), peakMiB: peak };
	} finally {
		clearInterval(timer);
	}
}

const dropbox = (name: string, parameters: Record<string, unknown>) => ({
	name,
	type: `${NODE_PREFIX}.dropboxPlus`,
	parameters: { authentication: 'refreshToken', resource: 'file', ...parameters },
	credentials: { dropboxPlusApi: credentialId },
});

it('downloads and re-uploads 1 MiB and 1 GiB with memory bounded by the chunk size', async () => {
	const peaks: Record<string, number> = {};
	const sizes = (process.env.BENCH_SIZES_MIB ?? '1,1024').split(',').map(Number);
	for (const sizeMiB of sizes) {
		await h.emulator.seed({ files: [{ path: `/in/f-${sizeMiB}.bin`, size: sizeMiB * MIB, seed: 3 }] });
		const started = Date.now();
		const { result: run, peakMiB } = await peakExecuteRss(
			async () =>
				await h.n8n.runWorkflow(
					workflow(`memory ${sizeMiB} MiB`, [
						dropbox('Download', { operation: 'download', file: { __rl: true, mode: 'path', value: `/in/f-${sizeMiB}.bin` } }),
						dropbox('Upload', { operation: 'upload', destination: 'path', filePath: `/out/f-${sizeMiB}.bin`, mode: 'overwrite' }),
					]),
					{ timeoutMs: 600_000 },
				),
		);
		const downloaded = run.json('Download')[0];
		const uploaded = run.json('Upload')[0];
		expect(downloaded.size).toBe(sizeMiB * MIB);
		expect(uploaded.content_hash).toBe(downloaded.content_hash);
		peaks[sizeMiB] = peakMiB;
		// eslint-disable-next-line no-console
		console.log(`n8n execute, ${sizeMiB} MiB download + upload (8 MiB chunks): peak RSS ${peakMiB.toFixed(0)} MiB, ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}
	// eslint-disable-next-line no-console
	console.log(`growth from ${sizes[0]} MiB to ${sizes[sizes.length - 1]} MiB: ${(peaks[sizes[sizes.length - 1]] - peaks[sizes[0]]).toFixed(0)} MiB`);
}, 900_000);
