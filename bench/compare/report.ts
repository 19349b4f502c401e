/**
 * What a run leaves for people: a Markdown table of the results, the targets as PASS/FAIL lines,
 * and an SVG chart (hand-written, no dependency) of wall time and peak memory, ours vs built-in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { formatBytes } from './options';
import type { BenchReport, BenchResult } from './results';

const cell = (r: BenchResult | undefined, value: (r: BenchResult) => string) => (!r ? '' : r.ok ? value(r) : 'failed');
/** peak RSS; for a failed run, what it reached before failing */
const rssCell = (r: BenchResult | undefined) => (r && !r.ok && r.failed_peak_rss_mb !== undefined ? `failed at ${r.failed_peak_rss_mb} MiB` : cell(r, (x) => `${x.peak_rss_mb} MiB`));

/** One row per scenario: wall time, peak RSS, API calls and TLS handshakes of each implementation, and ours/built-in. */
export function resultsTable(report: BenchReport): string {
	const ids = [...new Set(report.results.map((r) => r.id))];
	const rows = ids.map((id) => {
		const of = (impl: string) => report.results.find((r) => r.id === id && r.implementation === impl);
		const [ours, builtin, ceiling, raw] = [of('dropbox-plus'), of('n8n-builtin'), of('n8n-ceiling'), of('raw')];
		const ratio = ours?.ok && builtin?.ok ? (ours.wall_s! / builtin.wall_s!).toFixed(2) : '–';
		return [
			id,
			(ours ?? builtin ?? ceiling)!.scenario,
			cell(ours, (r) => `${r.wall_s} s`),
			cell(builtin, (r) => `${r.wall_s} s`),
			cell(ceiling, (r) => `${r.wall_s} s`),
			cell(raw, (r) => `${r.wall_s} s`),
			ratio,
			rssCell(ours),
			rssCell(builtin),
			cell(ours, (r) => String(r.api_calls)),
			cell(builtin, (r) => String(r.api_calls)),
			cell(ours, (r) => String(r.tls_connections ?? '')),
			cell(builtin, (r) => String(r.tls_connections ?? '')),
		];
	});
	const head = ['#', 'scenario', 'ours: time', 'built-in: time', 'n8n ceiling: time', 'raw: time', 'ours/built-in', 'ours: peak RSS', 'built-in: peak RSS', 'ours: API calls', 'built-in: API calls', 'ours: TLS handshakes', 'built-in: TLS handshakes'];
	return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** Why runs failed, one line each. */
export function failures(report: BenchReport): string[] {
	return report.results.filter((r) => !r.ok).map((r) => `${r.id} ${r.implementation}: ${r.error}`);
}

export function targetLines(report: BenchReport): string[] {
	return [...report.targets.map((t) => `${t.ok ? 'PASS' : 'FAIL'} ${t.name} — ${t.detail}`), ...report.notes.map((n) => `NOTE ${n}`)];
}

export function conditions(report: BenchReport): string {
	const m = report.machine;
	const s = report.sizes;
	return [
		`${report.quick ? 'Quick run (small sizes)' : 'Full run'} on ${report.date}: n8n ${report.n8n}, Node ${report.node}, ${m.cpus} CPUs (${m.cpu_model}), ${m.memory_gb} GB, ${m.platform}.`,
		`Sizes: files ${formatBytes(s.smallFile)} and ${formatBytes(s.largeFile)}, ${s.listEntries} entries, ${s.batchItems} items to delete/copy, ${s.uploadItems} uploads of ${formatBytes(s.uploadItemBytes)}, ${s.manyLarge.count} × ${formatBytes(s.manyLarge.bytes)} at once; latency runs: L ${s.latencyMs ? `+${s.latencyMs} ms per call` : 'none'}, D ${s.distantLatencyMs ? `+${s.distantLatencyMs} ms per call` : 'none'}; M (n8n default binary mode) ${s.inMemoryRuns ? 'yes' : 'none'}.`,
		`Time: ${report.wall_time}. Memory: peak RSS (VmHWM) of the \`n8n execute\` process; idle (Manual Trigger + Get Current Account): ${report.idle_rss_mb ?? '–'} MiB.`,
	].join('\n');
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Two panels (wall time, peak RSS), one row per scenario with a bar for ours and one for the
 * built-in node; bars are scaled to the larger of the two in their row, with the value written.
 */
export function chartSvg(report: BenchReport): string {
	const ids = [...new Set(report.results.filter((r) => r.implementation !== 'raw').map((r) => r.id))];
	const panels: Array<{ title: string; value: (r: BenchResult) => number; unit: string }> = [
		{ title: 'Wall time (s), shorter is better', value: (r) => r.wall_s!, unit: 's' },
		{ title: 'Peak RSS of n8n (MiB), shorter is better', value: (r) => r.peak_rss_mb!, unit: 'MiB' },
	];
	const colors = { 'dropbox-plus': '#0061fe', 'n8n-builtin': '#9aa5b1' } as const;
	const label = 260;
	const barMax = 260;
	const panelWidth = label + barMax + 80;
	const rowHeight = 34;
	const top = 60;
	const height = top + ids.length * rowHeight + 20;
	const parts: string[] = [];
	panels.forEach((panel, p) => {
		const x0 = p * panelWidth;
		parts.push(`<text x="${x0 + 10}" y="${top - 20}" font-weight="bold">${escapeXml(panel.title)}</text>`);
		ids.forEach((id, i) => {
			const y = top + i * rowHeight;
			const runs = (['dropbox-plus', 'n8n-builtin'] as const).map((impl) => ({ impl, r: report.results.find((r) => r.id === id && r.implementation === impl) }));
			const max = Math.max(...runs.map(({ r }) => (r?.ok ? panel.value(r) : 0)), 1e-9);
			const title = runs.find(({ r }) => r)?.r?.scenario ?? id;
			parts.push(`<text x="${x0 + 10}" y="${y + 18}" font-size="11">${escapeXml(`${id}. ${title}`.slice(0, 44))}</text>`);
			runs.forEach(({ impl, r }, k) => {
				const by = y + k * 14 + 2;
				if (!r) return;
				if (!r.ok) {
					parts.push(`<text x="${x0 + label}" y="${by + 10}" font-size="10" fill="#b00">${impl === 'dropbox-plus' ? 'ours' : 'built-in'}: failed</text>`);
					return;
				}
				const v = panel.value(r);
				const w = Math.max(1, (v / max) * barMax);
				parts.push(`<rect x="${x0 + label}" y="${by}" width="${w.toFixed(1)}" height="12" fill="${colors[impl]}"/>`);
				parts.push(`<text x="${(x0 + label + w + 4).toFixed(1)}" y="${by + 10}" font-size="10">${v} ${panel.unit}</text>`);
			});
		});
	});
	const width = panels.length * panelWidth;
	const legend = `<rect x="10" y="8" width="12" height="12" fill="${colors['dropbox-plus']}"/><text x="26" y="18" font-size="12">Dropbox Plus (ours)</text><rect x="170" y="8" width="12" height="12" fill="${colors['n8n-builtin']}"/><text x="186" y="18" font-size="12">n8n built-in Dropbox node</text><text x="400" y="18" font-size="11" fill="#555">${escapeXml(`${report.quick ? 'quick run, small sizes' : 'full run'}, n8n ${report.n8n}, ${report.date.slice(0, 10)}`)}</text>`;
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
${legend}
${parts.join('\n')}
</svg>
`;
}

/** Writes results.json and chart.svg into `dir`; returns their paths. */
export function writeReport(report: BenchReport, dir: string): { json: string; svg: string } {
	fs.mkdirSync(dir, { recursive: true });
	const json = path.join(dir, 'results.json');
	const svg = path.join(dir, 'chart.svg');
	fs.writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
	fs.writeFileSync(svg, chartSvg(report));
	return { json, svg };
}
