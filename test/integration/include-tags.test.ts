import type { Emulator } from '../../sandbox/emulator';
import { sdk } from '../emulator/helpers';
import { byPath, emulator, run, TOKEN } from './run';

/** List and Search with Include Tags: each entry's tags from files/tags/get, 100 paths per call. */
describe('Include Tags on List and Search', () => {
	let emu: Emulator;
	const calls = () => emu.calls().byRoute;
	const tag = async (path: string, tagText: string) => await sdk(emu.url, TOKEN).filesTagsAdd({ path, tag_text: tagText });

	beforeAll(async () => {
		emu = await emulator();
		for (let i = 0; i < 150; i++) await emu.seedFile(`/Box/f${String(i).padStart(3, '0')}.txt`, `${i}`);
		emu.seedFolder('/Box/Sub');
		await tag('/Box/f007.txt', 'Seven');
		await tag('/Box/f007.txt', 'odd');
		await tag('/Box/f120.txt', 'invoice');
		await tag('/Box/Sub', 'archive');
	});
	afterAll(async () => await emu.close());
	beforeEach(() => emu.resetCalls());

	const list = (options: Record<string, unknown>, simplify = true) =>
		run(emu, { resource: 'folder', operation: 'list', folder: byPath('/Box'), recursive: false, entryType: 'all', returnAll: true, simplify, options });

	it('List adds every entry\'s tags, simplified items keep them: 151 entries, 1 list_folder, 2 files/tags/get', async () => {
		const { items } = await list({ includeTags: true });
		expect(items).toHaveLength(151);
		const byName = new Map(items.map((item) => [item.json.name, item.json]));
		expect(byName.get('f007.txt')).toMatchObject({ path_display: '/Box/f007.txt', type: 'file', tags: ['seven', 'odd'] });
		expect(byName.get('f120.txt')!.tags).toEqual(['invoice']);
		expect(byName.get('Sub')).toMatchObject({ type: 'folder', tags: ['archive'] });
		expect(byName.get('f000.txt')!.tags).toEqual([]);
		expect(calls()).toEqual({ 'files/list_folder': 1, 'files/tags/get': 2 });
	});

	it('List without Include Tags reads no tags and adds no field', async () => {
		const { items } = await list({});
		expect(items[0].json.tags).toBeUndefined();
		expect(calls()).toEqual({ 'files/list_folder': 1 });
	});

	it('List with Simplify off puts tags beside Dropbox\'s metadata', async () => {
		const { items } = await list({ includeTags: true }, false);
		const seven = items.find((item) => item.json.name === 'f007.txt')!.json;
		expect(seven).toMatchObject({ '.tag': 'file', path_lower: '/box/f007.txt', tags: ['seven', 'odd'] });
	});

	it('a deleted entry (Include Deleted) gets tags: null and is not asked for', async () => {
		await sdk(emu.url, TOKEN).filesDeleteV2({ path: '/Box/f149.txt' });
		emu.resetCalls();
		const { items } = await list({ includeTags: true, includeDeleted: true });
		const gone = items.find((item) => item.json.name === 'f149.txt')!.json;
		expect(gone).toMatchObject({ type: 'deleted', tags: null });
		expect(calls()['files/tags/get']).toBe(2);
	});

	it('Search adds the tags of its matches in one files/tags/get, simplified or not', async () => {
		const { items } = await run(emu, { resource: 'search', operation: 'search', query: 'f007', folder: byPath('/Box'), returnAll: true, simplify: true, options: { includeTags: true } });
		expect(items.map((item) => [item.json.path_display, item.json.tags])).toEqual([['/Box/f007.txt', ['seven', 'odd']]]);
		const raw = await run(emu, { resource: 'search', operation: 'search', query: 'f120', folder: byPath('/Box'), returnAll: true, simplify: false, options: { includeTags: true } });
		expect(raw.items[0].json).toMatchObject({ metadata: { metadata: { path_display: '/Box/f120.txt' } }, tags: ['invoice'] });
		expect(calls()).toEqual({ 'files/search_v2': 2, 'files/tags/get': 2 });
	});
});
