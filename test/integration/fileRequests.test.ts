import type { Emulator } from '../../sandbox/emulator';
import { createExecuteContext } from '../support/executeContext';
import { route } from '../../nodes/DropboxPlus/actions/router';
import { sdk } from '../emulator/helpers';
import { byPath, emulator, failure, run, TOKEN } from './run';

const items = (count: number) => Array.from({ length: count }, (_, index) => ({ json: { index } }));
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
const dropboxTime = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

describe('File Request', () => {
	let emu: Emulator;
	const calls = (route: string) => emu.calls().byRoute[route] ?? 0;
	const create = async (title: string, destination: string, more: Record<string, unknown> = {}) =>
		(await run(emu, { resource: 'fileRequest', operation: 'create', title, destination: byPath(destination), additionalFields: more, simplify: true })).items[0].json;
	beforeAll(async () => {
		emu = await emulator();
	});
	afterAll(async () => await emu.close());
	beforeEach(() => emu.resetCalls());

	it('creates a request into a new folder, with a deadline from a date without a zone (UTC) and late uploads; Simplify flattens it', async () => {
		const deadline = inDays(10);
		const local = dropboxTime(deadline).slice(0, 16).replace('T', ' ');
		const made = await create('Invoices for March', '/Requests/Invoices', { deadline: local, allowLateUploads: 'seven_days', description: 'PDF only' });
		expect(made).toEqual({
			id: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
			url: `https://www.dropbox.com/request/${made.id as string}`,
			title: 'Invoices for March',
			destination: '/Requests/Invoices',
			is_open: true,
			file_count: 0,
			created: expect.stringMatching(/Z$/),
			deadline: `${local.replace(' ', 'T')}:00Z`,
			allow_late_uploads: 'seven_days',
			description: 'PDF only',
		});
		expect((await sdk(emu.url, TOKEN).filesGetMetadata({ path: '/Requests/Invoices' })).result['.tag']).toBe('folder');
		expect(calls('file_requests/create')).toBe(1);
	});

	it('gets, updates (title, destination by ID, deadline removed, closed) and lists with a true Limit across pages; raw output without Simplify', async () => {
		const made = await create('Photos', '/Requests/Photos', { deadline: inDays(3).toISOString() });
		await emu.seedFile('/Requests/Photos/one.jpg', 'jpg');
		const got = await run(emu, { resource: 'fileRequest', operation: 'get', fileRequestId: `https://www.dropbox.com/request/${made.id as string}`, simplify: false });
		expect(got.items[0].json).toMatchObject({ id: made.id, file_count: 1, deadline: { deadline: made.deadline } });
		const { id: folderId } = (await sdk(emu.url, TOKEN).filesCreateFolderV2({ path: '/Requests/Pictures' })).result.metadata;
		const updated = await run(emu, {
			resource: 'fileRequest',
			operation: 'update',
			fileRequestId: made.id,
			updateFields: { title: 'Pictures', destination: { __rl: true, mode: 'id', value: folderId }, removeDeadline: true, open: false },
			simplify: true,
		});
		expect(updated.items[0].json).toMatchObject({ id: made.id, title: 'Pictures', destination: '/Requests/Pictures', is_open: false, deadline: null, file_count: 0 });
		for (let i = 0; i < 3; i++) await create(`Extra ${i}`, '/Requests/Extra');
		emu.resetCalls();
		const listed = await run(emu, { resource: 'fileRequest', operation: 'list', returnAll: false, limit: 3 });
		expect(listed.items.map((item) => item.json.title)).toEqual(['Invoices for March', 'Pictures', 'Extra 0']);
		expect(calls('file_requests/list_v2')).toBe(1);
		expect(calls('file_requests/list/continue')).toBe(0);
		const all = await run(emu, { resource: 'fileRequest', operation: 'list', returnAll: true });
		expect(all.items).toHaveLength(5);
	});

	it('counts, deletes closed requests of many items in one call, and Delete All Closed deletes the rest; an open one is its own error item with the fix', async () => {
		const open = await create('Open', '/Requests/Del');
		const closed = await Promise.all([1, 2].map(async (n) => await create(`Closed ${n}`, '/Requests/Del', { open: false })));
		const ids = [closed[0].id, open.id, closed[1].id];
		emu.resetCalls();
		const deleted = await run(emu, (i) => ({ resource: 'fileRequest', operation: 'delete', fileRequestId: ids[i] }), { items: items(3), continueOnFail: true });
		expect(deleted.items[0].json).toMatchObject({ id: closed[0].id, title: 'Closed 1', deleted: true });
		expect(deleted.items[1].json).toMatchObject({ tag: 'file_request_open', error: expect.stringContaining('file_request_open'), description: expect.stringMatching(/Close it first/) });
		expect(deleted.items[1].pairedItem).toEqual({ item: 1 });
		expect(deleted.items[2].json).toMatchObject({ id: closed[1].id, deleted: true });
		// one call for the three, then (one open) one per ID
		expect(calls('file_requests/delete')).toBe(4);
		const before = (await run(emu, { resource: 'fileRequest', operation: 'count' })).items[0].json.count as number;
		const all = await run(emu, { resource: 'fileRequest', operation: 'deleteAllClosed' });
		expect(all.items[0].json.deleted).toBe((all.items[0].json.fileRequests as unknown[]).length);
		expect((await run(emu, { resource: 'fileRequest', operation: 'count' })).items[0].json).toEqual({ count: before - (all.items[0].json.deleted as number) });
		const gone = await failure(run(emu, { resource: 'fileRequest', operation: 'get', fileRequestId: closed[0].id }));
		expect(gone.message).toMatch(/^Not found in Dropbox/);
		expect(gone.description).toMatch(/No file request .* exists/);
	});

	it.each([
		['an empty title', { operation: 'create', title: '  ', destination: byPath('/x') }, /Title of item 0 is empty/],
		['the root as destination', { operation: 'create', title: 't', destination: byPath('/') }, /Destination Folder/],
		['a deadline in the past', { operation: 'create', title: 't', destination: byPath('/x'), additionalFields: { deadline: '2020-01-01' } }, /Deadline of item 0 .* is in the past/],
		['a deadline that is no date', { operation: 'create', title: 't', destination: byPath('/x'), additionalFields: { deadline: 'next friday' } }, /Deadline of item 0 .* is not a date/],
		['late uploads without a deadline', { operation: 'create', title: 't', destination: byPath('/x'), additionalFields: { allowLateUploads: 'one_day' } }, /Allow Late Uploads of item 0/],
		['an ID with spaces', { operation: 'get', fileRequestId: 'not an id' }, /File Request ID of item 0/],
		['a deadline and Remove Deadline', { operation: 'update', fileRequestId: 'abc', updateFields: { deadline: inDays(2).toISOString(), removeDeadline: true } }, /Remove Deadline of item 0/],
	])('refuses %s before any call, naming item, field and fix', async (_, parameters, message) => {
		const error = await failure(run(emu, { resource: 'fileRequest', ...parameters }));
		expect(error.message).toMatch(message);
		expect(error.description).toBeTruthy();
		expect(emu.calls().total).toBe(0);
	});

	it('a file at the destination fails with not_a_folder and the fix', async () => {
		await emu.seedFile('/Requests/file.txt', 'x');
		const error = await failure(run(emu, { resource: 'fileRequest', operation: 'create', title: 't', destination: byPath('/Requests/file.txt') }));
		expect(error.message).toMatch(/not_a_folder/);
		expect(error.description).toMatch(/a file request sends files to a folder/);
	});

	it('without file_requests.write the error names the missing permission and how to grant it', async () => {
		const { accessToken } = emu.issueToken({ scopes: ['account_info.read', 'files.metadata.read', 'file_requests.read'] });
		const test = await createExecuteContext({
			emulatorUrl: emu.url,
			accessToken,
			parameters: { authentication: 'oAuth2', resource: 'fileRequest', operation: 'create', title: 't', destination: byPath('/Requests/Scoped') },
		});
		const error = await failure(route.call(test.ctx));
		expect(error.message).toBe('The Dropbox app lacks the permission "file_requests.write"');
		expect(error.description).toMatch(/Enable "file_requests.write" in the Dropbox App Console/);
	});
});
