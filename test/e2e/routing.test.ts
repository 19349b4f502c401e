/**
 * The routing preload on its own (no n8n): Dropbox's four hosts reach the emulator with TLS
 * verified for their real names; every other host is left alone.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { DROPBOX_HOSTS, startEmulator, type EmulatorHandle } from './harness';
import { runProcess } from './harness/util';
import { takeWireProblems } from '../support/wireContract';

describe('routing Dropbox hosts to the emulator (route-dropbox.js)', () => {
	let emulator: EmulatorHandle;
	let other: http.Server;
	let otherPort: number;
	const otherHits: string[] = [];

	beforeAll(async () => {
		emulator = await startEmulator();
		other = http.createServer((req, res) => {
			otherHits.push(`${req.headers.host}${req.url}`);
			res.end('other server');
		});
		await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
		otherPort = (other.address() as AddressInfo).port;
	});

	afterAll(async () => {
		await emulator?.stop();
		await new Promise<void>((r) => other?.close(() => r()));
	});

	/** Runs a script in a fresh Node with exactly the environment n8n gets. */
	const node = async (script: string) =>
		await runProcess(process.execPath, ['-e', script], {
			env: { PATH: process.env.PATH, ...emulator.routingEnv(), DROPBOX_PLUS_ROUTE_LOG: '1' },
			timeoutMs: 30_000,
		});

	it.each(DROPBOX_HOSTS)('https://%s reaches the emulator, certificate verified for that name', async (host) => {
		const res = await node(`
			const https = require('https');
			const req = https.request({ host: ${JSON.stringify(host)}, path: '/2/users/get_current_account', method: 'POST',
				headers: { authorization: 'Bearer ${emulator.accessToken}' } }, (res) => {
				let body = ''; res.on('data', (c) => body += c);
				res.on('end', () => { console.log(JSON.stringify({ status: res.statusCode, body })); });
			});
			req.on('error', (e) => { console.log(JSON.stringify({ error: e.message })); });
			req.end();`);
		const out = JSON.parse(res.stdout.trim().split('\n').pop()!);
		expect(out.error).toBeUndefined();
		expect(res.stderr).toContain(`[route-dropbox] ${host}:443 -> 127.0.0.1:${emulator.port}`);
		if (host === 'api.dropboxapi.com') expect(JSON.parse(out.body).account_id).toMatch(/^dbid:/);
		const onOtherApiHost = /^(content|notify)\./.exec(host)?.[1];
		if (onOtherApiHost) {
			// it arrived with its real Host: the emulator refuses an api route there, as Dropbox does
			expect(out.status).toBe(400);
			expect(takeWireProblems()).toEqual([expect.stringContaining(`must be called on api.dropboxapi.com, not ${onOtherApiHost}.dropboxapi.com`)]);
		}
	});

	it('fetch (undici) is routed too', async () => {
		const res = await node(`
			fetch('https://api.dropboxapi.com/2/users/get_current_account', { method: 'POST', headers: { authorization: 'Bearer ${emulator.accessToken}' } })
				.then(async (r) => console.log(r.status, (await r.json()).account_id))
				.catch((e) => console.log('error', e.cause?.message ?? e.message));`);
		expect(res.stdout.trim()).toMatch(/^200 dbid:/);
	});

	it('other hosts are not touched', async () => {
		const res = await node(`
			const http = require('http');
			http.get('http://127.0.0.1:${otherPort}/plain', (r) => { r.resume(); r.on('end', () => console.log('plain', r.statusCode)); });
			require('dns').lookup('localhost', (e, a) => console.log('lookup localhost', e ? e.code : 'ok'));`);
		expect(res.stdout).toContain('plain 200');
		expect(res.stdout).toContain('lookup localhost ok');
		expect(otherHits).toContain(`127.0.0.1:${otherPort}/plain`);
		expect(res.stderr).not.toContain('[route-dropbox]');
	});

	it('a look-alike host is not routed', async () => {
		const res = await node(`
			require('https').get('https://api.dropboxapi.com.example.invalid/', () => console.log('connected'))
				.on('error', (e) => console.log('error', e.code));`);
		expect(res.stdout).toMatch(/error/);
		expect(res.stderr).not.toContain('[route-dropbox]');
	});
});
