import type { IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../nodes/DropboxPlus/actions/router';
import { startEmulator, type Emulator } from '../../sandbox/emulator';
import { createExecuteContext } from '../support/executeContext';
import { failure } from './run';

const TOKEN = 'test-token';
let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ port: 0, accessToken: TOKEN });
});

afterAll(async () => {
	await emu.close();
});

beforeEach(() => {
	emu.reset();
	emu.resetCalls();
});

const locator = (value: string, mode = 'path') => ({ __rl: true, mode, value });

/** Runs the node on `count` items; `parameters` may depend on the item index. */
async function run(
	count: number,
	parameters: (itemIndex: number) => IDataObject,
	continueOnFail = false,
): Promise<INodeExecutionData[]> {
	const { ctx } = await createExecuteContext({
		emulatorUrl: emu.url,
		accessToken: TOKEN,
		parameters: (itemIndex) => ({ authentication: 'oAuth2', ...parameters(itemIndex) }),
		items: Array.from({ length: count }, (_, index) => ({ json: { index } })),
		continueOnFail,
	});
	const [out] = await route.call(ctx);
	return out;
}

async function seedFiles(count: number, folder = '/in'): Promise<string[]> {
	const paths = Array.from({ length: count }, (_, index) => `${folder}/f${String(index).padStart(4, '0')}.txt`);
	for (const path of paths) await emu.seedFile(path, `content of ${path}`);
	return paths;
}

async function exists(path: string): Promise<boolean> {
	const response = await fetch(`${emu.url}/2/files/get_metadata`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ path }),
	});
	return response.status === 200;
}

const calls = (route: string) => emu.calls().byRoute[route] ?? 0;

