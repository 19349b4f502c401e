/** The targets of issues 8 and 20, checked against one run's results: each PASS or FAIL with its figures; and notes (figures with no target). */
import type { BenchSizes } from './options';
import type { BenchResult, Target } from './results';
import type { Implementation } from './scenarios';

const LIST_PAGE_MAX = 2000;
const MEMORY_ABOVE_IDLE_MIB = 150;
const THROUGHPUT_SHARE = 0.7;
/** downloads into n8n's binary store: this share of n8n's own file reader filling the same store */
const CEILING_SHARE = 0.9;
/** the Memory Budget option's default (nodes/shared/content/bufferBudget.ts), MiB */
const MEMORY_BUDGET_MIB = 256;
/** several large items at once: at least this share of one large item's throughput */
const MANY_LARGE_SHARE = 0.9;
/** scenario id → how many times faster than the built-in node ours must be (1: no slower) */
const SPEEDUPS: Record<string, number> = { '3': 1, '6L': 10, '8L': 10, '6D': 10, '8D': 10, '7': 3, '7L': 3, '7D': 3 };
/** several large items at once → the single large transfer it is compared with */
const ONE_ITEM_OF: Record<string, string> = { '9': '2', '10': '4' };

const find = (results: BenchResult[], id: string, impl: Implementation) => results.find((r) => r.id === id && r.implementation === impl);

const fmt = (n: number | undefined, digits = 1) => (n === undefined ? '–' : n.toFixed(digits));

/** MiB/s of a successful run that moved bytes */
const rate = (r: BenchResult | undefined) => (r?.ok && r.bytes && r.wall_s ? r.bytes / 2 ** 20 / r.wall_s : undefined);

