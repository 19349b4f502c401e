/**
 * The benchmark's plan and verdicts (bench/compare), without running anything: which scenarios
 * and variants a run has, what BENCH_ONLY selects, and how the issue-20 targets and notes read
 * a run's results.
 */
import { FULL_SIZES, QUICK_SIZES, selected } from '../../bench/compare/options';
import type { BenchResult } from '../../bench/compare/results';
import { scenarios } from '../../bench/compare/scenarios';
import { evaluateNotes, evaluateTargets } from '../../bench/compare/targets';

const GiB = 1024 ** 3;

describe('bench scenarios', () => {
	it('a full run has 1–8, their 60 ms (D) variants, L for 5–8, M (default binary mode) for 1–4, and 9, 10', () => {
		expect(scenarios(FULL_SIZES).map((s) => s.id)).toEqual(
			['1', '1D', '1M', '2', '2D', '2M', '3', '3D', '3M', '4', '4D', '4M', '5', '5L', '5D', '6', '6L', '6D', '7', '7L', '7D', '8', '8L', '8D', '9', '10', '11', '12'],
		);
	});

	it('a quick run has no variants', () => {
		expect(scenarios(QUICK_SIZES).map((s) => s.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
	});

	it("runs the ceiling only for downloads without latency, in-memory runs and 9–10 through our node only", () => {
		const impl = Object.fromEntries(scenarios(FULL_SIZES).map((s) => [s.id, s.implementations.join(',')]));
		expect(impl['4']).toBe('dropbox-plus,n8n-builtin,n8n-ceiling');
		expect(impl['4D']).toBe('dropbox-plus,n8n-builtin');
		expect(impl['4M']).toBe('dropbox-plus');
		expect(impl['9']).toBe('dropbox-plus');
		expect(scenarios(FULL_SIZES).find((s) => s.id === '4M')).toMatchObject({ binaryMode: 'default', latencyMs: 0 });
		expect(scenarios(FULL_SIZES).find((s) => s.id === '7D')).toMatchObject({ latencyMs: 60, title: 'upload 500 files of 10 KiB as items (+60 ms per call)' });
	});

	it('BENCH_ONLY: a number selects its variants, a letter one variant, "=n" the plain one', () => {
		expect(['4', '4D', '4M', '14'].filter((id) => selected(id, ['4']))).toEqual(['4', '4D', '4M']);
		expect(['4', '4D', '4M'].filter((id) => selected(id, ['4D']))).toEqual(['4D']);
		expect(['4', '4D', '4M'].filter((id) => selected(id, ['=4']))).toEqual(['4']);
	});
});

describe('bench targets of issue 20', () => {
	const ok = (id: string, implementation: BenchResult['implementation'], wall_s: number, more: Partial<BenchResult> = {}): BenchResult => ({
		scenario: id,
		id,
		implementation,
		ok: true,
		wall_s,
		peak_rss_mb: 500,
		api_calls: 1,
		...more,
	});

	it("download against n8n's ceiling: at least 90% of its throughput", () => {
		const targets = evaluateTargets([ok('4', 'dropbox-plus', 10, { bytes: GiB }), ok('4', 'n8n-ceiling', 8, { bytes: GiB })], 400, FULL_SIZES);
		const t = targets.find((x) => x.name.startsWith('Scenario 4: download'));
		expect(t).toMatchObject({ ok: false, detail: 'ours 102.4 MiB/s (10 s) vs n8n ceiling 128.0 MiB/s (8 s): 80%' });
		const met = evaluateTargets([ok('4', 'dropbox-plus', 8.5, { bytes: GiB }), ok('4', 'n8n-ceiling', 8, { bytes: GiB })], 400, FULL_SIZES);
		expect(met.find((x) => x.name.startsWith('Scenario 4: download'))?.ok).toBe(true);
	});

	it('several large items: memory within the budget over idle, throughput against one item', () => {
		const results = [ok('2', 'dropbox-plus', 10, { bytes: GiB }), ok('9', 'dropbox-plus', 30, { bytes: 2 * GiB, peak_rss_mb: 900, items: 8 })];
		const targets = evaluateTargets(results, 400, FULL_SIZES).filter((t) => t.name.startsWith('Scenario 9'));
		expect(targets.map((t) => [t.ok, t.detail])).toEqual([
			[false, 'peak RSS 900.0 MiB, +500.0 MiB over idle for 8 items'],
			[false, '68.3 MiB/s for 8 items at once vs 102.4 MiB/s for one (67%)'],
		]);
	});

	it('the 500 small uploads name the TLS handshakes of both nodes', () => {
		const results = [ok('7', 'dropbox-plus', 1, { api_calls: 501, tls_connections: 501 }), ok('7', 'n8n-builtin', 4, { api_calls: 501, tls_connections: 501 })];
		expect(evaluateTargets(results, 400, FULL_SIZES).find((t) => t.name.startsWith('Scenario 7:'))?.detail).toBe(
			'ours 1 s, built-in 4 s: 4.00×; ours: 501 TLS handshakes for 501 API calls, built-in: 501 TLS handshakes for 501 API calls',
		);
	});

	it('default binary mode: notes with the peak RSS reached, also when the run failed', () => {
		const results: BenchResult[] = [
			ok('4', 'dropbox-plus', 9, { peak_rss_mb: 510 }),
			{ scenario: 'download one 1 GiB file (n8n default binary mode)', id: '4M', implementation: 'dropbox-plus', ok: false, error: 'Invalid string length', failed_peak_rss_mb: 3100 },
		];
		expect(evaluateNotes(results, 400)).toEqual([
			'Scenario 4M (download one 1 GiB file (n8n default binary mode)): failed at a peak RSS of 3100.0 MiB (+2700.0 MiB over idle): Invalid string length; filesystem mode: 510.0 MiB',
		]);
	});
});
