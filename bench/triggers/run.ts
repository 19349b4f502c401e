/**
 * The trigger benchmark (`npm run bench:triggers`): every built trigger kind (kinds.ts) inside
 * one running n8n (`n8n start`, filesystem binary mode) against the emulator.
 * - latency: one active workflow per kind, all fed by the same changes (a new file each, made
 *   through the emulator's admin API at random moments); per change and kind, the time from the
 *   change to the start of the execution that emitted it; p50 and p95;
 * - idle cost: per kind alone, `perKind` active workflows and no change for `idleSeconds`: the
 *   API calls the emulator counted, per trigger and hour, and the n8n process's RSS added per
 *   active trigger (medians of 10 s of samples before and after: a rough figure, GC moves RSS);
 * - burst: `burst` new files at once with one workflow per kind active: the time until each kind
 *   has emitted all of them, and the peak RSS of the n8n process meanwhile.
 */
import { randomUUID } from 'node:crypto';

import { startHarness, waitFor, workflow, type Harness, type N8nServer } from '../../test/e2e/harness';
import { findPids, memoryMiB } from '../compare/measure';
import { isBuilt, TRIGGER_KINDS, triggerNode, type TriggerKind } from './kinds';

export interface TriggerBenchOptions {
	/** changes timed for the latency figures */
	changes: number;
	/** the pause between two changes is drawn uniformly from this range, ms */
	gapMs: [number, number];
	/** how long the idle cost is counted for, per kind */
	idleSeconds: number;
	/** active workflows per kind while the idle cost is counted */
	perKind: number;
	/** files created at once in the burst */
	burst: number;
	/** what to measure; all three when absent (BENCH_ONLY=burst measures the burst alone) */
	parts?: Array<'idle' | 'latency' | 'burst'>;
	/** the trigger kinds to measure (BENCH_KINDS, by `kind`); all built ones when absent */
	kinds?: string[];
	/** extra Node.js flags for n8n (BENCH_N8N_NODE_OPTIONS, e.g. --cpu-prof --cpu-prof-dir=/tmp/prof) */
	n8nNodeOptions?: string;
}

const wants = (opts: TriggerBenchOptions, part: 'idle' | 'latency' | 'burst') => opts.parts === undefined || opts.parts.includes(part);

export const FULL_TRIGGER_OPTIONS: TriggerBenchOptions = { changes: 20, gapMs: [2_000, 20_000], idleSeconds: 180, perKind: 10, burst: 10_000 };
export const QUICK_TRIGGER_OPTIONS: TriggerBenchOptions = { changes: 3, gapMs: [500, 1_500], idleSeconds: 15, perKind: 2, burst: 50 };

export interface TriggerResult {
	kind: string;
	/** false: the node is not in this build, nothing measured */
	built: boolean;
	latency?: { samples_ms: number[]; p50_ms: number; p95_ms: number; missed: number };
	idle?: { seconds: number; workflows: number; api_calls: number; api_calls_per_trigger_hour: number; calls_by_route: Record<string, number>; rss_per_trigger_mb: number };
	burst?: { files: number; emitted: number; first_seconds?: number; seconds: number; executions: number; peak_rss_mb: number; calls_by_route?: Record<string, number> };
	error?: string;
}

export interface TriggerReport {
	date: string;
	n8n: string;
	options: TriggerBenchOptions;
	results: TriggerResult[];
}

const TRIGGER = 'Dropbox changed';
const SETTLE_MS = 20_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Current RSS of the `n8n start` process of this n8n (its user folder is its working directory), MiB. */
function serverRss(h: Harness): number {
	const pids = findPids((args, cwd) => args.includes('start') && cwd() === h.n8n.userFolder);
	return pids.reduce((sum, pid) => sum + (memoryMiB(pid, 'VmRSS') ?? 0), 0);
}