describe('batched delete, copy, move and folder create', () => {
	it('deletes 1,000 files with one files/delete_batch call and a few status checks, each result paired to its item', async () => {
		const paths = await seedFiles(1000);
		emu.resetCalls();
		const out = await run(1000, (i) => ({ resource: 'file', operation: 'delete', file: locator(paths[i]) }));
		expect(calls('files/delete_batch')).toBe(1);
		expect(calls('files/delete_batch/check')).toBeGreaterThanOrEqual(1);
		expect(calls('files/delete_batch/check')).toBeLessThanOrEqual(3);
		expect(calls('files/delete_v2')).toBe(0);
		expect(out).toHaveLength(1000);
		out.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.path_display).toBe(paths[i]);
		});
		expect(await exists(paths[0])).toBe(false);
		expect(await exists(paths[999])).toBe(false);
	});

	it('copies 1,000 files into a folder, keeping their names, in one files/copy_batch_v2 call', async () => {
		const paths = await seedFiles(1000);
		emu.resetCalls();
		const out = await run(1000, (i) => ({
			resource: 'file',
			operation: 'copy',
			file: locator(paths[i]),
			destination: 'folder',
			destinationFolder: locator('/out'),
		}));
		expect(calls('files/copy_batch_v2')).toBe(1);
		expect(calls('files/copy_batch/check_v2')).toBeLessThanOrEqual(3);
		expect(emu.calls().total).toBeLessThanOrEqual(4);
		out.forEach((item, i) => expect(item.json.path_display).toBe(paths[i].replace('/in/', '/out/')));
		expect(await exists(paths[5])).toBe(true);
		expect(await exists('/out/f0005.txt')).toBe(true);
	});

	it('splits items into requests of at most Batch Size entries', async () => {
		const paths = await seedFiles(25);
		emu.resetCalls();
		const out = await run(25, (i) => ({
			resource: 'file',
			operation: 'move',
			file: locator(paths[i]),
			destination: 'path',
			destinationPath: `/moved/m${i}.txt`,
			options: { batchSize: 10 },
		}));
		expect(calls('files/move_batch_v2')).toBe(3);
		expect(out.map((item) => item.json.name)).toEqual(paths.map((_, i) => `m${i}.txt`));
		expect(await exists(paths[0])).toBe(false);
	});

	it('shows not_found and conflict failures on exactly the failing items with continue-on-fail, and moves the others', async () => {
		await seedFiles(3);
		await emu.seedFile('/taken/f0002.txt', 'already here');
		const sources = ['/in/f0000.txt', '/in/missing.txt', '/in/f0001.txt', '/in/f0002.txt'];
		const params = (i: number) => ({
			resource: 'file',
			operation: 'move',
			file: locator(sources[i]),
			destination: 'folder',
			destinationFolder: locator(i === 3 ? '/taken' : '/done'),
		});
		const out = await run(4, params, true);
		expect(calls('files/move_batch_v2')).toBe(1);
		expect(out.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(out[0].json.path_display).toBe('/done/f0000.txt');
		expect(out[2].json.path_display).toBe('/done/f0001.txt');
		expect(out[1].json).toMatchObject({
			error: 'Not found in Dropbox (from_lookup/not_found at "/in/missing.txt")',
			tag: 'from_lookup/not_found',
			path: '/in/missing.txt',
		});
		expect(out[3].json).toMatchObject({
			error: 'Dropbox: to/conflict/file at "/taken/f0002.txt"',
			tag: 'to/conflict/file',
			path: '/taken/f0002.txt',
		});
		expect(out[3].json.description).toMatch(/Autorename/);
		expect(await exists('/in/f0002.txt')).toBe(true);
	});

	it('stops at the first failing item without continue-on-fail, naming it', async () => {
		await seedFiles(2);
		const sources = ['/in/f0000.txt', '/in/missing.txt', '/in/f0001.txt'];
		await expect(
			run(3, (i) => ({ resource: 'file', operation: 'delete', file: locator(sources[i]) })),
		).rejects.toMatchObject({
			message: 'Not found in Dropbox (path_lookup/not_found at "/in/missing.txt")',
			context: expect.objectContaining({ itemIndex: 1, dropboxTag: 'path_lookup/not_found' }),
		});
	});

	it('a failed batch entry reads exactly like the same failure with Batch Size 1 (one call per item)', async () => {
		await seedFiles(2);
		const sources = ['/in/f0000.txt', '/in/missing.txt', '/in/f0001.txt'];
		const params = (batchSize: number) => (i: number) => ({
			resource: 'file',
			operation: 'copy',
			file: locator(sources[i]),
			destination: 'rename',
			newName: `copy-${i}.txt`,
			options: { batchSize },
		});
		const batched = await run(3, params(1000), true);
		emu.reset();
		await seedFiles(2);
		emu.resetCalls();
		const single = await run(3, params(1), true);
		expect(calls('files/copy_v2')).toBe(3);
		expect(calls('files/copy_batch_v2')).toBe(0);
		expect(single[1].json).toEqual(batched[1].json);
		expect(single[0].json.path_display).toBe('/in/copy-0.txt');
		expect(batched[2].json.path_display).toBe('/in/copy-2.txt');
	});

	it('refuses a bad path on its own item before any call; the other items still run', async () => {
		await seedFiles(2);
		const sources = ['/in/f0000.txt', '/in//f0001.txt', '/in/f0001.txt'];
		const out = await run(3, (i) => ({ resource: 'file', operation: 'delete', file: locator(sources[i]) }), true);
		expect(out[1].json.error).toBe('The File to Delete "/in//f0001.txt" has an empty segment ("//")');
		expect(out[0].json.path_display).toBe('/in/f0000.txt');
		expect(out[2].json.path_display).toBe('/in/f0001.txt');
		expect(calls('files/delete_batch')).toBe(1);
	});

	it('without continue-on-fail, refuses a bad path before any call, so no other item is changed', async () => {
		await seedFiles(2);
		const sources = ['/in/f0000.txt', '/in//f0001.txt', '/in/f0001.txt'];
		await expect(run(3, (i) => ({ resource: 'file', operation: 'delete', file: locator(sources[i]) }))).rejects.toMatchObject({
			message: 'The File to Delete "/in//f0001.txt" has an empty segment ("//")',
		});
		expect(emu.calls().total).toBe(0);
		expect(await exists('/in/f0000.txt')).toBe(true);
	});

	it('deletes with a revision guard in the same files/delete_batch call, keeps a file whose revision changed, and refuses a revision that is not one', async () => {
		await seedFiles(4);
		const rev = (await (
			await fetch(`${emu.url}/2/files/get_metadata`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ path: '/in/f0000.txt' }),
			})
		).json()) as { rev: string };
		emu.resetCalls();
		const revs = [rev.rev, 'not-a-rev', '', '0123456789abc'];
		const out = await run(
			4,
			(i) => ({ resource: 'file', operation: 'delete', file: locator(`/in/f000${i}.txt`), options: { parentRev: revs[i] } }),
			true,
		);
		expect(out[0].json.path_display).toBe('/in/f0000.txt');
		expect(out[1].json.error).toBe('The Only If Revision Is "not-a-rev" is not a Dropbox revision');
		expect(out[2].json.path_display).toBe('/in/f0002.txt');
		expect(out[3].json).toMatchObject({ path: '/in/f0003.txt', tag: expect.stringMatching(/^path_write\//) });
		expect(await exists('/in/f0003.txt')).toBe(true);
		expect(calls('files/delete_v2')).toBe(0);
		expect(calls('files/delete_batch')).toBe(1);
		expect(await exists('/in/f0001.txt')).toBe(true);
	});

	it('copies by ID into a folder under the same name (the name looked up first)', async () => {
		await seedFiles(1);
		const meta = (await (
			await fetch(`${emu.url}/2/files/get_metadata`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ path: '/in/f0000.txt' }),
			})
		).json()) as { id: string };
		const out = await run(1, () => ({
			resource: 'file',
			operation: 'copy',
			file: locator(meta.id, 'id'),
			destination: 'folder',
			destinationFolder: locator('/'),
		}));
		expect(out[0].json.path_display).toBe('/f0000.txt');
	});
});

