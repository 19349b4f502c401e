import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Emulator } from '../../sandbox/emulator';
import { byPath, emulator, failure, run } from './run';

describe('File → Save URL', () => {
	let emu: Emulator;
	let server: Server;
	let base: string;
	const body = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) & 0xff));
	beforeAll(async () => {
		emu = await emulator();
		server = createServer((req, res) => {
			if (req.url === '/file.bin') res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(body);
			else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end('late'), 4000);
			else res.writeHead(404).end('missing');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
		await emu.close();
	});
	beforeEach(() => emu.resetCalls());

	it('waits for Dropbox to fetch the URL and returns the new file, whose bytes match', async () => {
		const { items } = await run(emu, { resource: 'file', operation: 'saveUrl', url: `${base}/file.bin`, path: '/Downloads/file.bin' });
		expect(items[0].json).toMatchObject({ name: 'file.bin', path_display: '/Downloads/file.bin', size: body.length });
		expect(items[0].json).not.toHaveProperty('.tag');
		expect(emu.calls().byRoute['files/save_url']).toBe(1);
		expect(emu.calls().byRoute['files/save_url/check_job_status']).toBeGreaterThanOrEqual(2);

		const downloaded = await run(emu, { resource: 'folder', operation: 'downloadZip', folder: byPath('/Downloads') });
		const zip = await downloaded.test.readBinary(downloaded.items[0].binary!.data);
		expect(zip.includes(body)).toBe(true);
	});

	it('a File Path given by ID (a folder\'s ID + the name) is looked up first: files/save_url takes a path; ns: is refused before any call', async () => {
		await emu.seedFolder('/Inbox');
		const folder = (await run(emu, { resource: 'folder', operation: 'get', folder: byPath('/Inbox') })).items[0].json;
		const { items, test } = await run(emu, { resource: 'file', operation: 'saveUrl', url: `${base}/file.bin`, path: `${String(folder.id)}/by-id.bin` });
		expect(items[0].json).toMatchObject({ path_display: '/Inbox/by-id.bin', size: body.length });
		const launch = test.requests.find((request) => request.url.endsWith('/files/save_url'));
		expect(JSON.parse(String(launch?.body))).toEqual({ path: '/Inbox/by-id.bin', url: `${base}/file.bin` });

		emu.resetCalls();
		const ns = await failure(run(emu, { resource: 'file', operation: 'saveUrl', url: `${base}/file.bin`, path: 'ns:123/x.bin' }));
		expect(ns.message).toBe('The File Path "ns:123/x.bin" is a namespace reference, which Save URL does not take');
		expect(emu.calls().total).toBe(0);
	});

	it('onto an existing file: Dropbox neither overwrites nor renames, the item fails with path/conflict and the file is kept', async () => {
		await emu.seedFile('/Downloads/kept.bin', 'old bytes');
		const error = await failure(run(emu, { resource: 'file', operation: 'saveUrl', url: `${base}/file.bin`, path: '/Downloads/kept.bin' }));
		expect(error.message).toContain('path/conflict/file');
		expect(error.context).toMatchObject({ dropboxTag: 'path/conflict/file', dropboxPath: '/Downloads/kept.bin' });
		const listed = (await run(emu, { resource: 'folder', operation: 'list', folder: byPath('/Downloads'), returnAll: true })).items.map((item) => item.json.name);
		expect(listed).not.toContain('kept (1).bin');
		expect((await run(emu, { resource: 'file', operation: 'get', file: byPath('/Downloads/kept.bin') })).items[0].json).toMatchObject({ size: 9 });
	});

	it('a URL Dropbox cannot fetch fails the item with a clear message', async () => {
		const error = await failure(run(emu, { resource: 'file', operation: 'saveUrl', url: `${base}/nothing`, path: '/Downloads/nothing.bin' }));
		expect(error.message).toBe(`Saving ${base}/nothing to "/Downloads/nothing.bin" failed: Dropbox could not download the URL (unreachable, not found, or refused)`);
		// tagged like Dropbox's other refusals, so a continue-on-fail item carries the tag and the path
		expect(error.context).toMatchObject({ dropboxTag: 'download_failed', dropboxPath: '/Downloads/nothing.bin' });
	});

	it('gives up after the Timeout, saying so', async () => {
		const started = Date.now();
		const error = await failure(
			run(emu, { resource: 'file', operation: 'saveUrl', url: `${base}/slow`, path: '/Downloads/slow.bin', options: { timeout: 1 } }),
		);
		expect(error.message).toBe(`Dropbox did not finish saving ${base}/slow to "/Downloads/slow.bin" within 1 seconds`);
		expect(Date.now() - started).toBeLessThan(3000);
	});

	it('validates the URL, the path and the timeout before any call', async () => {
		const badUrl = await failure(run(emu, { resource: 'file', operation: 'saveUrl', url: 'ftp://x/y', path: '/a.bin' }));
		expect(badUrl.message).toBe('The URL "ftp://x/y" is not a web address');
		const root = await failure(run(emu, { resource: 'file', operation: 'saveUrl', url: `${base}/file.bin`, path: '/' }));
		expect(root.message).toContain('The File Path "/" is the root folder');
		const timeout = await failure(
			run(emu, { resource: 'file', operation: 'saveUrl', url: `${base}/file.bin`, path: '/a.bin', options: { timeout: 0 } }),
		);
		expect(timeout.message).toContain('The Timeout "0"');
		expect(emu.calls().total).toBe(0);
	});
});
