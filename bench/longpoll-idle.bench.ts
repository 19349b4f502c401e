/**
 * What an idle Long-Poll Trigger costs in real n8n: the requests it sends to Dropbox (the
 * emulator counts them) per long-poll timeout period, and the RSS of the `n8n start` process
 * over time, while nothing changes in the watched folder. Not a test, not part of `npm run bench`:
 *   npm run build && npm run bench:longpoll
 * BENCH_LONGPOLL_MINUTES (default 10): how long to watch; BENCH_LONGPOLL_TIMEOUT_S (default 30, the
 * smallest Dropbox accepts, for the most periods in the time): the trigger's Long-Poll Timeout;
 * BENCH_LONGPOLL_SAMPLE_S (default 15): how often RSS is read. The emulator adds none of Dropbox's
 * up-to-90 s jitter, so every long-poll lasts exactly the timeout.
 */
import * as fs from 'node:fs';

import { HARNESS_TIMEOUT_MS, NODE_PREFIX, startHarness, waitFor, workflow, type Harness, type N8nServer } from '../test/e2e/harness';

const MINUTES = Number(process.env.BENCH_LONGPOLL_MINUTES ?? 10);
const TIMEOUT_S = Number(process.env.BENCH_LONGPOLL_TIMEOUT_S ?? 30);
const SAMPLE_S = Number(process.env.BENCH_LONGPOLL_SAMPLE_S ?? 15);
const LONGPOLL = 'files/list_folder/longpoll';

let h: Harness;
let server: N8nServer;

/** The resident set of a process, in MiB, from /proc. */
function rssMiB(pid: number): number {
	const kib = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
	return Number(kib) / 1024;
}

const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

beforeAll(async () => {
	h = await startHarness();
	await h.emulator.seed({ folders: ['/Inbox'], generate: { folder: '/Inbox', count: 1000 } });
	const credId = await h.importApiCredential();
	const workflowId = await h.n8n.importWorkflow(
		workflow(
			'idle long-poll trigger',
			[
				{
					name: 'Dropbox changed (long-poll)',
					type: `${NODE_PREFIX}.dropboxPlusLongPollTrigger`,
					parameters: { authentication: 'refreshToken', events: ['fileCreated'], folder: { __rl: true, mode: 'path', value: '/Inbox' }, longPollTimeout: TIMEOUT_S },
					credentials: { dropboxPlusApi: credId },
				},
			],
			{ trigger: false },
		),
	);
	server = await h.n8n.start();
	await server.activate(workflowId);
	await waitFor('the first long-poll', async () => (await h.emulator.longpolls()).open === 1, { timeoutMs: 60_000, intervalMs: 100 });
}, HARNESS_TIMEOUT_MS);

afterAll(async () => {
	await h?.stop();
});

it(`an idle long-poll trigger for ${MINUTES} min (timeout ${TIMEOUT_S} s): requests per period and RSS`, async () => {
	const pid = server.pid!;
	const before = await h.emulator.calls();
	const started = Date.now();
	const samples: Array<{ minute: number; rss: number }> = [];
	while (Date.now() - started < MINUTES * 60_000) {
		samples.push({ minute: (Date.now() - started) / 60_000, rss: rssMiB(pid) });
		await new Promise((r) => setTimeout(r, Math.min(SAMPLE_S * 1000, MINUTES * 60_000 - (Date.now() - started) + 1)));
	}
	samples.push({ minute: (Date.now() - started) / 60_000, rss: rssMiB(pid) });
	const after = await h.emulator.calls();
	const seconds = (Date.now() - started) / 1000;
	const routes = Object.keys(after.byRoute).filter((r) => (after.byRoute[r] ?? 0) !== (before.byRoute[r] ?? 0));
	const sent = Object.fromEntries(routes.map((r) => [r, after.byRoute[r] - (before.byRoute[r] ?? 0)]));
	const longpolls = sent[LONGPOLL] ?? 0;
	const periods = seconds / TIMEOUT_S;
	// n8n settles within half a minute of activation (its start-up allocations are returned)
	const settled = samples.filter((s) => s.minute >= 0.5);
	const rss = settled.map((s) => s.rss);
	const lines = [
		`idle long-poll trigger, ${seconds.toFixed(0)} s watched, Long-Poll Timeout ${TIMEOUT_S} s (${periods.toFixed(1)} periods), 1,000 files in the folder`,
		`requests to Dropbox: ${JSON.stringify(sent)}; ${(longpolls / periods).toFixed(2)} long-polls per period, ${(Object.values(sent).reduce((a, b) => a + b, 0) - longpolls)} other requests`,
		`n8n start RSS (MiB) from 0.5 min on: first ${rss[0].toFixed(1)}, last ${rss[rss.length - 1].toFixed(1)}, min ${Math.min(...rss).toFixed(1)}, max ${Math.max(...rss).toFixed(1)}, mean ${average(rss).toFixed(1)} (${rss.length} samples every ${SAMPLE_S} s)`,
		`RSS over time: ${samples.map((s) => `${s.minute.toFixed(1)} min ${s.rss.toFixed(0)}`).join(', ')}`,
	];
	// eslint-disable-next-line no-console
	console.log(lines.join('\n'));
	expect(routes.filter((r) => r !== LONGPOLL)).toEqual([]);
	// one per period, the one open at the end counted
	expect(longpolls).toBeLessThanOrEqual(Math.ceil(periods) + 1);
}, (MINUTES + 5) * 60_000);