describe('folder operations', () => {
	it('creates 1,000 folders in one files/create_folder_batch call', async () => {
		const out = await run(1000, (i) => ({ resource: 'folder', operation: 'create', folderPath: `/made/d${i}` }));
		expect(calls('files/create_folder_batch')).toBe(1);
		expect(calls('files/create_folder_v2')).toBe(0);
		expect(out.map((item) => item.json.path_display)).toEqual(Array.from({ length: 1000 }, (_, i) => `/made/d${i}`));
		expect(await exists('/made/d999')).toBe(true);
	});

	it('returns the existing folder on a rerun when If It Exists is "Return Existing Folder", and fails it when "Error"', async () => {
		emu.seedFolder('/Reports/2023');
		const paths = ['/Reports/2023', '/Reports/2024'];
		const existing = await run(2, (i) => ({ resource: 'folder', operation: 'create', folderPath: paths[i], ifExists: 'returnExisting' }));
		expect(existing.map((item) => item.json.path_display)).toEqual(paths);
		expect(existing[0].json.id).toEqual(expect.stringMatching(/^id:/));
		expect(calls('files/get_metadata')).toBe(1);
		const strict = await run(2, (i) => ({ resource: 'folder', operation: 'create', folderPath: paths[i], ifExists: 'error' }), true);
		expect(strict[0].json).toMatchObject({ tag: 'path/conflict/folder', path: '/Reports/2023' });
		expect(strict[1].json).toMatchObject({ tag: 'path/conflict/folder', path: '/Reports/2024' });
	});

	it('creates one folder through files/create_folder_v2 with Batch Size 1, autorenaming', async () => {
		emu.seedFolder('/Reports');
		const out = await run(1, () => ({
			resource: 'folder',
			operation: 'create',
			folderPath: '/Reports',
			options: { autorename: true, batchSize: 1 },
		}));
		expect(out[0].json.path_display).toBe('/Reports (1)');
		expect(calls('files/create_folder_v2')).toBe(1);
	});

	it('copies, renames and deletes folders in batches', async () => {
		await seedFiles(2, '/a');
		await seedFiles(2, '/b');
		const folders = ['/a', '/b'];
		const copies = await run(2, (i) => ({
			resource: 'folder',
			operation: 'copy',
			folder: locator(folders[i]),
			destination: 'path',
			destinationPath: `/backup${folders[i]}`,
		}));
		expect(copies.map((item) => item.json.path_display)).toEqual(['/backup/a', '/backup/b']);
		expect(await exists('/backup/b/f0001.txt')).toBe(true);
		const renamed = await run(2, (i) => ({
			resource: 'folder',
			operation: 'move',
			folder: locator(folders[i]),
			destination: 'rename',
			newName: `${folders[i].slice(1)}-old`,
		}));
		expect(renamed.map((item) => item.json.path_display)).toEqual(['/a-old', '/b-old']);
		const deleted = await run(2, (i) => ({ resource: 'folder', operation: 'delete', folder: locator(`${folders[i]}-old`) }));
		expect(deleted.map((item) => item.json['.tag'])).toEqual(['folder', 'folder']);
		expect(await exists('/a-old')).toBe(false);
		expect(calls('files/copy_batch_v2')).toBe(1);
		expect(calls('files/move_batch_v2')).toBe(1);
		expect(calls('files/delete_batch')).toBe(1);
	});
});

