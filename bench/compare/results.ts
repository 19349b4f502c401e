/** The shape of bench/results.json. */
import type { BenchSizes } from './options';
import type { Implementation } from './scenarios';

export interface BenchResult {
	scenario: string;
	/** '1' … '12'; 'nL', 'nD': the same with 20 or 60 ms added per call; 'nM': in n8n's default binary mode */
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
	/** TLS connections (each a handshake) that carried those calls, as the emulator counted them */
	tls_connections?: number;
	/** bytes transferred (file scenarios) */
	bytes?: number;
	/** file bytes the emulator received in upload requests during the run */
	uploaded_bytes?: number;
	items?: number;
	/** the whole `n8n execute` process, start to exit (n8n start-up included), seconds */
	process_s?: number;
	/** CPU time (user + system) of that process (start-up included), seconds: steadier than wall time on a busy machine */
	process_cpu_s?: number;
	error?: string;
	/** a failed run: the peak RSS its n8n process reached before failing, when it was sampled */
	failed_peak_rss_mb?: number;
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
	/** figures with no target (n8n's default binary mode), one line each */
	notes: string[];
}

export interface Target {
	name: string;
	ok: boolean;
	detail: string;
}
