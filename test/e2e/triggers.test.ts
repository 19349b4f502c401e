/**
 * Triggers inside a running n8n (`n8n start`), driven by changes in the emulator: the instant
 * trigger receives the emulator's signed webhook and starts the workflow with the changed file.
 * (The polling trigger is covered by the "copy every new PDF" example in examples.test.ts.)
 */
import { randomUUID } from 'node:crypto';

import { HARNESS_TIMEOUT_MS, NODE_PREFIX, startHarness, waitFor, workflow, type Harness, type N8nServer } from './harness';

describe('Dropbox Plus Instant Trigger in real n8n', () => {
	let h: Harness;
	let server: N8nServer;

	beforeAll(async () => {
		h = await startHarness();
		await h.emulator.seed({ folders: ['/Incoming'] });
		server = await h.n8n.start();
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it(
		'answers Dropbox\'s verification challenge, then starts the workflow for a signed notification of a new file',
		async () => {
			const credId = await h.importApiCredential();
			const webhookId = randomUUID();
			const id = await h.n8n.importWorkflow(
				workflow(
					'instant trigger',
					[
						{
							name: 'Dropbox changed',
							type: `${NODE_PREFIX}.dropboxPlusWebhookTrigger`,
							webhookId,
							parameters: {
								authentication: 'refreshToken',
								events: ['fileCreated'],
								folder: { __rl: true, mode: 'path', value: '/Incoming' },
							},
							credentials: { dropboxPlusApi: credId },
						},
					],
					{ trigger: false },
				),
			);
			await server.activate(id);
			// the trigger takes its cursor at activation: changes before that are not "new"
			await server.waitForStaticData(id);
			const url = `${server.url}/webhook/${webhookId}/webhook`;

			// the App Console's check: GET ?challenge=… must echo it as plain text
			// activation finishes in the background: wait for the webhook to be registered
			const challenge = await waitFor('the webhook to be registered', async () => {
				const res = await fetch(`${url}?challenge=e2e-challenge`);
				return res.status === 404 ? undefined : res;
			});
			expect(challenge.status).toBe(200);
			expect(await challenge.clone().text()).toBe('e2e-challenge');
			expect(challenge.headers.get('content-type')).toMatch(/^text\/plain/);

			// an unsigned notification is refused
			const forged = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-dropbox-signature': '0'.repeat(64) },
				body: JSON.stringify({ list_folder: { accounts: ['dbid:x'] } }),
			});
			expect(forged.status).toBe(403);

			// the emulator's app notifies n8n (signed with the app secret) when a file arrives
			await h.emulator.admin('POST', 'apps', { appKey: h.emulator.appKey, webhookUrl: url });
			await h.emulator.seed({ files: [{ path: '/Incoming/invoice.pdf', content: '%PDF-1.4 e2e' }] });
			await h.emulator.admin('POST', 'webhook/notify', {});

			const [execution] = await server.waitForExecutions(id, 1, 90_000).catch(async (e: Error) => {
				throw new Error(`${e.message}\nemulator deliveries: ${JSON.stringify(await h.emulator.admin('GET', 'webhook/deliveries'))}\nn8n log:\n${server.log.slice(-3000)}`);
			});
			expect(execution.status).toBe('success');
			const items = execution.json('Dropbox changed');
			expect(JSON.stringify(items)).toContain('/Incoming/invoice.pdf');
			expect(server.packageLoadErrors()).toEqual([]);
		},
		180_000,
	);
});
