import type { IDataObject } from 'n8n-workflow';

import { DropboxPlusWebhookTrigger } from '../../nodes/DropboxPlusWebhookTrigger/DropboxPlusWebhookTrigger.node';
import { startEmulator, type Emulator } from '../../sandbox/emulator';
import { isDropboxSignature } from '../../nodes/shared/watch/signature';
import { createTriggerHarness, OWN_WEBHOOK_URL, signBody, type TriggerHarness } from '../support/triggerContext';

const TOKEN = 'test-token';
const SECRET = 'sandbox-app-secret';
const node = new DropboxPlusWebhookTrigger();
let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ port: 0, accessToken: TOKEN });
});
afterAll(async () => await emu.close());
beforeEach(() => {
	emu.reset();
	emu.seedFolder('/Inbox');
});

function testHarnessOptions(nodeId = 'instant-node', accessToken = TOKEN, extra: IDataObject = {}) {
	return {
		emulatorUrl: emu.url,
		accessToken,
		appSecret: SECRET,
		nodeId,
		parameters: {
			authentication: 'refreshToken',
			events: ['fileCreated', 'fileUpdated', 'fileDeleted'],
			folder: { __rl: true, mode: 'path', value: '/Inbox' },
			includeSubfolders: false,
			attachContent: 'none',
			filters: {},
			...extra,
		},
	};
}

async function instantTrigger(nodeId = 'instant-node', accessToken = TOKEN, extra: IDataObject = {}): Promise<TriggerHarness> {
	const harness = await createTriggerHarness(testHarnessOptions(nodeId, accessToken, extra));
	expect(await node.webhookMethods.default.checkExists.call(harness.hook())).toBe(false);
	expect(await node.webhookMethods.default.create.call(harness.hook())).toBe(true);
	return harness;
}

function notification(accounts: string[]): Buffer {
	return Buffer.from(JSON.stringify({ list_folder: { accounts }, delta: { users: [12345] } }));
}

async function deliver(harness: TriggerHarness, rawBody: Buffer, signature?: string) {
	const headers: IDataObject = { 'Content-Type': 'application/json' };
	if (signature !== undefined) headers['X-Dropbox-Signature'] = signature;
	const { ctx, response } = harness.webhook({ method: 'POST', rawBody, headers });
	const result = await node.webhook.call(ctx);
	const paths = (result.workflowData?.[0] ?? []).map((item) => `${item.json.event} ${item.json.path_display}`).sort();
	return { result, response, paths };
}