describe('Batch Size 1: one single-route call per item', () => {
	const cases: Array<[string, string, string, (i: number) => IDataObject, (i: number) => string]> = [
		['file', 'copy', 'files/copy_v2', (i) => ({ file: locator(`/in/f000${i}.txt`), destination: 'path', destinationPath: `/c/${i}.txt` }), (i) => `/c/${i}.txt`],
		['file', 'move', 'files/move_v2', (i) => ({ file: locator(`/in/f000${i}.txt`), destination: 'rename', newName: `r${i}.txt` }), (i) => `/in/r${i}.txt`],
		['file', 'delete', 'files/delete_v2', (i) => ({ file: locator(`/in/f000${i}.txt`) }), (i) => `/in/f000${i}.txt`],
		['folder', 'copy', 'files/copy_v2', (i) => ({ folder: locator(`/d${i}`), destination: 'folder', destinationFolder: locator('/c') }), (i) => `/c/d${i}`],
		['folder', 'move', 'files/move_v2', (i) => ({ folder: locator(`/d${i}`), destination: 'path', destinationPath: `/m/d${i}` }), (i) => `/m/d${i}`],
		['folder', 'delete', 'files/delete_v2', (i) => ({ folder: locator(`/d${i}`) }), (i) => `/d${i}`],
		['folder', 'create', 'files/create_folder_v2', (i) => ({ folderPath: `/new${i}` }), (i) => `/new${i}`],
	];
	it.each(cases)('%s %s uses %s', async (resource, operation, single, params, expected) => {
		await seedFiles(2);
		await seedFiles(1, '/d0');
		await seedFiles(1, '/d1');
		emu.resetCalls();
		const out = await run(2, (i) => ({ resource, operation, ...params(i), options: { batchSize: 1 } }));
		expect(out.map((item) => item.json.path_display)).toEqual([expected(0), expected(1)]);
		expect(calls(single)).toBe(2);
		expect(emu.calls().total).toBe(2);
	});
});

