import type { Emulator } from '../../sandbox/emulator';
import { sdk } from '../emulator/helpers';
import { byPath, emulator, failure, run, TOKEN } from './run';

const search = (query: string, extra: Record<string, unknown> = {}) => ({
	resource: 'search',
	operation: 'search',
	query,
	folder: byPath('/'),
	returnAll: true,
	...extra,
});

const names = (items: Array<{ json: Record<string, unknown> }>) => items.map((item) => item.json.name).sort();

describe('Search', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await emulator();
		await emu.seedFile('/Finance/invoice-2024.pdf', 'pdf');
		await emu.seedFile('/Finance/invoice-2024.xlsx', 'sheet');
		await emu.seedFile('/Archive/invoice-2019.pdf', 'old pdf');
		emu.seedFolder('/Archive/Invoices');
		await emu.seedFile('/Photos/invoice-scan.jpg', 'jpg');
		for (let i = 0; i < 30; i++) await emu.seedFile(`/Many/report-${String(i).padStart(2, '0')}.txt`, `r${i}`);
		await emu.seedFile('/Finance/invoice-draft.docx', 'draft');
		await sdk(emu.url, TOKEN).filesDeleteV2({ path: '/Finance/invoice-draft.docx' });
	});
	afterAll(async () => await emu.close());
	beforeEach(() => emu.resetCalls());

	it('finds files and folders by name, one simplified item per match', async () => {
		const { items } = await run(emu, search('invoice'));
		expect(names(items)).toEqual(['Invoices', 'invoice-2019.pdf', 'invoice-2024.pdf', 'invoice-2024.xlsx', 'invoice-scan.jpg']);
		const pdf = items.find((item) => item.json.name === 'invoice-2024.pdf')!.json;
		expect(pdf).toMatchObject({ path: '/Finance/invoice-2024.pdf', type: 'file', category: 'pdf', extension: 'pdf', size: 3 });
	});

	it('scopes to a folder', async () => {
		const { items, test } = await run(emu, search('invoice', { folder: byPath('/Finance') }));
		expect(names(items)).toEqual(['invoice-2024.pdf', 'invoice-2024.xlsx']);
		expect(JSON.parse(String(test.requests[0].body)).options.path).toBe('/Finance');
	});

	it('filters by extensions and by categories, including folders only', async () => {
		const byExtension = await run(emu, search('invoice', { options: { fileExtensions: ' .PDF, xlsx ' } }));
		expect(names(byExtension.items)).toEqual(['invoice-2019.pdf', 'invoice-2024.pdf', 'invoice-2024.xlsx']);
		const images = await run(emu, search('invoice', { options: { categories: ['image'] } }));
		expect(names(images.items)).toEqual(['invoice-scan.jpg']);
		const folders = await run(emu, search('invoice', { options: { categories: ['folder'] } }));
		expect(folders.items.map((item) => item.json)).toEqual([expect.objectContaining({ name: 'Invoices', type: 'folder' })]);
	});

	it('reads File Extensions as the triggers do: spaces or commas, with or without "." or "*."; refuses a path or wildcard before any call', async () => {
		const spaced = await run(emu, search('invoice', { options: { fileExtensions: '*.PDF xlsx' } }));
		expect(names(spaced.items)).toEqual(['invoice-2019.pdf', 'invoice-2024.pdf', 'invoice-2024.xlsx']);
		emu.resetCalls();
		const bad = await failure(run(emu, search('invoice', { options: { fileExtensions: 'pdf, docs/x' } })));
		expect(bad.message).toBe('The File Extensions option of item 0 holds "docs/x", which is not a file extension');
		expect(bad.description).toMatch(/separated by commas or spaces/);
		expect(emu.calls().total).toBe(0);
	});

	it('refuses File Extensions or Categories with File Status Deleted before any call (Dropbox filters only active files)', async () => {
		const byExtension = await failure(run(emu, search('invoice', { options: { fileStatus: 'deleted', fileExtensions: 'docx' } })));
		expect(byExtension.message).toBe('The File Extensions option cannot be combined with File Status "Deleted"');
		expect(byExtension.description).toContain('only among active files');
		const byCategory = await failure(run(emu, search('invoice', { options: { fileStatus: 'deleted', categories: ['document'] } })));
		expect(byCategory.message).toBe('The Categories option cannot be combined with File Status "Deleted"');
		expect(emu.calls().total).toBe(0);
	});

	it('searches deleted files when asked', async () => {
		const { items } = await run(emu, search('invoice', { options: { fileStatus: 'deleted' } }));
		expect(items.map((item) => item.json)).toEqual([expect.objectContaining({ name: 'invoice-draft.docx', type: 'deleted' })]);
	});

	it('sends the match and order options Dropbox expects', async () => {
		const { test } = await run(emu, search('invoice', { options: { match: 'content', orderBy: 'last_modified_time' } }));
		expect(JSON.parse(String(test.requests[0].body)).options).toMatchObject({
			filename_only: false,
			order_by: 'last_modified_time',
			file_status: 'active',
		});
		const names = await run(emu, search('invoice'));
		expect(JSON.parse(String(names.test.requests[0].body)).options.filename_only).toBe(true);
	});

	it('orders by last modified: newest first', async () => {
		// Dropbox times have whole seconds: make the newest one really newer
		await new Promise((resolve) => setTimeout(resolve, 1100));
		await emu.seedFile('/Finance/invoice-newest.pdf', 'new');
		const newest = await run(emu, search('invoice', { options: { orderBy: 'last_modified_time', categories: ['pdf'] } }));
		expect(newest.items[0].json.name).toBe('invoice-newest.pdf');
		const relevant = await run(emu, search('invoice-2019', { options: { categories: ['pdf'] } }));
		expect(relevant.items[0].json.name).toBe('invoice-2019.pdf');
	});

	it('a true limit: asks for no more than the limit and makes one call when it fits a page', async () => {
		const limited = await run(emu, search('report', { returnAll: false, limit: 7 }));
		expect(limited.items).toHaveLength(7);
		expect(JSON.parse(String(limited.test.requests[0].body)).options.max_results).toBe(7);
		expect(emu.calls().byRoute).toEqual({ 'files/search_v2': 1 });
	});

	it('follows continue_v2 across pages of 1,000: a limit of 1,050 takes 2 calls, Return All gets all 1,100', async () => {
		for (let i = 0; i < 1100; i++) emu.seedFolder(`/Bulk/bulkmatch-${i}`);
		emu.resetCalls();
		const limited = await run(emu, search('bulkmatch', { returnAll: false, limit: 1050 }));
		expect(limited.items).toHaveLength(1050);
		expect(emu.calls().byRoute).toEqual({ 'files/search_v2': 1, 'files/search/continue_v2': 1 });
		emu.resetCalls();
		const all = await run(emu, search('bulkmatch'));
		expect(all.items).toHaveLength(1100);
		expect(new Set(all.items.map((item) => item.json.path)).size).toBe(1100);
		expect(emu.calls().byRoute).toEqual({ 'files/search_v2': 1, 'files/search/continue_v2': 1 });
	});

	it('returns the raw match when Simplify is off', async () => {
		const { items } = await run(emu, search('invoice-scan', { simplify: false }));
		expect(items[0].json).toMatchObject({
			metadata: { '.tag': 'metadata', metadata: { '.tag': 'file', name: 'invoice-scan.jpg', path_display: '/Photos/invoice-scan.jpg' } },
		});
	});

	it('refuses an empty or too long query before any call', async () => {
		const empty = await failure(run(emu, search('   ')));
		expect(empty.message).toBe('The Query is empty');
		const long = await failure(run(emu, search('x'.repeat(1001))));
		expect(long.message).toBe('The Query is 1001 characters long');
		expect(emu.calls().total).toBe(0);
	});
});