describe('Dropbox Plus Instant Trigger against the emulator', () => {
	// The editor's test listen and the published trigger share the node's ID and workflow, and the test listen's
	// baseline can be the very cursor the published trigger stored: a test delivery must not make the published one
	// skip the change it read, nor stand in for a published delivery in the same process
	it('a test listen (manual mode) reading a change does not make the published trigger skip it', async () => {
		const published = await instantTrigger();
		const listening = await createTriggerHarness({ ...testHarnessOptions(), mode: 'manual' });
		expect(await node.webhookMethods.default.create.call(listening.hook())).toBe(true);
		await emu.seedFile('/Inbox/both see it.txt', 'x');
		const body = notification([emu.accountId]);
		expect((await deliver(listening, body, signBody(body, SECRET))).paths).toEqual(['fileCreated /Inbox/both see it.txt']);
		expect((await deliver(published, body, signBody(body, SECRET))).paths).toEqual(['fileCreated /Inbox/both see it.txt']);
	});

	it('answers the verification GET by echoing the challenge as plain text, nosniff', async () => {
		const harness = await instantTrigger();
		const { ctx, response } = harness.webhook({ method: 'GET', query: { challenge: 'abc<script>123' } });
		expect(await node.webhook.call(ctx)).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({
			statusCode: 200,
			body: 'abc<script>123',
			headers: { 'content-type': 'text/plain', 'x-content-type-options': 'nosniff' },
		});
	});

	it('stores the account and a baseline at activation, and reports it as existing', async () => {
		await emu.seedFile('/Inbox/before.txt', 'x');
		const harness = await instantTrigger();
		expect(harness.staticData.accountId).toBe(emu.accountId);
		expect(await node.webhookMethods.default.checkExists.call(harness.hook())).toBe(true);
		const { paths } = await deliver(harness, notification([emu.accountId]), signBody(notification([emu.accountId]), SECRET));
		expect(paths).toEqual([]);
		expect(await node.webhookMethods.default.delete.call(harness.hook())).toBe(true);
		// Only what was watched stays (Start From applies once per folder): no cursor, no account
		expect(harness.staticData).toEqual({ watch: 'direct:/inbox' });
		expect(await node.webhookMethods.default.checkExists.call(harness.hook())).toBe(false);
	});

	it('emits the changes for a correctly signed notification, and never twice', async () => {
		const harness = await instantTrigger();
		await emu.seedFile('/Inbox/a.txt', 'x');
		const body = notification([emu.accountId]);
		const first = await deliver(harness, body, signBody(body, SECRET));
		expect(first.response.statusCode).toBe(200);
		expect(first.paths).toEqual(['fileCreated /Inbox/a.txt']);
		const again = await deliver(harness, body, signBody(body, SECRET));
		expect(again.response.statusCode).toBe(200);
		expect(again.paths).toEqual([]);
		expect(again.result.workflowData).toBeUndefined();
	});

	it('a stale copy of the static data saved back (a worker whose workflow writes static data) does not roll the cursor back', async () => {
		const harness = await instantTrigger('stale-save-node');
		const body = notification([emu.accountId]);
		await emu.seedFile('/Inbox/one.txt', '1');
		const stale = { ...harness.staticData };
		expect((await deliver(harness, body, signBody(body, SECRET))).paths).toEqual(['fileCreated /Inbox/one.txt']);
		Object.assign(harness.staticData, stale);
		await emu.seedFile('/Inbox/two.txt', '2');
		expect((await deliver(harness, body, signBody(body, SECRET))).paths).toEqual(['fileCreated /Inbox/two.txt']);
	});

	it('emits once when the same notification arrives twice at the same time', async () => {
		const harness = await instantTrigger('concurrent-node');
		await emu.seedFile('/Inbox/b.txt', 'x');
		const body = notification([emu.accountId]);
		// Each delivery loads the saved static data before the other saves its own
		const copy = { ...harness.staticData };
		const twin = await createTriggerHarness({
			emulatorUrl: emu.url, accessToken: TOKEN, appSecret: SECRET, nodeId: 'concurrent-node',
			staticData: copy, parameters: (harness.poll().getNode().parameters as IDataObject),
		});
		const [one, two] = await Promise.all([deliver(harness, body, signBody(body, SECRET)), deliver(twin, body, signBody(body, SECRET))]);
		expect([...one.paths, ...two.paths]).toEqual(['fileCreated /Inbox/b.txt']);
	});

	it('coalesces notifications while Dropbox is slow: one reads, one waits, the rest read nothing, every change emitted once', async () => {
		const harness = await instantTrigger('slow-node');
		await emu.seedFile('/Inbox/first.txt', 'x');
		const body = notification([emu.accountId]);
		emu.setFaults({ latencyMs: 300 });
		const readsBefore = harness.routes.filter((route) => route === 'files/list_folder/continue').length;
		try {
			const running = deliver(harness, body, signBody(body, SECRET));
			// Dropbox notifies again while the first delivery is still reading
			await new Promise((resolve) => setTimeout(resolve, 100));
			await emu.seedFile('/Inbox/second.txt', 'x');
			const others = Array.from({ length: 5 }, async () => await deliver(harness, body, signBody(body, SECRET)));
			const all = await Promise.all([running, ...others]);
			expect(all.every(({ response }) => response.statusCode === 200)).toBe(true);
			expect(all.flatMap(({ paths }) => paths).sort()).toEqual(['fileCreated /Inbox/first.txt', 'fileCreated /Inbox/second.txt']);
			// Today every notification waits its turn and reads: six reads, four finding nothing
			expect(harness.routes.filter((route) => route === 'files/list_folder/continue').length - readsBefore).toBe(2);
			// The four that came while one was waiting return at once, starting nothing
			expect(all.slice(2).every(({ result }) => result.workflowData === undefined)).toBe(true);
		} finally {
			emu.setFaults({ latencyMs: 0 });
		}
	});

	it('fails the execution with the fix when it cannot read the changes (token revoked), after answering Dropbox 200, and keeps the cursor', async () => {
		const { accessToken } = emu.issueToken();
		const harness = await instantTrigger('revoked-node', accessToken);
		await emu.seedFile('/Inbox/unread.txt', 'x');
		const cursor = harness.staticData.cursor;
		const revoked = await fetch(`${emu.url}/2/auth/token/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${accessToken}` } });
		expect(revoked.ok).toBe(true);
		const body = notification([emu.accountId]);
		const { ctx, response } = harness.webhook({
			method: 'POST',
			rawBody: body,
			headers: { 'content-type': 'application/json', 'x-dropbox-signature': signBody(body, SECRET) },
		});
		// Thrown, n8n records a failed execution of the workflow (and runs its error workflow); a log line alone was silent
		const failure = await node.webhook.call(ctx).then(
			() => undefined,
			(error: Error & { description?: string }) => error,
		);
		expect(failure?.message).toMatch(/Dropbox rejected the credential/);
		expect(failure?.description).toMatch(/Reconnect the credential/);
		expect(response).toMatchObject({ statusCode: 200, ended: true });
		expect(harness.staticData.cursor).toBe(cursor);
	});

	it('bounds a delivery by Max Changes per Run, and goes on through a burst at once: it notifies its own URL, signed like Dropbox, until all is read; each change once', async () => {
		const harness = await instantTrigger('bounded-node', TOKEN, { maxChangesPerRun: 2 });
		for (let i = 0; i < 5; i++) await emu.seedFile(`/Inbox/n${i}.txt`, `change ${i}`);
		const runs: string[][] = [];
		let body: Buffer | undefined = notification([emu.accountId]);
		let signature = signBody(body, SECRET);
		// Dropbox notifies once; every further delivery is the trigger's own continuation
		while (body) {
			runs.push((await deliver(harness, body, signature)).paths);
			await new Promise((resolve) => setImmediate(resolve));
			const post = harness.ownWebhookPosts.shift();
			body = post ? Buffer.from(String(post.body)) : undefined;
			if (post) {
				expect(post.url).toBe(OWN_WEBHOOK_URL);
				expect(post.method).toBe('POST');
				expect(JSON.parse(String(post.body)).list_folder.accounts).toEqual([emu.accountId]);
				signature = String((post.headers as IDataObject)['X-Dropbox-Signature']);
				expect(isDropboxSignature(body, signature, SECRET)).toBe(true);
			}
		}
		expect(runs.map((paths) => paths.length)).toEqual([2, 2, 1]);
		expect(runs.flat().sort()).toEqual(Array.from({ length: 5 }, (_, i) => `fileCreated /Inbox/n${i}.txt`));
		expect(harness.ownWebhookPosts).toEqual([]);
	});

	it('when n8n cannot reach its own URL, says so in the log and the rest waits for Dropbox\'s next notification: nothing lost', async () => {
		const harness = await instantTrigger('unreachable-node', TOKEN, { maxChangesPerRun: 2 });
		harness.ownWebhookFailure = new Error('connect ECONNREFUSED 10.0.0.1:443');
		for (let i = 0; i < 3; i++) await emu.seedFile(`/Inbox/u${i}.txt`, `change ${i}`);
		const body = notification([emu.accountId]);
		expect((await deliver(harness, body, signBody(body, SECRET))).paths).toHaveLength(2);
		await new Promise((resolve) => setImmediate(resolve));
		expect(harness.warnings.join('\n')).toMatch(/could not reach its own Production URL .*ECONNREFUSED.*: the rest of the changes come with Dropbox's next notification/);
		expect((await deliver(harness, body, signBody(body, SECRET))).paths).toEqual(['fileCreated /Inbox/u2.txt']);
	});

	it('a test listen (manual mode) never notifies its own URL: its Test URL takes one event', async () => {
		const harness = await createTriggerHarness({ ...testHarnessOptions('manual-burst', TOKEN, { maxChangesPerRun: 2 }), mode: 'manual' });
		expect(await node.webhookMethods.default.create.call(harness.hook())).toBe(true);
		for (let i = 0; i < 5; i++) await emu.seedFile(`/Inbox/m${i}.txt`, `change ${i}`);
		const body = notification([emu.accountId]);
		expect((await deliver(harness, body, signBody(body, SECRET))).paths).toHaveLength(2);
		await new Promise((resolve) => setImmediate(resolve));
		expect(harness.ownWebhookPosts).toEqual([]);
	});

	it.each([
		['missing', undefined],
		['wrong', signBody('another body', SECRET)],
		['made with another secret', signBody(notification(['x']), 'not-the-secret')],
		['not hex', 'zz'],
	])('answers 403 and starts nothing when the signature is %s', async (_label, signature) => {
		const harness = await instantTrigger();
		await emu.seedFile('/Inbox/c.txt', 'x');
		const routesBefore = harness.routes.length;
		const cursor = harness.staticData.cursor;
		const { response, result } = await deliver(harness, notification(['x']), signature);
		expect(response.statusCode).toBe(403);
		expect(result.workflowData).toBeUndefined();
		expect(harness.routes.length).toBe(routesBefore);
		expect(harness.staticData.cursor).toBe(cursor);
	});

	it('starts nothing for a notification about another account of the app', async () => {
		const harness = await instantTrigger();
		await emu.seedFile('/Inbox/d.txt', 'x');
		const routesBefore = harness.routes.length;
		const body = notification(['dbid:someone-else']);
		const { response, result } = await deliver(harness, body, signBody(body, SECRET));
		expect(response.statusCode).toBe(200);
		expect(result.workflowData).toBeUndefined();
		expect(harness.routes.length).toBe(routesBefore);
		const ours = notification(['dbid:someone-else', emu.accountId]);
		expect((await deliver(harness, ours, signBody(ours, SECRET))).paths).toEqual(['fileCreated /Inbox/d.txt']);
	});

	it('verifies a notification exactly as the emulator signs and delivers it', async () => {
		const harness = await instantTrigger();
		const received: Array<{ body: Buffer; signature: string }> = [];
		const { createServer } = await import('node:http');
		const server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				received.push({ body: Buffer.concat(chunks), signature: String(req.headers['x-dropbox-signature']) });
				res.end();
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as { port: number };
		try {
			await fetch(`${emu.url}/__admin/webhook`, { method: 'POST', body: JSON.stringify({ webhookUrl: `http://127.0.0.1:${port}/hook` }) });
			await fetch(`${emu.url}/__admin/webhook/notify`, { method: 'POST', body: JSON.stringify({}) });
			for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
		} finally {
			server.close();
		}
		await emu.seedFile('/Inbox/e.txt', 'x');
		const { response, paths } = await deliver(harness, received[0].body, received[0].signature);
		expect(response.statusCode).toBe(200);
		expect(paths).toEqual(['fileCreated /Inbox/e.txt']);
	});
});
