/**
 * Start From (issue 18) in one running n8n, from the built package, driven by the emulator:
 * - polling, Everything in the Folder: 300 files and a subfolder already there come as created,
 *   Max Changes per Run (100) at a time over several polls, each once; then a new file, once;
 * - polling, A Date: only the files Dropbox received since the date (created or updated), then changes;
 * - Instant Trigger, Everything in the Folder: nothing at activation (a webhook node cannot start
 *   the workflow then); the first signed notification starts it with the files already there
 *   and the new one, each once;
 * - Long-Poll Trigger, Everything in the Folder (300 files, runs of 50) and A Date (runs of 10):
 *   the first report comes at activation, with no change made, a bounded run after the other,
 *   each entry once; then a new change, once.
 */
import { randomUUID } from 'node:crypto';

import { HARNESS_TIMEOUT_MS, NODE_PREFIX, startHarness, waitFor, workflow, type Harness, type N8nServer } from './harness';
import { signedNotification } from './support/reliability';

const EVERYTHING = 'Dropbox changed (everything)';
const DATED = 'Dropbox changed (since a date)';
const INSTANT = 'Dropbox changed (instant, everything)';
const LONG_EVERYTHING = 'Dropbox changed (long-poll, everything)';
const LONG_DATED = 'Dropbox changed (long-poll, since a date)';
const LONG_MAX = 50;
const LONG_DATED_FILES = 40;
const LONG_DATED_MAX = 10;
const FILES = 300;
const MAX = 100;
// n8n refuses a poll time more often than once a minute, but takes several: six, 10 s apart
const pollTimes = { item: [0, 10, 20, 30, 40, 50].map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })) };

