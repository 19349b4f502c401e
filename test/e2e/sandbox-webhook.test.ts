/**
 * `npm run webhook -- URL` (scripts/sandbox-webhook.js): the sandbox's one step to make the
 * emulator call an Instant Trigger's URL as Dropbox does once the URL is in the App Console —
 * the verification GET, then a signed notification POST after a file lands in /Inbox.
 */
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import { DROPBOX_PLUS_SCOPES } from '../../credentials/DropboxPlusOAuth2Api.credentials';
import { startEmulator, type EmulatorHandle } from './harness/emulator';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sandbox = require('../../scripts/sandbox.js') as {
	pointWebhookAt(info: { port: number; caFile: string; appKey: string }, url: string): Promise<{ verified?: boolean; added?: string }>;
	sandboxCredentials(info: { port: number; caFile: string; appKey: string; appSecret: string }): Promise<Array<{ type: string; data: { scope?: string } }>>;
};

interface Received {
	method: string;
	url: string;
	body: string;
	signature?: string;
}

describe('npm run webhook: the emulator calls an Instant Trigger URL as Dropbox does', () => {
	let emulator: EmulatorHandle;
	let server: http.Server;
	let base: string;
	const received: Received[] = [];

	beforeAll(async () => {
		emulator = await startEmulator({ appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret' });
		server = http.createServer((req, res) => {
			let body = '';
			req.on('data', (c: Buffer) => (body += c.toString('utf8')));
			req.on('end', () => {
				received.push({ method: req.method ?? '', url: req.url ?? '', body, signature: req.headers['x-dropbox-signature'] as string | undefined });
				const challenge = new URL(req.url ?? '/', 'http://x').searchParams.get('challenge');
				res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Content-Type-Options': 'nosniff' }).end(challenge ?? '');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	}, 60_000);

	afterAll(async () => {
		await new Promise((resolve) => server?.close(resolve));
		await emulator?.stop();
	});

	it('a Production URL: the verification GET with a challenge, then a signed POST naming the account, after a file lands in /Inbox', async () => {
		const url = `${base}/webhook/abc-123/webhook`;
		const result = await sandbox.pointWebhookAt({ port: emulator.port, caFile: emulator.caFile, appKey: emulator.appKey }, url);
		expect(result.verified).toBe(true);
		expect(result.added).toMatch(/^\/Inbox\/webhook-test-\d{8}T\d{6}\.txt$/);
		expect((await emulator.files()).map((f) => f.path_display)).toContain(result.added);
		for (let i = 0; i < 100 && !received.some((r) => r.method === 'POST'); i++) await new Promise((r) => setTimeout(r, 50));
		expect(received[0]).toMatchObject({ method: 'GET' });
		expect(received[0].url).toMatch(/^\/webhook\/abc-123\/webhook\?challenge=/);
		const post = received.find((r) => r.method === 'POST')!;
		expect(post.url).toBe('/webhook/abc-123/webhook');
		expect((JSON.parse(post.body) as { list_folder: { accounts: string[] } }).list_folder.accounts).toHaveLength(1);
		expect(post.signature).toBe(createHmac('sha256', emulator.appSecret).update(post.body).digest('hex'));
	});

	it('a Test URL (n8n listens there for one call): no verification GET, straight to the POST', async () => {
		received.length = 0;
		const result = await sandbox.pointWebhookAt({ port: emulator.port, caFile: emulator.caFile, appKey: emulator.appKey }, `${base}/webhook-test/abc-123/webhook`);
		expect(result.verified).toBeUndefined();
		for (let i = 0; i < 100 && !received.some((r) => r.method === 'POST'); i++) await new Promise((r) => setTimeout(r, 50));
		expect(received.map((r) => r.method)).toEqual(['POST']);
	});

	it('the sandbox\'s OAuth2 credential asks for exactly the scopes the README tells users to tick', async () => {
		const credentials = await sandbox.sandboxCredentials({ port: emulator.port, caFile: emulator.caFile, appKey: emulator.appKey, appSecret: emulator.appSecret });
		const oauth = credentials.find((c) => c.type === 'dropboxPlusOAuth2Api')!;
		expect(oauth.data.scope).toBe(DROPBOX_PLUS_SCOPES);
		const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
		const step = readme.slice(readme.indexOf('**Permissions** tab tick'), readme.indexOf('then *Submit*'));
		const listed = [...step.matchAll(/`([a-z_]+\.[a-z_.]+)`/g)].map((m) => m[1]);
		expect(listed.length).toBeGreaterThanOrEqual(6);
		expect(String(oauth.data.scope).split(' ').sort()).toEqual(listed.sort());
	});

	it('refuses what is not an n8n webhook URL, with where to find one', async () => {
		await expect(sandbox.pointWebhookAt({ port: emulator.port, caFile: emulator.caFile, appKey: emulator.appKey }, 'http://localhost:5678/home')).rejects.toThrow(
			/not an n8n webhook URL: copy it from the Instant Trigger's Webhook URLs/,
		);
	});
});
