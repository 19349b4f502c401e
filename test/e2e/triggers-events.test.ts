/**
 * Both triggers in ONE running n8n (`n8n start`), from the BUILT package, driven by the emulator
 * (issues 4 and 7):
 * - the polling trigger (Every Minute) of an active workflow sees every event kind made in the
 *   same minute — file created (also in a subfolder), updated, deleted, folder created, deleted —
 *   with the file's content attached as binary in n8n's store;
 * - the Instant Trigger answers wrongly signed and unsigned POSTs with 403 and starts nothing,
 *   starts nothing for a signed notification of another account, then starts its workflow once for the emulator's signed notification.
 * - manual mode ("Execute workflow" in the editor) shows a sample without moving the cursor.
 * The webhook checks run while the poll is awaited, so the file costs about one poll interval.
 */
import { randomUUID } from 'node:crypto';

import { HARNESS_TIMEOUT_MS, NODE_PREFIX, startHarness, waitFor, workflow, type Execution, type Harness, type N8nServer } from './harness';
import { signedNotification } from './support/reliability';

const POLL = 'Dropbox changed (poll)';
const INSTANT = 'Dropbox changed (instant)';

describe('Dropbox Plus triggers in real n8n: every event kind by polling, signed and forged webhooks', () => {
	let h: Harness;
	let server: N8nServer;
	let pollId: string;
	let instantId: string;
	let hookUrl: string;

	beforeAll(async () => {
		h = await startHarness();
		await h.emulator.seed({
			folders: ['/Watch/old-folder', '/Hooks'],
			files: [
				{ path: '/Watch/update-me.txt', content: 'version 1' },
				{ path: '/Watch/delete-me.txt', content: 'bye' },
			],
		});
		const credId = await h.importApiCredential();
		pollId = await h.n8n.importWorkflow(
			workflow(
				'poll: every event kind',
				[
					{
						name: POLL,
						type: `${NODE_PREFIX}.dropboxPlusTrigger`,
						parameters: {
							authentication: 'refreshToken',
							pollTimes: { item: [{ mode: 'everyMinute' }] },
							events: ['fileCreated', 'fileUpdated', 'fileDeleted', 'folderCreated', 'folderDeleted'],
							folder: { __rl: true, mode: 'path', value: '/Watch' },
							includeSubfolders: true,
							attachContent: 'binary',
							filters: {},
						},
						credentials: { dropboxPlusApi: credId },
					},
				],
				{ trigger: false },
			),
		);
		const webhookId = randomUUID();
		instantId = await h.n8n.importWorkflow(
			workflow(
				'instant: signed only',
				[
					{
						name: INSTANT,
						type: `${NODE_PREFIX}.dropboxPlusWebhookTrigger`,
						webhookId,
						parameters: { authentication: 'refreshToken', events: ['fileCreated'], folder: { __rl: true, mode: 'path', value: '/Hooks' } },
						credentials: { dropboxPlusApi: credId },
					},
				],
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
		'the polling trigger emits created, updated, deleted (files and folders) from one poll window; the Instant Trigger refuses forged POSTs (403, no execution) and runs once for a signed one',
		async () => {
			await server.activate(pollId);
			await server.activate(instantId);
			// both triggers take their cursor at activation: changes before that are not new
			await server.waitForStaticData(pollId);
			await server.waitForStaticData(instantId);

			// ---- changes for the polling trigger, all in the same minute
			const token = h.emulator.accessToken;
			await h.emulator.seed({
				folders: ['/Watch/Sub new'],
				files: [
					{ path: '/Watch/new 😀.txt', content: 'brand new ✓' },
					{ path: '/Watch/Sub new/inner.txt', content: 'deep' },
					{ path: '/Watch/update-me.txt', content: 'version 2' },
				],
			});
			await h.emulator.rpc('files/delete_v2', { path: '/Watch/delete-me.txt' }, token);
			await h.emulator.rpc('files/delete_v2', { path: '/Watch/old-folder' }, token);
			const changedAt = Date.now();

			// ---- meanwhile, the Instant Trigger
			await waitFor('the webhook to be registered', async () => (await fetch(`${hookUrl}?challenge=c`)).status === 200);
			const body = JSON.stringify({ list_folder: { accounts: ['dbid:someone'] } });
			const forged = await fetch(hookUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-dropbox-signature': 'ab'.repeat(32) },
				body,
			});
			const unsigned = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
			expect([forged.status, unsigned.status]).toEqual([403, 403]);

			// a correctly signed notification for another account of the same app: 200, starts nothing
			await h.emulator.seed({ files: [{ path: '/Hooks/signed.txt', content: 'notified' }] });
			const other = signedNotification('dbid:AAH-another-account', h.emulator.appSecret);
			const otherAccount = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-dropbox-signature': other.signature }, body: other.body });
			expect(otherAccount.status).toBe(200);
			await new Promise((r) => setTimeout(r, 3000));
			expect(await server.executions(instantId)).toHaveLength(0);

			// the emulator's app notifies n8n, signed with the app secret
			await h.emulator.admin('POST', 'apps', { appKey: h.emulator.appKey, webhookUrl: hookUrl });
			await h.emulator.admin('POST', 'webhook/notify', {});
			const [instant] = await server.waitForExecutions(instantId, 1, 60_000);
			expect(instant.status).toBe('success');
			expect(instant.json(INSTANT)).toEqual([expect.objectContaining({ event: 'fileCreated', path_display: '/Hooks/signed.txt' })]);
			const deliveries = await h.emulator.admin<Array<{ url: string; status: number }>>('GET', 'webhook/deliveries');
			expect(deliveries.filter((d) => d.url === hookUrl).every((d) => d.status === 200)).toBe(true);
			await h.emulator.admin('POST', 'apps', { appKey: h.emulator.appKey, webhookUrl: null });

			// ---- the poll (every minute): every change, once, across however many polls it took
			const emitted = async (): Promise<{ runs: Execution[]; items: Array<Record<string, any>> }> => {
				const runs = (await server.executions(pollId)).filter((r) => r.status !== 'running');
				return { runs, items: runs.flatMap((r) => r.json(POLL)) };
			};
			const { runs, items } = await waitFor('six events from the polling trigger', async () => {
				const got = await emitted();
				return got.items.length >= 6 ? got : undefined;
			}, { timeoutMs: 140_000, intervalMs: 2000 }).catch(async (e: Error) => {
				throw new Error(`${e.message}; emitted so far: ${JSON.stringify((await emitted()).items.map((i) => [i.event, i.path_display ?? i.path_lower]))}\nn8n log:\n${server.log.slice(-3000)}`);
			});
			console.log(`polling trigger: ${items.length} events in ${runs.length} execution(s), ${Math.round((Date.now() - changedAt) / 1000)} s after the changes`);
			for (const r of runs) expect(r.status).toBe('success');
			const seen = items.map((i) => `${i.event} ${i.path_display ?? i.path_lower}`).sort();
			expect(seen).toEqual(
				[
					'fileCreated /Watch/new 😀.txt',
					'fileCreated /Watch/Sub new/inner.txt',
					'fileUpdated /Watch/update-me.txt',
					'fileDeleted /Watch/delete-me.txt',
					'folderCreated /Watch/Sub new',
					'folderDeleted /Watch/old-folder',
				].sort(),
			);
			// created and updated files come with their bytes in n8n's binary store
			for (const r of runs) {
				r.items(POLL).forEach((item, i) => {
					if (item.json.event === 'fileUpdated' || item.json.event === 'fileCreated') expect(item.binary?.data).toBeDefined();
					else expect([item.json.event, i, item.binary]).toEqual([item.json.event, i, undefined]);
				});
			}
			const updated = runs.flatMap((r) => r.items(POLL)).find((i) => i.json.event === 'fileUpdated')!;
			expect(updated.json).toMatchObject({ name: 'update-me.txt', size: 9, rev: expect.any(String), content_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
			expect(updated.binary!.data).toMatchObject({ fileName: 'update-me.txt', mimeType: 'text/plain' });
			expect((await h.n8n.readBinary(updated.binary!.data)).toString('utf8')).toBe('version 2');

			// the editor's "Execute workflow" (manual mode): a sample of recent entries, the stored cursor untouched
			const stored = await server.waitForStaticData(pollId);
			const manual = await server.runManually(pollId);
			expect(manual.status).toBe('success');
			const sample = manual.json(POLL);
			expect(sample.length).toBeGreaterThan(0);
			for (const entry of sample) expect(entry).toMatchObject({ sample: true, event: expect.stringMatching(/^file/) });
			expect(sample.map((e) => e.path_display)).toContain('/Watch/new 😀.txt');
			expect(await server.waitForStaticData(pollId)).toEqual(stored);

			// the forged, unsigned and other-account POSTs started nothing: the only instant execution is the signed one
			expect(await server.executions(instantId)).toHaveLength(1);
			expect(server.packageLoadErrors()).toEqual([]);
		},
		240_000,
	);

	it(
		'the Instant Trigger that cannot read the changes (the account suspended) answers Dropbox 200 and shows a failed execution with the fix, not silence',
		async () => {
			const accountId = (await h.emulator.admin<{ defaultAccountId: string }>('GET', 'info')).defaultAccountId;
			const before = (await server.executions(instantId)).length;
			await h.emulator.seed({ files: [{ path: '/Hooks/unread.txt', content: 'not readable now' }] });
			await h.emulator.admin('POST', 'accounts/suspend', { suspended: true });
			try {
				const notified = signedNotification(accountId, h.emulator.appSecret);
				const answer = await fetch(hookUrl, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'x-dropbox-signature': notified.signature },
					body: notified.body,
				});
				expect(answer.status).toBe(200);
				const runs = await server.waitForExecutions(instantId, before + 1, 60_000);
				const failed = runs.find((r) => r.status === 'error');
				expect(failed?.error?.message).toMatch(/The Dropbox account is suspended/);
			} finally {
				await h.emulator.admin('POST', 'accounts/suspend', { suspended: false });
			}
		},
		120_000,
	);
});
