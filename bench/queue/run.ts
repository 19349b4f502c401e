/**
 * The queue-mode benchmark (`npm run bench:queue`): n8n in queue mode (main, workers and a webhook
 * processor sharing PostgreSQL and Redis: test/e2e/harness/queue.ts), binary data in the database
 * (queue mode's default), against the emulator. Two clusters, one after the other:
 * - one worker, n8n's default database binary cap (512 MiB);
 * - two workers, the cap raised to its maximum (N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE=1024).
 * In each: `uploads` small files as items, once as one execution and once split into
 * `executions` executions started together (only several executions can use several workers);
 * then a download and an upload of one `largeFile` file. Every run records its time from the
 * request to the finished execution, the workers' peak RSS, and its error if it failed.
 */
import { NODE_PREFIX, workflow, type NodeSpec } from '../../test/e2e/harness';
import { startQueueCluster, type QueueCluster } from '../../test/e2e/harness/queue';
import { findPids, memoryMiB } from '../compare/measure';
import { formatBytes } from '../compare/options';

export interface QueueBenchOptions {
	uploads: number;
	uploadBytes: number;
	/** the uploads split into this many executions started together */
	executions: number;
	largeFile: number;
}

const MiB = 1024 * 1024;
export const FULL_QUEUE_OPTIONS: QueueBenchOptions = { uploads: 1_000, uploadBytes: 10 * 1024, executions: 4, largeFile: 1024 * MiB };
export const QUICK_QUEUE_OPTIONS: QueueBenchOptions = { uploads: 20, uploadBytes: 10 * 1024, executions: 2, largeFile: 2 * MiB };

export interface QueueResult {
	cluster: string;
	run: string;
	ok: boolean;
	/** from the first request to the last finished execution, s */
	wall_s?: number;
	/** the Dropbox node's own executionTime (the longest over the executions), s */
	node_s?: number;
	/** the largest RSS of any worker process during the run, MiB */
	worker_peak_rss_mb?: number;
	/** which workers ran the executions */
	workers?: string[];
	error?: string;
}

export interface QueueReport {
	date: string;
	n8n: string;
	options: QueueBenchOptions;
	results: QueueResult[];
}

const MEASURED = 'Dropbox';
const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0].slice(0, 400);

/** Current RSS of every worker process of the cluster (their user folders are their working directories), MiB each. */
function workerRss(q: QueueCluster): number[] {
	const folders = new Set(q.workers.map((w) => w.n8n.userFolder));
	return findPids((args, cwd) => args.includes('worker') && folders.has(cwd())).map((pid) => memoryMiB(pid, 'VmRSS') ?? 0);
}

function ours(credentialId: string, parameters: Record<string, unknown>): NodeSpec {
	return { name: MEASURED, type: `${NODE_PREFIX}.dropboxPlus`, parameters: { authentication: 'refreshToken', ...parameters }, credentials: { dropboxPlusApi: credentialId } };
}

