/**
 * Throwaway PostgreSQL and Redis on loopback for n8n's queue mode (test/e2e/queue-mode.test.ts).
 * Both come from Debian's packages (scripts/ensure-queue-services.sh installs them when missing).
 *
 *   const { pgBin, redisServer } = ensureQueueServices();
 *   const pg = await startPostgres(pgBin);     // initdb into a temp dir, own port, socket in that dir
 *   const redis = await startRedis(redisServer); // own port, no persistence
 *   ...; await redis.stop(); await pg.stop();
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort, REPO_ROOT, runProcess, waitFor } from './util';

export const ENSURE_QUEUE_SERVICES = path.join(REPO_ROOT, 'scripts', 'ensure-queue-services.sh');

/** Runs scripts/ensure-queue-services.sh (may apt-get install as root); its two answers. */
export function ensureQueueServices(): { pgBin: string; redisServer: string } {
	const out = execFileSync('sh', [ENSURE_QUEUE_SERVICES], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
	const get = (k: string) => {
		const m = new RegExp(`^${k}=(.+)$`, 'm').exec(out);
		if (!m) throw new Error(`ensure-queue-services.sh printed no ${k}: ${out}`);
		return m[1].trim();
	};
	return { pgBin: get('PG_BIN'), redisServer: get('REDIS_SERVER') };
}

/** Why the queue services cannot be had here (undefined: they can, or are there). */
export function queueServicesUnobtainable(): string | undefined {
	const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql') : [];
	const pg = !!process.env.PG_BIN || versions.some((v) => fs.existsSync(path.join('/usr/lib/postgresql', v, 'bin', 'initdb')));
	const redis = fs.existsSync('/usr/bin/redis-server') || !!process.env.REDIS_SERVER;
	if (pg && redis) return undefined;
	const root = process.getuid?.() === 0;
	const apt = ['/usr/bin/apt-get', '/bin/apt-get'].some((p) => fs.existsSync(p));
	return root && apt ? undefined : `PostgreSQL or Redis is missing and cannot be installed here (${root ? 'no apt-get' : 'not root'})`;
}

export interface PostgresHandle {
	host: string;
	port: number;
	user: string;
	database: string;
	/** the cluster's folder (socket and log in it too) */
	dir: string;
	/** runs SQL with psql; returns its unaligned, tuples-only output */
	sql(query: string): Promise<string>;
	/** the n8n environment for this database */
	n8nEnv(): Record<string, string>;
	stop(): Promise<void>;
}

/**
 * A fresh PostgreSQL cluster: initdb into a temp dir (as the `postgres` user when run as root,
 * since initdb refuses root), on its own port on 127.0.0.1, unix socket in that dir, trust auth,
 * no fsync (throwaway). Creates database `n8n` owned by superuser `n8n`.
 */
export async function startPostgres(pgBin: string): Promise<PostgresHandle> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-pg-'));
	const data = path.join(dir, 'data');
	const asRoot = process.getuid?.() === 0;
	if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
	const run = async (bin: string, args: string[]) => {
		const [cmd, full] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(pgBin, bin), ...args]] : [path.join(pgBin, bin), args];
		const res = await runProcess(cmd, full, { cwd: dir, timeoutMs: 120_000, env: { ...process.env, LC_ALL: 'C' } });
		if (res.code !== 0) throw new Error(`${bin} ${args.join(' ')} exited with ${res.code}:\n${res.stdout}\n${res.stderr}`);
		return res.stdout;
	};
	const port = await freePort();
	const user = 'n8n';
	await run('initdb', ['-D', data, '-U', user, '--auth=trust', '--encoding=UTF8', '--no-sync']);
	await run('pg_ctl', [
		'-D', data, '-l', path.join(dir, 'postgres.log'), '-w', '-t', '120',
		'-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
		'start',
	]);
	const handle: PostgresHandle = {
		host: '127.0.0.1',
		port,
		user,
		database: 'n8n',
		dir,
		sql: async (query) => await run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', handle.database, '-v', 'ON_ERROR_STOP=1', '-Atc', query]),
		n8nEnv: () => ({
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: '',
			DB_POSTGRESDB_DATABASE: handle.database,
		}),
		stop: async () => {
			await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
			if (!process.env.E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
		},
	};
	await run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', 'CREATE DATABASE n8n']);
	return handle;
}

export interface RedisHandle {
	host: string;
	port: number;
	log(): string;
	n8nEnv(): Record<string, string>;
	stop(): Promise<void>;
}

/** A redis-server on its own port on 127.0.0.1, nothing saved (`--save '' --appendonly no`). */
export async function startRedis(redisServer: string): Promise<RedisHandle> {
	const port = await freePort();
	const child: ChildProcess = spawn(
		redisServer,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', os.tmpdir()],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let log = '';
	child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
	child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
	let exited = false;
	child.on('exit', () => (exited = true));
	await waitFor(
		'redis-server to answer PING',
		async () => {
			if (exited) throw new Error(`redis-server exited:\n${log}`);
			return await ping(port);
		},
		{ timeoutMs: 30_000, intervalMs: 200 },
	);
	return {
		host: '127.0.0.1',
		port,
		log: () => log,
		n8nEnv: () => ({ QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) }),
		stop: async () => {
			if (exited) return;
			const gone = new Promise<void>((r) => child.once('exit', () => r()));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await gone;
			clearTimeout(timer);
		},
	};
}

async function ping(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const s = net.connect(port, '127.0.0.1');
		let got = '';
		s.setTimeout(2000, () => (s.destroy(), resolve(false)));
		s.on('error', () => resolve(false));
		s.on('connect', () => s.write('PING\r\n'));
		s.on('data', (c) => {
			got += c.toString();
			if (got.includes('\r\n')) {
				s.end();
				resolve(got.startsWith('+PONG'));
			}
		});
	});
}