const handshakes = (r: BenchResult | undefined) => (r?.ok && r.tls_connections !== undefined ? `${r.tls_connections} TLS handshakes for ${r.api_calls} API calls` : 'handshakes not counted');

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
			const tls = /^7/.test(id) ? `; ours: ${handshakes(ours)}, built-in: ${handshakes(builtin)}` : '';
			targets.push({
				name: `Scenario ${id}: ${speedup === 1 ? 'no slower than' : `at least ${speedup}× faster than`} the built-in node`,
				ok: builtin.wall_s! >= speedup * ours.wall_s!,
				detail: `ours ${ours.wall_s} s, built-in ${builtin.wall_s} s: ${(builtin.wall_s! / ours.wall_s!).toFixed(2)}×${tls}`,
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

/** Downloads (3, 4) against n8n's own file reader filling the same binary store from local disk. */
function ceilingTargets(results: BenchResult[]): Target[] {
	return ['3', '4']
		.filter((id) => find(results, id, 'n8n-ceiling'))
		.map((id) => {
			const ours = find(results, id, 'dropbox-plus');
			const ceiling = find(results, id, 'n8n-ceiling');
			const name = `Scenario ${id}: download into n8n's binary store at least ${CEILING_SHARE * 100}% of n8n's ceiling (its Read/Write Files from Disk node storing the same bytes)`;
			const [o, c] = [rate(ours), rate(ceiling)];
			if (o === undefined || c === undefined) return { name, ok: false, detail: `not comparable (${ours?.error ?? ceiling?.error ?? 'not run'})` };
			return { name, ok: o >= CEILING_SHARE * c, detail: `ours ${fmt(o)} MiB/s (${ours!.wall_s} s) vs n8n ceiling ${fmt(c)} MiB/s (${ceiling!.wall_s} s): ${fmt((100 * o) / c, 0)}%` };
		});
}

/** Several large items at once (9, 10): peak RSS within the Memory Budget, throughput against one large item. */
function manyLargeTargets(results: BenchResult[], idle: number | undefined): Target[] {
	const targets: Target[] = [];
	for (const [id, single] of Object.entries(ONE_ITEM_OF)) {
		const r = find(results, id, 'dropbox-plus');
		if (!r) continue;
		const memoryName = `Scenario ${id}: peak RSS at most the Memory Budget (${MEMORY_BUDGET_MIB} MiB) + ${MEMORY_ABOVE_IDLE_MIB} MiB above idle`;
		const speedName = `Scenario ${id}: throughput at least ${MANY_LARGE_SHARE * 100}% of one large item's (scenario ${single})`;
		if (!r.ok) {
			targets.push({ name: memoryName, ok: false, detail: `failed: ${r.error}` }, { name: speedName, ok: false, detail: `failed: ${r.error}` });
			continue;
		}
		const above = idle === undefined ? undefined : r.peak_rss_mb! - idle;
		targets.push({
			name: memoryName,
			ok: above !== undefined && above <= MEMORY_BUDGET_MIB + MEMORY_ABOVE_IDLE_MIB,
			detail: `peak RSS ${fmt(r.peak_rss_mb)} MiB, +${fmt(above)} MiB over idle for ${r.items} items`,
		});
		const [many, one] = [rate(r), rate(find(results, single, 'dropbox-plus'))];
		targets.push({
			name: speedName,
			ok: many !== undefined && one !== undefined && many >= MANY_LARGE_SHARE * one,
			detail: one === undefined ? `${fmt(many)} MiB/s; scenario ${single} not run or failed` : `${fmt(many)} MiB/s for ${r.items} items at once vs ${fmt(one)} MiB/s for one (${fmt((100 * many!) / one, 0)}%)`,
		});
	}
	return targets;
}

/** Scenario 11: files Dropbox already holds, uploaded again with If Unchanged Skip, send no file byte. */
function skipUnchangedTarget(results: BenchResult[]): Target[] {
	const ours = find(results, '11', 'dropbox-plus');
	if (!ours) return [];
	const name = 'Scenario 11: re-uploading unchanged files with If Unchanged: Skip sends 0 file bytes';
	if (!ours.ok) return [{ name, ok: false, detail: `failed: ${ours.error}` }];
	const normal = find(results, '12', 'dropbox-plus');
	const against = normal?.ok ? `; Upload Anyway: ${normal.uploaded_bytes} bytes, ${normal.api_calls} API calls, ${normal.wall_s} s` : '';
	return [{ name, ok: ours.uploaded_bytes === 0, detail: `${ours.uploaded_bytes} bytes, ${ours.api_calls} API calls, ${ours.wall_s} s${against}` }];
}

export function evaluateTargets(results: BenchResult[], idle: number | undefined, sizes: BenchSizes): Target[] {
	const targets = [...speedTargets(results), ...listTargets(results, idle, sizes), ...ceilingTargets(results), ...manyLargeTargets(results, idle), ...skipUnchangedTarget(results)];
	if (results.some((r) => r.id === '2' || r.id === '4')) targets.unshift(memoryTarget(results, idle), throughputTarget(results));
	return targets;
}

/** Figures with no target, for the README's advice: n8n's default (in-memory) binary mode against filesystem mode. */
export function evaluateNotes(results: BenchResult[], idle: number | undefined): string[] {
	return results
		.filter((r) => r.implementation === 'dropbox-plus' && /M$/.test(r.id))
		.map((r) => {
			const fsRun = find(results, r.id.replace(/M$/, ''), 'dropbox-plus');
			const fsPeak = fsRun?.ok ? `; filesystem mode: ${fmt(fsRun.peak_rss_mb)} MiB` : '';
			const over = (peak: number | undefined) => (idle === undefined || peak === undefined ? '' : ` (+${fmt(peak - idle)} MiB over idle)`);
			if (!r.ok) return `Scenario ${r.id} (${r.scenario}): failed${r.failed_peak_rss_mb === undefined ? '' : ` at a peak RSS of ${fmt(r.failed_peak_rss_mb)} MiB${over(r.failed_peak_rss_mb)}`}: ${r.error}${fsPeak}`;
			return `Scenario ${r.id} (${r.scenario}): ${r.wall_s} s, peak RSS ${fmt(r.peak_rss_mb)} MiB${over(r.peak_rss_mb)}${fsPeak}`;
		});
}
