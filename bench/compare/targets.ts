/** The targets of issue 8, checked against one run's results: each PASS or FAIL with its figures. */
import type { BenchSizes } from './options';
import type { BenchResult, Target } from './results';
import type { Implementation } from './scenarios';

const LIST_PAGE_MAX = 2000;
const MEMORY_ABOVE_IDLE_MIB = 150;
const THROUGHPUT_SHARE = 0.7;
/** scenario id → how many times faster than the built-in node ours must be */
const SPEEDUPS: Record<string, number> = { '6L': 10, '8L': 10, '7': 3, '7L': 3 };

const find = (results: BenchResult[], id: string, impl: Implementation) => results.find((r) => r.id === id && r.implementation === impl);

const fmt = (n: number | undefined, digits = 1) => (n === undefined ? '–' : n.toFixed(digits));

function memoryTarget(results: BenchResult[], idle: number | undefined): Target {
	const name = `Memory: peak RSS during the large upload (2) and download (4) at most ${MEMORY_ABOVE_IDLE_MIB} MiB above idle`;
	const runs = ['2', '4'].map((id) => find(results, id, 'dropbox-plus')).filter((r): r is BenchResult => r !== undefined);
	if (idle === undefined || runs.length === 0) return { name, ok: false, detail: 'not measured (scenarios 2 and 4 or the idle run missing)' };
	const failed = runs.find((r) => !r.ok);
	if (failed) return { name, ok: false, detail: `scenario ${failed.id} failed: ${failed.error}` };
	const above = runs.map((r) => ({ id: r.id, above: (r.peak_rss_mb ?? Infinity) - idle }));
	return {
		name,
		ok: above.every((a) => a.above <= MEMORY_ABOVE_IDLE_MIB),
		detail: `idle ${fmt(idle)} MiB; ${above.map((a) => `scenario ${a.id}: +${fmt(a.above)} MiB`).join(', ')}`,
	};
}

function throughputTarget(results: BenchResult[]): Target {
	const name = `Throughput: large upload (2) and download (4) at least ${THROUGHPUT_SHARE * 100}% of the raw client's`;
	const parts: string[] = [];
	let ok = true;
	for (const id of ['2', '4']) {
		const ours = find(results, id, 'dropbox-plus');
		const raw = find(results, id, 'raw');
		if (!ours?.ok || !raw?.ok || !ours.bytes || !raw.bytes) {
			ok = false;
			parts.push(`scenario ${id}: not comparable (${ours?.error ?? raw?.error ?? 'not run'})`);
			continue;
		}
		const oursRate = ours.bytes / 2 ** 20 / ours.wall_s!;
		const rawRate = raw.bytes / 2 ** 20 / raw.wall_s!;
		ok &&= oursRate >= THROUGHPUT_SHARE * rawRate;
		parts.push(`scenario ${id}: ours ${fmt(oursRate)} MiB/s vs raw ${fmt(rawRate)} MiB/s (${fmt((100 * oursRate) / rawRate, 0)}%)`);
	}
	return { name, ok, detail: parts.join('; ') };
}

function speedTargets(results: BenchResult[]): Target[] {
	const ids = [...new Set(results.map((r) => r.id))];
	const targets: Target[] = [];
	const ratios: string[] = [];
	let neverSlower = true;
	for (const id of ids) {
		const ours = find(results, id, 'dropbox-plus');
		const builtin = find(results, id, 'n8n-builtin');
		if (!ours || !builtin?.ok) continue; // the built-in node cannot do it: nothing to compare
		if (!ours.ok) {
			neverSlower = false;
			ratios.push(`${id}: ours failed`);
			continue;
		}
		const ratio = ours.wall_s! / builtin.wall_s!;
		neverSlower &&= ratio <= 1;
		ratios.push(`${id}: ${ratio.toFixed(2)}`);
		const speedup = SPEEDUPS[id];
		if (speedup) {
			targets.push({
				name: `Scenario ${id}: at least ${speedup}× faster than the built-in node`,
				ok: builtin.wall_s! >= speedup * ours.wall_s!,
				detail: `ours ${ours.wall_s} s, built-in ${builtin.wall_s} s: ${(builtin.wall_s! / ours.wall_s!).toFixed(1)}×`,
			});
		}
	}
	return [{ name: 'Never slower than the built-in node (ours/built-in wall time ≤ 1.0 where both run)', ok: neverSlower && ratios.length > 0, detail: ratios.join(', ') || 'nothing to compare' }, ...targets];
}

function listTargets(results: BenchResult[], idle: number | undefined, sizes: BenchSizes): Target[] {
	const pages = Math.ceil(sizes.listEntries / LIST_PAGE_MAX);
	const runs = results.filter((r) => /^5L?$/.test(r.id) && r.implementation === 'dropbox-plus');
	return runs.map((r) => {
		const name = `Scenario ${r.id}: listing ${sizes.listEntries} entries takes ${pages} list_folder(/continue) call(s) (page size ${LIST_PAGE_MAX})`;
		if (!r.ok) return { name, ok: false, detail: `failed: ${r.error}` };
		const listCalls = (r.calls_by_route?.['files/list_folder'] ?? 0) + (r.calls_by_route?.['files/list_folder/continue'] ?? 0);
		const memory = idle === undefined ? '' : `; peak RSS ${fmt(r.peak_rss_mb)} MiB (+${fmt(r.peak_rss_mb! - idle)} MiB over idle for ${r.items} items)`;
		return { name, ok: listCalls === pages, detail: `${listCalls} list calls, ${r.api_calls} API calls in all${memory}` };
	});
}

/** Scenario 9: files Dropbox already holds, uploaded again with If Unchanged Skip, send no file byte. */
function skipUnchangedTarget(results: BenchResult[]): Target[] {
	const ours = find(results, '9', 'dropbox-plus');
	if (!ours) return [];
	const name = 'Scenario 9: re-uploading unchanged files with If Unchanged: Skip sends 0 file bytes';
	if (!ours.ok) return [{ name, ok: false, detail: `failed: ${ours.error}` }];
	const normal = find(results, '10', 'dropbox-plus');
	const against = normal?.ok ? `; Upload Anyway: ${normal.uploaded_bytes} bytes, ${normal.api_calls} API calls, ${normal.wall_s} s` : '';
	return [{ name, ok: ours.uploaded_bytes === 0, detail: `${ours.uploaded_bytes} bytes, ${ours.api_calls} API calls, ${ours.wall_s} s${against}` }];
}

export function evaluateTargets(results: BenchResult[], idle: number | undefined, sizes: BenchSizes): Target[] {
	const targets = [...speedTargets(results), ...listTargets(results, idle, sizes), ...skipUnchangedTarget(results)];
	if (results.some((r) => r.id === '2' || r.id === '4')) targets.unshift(memoryTarget(results, idle), throughputTarget(results));
	return targets;
}
