import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export const DROPBOX_HOSTS = [
	'api.dropboxapi.com',
	'content.dropboxapi.com',
	'notify.dropboxapi.com',
	'www.dropbox.com',
];

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

export interface ProcResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

/** Runs a process to completion, collecting its output; never throws for a non-zero exit. */
export async function runProcess(
	cmd: string,
	args: string[],
	opts: {
		cwd?: string;
		env?: NodeJS.ProcessEnv;
		timeoutMs?: number;
		input?: string;
		/**
		 * stdout goes to this file (read back at exit) instead of a pipe: a process that calls
		 * process.exit() right after printing a large output (n8n execute --rawOutput) loses the
		 * part still queued for a pipe, but not for a file
		 */
		stdoutFile?: string;
	} = {},
): Promise<ProcResult> {
	const started = Date.now();
	const stdoutFd = opts.stdoutFile === undefined ? undefined : fs.openSync(opts.stdoutFile, 'w');
	return await new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env,
			stdio: [opts.input === undefined ? 'ignore' : 'pipe', stdoutFd ?? 'pipe', 'pipe'],
		});
		if (stdoutFd !== undefined) fs.closeSync(stdoutFd);
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout?.on('data', (c: Buffer) => out.push(c));
		child.stderr!.on('data', (c: Buffer) => err.push(c));
		if (opts.input !== undefined) child.stdin!.end(opts.input);
		const timer = opts.timeoutMs
			? setTimeout(() => {
					err.push(Buffer.from(`\n[harness] killed after ${opts.timeoutMs} ms\n`));
					child.kill('SIGKILL');
				}, opts.timeoutMs)
			: undefined;
		child.on('error', (e) => {
			if (timer) clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			resolve({
				code,
				signal,
				stdout: opts.stdoutFile === undefined ? Buffer.concat(out).toString('utf8') : readAndRemove(opts.stdoutFile),
				stderr: Buffer.concat(err).toString('utf8'),
				ms: Date.now() - started,
			});
		});
	});
}

function readAndRemove(file: string): string {
	const text = fs.readFileSync(file, 'utf8');
	fs.rmSync(file, { force: true });
	return text;
}

/** The last `max` characters of a text, for error messages. */
export function tail(text: string, max = 6000): string {
	return text.length <= max ? text : `…${text.slice(-max)}`;
}

export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined | false>,
	{ timeoutMs = 60_000, intervalMs = 250 } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const got = await probe();
			if (got) return got;
		} catch (e) {
			lastError = e;
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

/** Every file below `dir` whose path ends with `suffix` (or whose name equals it). */
export function findFiles(dir: string, suffix: string): string[] {
	const hits: string[] = [];
	const walk = (d: string) => {
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(d, { withFileTypes: true });
		} catch {
			return;
		}
		for (const e of entries) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) walk(p);
			else if (p.endsWith(suffix)) hits.push(p);
		}
	};
	walk(dir);
	return hits;
}
