/**
 * The Long-Poll Trigger in a running n8n (issue 18): it keeps `files/list_folder/longpoll` open
 * on the watched folder's cursor (at the emulator, strict like Dropbox: no Authorization header)
 * and starts the workflow when Dropbox says there are changes. Every emitted item is counted over
 * all executions of the workflow.
 */
import { HARNESS_TIMEOUT_MS, NODE_PREFIX, oauth2Credential, startHarness, waitFor, workflow, type Harness, type N8nServer } from './harness';

const TRIGGER = 'Dropbox changed (long-poll)';
const CHANGES_TIMED = 20;
const BURST = 200;

interface ExecutionSummary {
	id: string;
	status: string;
	startedAt: string;
}

describe('Dropbox Plus Long-Poll Trigger in real n8n', () => {
	let h: Harness;
	let server: N8nServer;
	let workflowId: string;

	/** The workflow's executions without their data, newest first (n8n lists at most 100 at a time). */
	async function summaries(): Promise<ExecutionSummary[]> {
		const all: ExecutionSummary[] = [];
		for (;;) {
			const from = all.length > 0 ? `&lastId=${all[all.length - 1].id}` : '';
			const list = await server.api<any>('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100${from}`);
			const page = (Array.isArray(list) ? list : list.results ?? []) as ExecutionSummary[];
			all.push(...page);
			if (page.length < 100) return all;
		}
	}

	/** The items of finished executions, by execution id: they do not change once finished. */
	const itemsOf = new Map<string, string[]>();

	/** Every item emitted, over all finished executions, as "event path". */
	async function emitted(): Promise<string[]> {
		const finished = (await summaries()).filter((e) => !['running', 'new', 'waiting'].includes(e.status));
		for (const summary of finished) {
			if (itemsOf.has(summary.id)) continue;
			const run = await server.execution(summary.id);
			expect([run.status, run.error?.message]).toEqual(['success', undefined]);
			itemsOf.set(summary.id, run.json(TRIGGER).map((j) => `${j.event} ${j.path_display}`));
		}
		return finished.flatMap((e) => itemsOf.get(e.id)!);
	}

	/** Waits until `count` items were emitted, then a little longer for any that should not come. */
	async function settle(count: number, timeoutMs = 60_000): Promise<string[]> {
		await waitFor(`${count} emitted items`, async () => (await emitted()).length >= count, { timeoutMs, intervalMs: 500 }).catch(async (e: Error) => {
			throw new Error(`${e.message}; emitted ${(await emitted()).length}\nn8n log:\n${server.log.slice(-3000)}`);
		});
		await new Promise((r) => setTimeout(r, 2000));
		return await emitted();
	}

	const openLongpolls = async () => (await h.emulator.longpolls()).open;
	const waitForOpenLongpoll = async () => await waitFor('a long-poll open at the emulator', async () => (await openLongpolls()) >= 1, { timeoutMs: 30_000, intervalMs: 100 });

	beforeAll(async () => {
		h = await startHarness({ emulator: { restartable: true } });
		await h.emulator.seed({ folders: ['/Inbox'], files: [{ path: '/Inbox/old.txt', content: 'before activation' }] });
		// an OAuth2 credential holding the emulator's start token: it never expires
		const credential = await oauth2Credential(h.emulator);
		credential.data.oauthTokenData = { ...(credential.data.oauthTokenData as object), access_token: h.emulator.accessToken };
		const credId = await h.n8n.importCredential(credential);
		workflowId = await h.n8n.importWorkflow(
			workflow(
				'long-poll trigger',
				[
					{
						name: TRIGGER,
						type: `${NODE_PREFIX}.dropboxPlusLongPollTrigger`,
						parameters: {
							authentication: 'oAuth2',
							events: ['fileCreated'],
							folder: { __rl: true, mode: 'path', value: '/Inbox' },
							longPollTimeout: 30,
						},
						credentials: { dropboxPlusOAuth2Api: credId },
					},
				],
				{ trigger: false },
			),
		);
		server = await h.n8n.start();
		await server.activate(workflowId);
		await server.waitForStaticData(workflowId);
		await waitForOpenLongpoll();
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it(`a change starts the workflow within 2 s (median over ${CHANGES_TIMED} changes), each change once`, async () => {
		const latencies: number[] = [];
		for (let i = 0; i < CHANGES_TIMED; i++) {
			const before = (await summaries()).length;
			await waitForOpenLongpoll();
			const changedAt = Date.now();
			await h.emulator.seed({ files: [{ path: `/Inbox/timed ${i}.txt`, content: `change ${i}` }] });
			// started: n8n lists a queued execution without its start time
			const [newest] = await waitFor('the execution of this change', async () => {
				const all = await summaries();
				return all.length > before && all[0].startedAt ? all : undefined;
			}, { timeoutMs: 30_000, intervalMs: 50 });
			latencies.push(Date.parse(newest.startedAt) - changedAt);
		}
		const sorted = [...latencies].sort((a, b) => a - b);
		const median = (sorted[CHANGES_TIMED / 2 - 1] + sorted[CHANGES_TIMED / 2]) / 2;
		console.log(`long-poll latency, change → execution start, ${CHANGES_TIMED} changes: median ${median} ms, min ${sorted[0]} ms, max ${sorted[sorted.length - 1]} ms`);
		expect(median).toBeLessThan(2000);
		const items = await settle(CHANGES_TIMED);
		expect(items.sort()).toEqual(Array.from({ length: CHANGES_TIMED }, (_, i) => `fileCreated /Inbox/timed ${i}.txt`).sort());
	}, 120_000);

	it(`a burst of ${BURST} changes: each emitted exactly once`, async () => {
		const before = await emitted();
		for (let i = 0; i < BURST; i++) await h.emulator.seed({ files: [{ path: `/Inbox/burst ${String(i).padStart(3, '0')} 😀.txt`, content: `change ${i}` }] });
		const items = await settle(before.length + BURST);
		const burst = items.filter((i) => i.includes('/Inbox/burst '));
		console.log(`burst: ${BURST} changes, ${(await summaries()).length} executions in all, ${burst.length} burst items`);
		expect(items).toHaveLength(before.length + BURST);
		expect(burst.sort()).toEqual(Array.from({ length: BURST }, (_, i) => `fileCreated /Inbox/burst ${String(i).padStart(3, '0')} 😀.txt`));
	}, 120_000);

	it("honours Dropbox's backoff: the next long-poll waits as long as Dropbox asked, and changes still come", async () => {
		await waitForOpenLongpoll();
		// every answer now asks for 3 s of quiet; a waiting long-poll answers "no changes" after 300 ms
		await h.emulator.longpolls({ backoff: 3, maxMs: 300 });
		await h.emulator.seed({ files: [{ path: '/Inbox/wake.txt', content: 'ends the open long-poll' }] });
		const since = Date.now();
		await new Promise((r) => setTimeout(r, 10_000));
		const seen = (await h.emulator.longpolls({ backoff: null, maxMs: null })).recent.filter((l) => l.at >= since);
		const gaps = seen.slice(1).map((l, i) => l.at - (seen[i].answeredAt ?? Infinity));
		console.log(`backoff 3 s: ${seen.length} long-polls in 10 s, gaps after each answer ${gaps.join(', ')} ms`);
		// without the backoff there would be one every 300 ms (about 30)
		expect(seen.length).toBeGreaterThanOrEqual(2);
		expect(seen.length).toBeLessThanOrEqual(4);
		for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(3000);
		const items = await settle((await emitted()).length);
		expect(items.filter((i) => i.endsWith('/Inbox/wake.txt'))).toEqual(['fileCreated /Inbox/wake.txt']);
	}, 60_000);

	it('Dropbox restarts while the long-poll waits: the trigger reconnects and the next change comes once', async () => {
		const before = await emitted();
		await waitForOpenLongpoll();
		await h.emulator.shutDown();
		await new Promise((r) => setTimeout(r, 2000));
		await h.emulator.startAgain('kept');
		await waitForOpenLongpoll();
		await h.emulator.seed({ files: [{ path: '/Inbox/after restart.txt', content: 'new' }] });
		const items = await settle(before.length + 1);
		expect(items.filter((i) => !before.includes(i))).toEqual(['fileCreated /Inbox/after restart.txt']);
		expect(items).toHaveLength(before.length + 1);
		console.log(`restart: reconnected; n8n logged: ${/Dropbox Plus Long-Poll Trigger.*reconnecting.*/.exec(server.log)?.[0] ?? '(nothing)'}`);
		// a blip is no failed execution
		expect((await summaries()).filter((e) => e.status !== 'success')).toEqual([]);
	}, 60_000);

	it('keeps its cursor across an n8n restart: a change made while n8n is down comes once when it is up', async () => {
		const before = await emitted();
		await h.n8n.stopServer();
		expect(await openLongpolls()).toBe(0);
		await h.emulator.seed({ files: [{ path: '/Inbox/while n8n was down.txt', content: 'x' }] });
		server = await h.n8n.start();
		const items = await settle(before.length + 1, 90_000);
		expect(items.filter((i) => !before.includes(i))).toEqual(['fileCreated /Inbox/while n8n was down.txt']);
		expect(items).toHaveLength(before.length + 1);
		expect(server.packageLoadErrors()).toEqual([]);
	}, 150_000);

	it('deactivation closes the long-poll within 2 s, and no other is opened', async () => {
		await waitForOpenLongpoll();
		const deactivatedAt = Date.now();
		await server.deactivate(workflowId);
		await waitFor('no long-poll open', async () => (await openLongpolls()) === 0, { timeoutMs: 10_000, intervalMs: 50 });
		const closedIn = Date.now() - deactivatedAt;
		console.log(`deactivation: the long-poll closed ${closedIn} ms after the deactivate request was sent`);
		expect(closedIn).toBeLessThan(2000);
		const after = (await h.emulator.longpolls()).recent.length;
		await new Promise((r) => setTimeout(r, 3000));
		expect((await h.emulator.longpolls()).recent.length).toBe(after);
	}, 30_000);

	it('"Execute step" in the editor waits for the next change and shows it', async () => {
		const running = server.runManually(workflowId, { trigger: TRIGGER, timeoutMs: 60_000 });
		await waitForOpenLongpoll();
		await h.emulator.seed({ files: [{ path: '/Inbox/manual.txt', content: 'shown in the editor' }] });
		const run = await running;
		expect(run.status).toBe('success');
		expect(run.json(TRIGGER).map((j) => `${j.event} ${j.path_display}`)).toEqual(['fileCreated /Inbox/manual.txt']);
		// the manual run ends its long-poll with it
		await waitFor('no long-poll open', async () => (await openLongpolls()) === 0, { timeoutMs: 5_000, intervalMs: 100 });
	}, 90_000);
});
