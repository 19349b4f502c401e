/**
 * `npm run bench:triggers` (about 26 minutes; BENCH_QUICK=1: about 2; BENCH_ONLY=idle,latency,burst picks
 * parts, BENCH_BURST=<files> sizes the burst,
 * BENCH_KINDS=long-poll,… picks trigger kinds, BENCH_N8N_NODE_OPTIONS adds Node.js flags to n8n): trigger latency, idle cost
 * and a burst of changes for every trigger node in the build (bench/triggers/run.ts), in one
 * running n8n against the emulator; prints a table, writes bench/triggers-results.json
 * (BENCH_OUT=<dir> writes elsewhere). See bench/README.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { FULL_TRIGGER_OPTIONS, QUICK_TRIGGER_OPTIONS, runTriggerBench, triggerTable } from './triggers/run';

const log = (line: string) => process.stdout.write(`[bench:triggers] ${line}\n`);

it('measures the triggers and writes the report', async () => {
	const base = process.env.BENCH_QUICK === '1' ? QUICK_TRIGGER_OPTIONS : FULL_TRIGGER_OPTIONS;
	const parts = process.env.BENCH_ONLY?.split(',').filter((p): p is 'idle' | 'latency' | 'burst' => ['idle', 'latency', 'burst'].includes(p));
	const burst = Number(process.env.BENCH_BURST) || base.burst;
	const kinds = process.env.BENCH_KINDS?.split(',').map((k) => k.trim());
	const n8nNodeOptions = process.env.BENCH_N8N_NODE_OPTIONS || undefined;
	const report = await runTriggerBench({ ...base, burst, ...(parts?.length ? { parts } : {}), ...(kinds ? { kinds } : {}), n8nNodeOptions }, log);
	const dir = process.env.BENCH_OUT ?? __dirname;
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, 'triggers-results.json');
	fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
	log(`\n${JSON.stringify(report.options)}\n\n${triggerTable(report)}\n\nwrote ${file}`);
	expect(report.results.filter((r) => r.built).length).toBeGreaterThan(0);
}, 2 * 60 * 60_000);