describe('case-only renames (move_v2 / move_batch_v2 do not do them): two moves through a temporary name', () => {
	const metadataOf = async (path: string) =>
		(await (
			await fetch(`${emu.url}/2/files/get_metadata`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ path }),
			})
		).json()) as { id: string; path_display: string };

	it('renames files and folders case-only in batches: one move_batch_v2 to the temporary names, one on to the new names; IDs kept', async () => {
		await emu.seedFile('/case/Foo.txt', 'foo');
		await emu.seedFile('/case/bar.txt', 'bar');
		await emu.seedFile('/case/other.txt', 'other');
		await emu.seedFile('/case/Dir/inner.txt', 'inner');
		await emu.seedFile('/case/docs/inner.txt', 'inner');
		const ids = await Promise.all(['/case/Foo.txt', '/case/bar.txt', '/case/Dir', '/case/docs'].map(async (path) => (await metadataOf(path)).id));
		emu.resetCalls();
		const files = await run(3, (i) => ({
			resource: 'file', operation: 'move', file: locator(['/case/Foo.txt', '/case/bar.txt', '/case/other.txt'][i]), destination: 'rename', newName: ['FOO.txt', 'Bar.TXT', 'moved.txt'][i],
		}));
		expect(files.map((item) => item.json.path_display)).toEqual(['/case/FOO.txt', '/case/Bar.TXT', '/case/moved.txt']);
		expect(files.slice(0, 2).map((item) => item.json.id)).toEqual(ids.slice(0, 2));
		expect(calls('files/move_batch_v2')).toBe(2);
		const folders = await run(2, (i) => ({ resource: 'folder', operation: 'move', folder: locator(['/case/Dir', '/case/docs'][i]), destination: 'rename', newName: ['DIR', 'Docs'][i] }));
		expect(folders.map((item) => item.json.path_display)).toEqual(['/case/DIR', '/case/Docs']);
		expect(folders.map((item) => item.json.id)).toEqual(ids.slice(2));
		expect(calls('files/move_batch_v2')).toBe(4);
		expect(calls('files/move_v2')).toBe(0);
		expect((await metadataOf('/case/foo.txt')).path_display).toBe('/case/FOO.txt');
		expect((await metadataOf('/case/docs/inner.txt')).path_display).toBe('/case/Docs/inner.txt');
		const names = (await run(1, () => ({ resource: 'folder', operation: 'list', folder: locator('/case'), returnAll: true }))).map((item) => item.json.name);
		expect(names.sort()).toEqual(['Bar.TXT', 'DIR', 'Docs', 'FOO.txt', 'moved.txt']);
	});

	it('with Batch Size 1: two move_v2 calls; a file given by ID to a full path in another case', async () => {
		await emu.seedFile('/case1/Report.pdf', 'pdf');
		const { id } = await metadataOf('/case1/Report.pdf');
		emu.resetCalls();
		const out = await run(1, () => ({
			resource: 'file', operation: 'move', file: locator(id.slice(3), 'id'), destination: 'path', destinationPath: '/case1/report.PDF', options: { batchSize: 1 },
		}));
		expect(out[0].json).toMatchObject({ id, path_display: '/case1/report.PDF' });
		expect(calls('files/move_v2')).toBe(2);
		expect(calls('files/get_metadata')).toBe(1);
	});

	it('when the second move fails, moves the item back to its old name and says so', async () => {
		await emu.seedFile('/case2/Plan.md', 'plan');
		await emu.seedFile('/case2/blocker.txt', 'a file in the way');
		const test = await createExecuteContext({
			emulatorUrl: emu.url,
			accessToken: TOKEN,
			parameters: { authentication: 'oAuth2', resource: 'file', operation: 'move', file: locator('/case2/Plan.md'), destination: 'rename', newName: 'PLAN.md', options: { batchSize: 1 } },
		});
		// the second move (from the temporary name) is sent under a file, so Dropbox refuses it (to/conflict/file_ancestor)
		const helpers = test.ctx.helpers as unknown as { httpRequestWithAuthentication: (type: string, request: IHttpRequestOptions) => Promise<unknown> };
		const send = helpers.httpRequestWithAuthentication;
		let fromTemp = 0;
		helpers.httpRequestWithAuthentication = async (type, request) => {
			const body = typeof request.body === 'string' && request.url.endsWith('/files/move_v2') ? JSON.parse(request.body) : undefined;
			if (body && /\.tmp$/.test(body.from_path) && fromTemp++ === 0) request = { ...request, body: JSON.stringify({ ...body, to_path: '/case2/blocker.txt/PLAN.md' }) };
			return await send(type, request);
		};
		const error = await failure(route.call(test.ctx));
		expect(error.message).toContain('to/conflict/file_ancestor');
		expect(error.description).toMatch(/^Dropbox does not rename case-only, so the node moved "\/case2\/Plan\.md" to "\/case2\/Plan\.md\.[0-9a-f]{12}\.tmp" first; moving it on to "\/case2\/PLAN\.md" failed\. It is back at "\/case2\/Plan\.md"\./);
		expect((await metadataOf('/case2/plan.md')).path_display).toBe('/case2/Plan.md');
		const names = (await run(1, () => ({ resource: 'folder', operation: 'list', folder: locator('/case2'), returnAll: true }))).map((item) => item.json.name);
		expect(names.sort()).toEqual(['Plan.md', 'blocker.txt']);
	});
});

