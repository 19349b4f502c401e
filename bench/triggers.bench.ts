/**
 * `npm run bench:triggers` (about 15 minutes; BENCH_QUICK=1: about 2): trigger latency, idle cost
 * and a burst of changes for every trigger node in the build (bench/triggers/run.ts), in one
 * running n8n against the emulator; prints a table, writes bench/triggers-results.json
 * (BENCH_OUT=<dir> writes elsewhere). See bench/README.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { FULL_TRIGGER_OPTIONS, QUICK_TRIGGER_OPTIONS, runTriggerBench, triggerTable } from './triggers/run';

const log = (line: string) => process.stdout.write(`[bench:triggers] ${line}\n`);

it('measures the triggers and writes the report', async () => {
	const report = await runTriggerBench(process.env.BENCH_QUICK === '1' ? QUICK_TRIGGER_OPTIONS : FULL_TRIGGER_OPTIONS, log);
	const dir = process.env.BENCH_OUT ?? __dirname;
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, 'triggers-results.json');
	fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
	log(`\n${JSON.stringify(report.options)}\n\n${triggerTable(report)}\n\nwrote ${file}`);
	expect(report.results.filter((r) => r.built).length).toBeGreaterThan(0);
}, 2 * 60 * 60_000);
