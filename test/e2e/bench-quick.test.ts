/**
 * The benchmark (bench/compare, `npm run bench`) with small sizes, as part of `npm test`: every
 * run of our node succeeds, the built-in node's runs succeed or record why not, and the report
 * has the shape bench/results.json promises. No timing is asserted. The report goes to a temp dir.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { QUICK_SIZES } from '../../bench/compare/options';
import { writeReport } from '../../bench/compare/report';
import type { BenchReport, BenchResult } from '../../bench/compare/results';
import { runBench } from '../../bench/compare/run';
import { HARNESS_TIMEOUT_MS } from './harness';

/** 2 (the larger upload) is the same run as 1 with a larger file; left out to keep this short. */
const ONLY = ['1', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];
/** scenarios the built-in node does not run (several large files at once: it holds each whole in memory) */
const OURS_ONLY = ['9', '10'];
const FIGURES = ['wall_s', 'peak_rss_mb', 'api_calls'] as const;

describe('npm run bench, quick', () => {
	let report: BenchReport;
	let outDir: string;

	beforeAll(async () => {
		outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-quick-'));
		report = await runBench({ quick: true, sizes: QUICK_SIZES, only: ONLY });
	}, HARNESS_TIMEOUT_MS);

	afterAll(() => {
		if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
	});

	const byImpl = (impl: BenchResult['implementation']) => report.results.filter((r) => r.implementation === impl);

	it('runs every selected scenario through our node, successfully', () => {
		const ours = byImpl('dropbox-plus');
		expect(ours.map((r) => r.id)).toEqual(ONLY);
		for (const r of ours) expect({ id: r.id, ok: r.ok, error: r.error }).toEqual({ id: r.id, ok: true, error: undefined });
		expect(byImpl('raw').map((r) => [r.id, r.ok])).toEqual([
			['1', true],
			['3', true],
			['4', true],
		]);
	});

	it("runs the downloads through n8n's own file reader too (the ceiling), filling the same binary store", () => {
		expect(byImpl('n8n-ceiling').map((r) => [r.id, r.ok, r.api_calls, r.bytes])).toEqual([
			['3', true, 0, QUICK_SIZES.smallFile],
			['4', true, 0, QUICK_SIZES.largeFile],
		]);
		expect(report.targets.find((t) => t.name.startsWith("Scenario 4: download into n8n's binary store"))?.detail).toMatch(/% *$/);
	});

	it('re-uploading unchanged files sends no file byte with If Unchanged: Skip (11), and every byte with Upload Anyway (12)', () => {
		const ours = (id: string) => byImpl('dropbox-plus').find((r) => r.id === id);
		expect(ours('11')?.uploaded_bytes).toBe(0);
		expect(ours('12')?.uploaded_bytes).toBe(QUICK_SIZES.reuploadItems * QUICK_SIZES.reuploadItemBytes);
		expect(report.targets.find((t) => t.name.startsWith('Scenario 11:'))?.ok).toBe(true);
	});

	it('counts the TLS handshakes of every run against the emulator: one per request inside n8n, for both nodes', () => {
		for (const r of report.results.filter((x) => x.ok && x.implementation !== 'n8n-ceiling')) expect(r.tls_connections).toBeGreaterThan(0);
		const uploads = report.results.filter((r) => r.id === '7' && r.implementation !== 'raw');
		for (const r of uploads) expect([r.implementation, r.tls_connections]).toEqual([r.implementation, r.api_calls]);
	});

	it('runs the same scenarios through the built-in node: each ok, or failed with the reason recorded', () => {
		const builtin = byImpl('n8n-builtin');
		expect(builtin.map((r) => r.id)).toEqual(ONLY.filter((id) => !OURS_ONLY.includes(id)));
		for (const r of builtin) if (!r.ok) expect(r.error).toEqual(expect.stringMatching(/\S/));
	});

	it('records figures for successful runs only, and the error for failed ones', () => {
		for (const r of report.results) {
			expect(typeof r.scenario).toBe('string');
			expect(['dropbox-plus', 'n8n-builtin', 'n8n-ceiling', 'raw']).toContain(r.implementation);
			if (r.ok) {
				expect(r.error).toBeUndefined();
				expect(r.wall_s).toBeGreaterThanOrEqual(0);
				if (r.implementation !== 'n8n-ceiling') expect(r.api_calls).toBeGreaterThan(0);
				if (r.implementation === 'raw') expect(r.peak_rss_mb).toBeUndefined();
				else expect(r.peak_rss_mb).toBeGreaterThan(0);
			} else {
				for (const k of FIGURES) expect(r[k]).toBeUndefined();
			}
		}
		for (const r of report.results.filter((x) => x.ok && /^([1-4]|9|10)$/.test(x.id))) expect(r.bytes).toBeGreaterThan(0);
	});

	it('describes the machine and the versions, and states each target with its figures', () => {
		expect(report.machine.cpus).toBeGreaterThan(0);
		expect(report.machine.memory_gb).toBeGreaterThan(0);
		expect(report.n8n).toMatch(/^\d+\.\d+\.\d+/);
		expect(report.node).toMatch(/^v?\d+\./);
		expect(report.idle_rss_mb).toBeGreaterThan(0);
		expect(report.targets.length).toBeGreaterThan(0);
		for (const t of report.targets) expect(t).toEqual({ name: expect.stringMatching(/\S/), ok: expect.any(Boolean), detail: expect.stringMatching(/\S/) });
		const listing = report.targets.find((t) => t.name.startsWith('Scenario 5:'));
		expect(listing?.ok).toBe(true); // 200 entries: one list_folder call
	});

	it('writes results.json and chart.svg where it is told', () => {
		const written = writeReport(report, outDir);
		expect(JSON.parse(fs.readFileSync(written.json, 'utf8'))).toEqual(report);
		const svg = fs.readFileSync(written.svg, 'utf8');
		expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
		expect(svg).toContain('1. upload one 1 MiB file');
	});
});