describe('Start From in real n8n: a first sync by polling (paged), since a date, and with the Instant Trigger', () => {
	let h: Harness;
	let server: N8nServer;
	let everythingId: string;
	let datedId: string;
	let instantId: string;
	let longEverythingId: string;
	let longDatedId: string;
	let hookUrl: string;
	let since: string;

	/** Every item a workflow's trigger emitted, oldest execution first, per execution. */
	async function runs(workflowId: string, node: string): Promise<string[][]> {
		const done = (await server.executions(workflowId)).filter((r) => !['running', 'new', 'waiting'].includes(r.status)).reverse();
		for (const r of done) expect([r.status, r.error?.message]).toEqual(['success', undefined]);
		return done.map((r) => r.json(node).map((j) => `${j.event} ${j.path_display}`));
	}

	async function waitForItems(workflowId: string, node: string, count: number): Promise<string[][]> {
		await waitFor(`${count} items from ${node}`, async () => (await runs(workflowId, node)).flat().length >= count, { timeoutMs: 90_000, intervalMs: 1000 }).catch(
			async (e: Error) => {
				const got = await runs(workflowId, node);
				throw new Error(`${e.message}; emitted ${got.flat().length} in executions of ${got.map((r) => r.length).join(', ')}: ${JSON.stringify(got.flat().filter((line) => !/file-\d+/.test(line)))}\nn8n log:\n${server.log.slice(-3000)}`);
			},
		);
		return await runs(workflowId, node);
	}

	beforeAll(async () => {
		h = await startHarness();
		await h.emulator.seed({
			generate: { folder: '/Sync', count: FILES },
			files: [
				{ path: '/Sync/Sub/deep.txt', content: 'deep' },
				{ path: '/Dated/old.txt', content: 'old' },
				{ path: '/Dated/edited.txt', content: 'version 1' },
				{ path: '/Hooked/there.txt', content: 'there' },
				{ path: '/LongSync/Sub/deep.txt', content: 'deep' },
				{ path: '/LongDated/old.txt', content: 'old' },
				{ path: '/LongDated/edited.txt', content: 'version 1' },
			],
		});
		// Dropbox's times have whole seconds: the date lies clearly between the old and the new files
		await new Promise((r) => setTimeout(r, 1100));
		since = new Date().toISOString();
		await new Promise((r) => setTimeout(r, 1100));
		await h.emulator.seed({ files: [{ path: '/Dated/new.txt', content: 'new' }, { path: '/Dated/edited.txt', content: 'version 2' }] });
		await h.emulator.seed({ generate: { folder: '/LongSync', count: FILES } });
		await h.emulator.seed({ generate: { folder: '/LongDated', count: LONG_DATED_FILES, prefix: 'new' }, files: [{ path: '/LongDated/edited.txt', content: 'version 2' }] });

		const credId = await h.importApiCredential();
		const pollNode = (name: string, folder: string, extra: Record<string, unknown>) => ({
			name,
			type: `${NODE_PREFIX}.dropboxPlusTrigger`,
			parameters: { authentication: 'refreshToken', pollTimes, folder: { __rl: true, mode: 'path', value: folder }, ...extra },
			credentials: { dropboxPlusApi: credId },
		});
		everythingId = await h.n8n.importWorkflow(
			workflow('start from: everything', [pollNode(EVERYTHING, '/Sync', { events: ['fileCreated', 'folderCreated'], includeSubfolders: true, startFrom: 'everything', maxChangesPerRun: MAX })], {
				trigger: false,
			}),
		);
		datedId = await h.n8n.importWorkflow(
			workflow('start from: a date', [pollNode(DATED, '/Dated', { events: ['fileCreated', 'fileUpdated'], startFrom: 'date', startDate: since })], { trigger: false }),
		);
		const webhookId = randomUUID();
		instantId = await h.n8n.importWorkflow(
			workflow(
				'start from: instant',
				[
					{
						name: INSTANT,
						type: `${NODE_PREFIX}.dropboxPlusWebhookTrigger`,
						webhookId,
						parameters: { authentication: 'refreshToken', events: ['fileCreated'], folder: { __rl: true, mode: 'path', value: '/Hooked' }, startFrom: 'everything' },
						credentials: { dropboxPlusApi: credId },
					},
				],
				{ trigger: false },
			),
		);
		const longPollNode = (name: string, folder: string, extra: Record<string, unknown>) => ({
			name,
			type: `${NODE_PREFIX}.dropboxPlusLongPollTrigger`,
			parameters: { authentication: 'refreshToken', longPollTimeout: 30, folder: { __rl: true, mode: 'path', value: folder }, ...extra },
			credentials: { dropboxPlusApi: credId },
		});
		longEverythingId = await h.n8n.importWorkflow(
			workflow(
				'start from: long-poll, everything',
				[longPollNode(LONG_EVERYTHING, '/LongSync', { events: ['fileCreated', 'folderCreated'], includeSubfolders: true, startFrom: 'everything', maxChangesPerRun: LONG_MAX })],
				{ trigger: false },
			),
		);
		longDatedId = await h.n8n.importWorkflow(
			workflow(
				'start from: long-poll, a date',
				[longPollNode(LONG_DATED, '/LongDated', { events: ['fileCreated', 'fileUpdated'], startFrom: 'date', startDate: since, maxChangesPerRun: LONG_DATED_MAX })],
				{ trigger: false },
			),
		);
		server = await h.n8n.start();
		hookUrl = `${server.url}/webhook/${webhookId}/webhook`;
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it(
		'polling, Everything in the Folder: every file and folder already there, at most Max Changes per Run per execution, each once; then a new file once',
		async () => {
			await server.activate(everythingId);
			const expected = [
				...Array.from({ length: FILES }, (_, i) => `fileCreated /Sync/file-${String(i).padStart(6, '0')}.txt`),
				'fileCreated /Sync/Sub/deep.txt',
				'folderCreated /Sync/Sub',
			];
			const startedAt = Date.now();
			const backlog = await waitForItems(everythingId, EVERYTHING, expected.length);
			console.log(`Everything in the Folder: ${expected.length} entries in ${backlog.length} executions (${backlog.map((r) => r.length).join(', ')}), ${Math.round((Date.now() - startedAt) / 1000)} s`);
			expect(backlog.length).toBeGreaterThanOrEqual(Math.ceil(expected.length / MAX));
			for (const run of backlog) expect(run.length).toBeLessThanOrEqual(MAX);
			expect(backlog.flat().sort()).toEqual(expected.sort());

			await h.emulator.seed({ files: [{ path: '/Sync/after.txt', content: 'after' }] });
			const all = (await waitForItems(everythingId, EVERYTHING, expected.length + 1)).flat();
			expect(all.slice(expected.length)).toEqual(['fileCreated /Sync/after.txt']);
			expect(new Set(all).size).toBe(all.length);
		},
		150_000,
	);

	it(
		'polling, A Date: the files Dropbox received since the date (created or updated), not older ones; then changes once',
		async () => {
			await server.activate(datedId);
			const [first] = await waitForItems(datedId, DATED, 2);
			expect([...first].sort()).toEqual(['fileCreated /Dated/new.txt', 'fileUpdated /Dated/edited.txt']);
			await h.emulator.seed({ files: [{ path: '/Dated/later.txt', content: 'later' }] });
			const all = (await waitForItems(datedId, DATED, 3)).flat();
			expect(all.slice(2)).toEqual(['fileCreated /Dated/later.txt']);
		},
		120_000,
	);

	it(
		'Instant Trigger, Everything in the Folder: nothing at activation; the first notification starts the workflow with the files already there and the new one, each once',
		async () => {
			await server.activate(instantId);
			const stored = await server.waitForStaticData(instantId);
			expect(stored).toEqual(expect.objectContaining({ 'node:Dropbox changed (instant, everything)': expect.objectContaining({ backlog: { mode: 'everything' } }) }));
			await waitFor('the webhook to be registered', async () => (await fetch(`${hookUrl}?challenge=c`)).status === 200);
			expect(await server.executions(instantId)).toHaveLength(0);

			await h.emulator.seed({ files: [{ path: '/Hooked/new.txt', content: 'new' }] });
			const accountId = (await h.emulator.admin<{ defaultAccountId: string }>('GET', 'info')).defaultAccountId;
			const notified = signedNotification(accountId, h.emulator.appSecret);
			const post = async () =>
				(await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-dropbox-signature': notified.signature }, body: notified.body })).status;
			expect(await post()).toBe(200);
			const [first] = await waitForItems(instantId, INSTANT, 2);
			expect([...first].sort()).toEqual(['fileCreated /Hooked/new.txt', 'fileCreated /Hooked/there.txt']);

			// Dropbox notifies again: nothing more to report
			expect(await post()).toBe(200);
			await new Promise((r) => setTimeout(r, 3000));
			expect((await runs(instantId, INSTANT)).flat()).toHaveLength(2);
			expect(server.packageLoadErrors()).toEqual([]);
		},
		120_000,
	);
	/**
	 * Activates a Long-Poll Trigger's workflow, with no change made: its first report must come in
	 * executions of at most `max` items, each entry once (printed: how it came); then `changed`,
	 * changed afresh, must come once.
	 */
	async function firstReportThenChange(workflowId: string, node: string, expected: string[], max: number, changed: { path: string; item: string }): Promise<void> {
		const startedAt = Date.now();
		await server.activate(workflowId);
		const backlog = await waitForItems(workflowId, node, expected.length);
		console.log(`${node}: ${expected.length} entries in ${backlog.length} executions (${backlog.map((r) => r.length).join(', ')}), ${Math.round((Date.now() - startedAt) / 100) / 10} s after activation`);
		expect(backlog.length).toBeGreaterThanOrEqual(Math.ceil(expected.length / max));
		for (const run of backlog) expect(run.length).toBeLessThanOrEqual(max);
		expect(backlog.flat().sort()).toEqual([...expected].sort());

		await h.emulator.seed({ files: [{ path: changed.path, content: 'changed' }] });
		await waitForItems(workflowId, node, expected.length + 1);
		await new Promise((r) => setTimeout(r, 2000));
		const all = (await runs(workflowId, node)).flat();
		expect(all).toHaveLength(expected.length + 1);
		expect(all.slice(expected.length)).toEqual([changed.item]);
	}

	it(
		'Long-Poll Trigger, Everything in the Folder: at activation, with no change made, at most Max Changes per Run per execution, each once; then a new file once',
		async () => {
			const expected = [
				...Array.from({ length: FILES }, (_, i) => `fileCreated /LongSync/file-${String(i).padStart(6, '0')}.txt`),
				'fileCreated /LongSync/Sub/deep.txt',
				'folderCreated /LongSync/Sub',
			];
			await firstReportThenChange(longEverythingId, LONG_EVERYTHING, expected, LONG_MAX, { path: '/LongSync/after.txt', item: 'fileCreated /LongSync/after.txt' });
		},
		60_000,
	);

	it(
		'Long-Poll Trigger, A Date: at activation, the files Dropbox received since the date (created or updated, not older ones) in bounded runs, each once; then a change once',
		async () => {
			const expected = [
				...Array.from({ length: LONG_DATED_FILES }, (_, i) => `fileCreated /LongDated/new-${String(i).padStart(6, '0')}.txt`),
				'fileUpdated /LongDated/edited.txt',
			];
			await firstReportThenChange(longDatedId, LONG_DATED, expected, LONG_DATED_MAX, { path: '/LongDated/old.txt', item: 'fileUpdated /LongDated/old.txt' });
			expect(server.packageLoadErrors()).toEqual([]);
		},
		60_000,
	);
});
