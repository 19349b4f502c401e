/**
 * One benchmark run: starts the emulator and one n8n, then runs every selected scenario through
 * our node, n8n's built-in Dropbox node, n8n's own file reader (the ceiling of downloads) and
 * (file transfers) the raw client, one after another, and measures each (see measure.ts). A run
 * that fails is recorded with ok: false and its error, never with figures (only the peak RSS it
 * reached before failing, apart).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { NODE_PREFIX, startHarness, workflow, type Harness } from '../../test/e2e/harness';
import { executionError, measureWorkflow } from './measure';
import { formatBytes, selected, type BenchOptions } from './options';
import { MEASURED, scenarios, type BenchContext, type NodeImplementation, type Scenario } from './scenarios';
import type { BenchReport, BenchResult } from './results';
import { evaluateNotes, evaluateTargets } from './targets';

const RUN_TIMEOUT_MS = 30 * 60_000;

const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0].slice(0, 500);

async function setLatency(h: Harness, latencyMs: number) {
	await h.emulator.admin('POST', 'faults', latencyMs ? { latencyMs } : { replace: true });
}

async function runNode(ctx: BenchContext, scenario: Scenario, impl: NodeImplementation): Promise<BenchResult> {
	const base = { scenario: scenario.title, id: scenario.id, implementation: impl };
	try {
		const prepared = await scenario.prepare(ctx, impl);
		const env: Record<string, string> = scenario.binaryMode ? { N8N_DEFAULT_BINARY_DATA_MODE: scenario.binaryMode } : {};
		await setLatency(ctx.h, scenario.latencyMs);
		let run;
		try {
			run = await measureWorkflow(ctx.h, workflow(`bench ${scenario.id} ${impl}`, prepared.nodes), MEASURED, RUN_TIMEOUT_MS, env);
		} catch (e) {
			const peak = (e as { peakMiB?: number }).peakMiB;
			return { ...base, ok: false, error: firstLine(e), ...(peak === undefined ? {} : { failed_peak_rss_mb: round(peak, 1) }) };
		} finally {
			await setLatency(ctx.h, 0);
		}
		const failure = executionError(run.execution, MEASURED);
		if (failure) return { ...base, ok: false, error: failure, ...(run.peakRssMiB === undefined ? {} : { failed_peak_rss_mb: round(run.peakRssMiB, 1) }) };
		const { bytes, items } = prepared.check(run.execution);
		if (!Number.isFinite(run.wallSeconds)) return { ...base, ok: false, error: `n8n recorded no execution time for node ${MEASURED}` };
		if (run.peakRssMiB === undefined) return { ...base, ok: false, error: 'the n8n process ended before its memory could be sampled' };
		return {
			...base,
			ok: true,
			wall_s: round(run.wallSeconds, 3),
			peak_rss_mb: round(run.peakRssMiB, 1),
			api_calls: run.apiCalls,
			calls_by_route: run.callsByRoute,
			tls_connections: run.tlsConnections,
			bytes,
			uploaded_bytes: run.uploadedBytes,
			items,
			process_s: round(run.processSeconds, 1),
			process_cpu_s: run.processCpuSeconds === undefined ? undefined : round(run.processCpuSeconds, 2),
		};
	} catch (e) {
		return { ...base, ok: false, error: firstLine(e) };
	}
}

async function runRaw(ctx: BenchContext, scenario: Scenario & { raw: NonNullable<Scenario['raw']> }): Promise<BenchResult> {
	const base = { scenario: scenario.title, id: scenario.id, implementation: 'raw' as const };
	try {
		const before = await ctx.h.emulator.calls();
		await setLatency(ctx.h, scenario.latencyMs);
		const started = process.hrtime.bigint();
		let bytes: number;
		try {
			bytes = await scenario.raw(ctx);
		} finally {
			await setLatency(ctx.h, 0);
		}
		const wall = Number(process.hrtime.bigint() - started) / 1e9;
		const after = await ctx.h.emulator.calls();
		const tls = (after.tlsConnections ?? 0) - (before.tlsConnections ?? 0);
		return { ...base, ok: true, wall_s: round(wall, 3), api_calls: after.total - before.total, tls_connections: tls, bytes };
	} catch (e) {
		return { ...base, ok: false, error: firstLine(e) };
	}
}

/** Peak RSS of `n8n execute` with a trivial workflow: Manual Trigger + our Get Current Account. */
async function idleRss(ctx: BenchContext): Promise<number | undefined> {
	const wf = workflow('bench idle', [
		{
			name: MEASURED,
			type: `${NODE_PREFIX}.dropboxPlus`,
			parameters: { authentication: 'refreshToken', resource: 'account', operation: 'getCurrentAccount' },
			credentials: { dropboxPlusApi: ctx.ourCredential },
		},
	]);
	const run = await measureWorkflow(ctx.h, wf, MEASURED, RUN_TIMEOUT_MS);
	const failure = executionError(run.execution, MEASURED);
	if (failure) throw new Error(`the idle workflow failed: ${failure}`);
	return run.peakRssMiB === undefined ? undefined : round(run.peakRssMiB, 1);
}