describe('without Continue On Fail, a failure stops the sending (issue 16, defect 2)', () => {
	/** Five items; item 2 fails (its source is missing, or its folder exists). */
	const cases: Array<[string, string, string, string, (i: number) => IDataObject, (i: number) => string]> = [
		['file', 'copy', 'files/copy_v2', 'files/copy_batch_v2', (i) => ({ file: locator(i === 2 ? '/in/missing.txt' : `/in/f000${i}.txt`), destination: 'path', destinationPath: `/c/${i}.txt` }), (i) => `/c/${i}.txt`],
		['file', 'move', 'files/move_v2', 'files/move_batch_v2', (i) => ({ file: locator(i === 2 ? '/in/missing.txt' : `/in/f000${i}.txt`), destination: 'folder', destinationFolder: locator('/m') }), (i) => `/m/f000${i}.txt`],
		['file', 'delete', 'files/delete_v2', 'files/delete_batch', (i) => ({ file: locator(i === 2 ? '/in/missing.txt' : `/in/f000${i}.txt`) }), (i) => `/in/f000${i}.txt`],
		['folder', 'create', 'files/create_folder_v2', 'files/create_folder_batch', (i) => ({ folderPath: i === 2 ? '/taken' : `/new${i}` }), (i) => `/new${i}`],
	];
	/** Whether item i's change happened in Dropbox. */
	const changed = async (operation: string, target: (i: number) => string, i: number) =>
		operation === 'delete' ? !(await exists(target(i))) : await exists(target(i));

	beforeEach(async () => {
		await seedFiles(5);
		emu.seedFolder('/taken');
		emu.resetCalls();
	});

	it.each(cases)('%s %s, Batch Size 1: items after the failing one are not sent, and the error lists what was done', async (resource, operation, single, _batch, params, target) => {
		const error = await failure(run(5, (i) => ({ resource, operation, ...params(i), options: { batchSize: 1 } })));
		expect(calls(single)).toBe(3);
		expect(emu.calls().total).toBe(3);
		for (const i of [0, 1]) expect(await changed(operation, target, i)).toBe(true);
		for (const i of [3, 4]) expect(await changed(operation, target, i)).toBe(false);
		expect(error.context).toMatchObject({ itemIndex: 2, itemsDone: [0, 1], itemsNotSent: [3, 4] });
		expect(error.description).toContain('The step stopped at item 2 (Continue On Fail is off). Already done in Dropbox, and not undone: items 0, 1. Not sent: items 3, 4.');
	});

	it.each(cases)('%s %s, Batch Size 2: later batches are not sent, and the error lists what was done', async (resource, operation, _single, batch, params, target) => {
		const error = await failure(run(5, (i) => ({ resource, operation, ...params(i), options: { batchSize: 2 } })));
		// batches [0, 1], [2, 3], [4]: the second holds the failure, the third is never sent
		expect(calls(batch)).toBe(2);
		for (const i of [0, 1, 3]) expect(await changed(operation, target, i)).toBe(true);
		expect(await changed(operation, target, 4)).toBe(false);
		expect(error.context).toMatchObject({ itemIndex: 2, itemsDone: [0, 1, 3], itemsNotSent: [4] });
		expect(error.description).toContain('Already done in Dropbox, and not undone: items 0, 1, 3. Not sent: item 4.');
	});

	it('a failed ID lookup stops the step before anything is changed', async () => {
		const meta = (await (
			await fetch(`${emu.url}/2/files/get_metadata`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ path: '/in/f0000.txt' }),
			})
		).json()) as { id: string };
		emu.resetCalls();
		const ids = [meta.id, 'id:doesNotExist000', meta.id.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))];
		const error = await failure(
			run(3, (i) => ({ resource: 'file', operation: 'copy', file: locator(ids[i], 'id'), destination: 'folder', destinationFolder: locator('/out') })),
		);
		expect(error.message).toBe('Not found in Dropbox (path/not_found at "id:doesNotExist000")');
		expect(error.context).toMatchObject({ itemIndex: 1, itemsDone: [], itemsNotSent: [0, 2] });
		expect(error.description).toContain('No other item was changed in Dropbox.');
		expect(calls('files/copy_batch_v2')).toBe(0);
		expect(calls('files/get_metadata')).toBe(2);
		expect(await exists('/out/f0000.txt')).toBe(false);
	});

	it('an outcome turned into a success (If It Exists: Return Existing Folder) does not stop the step', async () => {
		const out = await run(3, (i) => ({ resource: 'folder', operation: 'create', folderPath: ['/a', '/taken', '/b'][i], ifExists: 'returnExisting', options: { batchSize: 1 } }));
		expect(out.map((item) => item.json.path_display)).toEqual(['/a', '/taken', '/b']);
		expect(calls('files/create_folder_v2')).toBe(3);
	});

	it('with Continue On Fail every item is still sent and gets its own result', async () => {
		const out = await run(5, (i) => ({ resource: 'file', operation: 'delete', file: locator(i === 2 ? '/in/missing.txt' : `/in/f000${i}.txt`), options: { batchSize: 1 } }), true);
		expect(calls('files/delete_v2')).toBe(5);
		expect(out[2].json.tag).toBe('path_lookup/not_found');
		expect(out[2].json.description).not.toContain('stopped');
		expect(out[4].json.path_display).toBe('/in/f0004.txt');
	});
});
