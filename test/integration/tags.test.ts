import type { Emulator } from '../../sandbox/emulator';
import { sdk } from '../emulator/helpers';
import { byPath, emulator, failure, run, TOKEN } from './run';

const items = (count: number) => Array.from({ length: count }, (_, index) => ({ json: { index } }));

describe('Tag', () => {
	let emu: Emulator;
	const calls = (route: string) => emu.calls().byRoute[route] ?? 0;
	const tagsIn = async (path: string) =>
		(await sdk(emu.url, TOKEN).filesTagsGet({ paths: [path] })).result.paths_to_tags[0].tags.map((tag) => tag.tag_text);
	beforeAll(async () => {
		emu = await emulator();
		await emu.seedFile('/Invoices/march.pdf', 'pdf');
		await emu.seedFile('/Invoices/april.pdf', 'pdf');
		for (let i = 0; i < 150; i++) await emu.seedFile(`/Many/f${i}.txt`, `${i}`);
	});
	afterAll(async () => await emu.close());
	beforeEach(() => emu.resetCalls());

	it('adds a comma-separated list of tags to a file and to a folder, lowercased, "#" dropped, repeats once', async () => {
		const { items: out } = await run(emu, (i) => ({
			resource: 'tag',
			operation: 'add',
			path: byPath(['/Invoices/march.pdf', '/Invoices'][i]),
			tags: '#Invoice, paid_2026 , invoice',
		}), { items: items(2) });
		expect(out.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ path: '/Invoices/march.pdf', added: ['invoice', 'paid_2026'] }, { item: 0 }],
			[{ path: '/Invoices', added: ['invoice', 'paid_2026'] }, { item: 1 }],
		]);
		expect(await tagsIn('/Invoices/march.pdf')).toEqual(['invoice', 'paid_2026']);
		expect(await tagsIn('/Invoices')).toEqual(['invoice', 'paid_2026']);
	});

	it('takes an ID: the tag routes take paths only, so the ID is looked up first', async () => {
		const { id } = (await sdk(emu.url, TOKEN).filesGetMetadata({ path: '/Invoices/april.pdf' })).result as { id: string };
		const { items: out } = await run(emu, { resource: 'tag', operation: 'add', path: { __rl: true, mode: 'id', value: id }, tags: 'april' });
		expect(out[0].json).toEqual({ path: '/Invoices/april.pdf', added: ['april'] });
		expect(await tagsIn('/Invoices/april.pdf')).toEqual(['april']);
	});

	it('gets the tags of 150 items in two files/tags/get calls, one output item per input item', async () => {
		await sdk(emu.url, TOKEN).filesTagsAdd({ path: '/Many/f7.txt', tag_text: 'seven' });
		emu.resetCalls();
		const { items: out } = await run(emu, (i) => ({ resource: 'tag', operation: 'get', path: byPath(`/Many/f${i}.txt`) }), { items: items(150) });
		expect(out).toHaveLength(150);
		expect(out[7]).toEqual({ json: { path: '/Many/f7.txt', tags: ['seven'] }, pairedItem: { item: 7 } });
		expect(out[149].json).toEqual({ path: '/Many/f149.txt', tags: [] });
		expect(calls('files/tags/get')).toBe(2);
		expect(emu.calls().total).toBe(2);
	});

	it('with Continue On Fail, a path with nothing there is only its own item\'s error; the others get their tags', async () => {
		const paths = ['/Invoices/march.pdf', '/Invoices/gone.pdf', '/Invoices'];
		const { items: out } = await run(emu, (i) => ({ resource: 'tag', operation: 'get', path: byPath(paths[i]) }), { items: items(3), continueOnFail: true });
		expect(out[0].json).toEqual({ path: '/Invoices/march.pdf', tags: ['invoice', 'paid_2026'] });
		expect(out[1].json).toMatchObject({ error: expect.stringMatching(/^Not found in Dropbox \(path\/not_found at "\/Invoices\/gone.pdf"\)/), tag: 'path/not_found' });
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(out[2].json).toEqual({ path: '/Invoices', tags: ['invoice', 'paid_2026'] });
	});

	it('removes tags; a tag the item lacks fails with the fix, or is listed with Ignore Missing Tags', async () => {
		const { items: out } = await run(emu, { resource: 'tag', operation: 'remove', path: byPath('/Invoices/march.pdf'), tags: 'PAID_2026' });
		expect(out[0].json).toEqual({ path: '/Invoices/march.pdf', removed: ['paid_2026'] });
		expect(await tagsIn('/Invoices/march.pdf')).toEqual(['invoice']);
		const missing = await failure(run(emu, { resource: 'tag', operation: 'remove', path: byPath('/Invoices/march.pdf'), tags: 'paid_2026' }));
		expect(missing.message).toMatch(/tag_not_present/);
		expect(missing.description).toMatch(/does not have that tag.*Ignore Missing Tags/);
		const ignored = await run(emu, { resource: 'tag', operation: 'remove', path: byPath('/Invoices/march.pdf'), tags: 'invoice, paid_2026', ignoreMissing: true });
		expect(ignored.items[0].json).toEqual({ path: '/Invoices/march.pdf', removed: ['invoice'], notPresent: ['paid_2026'] });
	});

	it('the 21st tag of an item fails with Dropbox\'s too_many_tags and the fix', async () => {
		await emu.seedFile('/full.txt', 'x');
		await run(emu, { resource: 'tag', operation: 'add', path: byPath('/full.txt'), tags: Array.from({ length: 20 }, (_, i) => `t${i}`).join(',') });
		const error = await failure(run(emu, { resource: 'tag', operation: 'add', path: byPath('/full.txt'), tags: 'one_more' }));
		expect(error.message).toMatch(/too_many_tags/);
		expect(error.description).toMatch(/already has 20 tags/);
	});

	it.each([
		['has space', /has the tag "has space", which has characters a tag cannot have/],
		['x'.repeat(33), /longer than 32 characters/],
		[' , ', /The Tags of item 0 is empty/],
		[Array.from({ length: 21 }, (_, i) => `t${i}`).join(','), /has 21 tags/],
	])('refuses the Tags %j before any call, naming item, field and fix', async (tags, message) => {
		const error = await failure(run(emu, { resource: 'tag', operation: 'add', path: byPath('/Invoices/march.pdf'), tags }));
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(/letters, digits or underscores|one or more tags|20 or fewer/);
		expect(emu.calls().total).toBe(0);
	});

	it('refuses the root and a bad path before any call', async () => {
		const root = await failure(run(emu, { resource: 'tag', operation: 'get', path: byPath('/') }));
		expect(root.message).toMatch(/File or Folder/);
		expect(emu.calls().total).toBe(0);
	});
});
