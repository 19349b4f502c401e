/**
 * Measuring one `n8n execute`: the peak RSS of that process (its kernel high-water mark,
 * /proc/<pid>/status VmHWM, read every 50 ms while it runs) and its CPU time, the wall time n8n
 * recorded for the measured node (runData[node][0].executionTime), and the Dropbox API calls,
 * uploaded file bytes and TLS connections the emulator counted.
 */
import * as fs from 'node:fs';

import type { Execution, Harness } from '../../test/e2e/harness';

const SAMPLE_MS = 50;

/** Pids of the processes whose command line (its arguments) and working directory pass `test`. */
export function findPids(test: (args: string[], cwd: () => string) => boolean): number[] {
	const pids: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (test(args, () => fs.readlinkSync(`/proc/${entry}/cwd`))) pids.push(Number(entry));
		} catch {
			// gone
		}
	}
	return pids;
}

/** Pids of processes whose command line is `… execute --id=<workflowId> …`. */
function executePids(workflowId: string): number[] {
	return findPids((args) => args.includes('execute') && args.includes(`--id=${workflowId}`));
}

/** A memory figure of a process from /proc/<pid>/status (VmRSS: resident now, VmHWM: its peak) in MiB, undefined once it has exited. */
export function memoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) / 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** CPU time (user + system) a process has used so far, in seconds; undefined once it has exited. */
function cpuSeconds(pid: number): number | undefined {
	try {
		// fields after the command's closing parenthesis: state is field 3, utime 14, stime 15 (clock ticks of 1/100 s)
		const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return undefined;
	}
}

/**
 * Runs `work` (which starts `n8n execute --id=<workflowId>`) and reports the largest VmHWM seen
 * of that process, and the CPU time it had used at the last sample (on a busy machine a steadier
 * figure than wall time). VmHWM only grows, so a late sample holds the peak; growth in the last
 * sampling interval before the process exits is missed (undefined if no sample was taken).
 */
export async function peakRssOf<T>(workflowId: string, work: () => Promise<T>): Promise<{ result: T; peakMiB?: number; cpuSeconds?: number }> {
	let peak: number | undefined;
	let cpu: number | undefined;
	const sample = () => {
		for (const pid of executePids(workflowId)) {
			const hwm = memoryMiB(pid, 'VmHWM');
			if (hwm !== undefined) peak = Math.max(peak ?? 0, hwm);
			const used = cpuSeconds(pid);
			if (used !== undefined) cpu = Math.max(cpu ?? 0, used);
		}
	};
	const timer = setInterval(sample, SAMPLE_MS);
	try {
		return { result: await work(), peakMiB: peak, cpuSeconds: cpu };
	} catch (e) {
		// what the process took before it failed is a finding too (e.g. n8n's in-memory binary mode)
		throw Object.assign(e instanceof Error ? e : new Error(String(e)), { peakMiB: peak });
	} finally {
		clearInterval(timer);
	}
}

export interface MeasuredRun {
	execution: Execution;
	/** the measured node's own execution time, in seconds */
	wallSeconds: number;
	/** the whole `n8n execute` process, start to exit, in seconds */
	processSeconds: number;
	/** CPU time (user + system) of that process, start-up included, in seconds */
	processCpuSeconds?: number;
	peakRssMiB?: number;
	apiCalls: number;
	callsByRoute: Record<string, number>;
	/** file bytes the emulator received in upload requests */
	uploadedBytes: number;
	/** TLS connections that carried the run's API calls (each a handshake), as the emulator counted them */
	tlsConnections: number;
}

/** The failure of a node or workflow, as one line. */
export function executionError(execution: Execution, nodeName: string): string | undefined {
	const e = execution.nodeError(nodeName) ?? execution.error;
	if (!e && execution.status !== 'error') return undefined;
	const parts = [e?.message, e?.description, e?.httpCode ? `HTTP ${e.httpCode}` : undefined].filter(Boolean);
	return parts.length ? parts.join(' — ') : `execution ended with status ${execution.status}`;
}

/** Imports a workflow, then executes it measured (`env`: added to the n8n process's): peak RSS, `nodeName`'s time, API calls. */
export async function measureWorkflow(
	h: Harness,
	wf: Parameters<Harness['n8n']['importWorkflow']>[0],
	nodeName: string,
	timeoutMs: number,
	env: Record<string, string> = {},
): Promise<MeasuredRun> {
	const id = await h.n8n.importWorkflow(wf);
	const before = await h.emulator.calls();
	const started = Date.now();
	const { result: execution, peakMiB, cpuSeconds: processCpuSeconds } = await peakRssOf(id, async () => await h.n8n.execute(id, { allowFailure: true, timeoutMs, env }));
	const processSeconds = (Date.now() - started) / 1000;
	const after = await h.emulator.calls();
	const callsByRoute: Record<string, number> = {};
	for (const [route, n] of Object.entries(after.byRoute)) {
		const delta = n - (before.byRoute[route] ?? 0);
		if (delta > 0) callsByRoute[route] = delta;
	}
	const nodeRun = execution.runData[nodeName]?.[0];
	return {
		execution,
		wallSeconds: typeof nodeRun?.executionTime === 'number' ? nodeRun.executionTime / 1000 : NaN,
		processSeconds,
		processCpuSeconds,
		peakRssMiB: peakMiB,
		apiCalls: after.total - before.total,
		callsByRoute,
		uploadedBytes: after.uploadedBytes - before.uploadedBytes,
		tlsConnections: (after.tlsConnections ?? 0) - (before.tlsConnections ?? 0),
	};
}