/** The median of the server's RSS sampled for `ms`, MiB: one sample would catch a garbage collection's swing. */
async function settledRss(h: Harness, ms = 10_000): Promise<number> {
	const samples: number[] = [];
	for (const end = Date.now() + ms; Date.now() < end; await sleep(500)) samples.push(serverRss(h));
	return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

interface Watched {
	kind: TriggerKind;
	workflowId: string;
	webhookId: string;
}

async function activateWatch(h: Harness, server: N8nServer, credentialId: string, kind: TriggerKind, folder: string): Promise<Watched> {
	const webhookId = randomUUID();
	const workflowId = await h.n8n.importWorkflow(workflow(`bench trigger ${kind.kind}`, [triggerNode(kind, TRIGGER, credentialId, folder, webhookId)], { trigger: false }));
	await server.activate(workflowId);
	await server.waitForStaticData(workflowId);
	if (kind.webhook) {
		const url = `${server.url}/webhook/${webhookId}/webhook`;
		await waitFor('the webhook to be registered', async () => (await fetch(`${url}?challenge=bench`)).status === 200);
		await h.emulator.admin('POST', 'apps', { appKey: h.emulator.appKey, webhookUrl: url });
	}
	return { kind, workflowId, webhookId };
}

/** Paths each finished execution of a workflow emitted, with the execution's start and end (ms since epoch). */
async function emissions(server: N8nServer, workflowId: string): Promise<Array<{ started: number; stopped: number; paths: string[] }>> {
	const runs = await server.executions(workflowId);
	return runs
		.filter((r) => r.status === 'success')
		.map((r) => ({ started: Date.parse(r.raw.startedAt), stopped: Date.parse(r.raw.stoppedAt), paths: r.json(TRIGGER).map((j) => String(j.path_display ?? j.path_lower)) }));
}

async function measureLatency(h: Harness, server: N8nServer, watched: Watched[], opts: TriggerBenchOptions, log: (l: string) => void): Promise<Map<string, TriggerResult['latency']>> {
	const changedAt = new Map<string, number>();
	for (let i = 0; i < opts.changes; i++) {
		await sleep(opts.gapMs[0] + Math.random() * (opts.gapMs[1] - opts.gapMs[0]));
		const p = `/bench-triggers/latency/change-${String(i).padStart(3, '0')}.txt`;
		await h.emulator.seed({ files: [{ path: p, content: `change ${i}` }] });
		changedAt.set(p, Date.now());
	}
	log(`latency: ${opts.changes} changes made; waiting for every trigger to emit them`);
	const out = new Map<string, TriggerResult['latency']>();
	for (const w of watched) {
		const seen = await waitFor(
			`${w.kind.kind} to emit ${opts.changes} changes`,
			async () => {
				const e = await emissions(server, w.workflowId);
				const n = new Set(e.flatMap((x) => x.paths.filter((p) => changedAt.has(p)))).size;
				return n >= opts.changes ? e : undefined;
			},
			{ timeoutMs: 150_000, intervalMs: 2_000 },
		).catch(async () => await emissions(server, w.workflowId));
		const first = new Map<string, number>();
		for (const e of seen) for (const p of e.paths) if (changedAt.has(p)) first.set(p, Math.min(first.get(p) ?? Infinity, e.started));
		const samples = [...changedAt].filter(([p]) => first.has(p)).map(([p, t]) => Math.max(0, first.get(p)! - t));
		const sorted = [...samples].sort((a, b) => a - b);
		out.set(w.kind.kind, { samples_ms: samples, p50_ms: percentile(sorted, 50), p95_ms: percentile(sorted, 95), missed: opts.changes - samples.length });
	}
	return out;
}

async function measureIdle(h: Harness, server: N8nServer, credentialId: string, kind: TriggerKind, opts: TriggerBenchOptions): Promise<TriggerResult['idle']> {
	const rssBefore = await settledRss(h);
	const active: Watched[] = [];
	for (let i = 0; i < opts.perKind; i++) active.push(await activateWatch(h, server, credentialId, kind, `/bench-triggers/idle-${i}`));
	const before = await h.emulator.calls();
	await sleep(Math.max(0, opts.idleSeconds * 1000 - 10_000));
	const rssAfter = await settledRss(h);
	const after = await h.emulator.calls();
	for (const w of active) await server.deactivate(w.workflowId);
	const byRoute: Record<string, number> = {};
	for (const [route, n] of Object.entries(after.byRoute)) if (n - (before.byRoute[route] ?? 0) > 0) byRoute[route] = n - (before.byRoute[route] ?? 0);
	const calls = after.total - before.total;
	return {
		seconds: opts.idleSeconds,
		workflows: opts.perKind,
		api_calls: calls,
		api_calls_per_trigger_hour: Number(((calls / opts.perKind) * (3600 / opts.idleSeconds)).toFixed(1)),
		calls_by_route: byRoute,
		rss_per_trigger_mb: Number(((rssAfter - rssBefore) / opts.perKind).toFixed(1)),
	};
}

async function measureBurst(h: Harness, server: N8nServer, watched: Watched[], opts: TriggerBenchOptions): Promise<Map<string, TriggerResult['burst']>> {
	const folder = '/bench-triggers/latency';
	const prefix = 'burst';
	let peak = serverRss(h);
	const sampler = setInterval(() => (peak = Math.max(peak, serverRss(h))), 200);
	const callsBefore = await h.emulator.calls();
	const started = Date.now();
	await h.emulator.seed({ generate: { folder, count: opts.burst, size: 16, prefix } });
	const out = new Map<string, TriggerResult['burst']>();
	const isBurst = (p: string) => p.includes(`/${prefix}-`);
	try {
		// every kind at once: each is done when the last execution emitting burst files has ended
		await Promise.all(
			watched.map(async (w) => {
				let burst: Awaited<ReturnType<typeof emissions>> = [];
				const emittedCount = () => new Set(burst.flatMap((x) => x.paths.filter(isBurst))).size;
				await waitFor(
					`${w.kind.kind} to emit ${opts.burst} files`,
					async () => {
						burst = (await emissions(server, w.workflowId)).filter((x) => x.paths.some(isBurst));
						return emittedCount() >= opts.burst;
					},
					{ timeoutMs: 600_000, intervalMs: 2_000 },
				).catch(() => undefined);
				const last = Math.max(...burst.map((x) => x.stopped));
				const first = Math.min(...burst.map((x) => x.stopped));
				const since = (t: number) => (Number.isFinite(t) ? Number(((t - started) / 1000).toFixed(1)) : undefined);
				out.set(w.kind.kind, { files: opts.burst, emitted: emittedCount(), first_seconds: since(first), seconds: Number(((last - started) / 1000).toFixed(1)), executions: burst.length, peak_rss_mb: 0 });
			}),
		);
	} finally {
		clearInterval(sampler);
	}
	// the API calls of the whole burst, all kinds together (one n8n, one emulator)
	const callsAfter = await h.emulator.calls();
	const byRoute: Record<string, number> = {};
	for (const [route, n] of Object.entries(callsAfter.byRoute)) if (n - (callsBefore.byRoute[route] ?? 0) > 0) byRoute[route] = n - (callsBefore.byRoute[route] ?? 0);
	for (const b of out.values()) {
		b!.peak_rss_mb = Number(peak.toFixed(1));
		b!.calls_by_route = byRoute;
	}
	return out;
}

/** Runs the trigger benchmark; `log` hears progress. */
export async function runTriggerBench(opts: TriggerBenchOptions, log: (line: string) => void = () => {}): Promise<TriggerReport> {
	const h = await startHarness();
	try {
		await h.emulator.seed({ folders: ['/bench-triggers/latency', ...Array.from({ length: opts.perKind }, (_, i) => `/bench-triggers/idle-${i}`)] });
		const credentialId = await h.importApiCredential();
		if (opts.n8nNodeOptions) h.n8n.addEnv({ NODE_OPTIONS: `${h.emulator.routingEnv().NODE_OPTIONS} ${opts.n8nNodeOptions}` });
		const server = await h.n8n.start();
		// the start's own garbage is collected in the first seconds: not a trigger's cost
		await sleep(SETTLE_MS);
		const kinds = TRIGGER_KINDS.filter(isBuilt).filter((k) => !opts.kinds || opts.kinds.includes(k.kind));
		const results: TriggerResult[] = TRIGGER_KINDS.filter((k) => !isBuilt(k)).map((k) => ({ kind: k.kind, built: false }));
		const measured = new Map<string, TriggerResult>(kinds.map((k) => [k.kind, { kind: k.kind, built: true }]));
		for (const k of kinds.filter(() => wants(opts, 'idle'))) {
			try {
				measured.get(k.kind)!.idle = await measureIdle(h, server, credentialId, k, opts);
				log(`idle ${k.kind}: ${JSON.stringify(measured.get(k.kind)!.idle)}`);
			} catch (e) {
				measured.get(k.kind)!.error = `idle: ${(e as Error).message.split('\n')[0]}`;
			}
		}
		const watched: Watched[] = [];
		for (const k of kinds) watched.push(await activateWatch(h, server, credentialId, k, '/bench-triggers/latency'));
		if (wants(opts, 'latency')) {
			const latency = await measureLatency(h, server, watched, opts, log);
			for (const [kind, l] of latency) measured.get(kind)!.latency = l;
			log(`latency: ${JSON.stringify([...latency].map(([k, l]) => [k, l?.p50_ms, l?.p95_ms, l?.missed]))}`);
		}
		if (wants(opts, 'burst')) {
			const burst = await measureBurst(h, server, watched, opts);
			for (const [kind, b] of burst) measured.get(kind)!.burst = b;
			log(`burst: ${JSON.stringify([...burst])}`);
		}
		return { date: new Date().toISOString(), n8n: h.n8n.paths.version, options: opts, results: [...measured.values(), ...results] };
	} finally {
		await h.stop();
	}
}

/** The report as a Markdown table. */
export function triggerTable(report: TriggerReport): string {
	const head = ['trigger', 'latency p50', 'latency p95', 'missed', 'idle API calls per trigger-hour', 'RSS per active trigger', 'burst: emitted', 'burst: first items', 'burst: time', 'burst: executions', 'burst: peak RSS of n8n'];
	const s = (ms?: number) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
	const rows = report.results.map((r) =>
		!r.built
			? [r.kind, 'not in this build', '', '', '', '', '', '', '', '', '']
			: [
					r.kind,
					s(r.latency?.p50_ms),
					s(r.latency?.p95_ms),
					String(r.latency?.missed ?? '–'),
					String(r.idle?.api_calls_per_trigger_hour ?? '–'),
					r.idle ? `${r.idle.rss_per_trigger_mb} MiB` : '–',
					r.burst ? `${r.burst.emitted} of ${r.burst.files}` : '–',
					r.burst?.first_seconds === undefined ? '–' : `${r.burst.first_seconds} s`,
					r.burst ? `${r.burst.seconds} s` : '–',
					String(r.burst?.executions ?? '–'),
					r.burst ? `${r.burst.peak_rss_mb} MiB` : '–',
				],
	);
	return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + (report.results.some((r) => r.error) ? `\n\nErrors: ${report.results.filter((r) => r.error).map((r) => `${r.kind}: ${r.error}`).join('; ')}` : '');
}
