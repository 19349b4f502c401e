import type { Emulator } from '../../sandbox/emulator';
import { byPath, emulator, failure, run } from './run';

const list = (extra: Record<string, unknown> = {}) => ({
	resource: 'folder',
	operation: 'list',
	folder: byPath('/Projects'),
	...extra,
});

describe('Folder → List (List Files)', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await emulator();
		await emu.seedFile('/Projects/plan.pdf', 'pdf bytes');
		await emu.seedFile('/Projects/budget.xlsx', 'spreadsheet bytes');
		await emu.seedFile('/Projects/Photos/beach.JPG', Buffer.alloc(1234, 7));
		await emu.seedFile('/Projects/Photos/Raw/dive.mov', 'video');
		await emu.seedFile('/Projects/README', 'no extension');
		for (let i = 0; i < 12; i++) await emu.seedFile(`/Paged/file-${String(i).padStart(2, '0')}.txt`, `n${i}`);
		for (let i = 0; i < 5100; i++) emu.seedFolder(`/Big/f${i}`);
		for (let i = 0; i < 6; i++) {
			emu.seedFolder(`/Mixed/d${i}`);
			await emu.seedFile(`/Mixed/f${i}`, `file ${i}`);
		}
	});
	afterAll(async () => await emu.close());
	beforeEach(() => emu.resetCalls());

	it('lists the direct children with simplified fields and a file category', async () => {
		const { items } = await run(emu, list({ returnAll: true }));
		const byName = Object.fromEntries(items.map((item) => [item.json.name, item.json]));
		expect(Object.keys(byName).sort()).toEqual(['Photos', 'README', 'budget.xlsx', 'plan.pdf']);
		expect(byName['plan.pdf']).toMatchObject({
			path: '/Projects/plan.pdf',
			path_display: '/Projects/plan.pdf',
			path_lower: '/projects/plan.pdf',
			type: 'file',
			size: 9,
			extension: 'pdf',
			category: 'pdf',
		});
		expect(byName['plan.pdf'].content_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(byName['plan.pdf'].id).toMatch(/^id:/);
		expect(byName['plan.pdf'].rev).toMatch(/^[0-9a-f]{9,}$/);
		expect(typeof byName['plan.pdf'].server_modified).toBe('string');
		expect(byName['budget.xlsx'].category).toBe('spreadsheet');
		expect(byName.README).toMatchObject({ extension: null, category: 'other' });
		expect(byName.Photos).toMatchObject({ type: 'folder', size: null, category: 'folder', path: '/Projects/Photos' });
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('lists recursively without the listed folder itself, and filters files or folders', async () => {
		const all = await run(emu, list({ returnAll: true, recursive: true }));
		expect(all.items.map((item) => item.json.path).sort()).toEqual([
			'/Projects/Photos',
			'/Projects/Photos/Raw',
			'/Projects/Photos/Raw/dive.mov',
			'/Projects/Photos/beach.JPG',
			'/Projects/README',
			'/Projects/budget.xlsx',
			'/Projects/plan.pdf',
		]);
		const beach = all.items.find((item) => item.json.name === 'beach.JPG')!.json;
		expect(beach).toMatchObject({ size: 1234, extension: 'jpg', category: 'image' });

		const files = await run(emu, list({ returnAll: true, recursive: true, entryType: 'file' }));
		expect(files.items.map((item) => item.json.name).sort()).toEqual(['README', 'beach.JPG', 'budget.xlsx', 'dive.mov', 'plan.pdf']);
		const folders = await run(emu, list({ returnAll: true, recursive: true, entryType: 'folder' }));
		expect(folders.items.map((item) => item.json.name).sort()).toEqual(['Photos', 'Raw']);
	});

	it('returns raw Dropbox entries when Simplify is off', async () => {
		const { items } = await run(emu, list({ returnAll: true, simplify: false, entryType: 'file' }));
		const plan = items.find((item) => item.json.name === 'plan.pdf')!.json;
		expect(plan['.tag']).toBe('file');
		expect(plan.path_display).toBe('/Projects/plan.pdf');
		expect(plan.path_lower).toBe('/projects/plan.pdf');
		expect(plan).not.toHaveProperty('category');
	});

	it('lists the root with "/"', async () => {
		const { items } = await run(emu, list({ folder: byPath('/'), returnAll: true }));
		expect(items.map((item) => item.json.name).sort()).toEqual(['Big', 'Mixed', 'Paged', 'Projects']);
	});

	it('includes deleted entries only when asked', async () => {
		await emu.seedFile('/Trash/gone.txt', 'x');
		const { sdk } = await import('../emulator/helpers');
		await sdk(emu.url, 'test-token').filesDeleteV2({ path: '/Trash/gone.txt' });
		const without = await run(emu, list({ folder: byPath('/Trash'), returnAll: true }));
		expect(without.items).toHaveLength(0);
		const withDeleted = await run(emu, list({ folder: byPath('/Trash'), returnAll: true, options: { includeDeleted: true } }));
		expect(withDeleted.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ name: 'gone.txt', type: 'deleted', path: '/Trash/gone.txt', id: null }),
		]);
	});

	it('stops at the limit: limit 5 asks for pages of 5 and fetches no second page', async () => {
		const { items, test } = await run(emu, list({ folder: byPath('/Paged'), limit: 5 }));
		expect(items).toHaveLength(5);
		expect(emu.calls().byRoute['files/list_folder']).toBe(1);
		expect(emu.calls().byRoute['files/list_folder/continue']).toBeUndefined();
		expect(JSON.parse(String(test.requests[0].body)).limit).toBe(5);
	});

	it('a filtered listing follows the cursor only until the limit is reached', async () => {
		// /Mixed alternates folder, file, folder, …: pages of 3 hold 1 or 2 files each
		const { items } = await run(emu, list({ folder: byPath('/Mixed'), limit: 3, entryType: 'file' }));
		expect(items.map((item) => item.json.name)).toEqual(['f0', 'f1', 'f2']);
		expect(emu.calls().byRoute['files/list_folder']).toBe(1);
		expect(emu.calls().byRoute['files/list_folder/continue']).toBe(1);
	});

	it('a limit above 2,000 reads pages of 2,000 and stops after the page that reaches it', async () => {
		const { items } = await run(emu, list({ folder: byPath('/Big'), limit: 2500 }));
		expect(items).toHaveLength(2500);
		expect(emu.calls().byRoute['files/list_folder']).toBe(1);
		expect(emu.calls().byRoute['files/list_folder/continue']).toBe(1);
	});

	it('returns all 5,100 entries in 3 calls of 2,000', async () => {
		const { items } = await run(emu, list({ folder: byPath('/Big'), returnAll: true }));
		expect(items).toHaveLength(5100);
		expect(new Set(items.map((item) => item.json.name)).size).toBe(5100);
		expect(emu.calls().byRoute['files/list_folder']).toBe(1);
		expect(emu.calls().byRoute['files/list_folder/continue']).toBe(2);
	});

	it('refuses a bad limit or path before any call, naming the field', async () => {
		const badLimit = await failure(run(emu, list({ limit: 0 })));
		expect(badLimit.message).toBe('The Limit "0" is not a whole number of at least 1');
		const badPath = await failure(run(emu, list({ folder: byPath('/Projects//x') })));
		expect(badPath.message).toContain('The Folder "/Projects//x" has an empty segment');
		expect(emu.calls().total).toBe(0);
	});

	it('a missing folder fails with the Dropbox tag and path, or becomes an error item', async () => {
		const error = await failure(run(emu, list({ folder: byPath('/Nope') })));
		expect(error.message).toContain('path/not_found');
		const { items } = await run(emu, list({ folder: byPath('/Nope') }), { continueOnFail: true });
		expect(items).toEqual([
			{ json: expect.objectContaining({ tag: 'path/not_found', path: '/Nope' }), pairedItem: { item: 0 } },
		]);
	});
});
