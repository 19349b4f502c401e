/**
 * `npm run bench:queue` (about 10 minutes; BENCH_QUICK=1: small sizes): many small uploads and a
 * large transfer in n8n's queue mode with one worker and with two, database binary mode at its
 * default cap and at its maximum (bench/queue/run.ts); prints a table, writes
 * bench/queue-results.json (BENCH_OUT=<dir> writes elsewhere). Needs PostgreSQL and Redis
 * (scripts/ensure-queue-services.sh installs Debian's). See bench/README.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { FULL_QUEUE_OPTIONS, QUICK_QUEUE_OPTIONS, queueTable, runQueueBench } from './queue/run';

const log = (line: string) => process.stdout.write(`[bench:queue] ${line}\n`);

it('measures queue mode and writes the report', async () => {
	const report = await runQueueBench(process.env.BENCH_QUICK === '1' ? QUICK_QUEUE_OPTIONS : FULL_QUEUE_OPTIONS, log);
	const dir = process.env.BENCH_OUT ?? __dirname;
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, 'queue-results.json');
	fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
	log(`\n${JSON.stringify(report.options)}\n\n${queueTable(report)}\n\nwrote ${file}`);
	expect(report.results.length).toBeGreaterThan(0);
}, 2 * 60 * 60_000);
