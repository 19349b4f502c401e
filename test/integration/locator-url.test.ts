import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import { DropboxPlusTrigger } from '../../nodes/DropboxPlusTrigger/DropboxPlusTrigger.node';
import { DropboxPlusWebhookTrigger } from '../../nodes/DropboxPlusWebhookTrigger/DropboxPlusWebhookTrigger.node';
import type { Emulator } from '../../sandbox/emulator';
import { createTriggerHarness } from '../support/triggerContext';
import { emulator, failure, run, TOKEN } from './run';

/**
 * Issue 16, defect 3: a "By URL" locator holding a bare "%" (a folder called "100%", typed
 * into an address by hand) threw a raw URIError, with no item and no fix, and stopped a
 * trigger from activating. A "%" that starts no escape is now kept as it is; escapes that are
 * not UTF-8 text are refused with an error naming the item, the field and the fix.
 */

const byUrl = (value: string) => ({ __rl: true, mode: 'url', value });

let emu: Emulator;
beforeAll(async () => {
	emu = await emulator();
});
afterAll(async () => await emu.close());
beforeEach(async () => {
	emu.reset();
	emu.resetCalls();
	await emu.seedFile('/100%/x.txt', 'one hundred percent');
	await emu.seedFile('/Café/menu.txt', 'menu');
});

describe('a Dropbox address (By URL) with "%" in it, in the action node', () => {
	it('reads a bare "%" literally: …/home/100%/x.txt is the file /100%/x.txt', async () => {
		const { items } = await run(emu, { resource: 'file', operation: 'get', file: byUrl('https://www.dropbox.com/home/100%/x.txt') });
		expect(items[0].json).toMatchObject({ name: 'x.txt', path_display: '/100%/x.txt' });
	});

	it('still decodes escapes: %25 is "%", %C3%A9 is "é", and ?preview= names the file', async () => {
		const escaped = await run(emu, { resource: 'file', operation: 'get', file: byUrl('https://www.dropbox.com/home/100%25/x.txt') });
		expect(escaped.items[0].json.path_display).toBe('/100%/x.txt');
		const preview = await run(emu, { resource: 'file', operation: 'get', file: byUrl('https://www.dropbox.com/home/Caf%C3%A9?preview=menu.txt') });
		expect(preview.items[0].json.path_display).toBe('/Café/menu.txt');
	});

	it('refuses an escape that is not UTF-8 text with an error naming the item, the field and the fix, before any call', async () => {
		const items: INodeExecutionData[] = [{ json: {} }, { json: {} }];
		const urls = ['https://www.dropbox.com/home/100%/x.txt', 'https://www.dropbox.com/home/Caf%E9/menu.txt'];
		const error = await failure(run(emu, (i) => ({ resource: 'file', operation: 'delete', file: byUrl(urls[i]) }), { items }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('The File to Delete "https://www.dropbox.com/home/Caf%E9/menu.txt" has the escape "%E9", which is not UTF-8 text');
		expect(error.context).toMatchObject({ itemIndex: 1 });
		expect(error.description).toMatch(/By Path/);
		expect(emu.calls().total).toBe(0);

		const { items: out } = await run(emu, (i) => ({ resource: 'file', operation: 'get', file: byUrl(urls[i]) }), { items, continueOnFail: true });
		expect(out[0].json.path_display).toBe('/100%/x.txt');
		expect(out[1].json).toMatchObject({ error: expect.stringContaining('not UTF-8 text'), description: expect.stringMatching(/address bar/) });
	});
});

describe('a Dropbox address (By URL) with "%" in it, as a trigger\'s watched folder', () => {
	const parameters = (folder: IDataObject) => ({
		authentication: 'oAuth2',
		events: ['fileCreated'],
		folder,
		includeSubfolders: false,
		attachContent: 'none',
		filters: {},
	});

	it('the polling trigger activates on …/home/100% and reports a file created there', async () => {
		const harness = await createTriggerHarness({
			emulatorUrl: emu.url,
			accessToken: TOKEN,
			parameters: parameters(byUrl('https://www.dropbox.com/home/100%')),
		});
		const node = new DropboxPlusTrigger();
		expect(await node.poll.call(harness.poll())).toBeNull();
		await emu.seedFile('/100%/new.txt', 'new');
		const items = await node.poll.call(harness.poll());
		expect(items?.[0].map((item) => `${item.json.event} ${item.json.path_display}`)).toEqual(['fileCreated /100%/new.txt']);
	});

	it('the instant trigger activates on …/home/100%; an escape that is not UTF-8 stops activation with a clear error', async () => {
		const node = new DropboxPlusWebhookTrigger();
		const good = await createTriggerHarness({
			emulatorUrl: emu.url,
			accessToken: TOKEN,
			parameters: parameters(byUrl('https://www.dropbox.com/home/100%')),
		});
		expect(await node.webhookMethods.default.create.call(good.hook())).toBe(true);

		const bad = await createTriggerHarness({
			emulatorUrl: emu.url,
			accessToken: TOKEN,
			parameters: parameters(byUrl('https://www.dropbox.com/home/Caf%E9')),
		});
		emu.resetCalls();
		const error = await failure(node.webhookMethods.default.create.call(bad.hook()));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('The watched folder "https://www.dropbox.com/home/Caf%E9" has the escape "%E9", which is not UTF-8 text');
		expect(error.description).toMatch(/By Path/);
		expect(emu.calls().total).toBe(0);
	});
});
