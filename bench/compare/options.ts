/**
 * What a benchmark run measures: the sizes of each scenario (full, or small for a quick run)
 * and which scenarios run. From the environment: BENCH_QUICK=1, BENCH_ONLY=1,2,5L (numbers; a
 * number alone selects its variants too — L, D, M — "5L" only that variant, "=5" 5 without variants), BENCH_IMPL=dropbox-plus,raw
 * (which implementations), BENCH_N8N_NODE_OPTIONS (extra Node.js flags for n8n, e.g. --cpu-prof).
 */
const MiB = 1024 * 1024;

export interface BenchSizes {
	/** bytes of the file uploaded/downloaded in scenarios 1 and 3 */
	smallFile: number;
	/** bytes of the file uploaded/downloaded in scenarios 2 and 4 */
	largeFile: number;
	/** entries of the folder listed in scenario 5 */
	listEntries: number;
	/** items deleted (6) and copied (8) */
	batchItems: number;
	/** files uploaded as items in scenario 7, and their size */
	uploadItems: number;
	uploadItemBytes: number;
	/** files uploaded again unchanged in scenarios 11 (If Unchanged: Skip) and 12 (Upload Anyway), and their size */
	reuploadItems: number;
	reuploadItemBytes: number;
	/** latency the emulator adds per call in the L variants of 5–8 (none: no L runs) */
	latencyMs?: number;
	/** latency per call of a distant Dropbox, the D variants of 1–8 (none: no D runs) */
	distantLatencyMs?: number;
	/** several large files at once (9, 10): how many, and their size */
	manyLarge: { count: number; bytes: number };
	/** whether 1–4 also run in n8n's default (in-memory) binary mode (the M variants) */
	inMemoryRuns?: boolean;
}

export interface BenchOptions {
	quick: boolean;
	sizes: BenchSizes;
	/** scenario ids to run (e.g. '1', '5L'); undefined: all */
	only?: string[];
	/** implementations to run (BENCH_IMPL=dropbox-plus,raw); undefined: all */
	implementations?: string[];
	/** extra Node.js flags for the measured n8n processes (BENCH_N8N_NODE_OPTIONS, e.g. --cpu-prof) */
	n8nNodeOptions?: string;
}

export const FULL_SIZES: BenchSizes = {
	smallFile: 100 * MiB,
	largeFile: 1024 * MiB,
	listEntries: 50_000,
	batchItems: 1_000,
	uploadItems: 500,
	uploadItemBytes: 10 * 1024,
	reuploadItems: 200,
	reuploadItemBytes: MiB,
	latencyMs: 20,
	distantLatencyMs: 60,
	manyLarge: { count: 8, bytes: 256 * MiB },
	inMemoryRuns: true,
};

export const QUICK_SIZES: BenchSizes = {
	smallFile: 1 * MiB,
	largeFile: 2 * MiB,
	listEntries: 200,
	batchItems: 20,
	uploadItems: 20,
	uploadItemBytes: 10 * 1024,
	reuploadItems: 10,
	reuploadItemBytes: 64 * 1024,
	manyLarge: { count: 2, bytes: 1 * MiB },
};

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): BenchOptions {
	const quick = env.BENCH_QUICK === '1';
	const only = env.BENCH_ONLY?.split(',')
		.map((s) => s.trim().toUpperCase())
		.filter(Boolean);
	const implementations = env.BENCH_IMPL?.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	return {
		quick,
		sizes: quick ? QUICK_SIZES : FULL_SIZES,
		only: only?.length ? only : undefined,
		implementations: implementations?.length ? implementations : undefined,
		n8nNodeOptions: env.BENCH_N8N_NODE_OPTIONS || undefined,
	};
}

/** Whether a scenario id ('5', '5L', '3D', '4M') is selected by `only`: by itself or by its number ('=4': 4 alone, no variant). */
export function selected(id: string, only?: string[]): boolean {
	if (!only) return true;
	return only.includes(id) || only.includes(`=${id}`) || only.includes(id.replace(/[A-Z]$/, ''));
}

export function formatBytes(n: number): string {
	if (n >= 1024 * MiB && n % (1024 * MiB) === 0) return `${n / (1024 * MiB)} GiB`;
	if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
	return `${+(n / 1024).toFixed(1)} KiB`;
}
