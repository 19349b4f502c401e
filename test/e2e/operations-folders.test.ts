/**
 * Every Folder operation of the Dropbox Plus node, run from the BUILT package in real n8n against
 * the emulator (issues 4, 5, 6): create (batched, Return Existing), get, list (recursive, limit,
 * type filter), copy/move/delete (one *_batch call each) and Download as ZIP into n8n's binary store.
 */
import { HARNESS_TIMEOUT_MS, startHarness, workflow, type Harness } from './harness';
import { byPath, callDelta, codeItems, dropbox, zipEntries } from './support/operations';

const PROJECT: Record<string, string> = {
	'/Proj/readme.md': '# Project ✓',
	'/Proj/src/app.ts': 'export const app = 1;\n',
	'/Proj/src/lib/util 😀.ts': 'export const util = "日本";\n',
	'/Proj/img/logo.png': '\x89PNG fake',
	'/Proj/docs/spec.pdf': '%PDF-1.4 spec',
	'/Proj/docs/plan.xlsx': 'PK fake sheet',
};

describe('Folder operations in real n8n', () => {
	let h: Harness;
	let credId: string;

	beforeAll(async () => {
		h = await startHarness();
		credId = await h.importApiCredential();
		await h.emulator.seed({
			folders: ['/Archive', '/Proj/empty'],
			files: Object.entries(PROJECT).map(([path, content]) => ({ path, content })),
		});
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it('creates folders in one batch (an existing one returned), gets, lists recursively with limit and type filter, and downloads a ZIP', async () => {
		const existing = await h.emulator.rpc('files/get_metadata', { path: '/Proj' });
		const wf = workflow('folders: create, get, list, zip', [
			codeItems('Paths', [{ json: { path: '/New/Alpha' } }, { json: { path: '/New/Beta 😀 日本' } }, { json: { path: '/Proj' } }]),
			dropbox('Create', credId, { resource: 'folder', operation: 'create', folderPath: '={{ $json.path }}', ifExists: 'returnExisting', options: {} }),
			dropbox('Get', credId, { resource: 'folder', operation: 'get', folder: byPath('/New/Beta 😀 日本') }, { executeOnce: true }),
			dropbox(
				'List all',
				credId,
				{ resource: 'folder', operation: 'list', folder: byPath('/Proj'), recursive: true, entryType: 'all', returnAll: true, simplify: true, options: {} },
				{ executeOnce: true },
			),
			dropbox(
				'List top',
				credId,
				{ resource: 'folder', operation: 'list', folder: byPath('/Proj'), recursive: false, entryType: 'all', returnAll: true, simplify: true, options: {} },
				{ executeOnce: true },
			),
			dropbox(
				'List 3 files',
				credId,
				{ resource: 'folder', operation: 'list', folder: byPath('/Proj'), recursive: true, entryType: 'file', returnAll: false, limit: 3, simplify: true, options: {} },
				{ executeOnce: true },
			),
			dropbox(
				'List folders',
				credId,
				{ resource: 'folder', operation: 'list', folder: byPath('/Proj'), recursive: true, entryType: 'folder', returnAll: true, simplify: false, options: {} },
				{ executeOnce: true },
			),
			dropbox('Zip', credId, { resource: 'folder', operation: 'downloadZip', folder: byPath('/Proj/src'), binaryPropertyName: 'archive' }, { executeOnce: true }),
		]);
		const id = await h.n8n.importWorkflow(wf);
		const before = (await h.emulator.calls()).byRoute;
		const run = await h.n8n.execute(id);
		const calls = callDelta(before, (await h.emulator.calls()).byRoute);

		// create: one batch call for three items; "Return Existing" gives the folder that was there
		const created = run.json('Create');
		expect(created.map((c) => c.path_display)).toEqual(['/New/Alpha', '/New/Beta 😀 日本', '/Proj']);
		expect(created[2].id).toBe(existing.id);
		expect(run.items('Create').map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(calls['files/create_folder_batch']).toBe(1);
		expect(calls['files/create_folder_v2']).toBeUndefined();
		const paths = (await h.emulator.files()).map((f) => f.path_display);
		expect(paths).toEqual(expect.arrayContaining(['/New/Alpha', '/New/Beta 😀 日本']));

		expect(run.json('Get')).toEqual([expect.objectContaining({ '.tag': 'folder', name: 'Beta 😀 日本', path_display: '/New/Beta 😀 日本', id: created[1].id })]);

		// recursive listing: every entry below /Proj, simplified, with type, size, extension and category
		const all = run.json('List all');
		const everything = ['/Proj/docs', '/Proj/empty', '/Proj/img', '/Proj/src', '/Proj/src/lib', ...Object.keys(PROJECT)].sort();
		expect(all.map((e) => e.path).sort()).toEqual(everything);
		expect(all.find((e) => e.path === '/Proj/src/lib/util 😀.ts')).toMatchObject({
			name: 'util 😀.ts',
			type: 'file',
			size: Buffer.byteLength(PROJECT['/Proj/src/lib/util 😀.ts']),
			extension: 'ts',
			content_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
		});
		expect(all.find((e) => e.path === '/Proj/docs/spec.pdf')).toMatchObject({ type: 'file', extension: 'pdf', category: 'pdf' });
		expect(all.find((e) => e.path === '/Proj/img/logo.png')).toMatchObject({ category: 'image' });
		expect(all.find((e) => e.path === '/Proj/docs/plan.xlsx')).toMatchObject({ category: 'spreadsheet' });
		expect(all.find((e) => e.path === '/Proj/src')).toMatchObject({ type: 'folder', size: null, category: 'folder' });

		expect(run.json('List top').map((e) => e.path).sort()).toEqual(['/Proj/docs', '/Proj/empty', '/Proj/img', '/Proj/readme.md', '/Proj/src']);
		const three = run.json('List 3 files');
		expect(three).toHaveLength(3);
		for (const e of three) expect(e.type).toBe('file');
		// raw output (simplify off): Dropbox's metadata as is, folders only
		const folders = run.json('List folders');
		expect(folders.map((e) => e.path_display).sort()).toEqual(['/Proj/docs', '/Proj/empty', '/Proj/img', '/Proj/src', '/Proj/src/lib']);
		for (const e of folders) expect(e['.tag']).toBe('folder');

		// the ZIP: named after the folder, in the binary store, holding the folder's files byte for byte
		const zipItem = run.items('Zip')[0];
		expect(zipItem.binary!.archive).toMatchObject({ fileName: 'src.zip', mimeType: 'application/zip' });
		expect(zipItem.binary!.archive.id).toMatch(/^filesystem/);
		expect(zipItem.json).toMatchObject({ name: 'src', path_display: '/Proj/src' });
		const entries = zipEntries(await run.binary('Zip', 0, 'archive'));
		const files = entries.filter((e) => !e.name.endsWith('/'));
		expect(files.map((e) => e.name).sort()).toEqual(['src/app.ts', 'src/lib/util 😀.ts']);
		for (const e of files) expect(e.data?.toString('utf8')).toBe(PROJECT[`/Proj/${e.name}`]);
	}, 120_000);

	it('copies, moves and deletes two folders with one *_batch call each, paired in order', async () => {
		const wf = workflow('folders: batches', [
			codeItems('Folders', [{ json: { path: '/Proj/img' } }, { json: { path: '/Proj/docs' } }]),
			dropbox('Copy', credId, { resource: 'folder', operation: 'copy', folder: byPath('={{ $json.path }}'), destination: 'folder', destinationFolder: byPath('/Archive'), options: {} }),
			dropbox('Rename', credId, { resource: 'folder', operation: 'move', folder: byPath('={{ $json.path_display }}'), destination: 'rename', newName: '={{ $json.name }} (old)', options: {} }),
			dropbox('Delete', credId, { resource: 'folder', operation: 'delete', folder: byPath('={{ $json.path_display }}'), options: {} }),
		]);
		const id = await h.n8n.importWorkflow(wf);
		const before = (await h.emulator.calls()).byRoute;
		const run = await h.n8n.execute(id);
		const calls = callDelta(before, (await h.emulator.calls()).byRoute);

		expect(run.json('Copy').map((j) => j.path_display)).toEqual(['/Archive/img', '/Archive/docs']);
		expect(run.json('Rename').map((j) => j.path_display)).toEqual(['/Archive/img (old)', '/Archive/docs (old)']);
		expect(run.json('Delete').map((j) => [j['.tag'], j.path_display])).toEqual([
			['folder', '/Archive/img (old)'],
			['folder', '/Archive/docs (old)'],
		]);
		for (const node of ['Copy', 'Rename', 'Delete']) {
			expect([node, run.items(node).map((i) => i.pairedItem)]).toEqual([node, [{ item: 0 }, { item: 1 }]]);
		}
		expect([calls['files/copy_batch_v2'], calls['files/move_batch_v2'], calls['files/delete_batch']]).toEqual([1, 1, 1]);

		const paths = (await h.emulator.files()).map((f) => f.path_display as string);
		expect(paths.filter((p) => p.startsWith('/Archive/'))).toEqual([]);
		expect(paths).toEqual(expect.arrayContaining(['/Proj/img/logo.png', '/Proj/docs/spec.pdf']));
	}, 120_000);
});
