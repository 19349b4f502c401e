/** The shape of bench/results.json. */
import type { BenchSizes } from './options';
import type { Implementation } from './scenarios';

export interface BenchResult {
	scenario: string;
	/** '1' … '10'; 'nL': the same with latency added per call */
	id: string;
	implementation: Implementation;
	ok: boolean;
	/** the measured node's own execution time (raw client: its whole transfer), seconds */
	wall_s?: number;
	/** peak RSS of the `n8n execute` process (raw client: not measured) */
	peak_rss_mb?: number;
	/** Dropbox API calls the emulator counted during the run */
	api_calls?: number;
	calls_by_route?: Record<string, number>;
	/** bytes transferred (file scenarios) */
	bytes?: number;
	/** file bytes the emulator received in upload requests during the run */
	uploaded_bytes?: number;
	items?: number;
	/** the whole `n8n execute` process, start to exit (n8n start-up included), seconds */
	process_s?: number;
	error?: string;
}

export interface BenchReport {
	date: string;
	quick: boolean;
	machine: { cpus: number; cpu_model: string; memory_gb: number; platform: string };
	n8n: string;
	node: string;
	sizes: BenchSizes;
	/** peak RSS of `n8n execute` running Manual Trigger + our Get Current Account */
	idle_rss_mb?: number;
	wall_time: string;
	results: BenchResult[];
	targets: Target[];
}

export interface Target {
	name: string;
	ok: boolean;
	detail: string;
}