function machine(): BenchReport['machine'] {
	return {
		cpus: os.cpus().length,
		cpu_model: os.cpus()[0]?.model ?? 'unknown',
		memory_gb: round(os.totalmem() / 1024 ** 3, 1),
		platform: `${os.platform()} ${os.release()}`,
	};
}

/** Runs the benchmark; `log` hears one line per finished run. */
export async function runBench(opts: BenchOptions, log: (line: string) => void = () => {}): Promise<BenchReport> {
	const started = Date.now();
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dropbox-bench-'));
	// n8n 2.x reads files only below N8N_RESTRICT_FILE_ACCESS_TO (default ~/.n8n-files)
	const h = await startHarness({ n8n: { env: { N8N_RESTRICT_FILE_ACCESS_TO: workDir } } });
	if (opts.n8nNodeOptions) {
		const routing = h.emulator.routingEnv();
		h.n8n.addEnv({ NODE_OPTIONS: `${routing.NODE_OPTIONS} ${opts.n8nNodeOptions}` });
	}
	const runs = (impl: string) => !opts.implementations || opts.implementations.includes(impl);
	try {
		const ctx: BenchContext = {
			h,
			workDir,
			sizes: opts.sizes,
			ourCredential: await h.importApiCredential(),
			builtinCredential: await h.n8n.importCredential({
				name: 'Dropbox (n8n built-in, bench)',
				type: 'dropboxApi',
				data: { accessToken: h.emulator.accessToken, accessType: 'full' },
			}),
		};
		const idle = await idleRss(ctx);
		log(`idle n8n execute: peak RSS ${idle ?? '?'} MiB`);
		const results: BenchResult[] = [];
		for (const scenario of scenarios(opts.sizes).filter((s) => selected(s.id, opts.only))) {
			const setupError = await scenario.setup?.(ctx).then(
				() => undefined,
				(e: unknown) => `seeding the emulator failed: ${firstLine(e)}`,
			);
			for (const impl of scenario.implementations.filter(runs)) {
				const result = setupError ? { scenario: scenario.title, id: scenario.id, implementation: impl, ok: false, error: setupError } : await runNode(ctx, scenario, impl);
				results.push(result);
				log(describe(result));
			}
			if (scenario.raw && !setupError && runs('raw')) {
				const result = await runRaw(ctx, scenario as Scenario & { raw: NonNullable<Scenario['raw']> });
				results.push(result);
				log(describe(result));
			}
		}
		return {
			date: new Date().toISOString(),
			quick: opts.quick,
			machine: machine(),
			n8n: h.n8n.paths.version,
			node: h.n8n.paths.nodeVersion,
			sizes: opts.sizes,
			idle_rss_mb: idle,
			wall_time: `${MEASURED} node's executionTime from n8n's run data (raw: the client's own transfer time)`,
			results,
			targets: evaluateTargets(results, idle, opts.sizes),
			notes: evaluateNotes(results, idle),
		};
	} finally {
		await h.stop();
		fs.rmSync(workDir, { recursive: true, force: true });
		log(`bench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	}
}

function describe(r: BenchResult): string {
	const what = `${r.id} ${r.scenario} — ${r.implementation}`;
	if (!r.ok) return `${what}: FAILED: ${r.error}`;
	const bytes = r.bytes ? `, ${formatBytes(r.bytes)}` : '';
	const uploaded = r.uploaded_bytes === undefined ? '' : `, ${r.uploaded_bytes === 0 ? '0 bytes' : formatBytes(r.uploaded_bytes)} uploaded`;
	const cpu = r.process_cpu_s === undefined ? '' : `, process CPU ${r.process_cpu_s} s`;
	return `${what}: ${r.wall_s} s, peak RSS ${r.peak_rss_mb ?? '–'} MiB, ${r.api_calls} API calls, ${r.tls_connections ?? '–'} TLS handshakes${bytes}${uploaded}${cpu}`;
}