function uploadsWorkflow(credentialId: string, name: string, count: number, bytes: number, folder: string) {
	const data = Buffer.alloc(bytes, 'bench ').toString('base64');
	return workflow(name, [
		{
			name: 'Files',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: {
				jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { path: ${JSON.stringify(folder)} + '/f' + i + '.bin' }, binary: { data: { data: ${JSON.stringify(data)}, mimeType: 'application/octet-stream', fileName: 'f' + i + '.bin' } } }));`,
			},
		},
		ours(credentialId, { resource: 'file', operation: 'upload', destination: 'path', filePath: '={{ $json.path }}', content: 'binary', binaryPropertyName: 'data', options: {} }),
	]);
}

/** Runs the workflows at once on the cluster (manual executions go to the workers); measures them together. */
async function measure(q: QueueCluster, cluster: string, run: string, workflows: ReturnType<typeof workflow>[], check: (items: Array<Record<string, any>>) => void): Promise<QueueResult> {
	const ids: string[] = [];
	for (const wf of workflows) ids.push(await q.n8n.importWorkflow(wf));
	let peak = 0;
	const sampler = setInterval(() => (peak = Math.max(peak, ...workerRss(q))), 100);
	const started = Date.now();
	try {
		const runs = await Promise.all(ids.map(async (id) => await q.main.runManually(id, { timeoutMs: 30 * 60_000 })));
		const wall = (Date.now() - started) / 1000;
		for (const r of runs) {
			const error = r.nodeError(MEASURED) ?? r.error;
			if (error || r.status !== 'success') throw new Error(`${error?.message ?? r.status}${error?.description ? ` — ${error.description}` : ''}`);
			check(r.json(MEASURED));
		}
		return {
			cluster,
			run,
			ok: true,
			wall_s: Number(wall.toFixed(3)),
			node_s: Math.max(...runs.map((r) => (r.runData[MEASURED]?.[0]?.executionTime ?? NaN) / 1000)),
			worker_peak_rss_mb: Number(peak.toFixed(1)),
			workers: [...new Set(runs.map((r) => q.ranOnWorker(String(r.raw.id)) ?? '?'))],
		};
	} catch (e) {
		return { cluster, run, ok: false, error: firstLine(e), worker_peak_rss_mb: Number(peak.toFixed(1)) };
	} finally {
		clearInterval(sampler);
	}
}

async function clusterRuns(q: QueueCluster, cluster: string, opts: QueueBenchOptions, log: (l: string) => void): Promise<QueueResult[]> {
	const credentialId = await q.importApiCredential();
	const tag = cluster.replace(/\W+/g, '-');
	const results: QueueResult[] = [];
	const record = (r: QueueResult) => {
		results.push(r);
		log(`${r.cluster} — ${r.run}: ${r.ok ? `${r.wall_s} s (node ${r.node_s} s), workers' peak RSS ${r.worker_peak_rss_mb} MiB, on ${r.workers?.join(', ')}` : `FAILED: ${r.error} (workers' peak RSS ${r.worker_peak_rss_mb} MiB)`}`);
	};
	const sizeOk = (bytes: number) => (items: Array<Record<string, any>>) => {
		const wrong = items.find((j) => j.size !== bytes);
		if (wrong) throw new Error(`an uploaded file has ${wrong.size} bytes, expected ${bytes}`);
	};
	const many = `${opts.uploads.toLocaleString('en-US')} uploads of ${formatBytes(opts.uploadBytes)} as items`;
	record(await measure(q, cluster, `${many}, one execution`, [uploadsWorkflow(credentialId, 'queue uploads', opts.uploads, opts.uploadBytes, `/bench-queue/${tag}-one`)], sizeOk(opts.uploadBytes)));
	const per = Math.ceil(opts.uploads / opts.executions);
	record(
		await measure(
			q,
			cluster,
			`${many}, ${opts.executions} executions of ${per} at once`,
			Array.from({ length: opts.executions }, (_, i) => uploadsWorkflow(credentialId, `queue uploads ${i}`, per, opts.uploadBytes, `/bench-queue/${tag}-split-${i}`)),
			sizeOk(opts.uploadBytes),
		),
	);
	const large = `/bench-queue/${tag}-large.bin`;
	await q.emulator.seed({ files: [{ path: large, size: opts.largeFile, seed: 5 }] });
	const download = ours(credentialId, { resource: 'file', operation: 'download', file: { __rl: true, mode: 'path', value: large }, binaryPropertyName: 'data', options: {} });
	record(await measure(q, cluster, `download one ${formatBytes(opts.largeFile)} file`, [workflow('queue download', [download])], () => undefined));
	// the upload's source is the same download, so the bytes come from n8n's (database) binary store
	const reupload = ours(credentialId, { resource: 'file', operation: 'upload', destination: 'path', filePath: `${large}.copy`, content: 'binary', binaryPropertyName: 'data', options: {} });
	record(await measure(q, cluster, `download, then upload one ${formatBytes(opts.largeFile)} file`, [workflow('queue download + upload', [{ ...download, name: 'Download' }, reupload])], sizeOk(opts.largeFile)));
	return results;
}

/** Runs both clusters one after the other; `log` hears one line per run. */
export async function runQueueBench(opts: QueueBenchOptions, log: (line: string) => void = () => {}): Promise<QueueReport> {
	const results: QueueResult[] = [];
	let version = '';
	const clusters: Array<{ name: string; workers: number; env: Record<string, string> }> = [
		{ name: '1 worker, database binary cap 512 MiB (default)', workers: 1, env: {} },
		{ name: '2 workers, database binary cap 1024 MiB', workers: 2, env: { N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE: '1024' } },
	];
	for (const c of clusters) {
		const q = await startQueueCluster({ workers: c.workers, env: c.env });
		try {
			version = q.n8n.paths.version;
			results.push(...(await clusterRuns(q, c.name, opts, log)));
		} finally {
			await q.stop();
		}
	}
	return { date: new Date().toISOString(), n8n: version, options: opts, results };
}

export function queueTable(report: QueueReport): string {
	const head = ['cluster', 'run', 'time (request to finished)', "Dropbox node's time", "workers' peak RSS", 'ran on', 'error'];
	const rows = report.results.map((r) => [r.cluster, r.run, r.ok ? `${r.wall_s} s` : 'failed', r.ok ? `${r.node_s} s` : '', `${r.worker_peak_rss_mb ?? '–'} MiB`, r.workers?.join(', ') ?? '', r.error ?? '']);
	return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
