/**
 * The triggers under repeated, bursty and reset deliveries and outages in a running n8n
 * (issue 9): every change is emitted once, counted over all executions of the workflow.
 * - the Instant Trigger: a burst of 100 changes, a burst of 1,200 (beyond Max Changes per Run) notified once,
 *   the same notification three times, a cursor reset;
 * - the polling trigger: the emulator stops while n8n keeps polling, and starts again on the same
 *   port with its state (a state file: files, tokens, cursors as before), or fresh (every stored
 *   cursor unknown: `reset`).
 *
 * Not covered (by design, see the README): deletions made between the last read and a cursor
 * reset are not reported.
 */
import { randomUUID } from 'node:crypto';

import { HARNESS_TIMEOUT_MS, NODE_PREFIX, oauth2Credential, startHarness, waitFor, workflow, type Harness, type N8nServer } from './harness';
import { signedNotification } from './support/reliability';

const BURST = 100;
const BIG_BURST = 1_200;
const TRIGGER = 'Dropbox changed';

describe('reliability in real n8n: Instant Trigger deliveries', () => {
	let h: Harness;
	let server: N8nServer;
	let workflowId: string;
	let url: string;
	let accountId: string;

	/** Every item the trigger emitted, over all finished executions. */
	async function emitted(): Promise<string[]> {
		const runs = await server.executions(workflowId);
		for (const r of runs) expect([r.status, r.error?.message]).toEqual(['success', undefined]);
		return runs.flatMap((r) => r.json(TRIGGER).map((j) => `${j.event} ${j.path_display}`));
	}

	/** Waits until `count` items were emitted, then a little longer for any that should not come. */
	async function settle(count: number): Promise<string[]> {
		await waitFor(
			`${count} emitted items`,
			async () => (await emitted()).length >= count,
			{ timeoutMs: 90_000, intervalMs: 1000 },
		).catch(async (e: Error) => {
			throw new Error(`${e.message}; emitted ${(await emitted()).length}\nn8n log:\n${server.log.slice(-3000)}`);
		});
		await new Promise((r) => setTimeout(r, 3000));
		return await emitted();
	}

	const deliver = async (times: number) => {
		const { body, signature } = signedNotification(accountId, h.emulator.appSecret);
		return await Promise.all(
			Array.from({ length: times }, async () =>
				(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-dropbox-signature': signature }, body })).status,
			),
		);
	};

	beforeAll(async () => {
		h = await startHarness();
		accountId = (await h.emulator.admin('GET', 'info')).defaultAccountId;
		await h.emulator.seed({ folders: ['/Inbox'], files: [{ path: '/Inbox/old.txt', content: 'before activation' }] });
		const credId = await h.importApiCredential();
		const webhookId = randomUUID();
		workflowId = await h.n8n.importWorkflow(
			workflow(
				'reliability: instant trigger',
				[
					{
						name: TRIGGER,
						type: `${NODE_PREFIX}.dropboxPlusWebhookTrigger`,
						webhookId,
						parameters: { authentication: 'refreshToken', events: ['fileCreated'], folder: { __rl: true, mode: 'path', value: '/Inbox' } },
						credentials: { dropboxPlusApi: credId },
					},
				],
				{ trigger: false },
			),
		);
		server = await h.n8n.start();
		await server.activate(workflowId);
		await server.waitForStaticData(workflowId);
		url = `${server.url}/webhook/${webhookId}/webhook`;
		await waitFor('the webhook to be registered', async () => (await fetch(`${url}?challenge=x`)).status === 200);
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it(`a burst of ${BURST} changes, notified by the emulator as they happen: each emitted once`, async () => {
		await h.emulator.admin('POST', 'apps', { appKey: h.emulator.appKey, webhookUrl: url });
		for (let i = 0; i < BURST; i++) await h.emulator.seed({ files: [{ path: `/Inbox/burst ${String(i).padStart(3, '0')} 😀.txt`, content: `change ${i}` }] });
		await h.emulator.admin('POST', 'webhook/notify', {});
		const items = await settle(BURST);
		const deliveries = await h.emulator.admin<Array<{ url: string; status: number }>>('GET', 'webhook/deliveries');
		console.log(`burst: ${BURST} changes, ${deliveries.length} webhook deliveries, ${(await server.executions(workflowId)).length} executions, ${items.length} items`);
		expect(items).toHaveLength(BURST);
		expect(new Set(items).size).toBe(BURST);
		expect(items.sort()).toEqual(Array.from({ length: BURST }, (_, i) => `fileCreated /Inbox/burst ${String(i).padStart(3, '0')} 😀.txt`));
	}, 180_000);

	it(`a burst larger than Max Changes per Run (${BIG_BURST} new files, its default 500), notified once: all come at once in runs of at most 500, each once`, async () => {
		const before = (await emitted()).length;
		const deliveriesBefore = (await h.emulator.admin<unknown[]>('GET', 'webhook/deliveries')).length;
		// one seeding, one notification from Dropbox (the app's webhook URL is still set)
		await h.emulator.seed({ generate: { folder: '/Inbox', count: BIG_BURST, size: 8, prefix: 'big burst' } });
		const items = (await settle(before + BIG_BURST)).filter((i) => i.includes('/Inbox/big burst-'));
		const runs = (await server.executions(workflowId))
			.map((r) => r.json(TRIGGER).filter((j) => String(j.path_display).includes('/big burst-')).length)
			.filter((n) => n > 0);
		const notified = (await h.emulator.admin<unknown[]>('GET', 'webhook/deliveries')).length - deliveriesBefore;
		console.log(`big burst: ${BIG_BURST} changes, ${notified} notification(s) from Dropbox, runs of ${runs.slice(-4).join(', ')} items`);
		expect(notified).toBe(1);
		expect(items).toHaveLength(BIG_BURST);
		expect(new Set(items).size).toBe(BIG_BURST);
		expect(items.every((i) => /^fileCreated \/Inbox\/big burst-\d{6}\.txt$/.test(i))).toBe(true);
		expect(Math.max(...runs)).toBeLessThanOrEqual(500);
	}, 240_000);

	it('the same notification delivered three times (at once, then again): its change is emitted once', async () => {
		await h.emulator.admin('POST', 'apps', { appKey: h.emulator.appKey, webhookUrl: null });
		const before = (await emitted()).length;
		await h.emulator.seed({ files: [{ path: '/Inbox/thrice.txt', content: 'one change' }] });
		expect(await deliver(3)).toEqual([200, 200, 200]);
		expect(await deliver(1)).toEqual([200]);
		const items = await settle(before + 1);
		expect(items.filter((i) => i.endsWith('/Inbox/thrice.txt'))).toEqual(['fileCreated /Inbox/thrice.txt']);
		expect(items).toHaveLength(before + 1);
	}, 120_000);

	it('a cursor reset: the trigger starts over from now, re-emits nothing old, and emits later changes once', async () => {
		const before = await emitted();
		await h.emulator.admin('POST', 'cursors/expire');
		// the next delivery meets `reset` and takes a new cursor (logged as a warning)
		expect(await deliver(1)).toEqual([200]);
		await waitFor('the reset to be handled', async () => /expired the change cursor/.test(server.log), { timeoutMs: 30_000, intervalMs: 300 });
		await h.emulator.seed({ files: [{ path: '/Inbox/after reset.txt', content: 'new' }] });
		expect(await deliver(3)).toEqual([200, 200, 200]);
		const items = await settle(before.length + 1);
		expect(items).toHaveLength(before.length + 1);
		expect(items.filter((i) => i.endsWith('/Inbox/after reset.txt'))).toEqual(['fileCreated /Inbox/after reset.txt']);
		// nothing from before the reset came again (the 100 burst files, old.txt)
		expect(new Set(items).size).toBe(items.length);
		expect(items.some((i) => i.endsWith('/Inbox/old.txt'))).toBe(false);
		expect(server.packageLoadErrors()).toEqual([]);
	}, 120_000);
});

describe('reliability in real n8n: the polling trigger while Dropbox restarts', () => {
	const POLL = 'Dropbox changed (poll)';
	// n8n refuses a poll time more often than once a minute, but takes several: three, 20 s apart
	const POLL_EVERY_S = 20;
	const pollTimes = { item: [0, 20, 40].map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })) };
	let h: Harness;
	let server: N8nServer;
	let workflowId: string;

	const finished = async () => (await server.executions(workflowId)).filter((r) => r.status !== 'running');
	/** Every item emitted by the successful polls, oldest poll first. */
	const emitted = async () =>
		(await finished())
			.filter((r) => r.status === 'success')
			.reverse()
			.flatMap((r) => r.json(POLL).map((j) => `${j.event} ${j.path_display}`));
	const failedPolls = async () => (await finished()).filter((r) => r.status === 'error');

	async function waitForItems(count: number): Promise<string[]> {
		await waitFor(`${count} emitted items`, async () => (await emitted()).length >= count, { timeoutMs: 3 * POLL_EVERY_S * 1000, intervalMs: 1000 }).catch(
			async (e: Error) => {
				throw new Error(`${e.message}; emitted ${JSON.stringify(await emitted())}\nn8n log:\n${server.log.slice(-3000)}`);
			},
		);
		return await emitted();
	}

	/** Stops the emulator until at least one poll failed on it (each gives up after its 6 attempts, about 8-16 s). */
	async function downWithFailedPoll(): Promise<void> {
		const failedBefore = (await failedPolls()).length;
		await h.emulator.shutDown();
		await waitFor('a poll to fail while Dropbox is down', async () => (await failedPolls()).length > failedBefore, {
			timeoutMs: (POLL_EVERY_S + 30) * 1000,
			intervalMs: 1000,
		});
	}

	beforeAll(async () => {
		h = await startHarness({ emulator: { restartable: true } });
		await h.emulator.seed({ files: [{ path: '/old.txt', content: 'version 1' }, { path: '/doomed.txt', content: 'x' }] });
		// an OAuth2 credential holding the emulator's start token: it never expires, and a fresh emulator knows it too
		const credential = await oauth2Credential(h.emulator);
		credential.data.oauthTokenData = { ...(credential.data.oauthTokenData as object), access_token: h.emulator.accessToken };
		const credId = await h.n8n.importCredential(credential);
		workflowId = await h.n8n.importWorkflow(
			workflow(
				'reliability: polling trigger and restarts',
				[
					{
						name: POLL,
						type: `${NODE_PREFIX}.dropboxPlusTrigger`,
						parameters: {
							authentication: 'oAuth2',
							pollTimes,
							events: ['fileCreated', 'fileUpdated', 'fileDeleted'],
							folder: { __rl: true, mode: 'path', value: '/' },
							includeSubfolders: false,
							attachContent: 'none',
							filters: {},
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
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it('the emulator stops and starts again with its state: the polls in between fail, every change before and after the restart is emitted once, and polling goes on', async () => {
		// changes the trigger has probably not read yet when Dropbox goes away
		await h.emulator.seed({ files: [{ path: '/before 1.txt', content: 'a' }, { path: '/before 2 😀.txt', content: 'b' }] });
		await downWithFailedPoll();
		const failed = await failedPolls();
		console.log(`restart: ${failed.length} failed poll(s); as n8n shows it: ${failed[0].error?.message} — ${failed[0].error?.description ?? ''}`);
		for (const f of failed) expect(f.error?.message).toMatch(/^Could not reach Dropbox \(ECONNREFUSED\) \(gave up after 6 attempts\)$/);
		await h.emulator.startAgain('kept');
		// changes right after the restart: the stored cursor is still valid and sees them
		await h.emulator.seed({ files: [{ path: '/after restart.txt', content: 'c' }, { path: '/old.txt', content: 'version 2' }] });
		await h.emulator.rpc('files/delete_v2', { path: '/doomed.txt' });

		const expected = ['fileCreated /after restart.txt', 'fileCreated /before 1.txt', 'fileCreated /before 2 😀.txt', 'fileDeleted /doomed.txt', 'fileUpdated /old.txt'];
		expect([...(await waitForItems(expected.length))].sort()).toEqual(expected);
		// polling goes on: a later change comes once, and nothing earlier comes again
		await h.emulator.seed({ files: [{ path: '/later.txt', content: 'd' }] });
		const items = await waitForItems(expected.length + 1);
		expect(items.slice(expected.length)).toEqual(['fileCreated /later.txt']);
		expect([...items].sort()).toEqual([...expected, 'fileCreated /later.txt'].sort());
		expect((await failedPolls()).length).toBe(failed.length);
	}, 170_000);

	it('the emulator starts again having lost its state (fresh: the stored cursor is unknown, reset): the trigger starts over with a log line, no storm of old files, later changes once', async () => {
		const before = await emitted();
		await downWithFailedPoll();
		await h.emulator.startAgain('lost');
		await waitFor('the reset to be logged', async () => /expired the change cursor of "Dropbox changed \(poll\)" \(reset\)/.test(server.log), {
			timeoutMs: 2 * POLL_EVERY_S * 1000,
			intervalMs: 500,
		});
		const logged = /.*expired the change cursor.*/.exec(server.log)![0];
		console.log(`reset, as n8n logs it: ${logged}`);
		expect(logged).toMatch(/watching again from now; 0 file\(s\) changed since the last check are reported/);
		expect(await emitted()).toEqual(before);
		// the new baseline works: a change made now comes once, and none of the old ones again
		await h.emulator.seed({ files: [{ path: '/after reset.txt', content: 'e' }] });
		const items = await waitForItems(before.length + 1);
		expect(items.slice(before.length)).toEqual(['fileCreated /after reset.txt']);
		expect(new Set(items).size).toBe(items.length);
		expect(server.packageLoadErrors()).toEqual([]);
	}, 170_000);
});
