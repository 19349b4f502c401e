/**
 * `npm run bench`: the same scenarios through our node, n8n's built-in Dropbox node and a raw
 * HTTPS client, in one real n8n against the emulator; prints a table and the targets, writes
 * bench/results.json and bench/chart.svg (BENCH_OUT=<dir> writes elsewhere). Options:
 * BENCH_QUICK=1 (small sizes, no latency runs), BENCH_ONLY=1,4,6L, BENCH_IMPL=dropbox-plus,raw,
 * BENCH_N8N_NODE_OPTIONS=--cpu-prof. See bench/README.md.
 */
import * as path from 'node:path';

import { optionsFromEnv } from './compare/options';
import { conditions, failures, resultsTable, targetLines, writeReport } from './compare/report';
import { runBench } from './compare/run';

const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);

it('runs the comparison and writes the report', async () => {
	const report = await runBench(optionsFromEnv(), log);
	const written = writeReport(report, process.env.BENCH_OUT ?? path.join(__dirname));
	log(
		['', conditions(report), '', resultsTable(report), '', ...failures(report).map((f) => `failed: ${f}`), '', ...targetLines(report), '', `wrote ${written.json} and ${written.svg}`].join(
			'\n',
		),
	);
	expect(report.results.length).toBeGreaterThan(0);
}, 6 * 60 * 60_000);
