/**
 * n8n in queue mode on one host: a main (`n8n start`), workers (`n8n worker`) and a webhook
 * processor (`n8n webhook`), sharing a throwaway PostgreSQL and Redis (./services), every process
 * with its own user folder holding the built package and the emulator routing of the harness.
 *
 *   const q = await startQueueCluster();          // services, emulator, main + 2 workers + 1 webhook
 *   const credId = await q.importApiCredential();
 *   const run = await q.main.runManually(await q.n8n.importWorkflow(wf));  // runs on a worker
 *   q.ranOnWorker(run.raw.id);                      // which worker's log says it ran it
 *   await q.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { startEmulator, type EmulatorHandle } from './emulator';
import { apiCredential } from './index';
import { N8n, N8nError, type N8nServer } from './n8n';
import { ensureQueueServices, startPostgres, startRedis, type PostgresHandle, type RedisHandle } from './services';
import { freePort, waitFor } from './util';

/** A long-running `n8n worker` or `n8n webhook` of a cluster: its log, its readiness, stop. */
export class N8nProcess {
	private logText = '';
	private exited?: { code: number | null; signal: NodeJS.Signals | null };
	private readonly child: ChildProcess;

	constructor(
		readonly name: string,
		readonly n8n: N8n,
		readonly command: 'worker' | 'webhook',
		/** where /healthz/readiness answers */
		readonly healthUrl: string,
		env: Record<string, string>,
	) {
		this.child = spawn(n8n.paths.node, [n8n.paths.n8nBin, command], { cwd: n8n.userFolder, env: n8n.env(env), stdio: ['ignore', 'pipe', 'pipe'] });
		const keep = (c: Buffer) => {
			this.logText += c.toString('utf8');
			if (this.logText.length > 2_000_000) this.logText = this.logText.slice(-1_000_000);
		};
		this.child.stdout!.on('data', keep);
		this.child.stderr!.on('data', keep);
		this.child.on('exit', (code, signal) => (this.exited = { code, signal }));
	}

	get log(): string {
		return this.logText;
	}

	async ready(timeoutMs = 180_000): Promise<this> {
		await waitFor(
			`${this.name} (n8n ${this.command}) to be ready`,
			async () => {
				if (this.exited) throw new Error(`n8n ${this.command} exited (${this.exited.code ?? this.exited.signal})`);
				return (await fetch(this.healthUrl)).status === 200;
			},
			{ timeoutMs, intervalMs: 500 },
		).catch((e: Error) => {
			throw new N8nError(`${this.name} failed: ${e.message}`, { code: null, signal: null, stdout: this.logText, stderr: '', ms: 0 });
		});
		return this;
	}

	async stop(): Promise<void> {
		if (this.exited) return;
		const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
		await gone;
		clearTimeout(timer);
	}
}

export interface QueueClusterOptions {
	/** number of `n8n worker` processes (default 2) */
	workers?: number;
	/** extra environment for every process */
	env?: Record<string, string>;
}

export interface QueueCluster {
	emulator: EmulatorHandle;
	pg: PostgresHandle;
	redis: RedisHandle;
	/** the main's instance: CLI (import, export) against the shared database, start/stop of `n8n start` */
	n8n: N8n;
	/** the running main */
	main: N8nServer;
	workers: N8nProcess[];
	webhook: N8nProcess;
	/** the webhook processor's base URL (production webhooks: `${webhookUrl}/webhook/<path>`) */
	webhookUrl: string;
	/** the environment every process shares (queue mode, database, Redis, routing) */
	env: Record<string, string>;
	importApiCredential(o?: { id?: string; name?: string; data?: Record<string, unknown> }): Promise<string>;
	/** the name of the worker whose log says it ran this execution (undefined: none did) */
	ranOnWorker(executionId: string): string | undefined;
	/** stops the main and starts it again (same user folder, database, port); returns the new server */
	restartMain(): Promise<N8nServer>;
	stop(): Promise<void>;
}

/**
 * The environment of queue mode for every process: EXECUTIONS_MODE=queue, the database, Redis,
 * binary data in the database (n8n's default in queue mode, said out loud), manual executions on workers.
 */
export function queueEnv(pg: PostgresHandle, redis: RedisHandle): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		...pg.n8nEnv(),
		...redis.n8nEnv(),
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
}

/** Starts PostgreSQL, Redis, the emulator, then the main, then the workers and the webhook processor. */
export async function startQueueCluster(opts: QueueClusterOptions = {}): Promise<QueueCluster> {
	const { pgBin, redisServer } = ensureQueueServices();
	const stops: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		for (const s of stops.reverse()) await s().catch(() => undefined);
	};
	try {
		const pg = await startPostgres(pgBin);
		stops.push(() => pg.stop());
		const redis = await startRedis(redisServer);
		stops.push(() => redis.stop());
		const emulator = await startEmulator();
		stops.push(() => emulator.stop());
		const env = { ...emulator.routingEnv(), ...queueEnv(pg, redis), ...opts.env };
		const encryptionKey = randomBytes(24).toString('hex');
		const instance = async () => {
			const n = await N8n.create({ encryptionKey, env });
			stops.push(() => n.stop());
			return n;
		};

		const n8n = await instance();
		const mainPort = await freePort();
		let main = await n8n.start({ port: mainPort });

		const workers: N8nProcess[] = [];
		for (let i = 1; i <= (opts.workers ?? 2); i++) {
			const healthPort = await freePort();
			const w = new N8nProcess(`worker ${i}`, await instance(), 'worker', `http://127.0.0.1:${healthPort}/healthz/readiness`, {
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			});
			stops.push(() => w.stop());
			workers.push(w);
		}
		const webhookPort = await freePort();
		const webhookUrl = `http://localhost:${webhookPort}`;
		const webhook = new N8nProcess('webhook processor', await instance(), 'webhook', `${webhookUrl}/healthz/readiness`, {
			N8N_PORT: String(webhookPort),
			N8N_HOST: 'localhost',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			WEBHOOK_URL: `${webhookUrl}/`,
		});
		stops.push(() => webhook.stop());
		await Promise.all([...workers.map((w) => w.ready()), webhook.ready()]);

		return {
			emulator,
			pg,
			redis,
			n8n,
			get main() {
				return main;
			},
			workers,
			webhook,
			webhookUrl,
			env,
			importApiCredential: async (o) => await n8n.importCredential(await apiCredential(emulator, o)),
			ranOnWorker: (id) => workers.find((w) => w.log.includes(`Worker started execution ${id} `))?.name,
			restartMain: async () => {
				await n8n.stopServer();
				main = await n8n.start({ port: mainPort });
				return main;
			},
			stop: stopAll,
		};
	} catch (e) {
		await stopAll();
		throw e;
	}
}
