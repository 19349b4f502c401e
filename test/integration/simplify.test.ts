import type { IDataObject } from 'n8n-workflow';

import { DropboxPlusTrigger } from '../../nodes/DropboxPlusTrigger/DropboxPlusTrigger.node';
import type { Emulator } from '../../sandbox/emulator';
import { createTriggerHarness } from '../support/triggerContext';
import { byPath, emulator, run, TOKEN } from './run';

/**
 * One Simplify option, one vocabulary: Download, Upload, Get, Copy, Move and the triggers give
 * the same columns as List's simplified items, so an expression written after one step works
 * after any other; Shared Link Create gives the link flat.
 */
const LIST_COLUMNS = [
	'name',
	'path_display',
	'path_lower',
	'path',
	'type',
	'size',
	'client_modified',
	'server_modified',
	'content_hash',
	'id',
	'rev',
	'extension',
	'category',
].sort();

let emu: Emulator;
beforeAll(async () => {
	emu = await emulator();
});
afterAll(async () => await emu.close());
beforeEach(async () => {
	emu.reset();
	await emu.seedFile('/Reports/q1.pdf', 'quarter');
});

const columns = (json: IDataObject, extra: string[] = []): string[] => Object.keys(json).filter((key) => !extra.includes(key)).sort();

describe('Simplify gives the same field names everywhere', () => {
	it('List, Get, Download, Upload, Copy and Move: the same columns, Dropbox\'s raw fields gone', async () => {
		const listed = (await run(emu, { resource: 'folder', operation: 'list', folder: byPath('/Reports'), returnAll: true, simplify: true, options: {} })).items[0].json;
		const got = (await run(emu, { resource: 'file', operation: 'get', file: byPath('/Reports/q1.pdf'), simplify: true })).items[0].json;
		const downloaded = (await run(emu, { resource: 'file', operation: 'download', file: byPath('/Reports/q1.pdf'), binaryPropertyName: 'data', options: {}, simplify: true })).items[0];
		const uploaded = (
			await run(emu, { resource: 'file', operation: 'upload', content: 'text', text: 'hi', destination: 'path', filePath: '/Reports/hi.txt', mode: 'add', options: {}, simplify: true })
		).items[0].json;
		const copied = (
			await run(emu, { resource: 'file', operation: 'copy', file: byPath('/Reports/q1.pdf'), destination: 'path', destinationPath: '/Reports/q1-copy.pdf', options: {}, simplify: true })
		).items[0].json;
		const moved = (
			await run(emu, { resource: 'folder', operation: 'move', folder: byPath('/Reports'), destination: 'path', destinationPath: '/Done', options: {}, simplify: true })
		).items[0].json;
		for (const json of [listed, got, downloaded.json, uploaded, copied, moved]) {
			expect(columns(json)).toEqual(LIST_COLUMNS);
			expect(json).not.toHaveProperty(['.tag']);
			expect(json).not.toHaveProperty('is_downloadable');
		}
		expect(got).toMatchObject({ name: 'q1.pdf', path_display: '/Reports/q1.pdf', path_lower: '/reports/q1.pdf', type: 'file', size: 7, category: 'pdf' });
		expect(downloaded.json.path_display).toBe('/Reports/q1.pdf');
		expect(downloaded.binary?.data.fileName).toBe('q1.pdf');
		expect(uploaded).toMatchObject({ path_display: '/Reports/hi.txt', type: 'file', extension: 'txt' });
		expect(copied.path_display).toBe('/Reports/q1-copy.pdf');
		expect(moved).toMatchObject({ path_display: '/Done', type: 'folder', size: null, category: 'folder' });
	});

	it('without Simplify (saved version-1 nodes), the raw Dropbox metadata as before', async () => {
		const got = (await run(emu, { resource: 'file', operation: 'get', file: byPath('/Reports/q1.pdf') })).items[0].json;
		expect(got['.tag']).toBe('file');
		expect(got).not.toHaveProperty('type');
	});

	it('Shared Link Create: the link flat, with the same path and ID names, and its settings as Dropbox resolved them', async () => {
		const { items } = await run(emu, {
			resource: 'sharedLink',
			operation: 'create',
			path: byPath('/Reports/q1.pdf'),
			settings: { audience: 'public', allowDownload: true },
			ifExists: 'returnExisting',
			simplify: true,
		});
		expect(Object.keys(items[0].json).sort()).toEqual(
			['url', 'name', 'path_display', 'path_lower', 'id', 'type', 'expires', 'visibility', 'access_level', 'allow_download', 'requires_password'].sort(),
		);
		expect(items[0].json).toMatchObject({ name: 'q1.pdf', path_lower: '/reports/q1.pdf', path_display: '/reports/q1.pdf', type: 'file', visibility: 'public', allow_download: true, requires_password: false });
		expect(items[0].json.url).toMatch(/^https?:\/\//);
	});

	it('the polling trigger: the event first, then the same columns', async () => {
		const harness = await createTriggerHarness({
			emulatorUrl: emu.url,
			accessToken: TOKEN,
			mode: 'manual',
			parameters: { authentication: 'oAuth2', events: ['fileCreated'], folder: byPath('/'), includeSubfolders: true, attachContent: 'none', filters: {}, simplify: true },
		});
		const [items] = (await new DropboxPlusTrigger().poll.call(harness.poll()))!;
		expect(Object.keys(items[0].json)[0]).toBe('event');
		expect(columns(items[0].json, ['event', 'eventId', 'sample'])).toEqual(LIST_COLUMNS);
		expect(items[0].json).toMatchObject({ event: 'fileCreated', sample: true, path_display: '/Reports/q1.pdf', type: 'file' });
	});
});
