import { randomBytes } from 'node:crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../nodes/DropboxPlus/actions/router';
import { contentHash } from '../../nodes/shared/contentHash';
import type { Emulator } from '../../sandbox/emulator';
import { createExecuteContext } from '../support/executeContext';
import { TOKEN, emulator, failure } from './run';

/**
 * File → Upload with If Unchanged "Skip": the file at each path is looked up (get_metadata, or
 * one list_folder for many items to one folder) and the local bytes hashed, streamed from n8n's
 * binary store; an identical file is not sent. Bytes sent are counted by the emulator.
 */

const MIB = 1024 * 1024;
let emu: Emulator;

beforeAll(async () => {
	emu = await emulator();
});
afterAll(async () => emu.close());
beforeEach(() => {
	emu.reset();
	emu.resetCalls();
	emu.setFaults({ replace: true });
});

/** File → Upload of one item per buffer (binary field "data" in the filesystem store), If Unchanged Skip unless `parameters` says otherwise. */
async function upload(files: Buffer[], parameters: (itemIndex: number) => IDataObject, continueOnFail = false): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = files.map((_, index) => ({ json: { index } }));
	const test = await createExecuteContext({
		emulatorUrl: emu.url,
		accessToken: TOKEN,
		parameters: (itemIndex) => {
			const own = parameters(itemIndex);
			return { authentication: 'oAuth2', resource: 'file', operation: 'upload', destination: 'path', mode: 'overwrite', ...own, options: { ifUnchanged: 'skip', ...(own.options as IDataObject) } };
		},
		items,
		continueOnFail,
	});
	for (const [index, data] of files.entries()) items[index].binary = { data: await test.storeBinary(data, `f${index}.bin`) };
	const [out] = await route.call(test.ctx);
	return out;
}

const calls = () => emu.calls().byRoute;
const sentBytes = () => emu.calls().uploadedBytes;
const pathOf = (i: number, folder = '/sync') => `${folder}/f${String(i).padStart(3, '0')}.bin`;

async function seed(folder: string, files: Buffer[]): Promise<void> {
	for (const [i, data] of files.entries()) await emu.seedFile(pathOf(i, folder), data);
	emu.resetCalls();
}

describe('File → Upload, If Unchanged: Skip', () => {
	it('sends nothing for a file Dropbox already holds: one get_metadata, the existing file marked unchanged', async () => {
		const data = randomBytes(3000);
		await seed('/sync', [data]);
		const [item] = await upload([data], () => ({ filePath: '/SYNC/F000.bin' }));
		expect(item.json).toMatchObject({ path_display: pathOf(0), size: 3000, content_hash: contentHash(data), unchanged: true });
		expect(item.json['.tag']).toBeUndefined();
		expect(calls()).toEqual({ 'files/get_metadata': 1 });
		expect(sentBytes()).toBe(0);
	});

	it('hashes a 9 MiB file from the binary store (three 4 MiB blocks) and sends none of it when it is unchanged', async () => {
		const data = randomBytes(9 * MIB + 7);
		await seed('/sync', [data]);
		const [item] = await upload([data], () => ({ filePath: pathOf(0) }));
		expect(item.json).toMatchObject({ unchanged: true, size: data.length });
		expect(sentBytes()).toBe(0);
	});

	it('uploads a changed file (same size, other bytes) and a new one, marked unchanged: false', async () => {
		const old = randomBytes(5000);
		await seed('/sync', [old]);
		const changed = Buffer.from(old);
		changed[4999] ^= 1;
		const fresh = randomBytes(700);
		const out = await upload([changed, fresh], (i) => ({ filePath: pathOf(i), options: { batchSize: 1 } }));
		expect(out.map((item) => item.json)).toMatchObject([
			{ path_display: pathOf(0), content_hash: contentHash(changed), unchanged: false },
			{ path_display: pathOf(1), content_hash: contentHash(fresh), unchanged: false },
		]);
		expect(calls()).toEqual({ 'files/get_metadata': 2, 'files/upload': 2 });
		expect(sentBytes()).toBe(5000 + 700);
	});

	it('uploads a local file larger than the one in Dropbox (read only up to its size to tell)', async () => {
		await seed('/sync', [randomBytes(10)]);
		const bigger = randomBytes(MIB);
		const [item] = await upload([bigger], () => ({ filePath: pathOf(0) }));
		expect(item.json).toMatchObject({ unchanged: false, content_hash: contentHash(bigger) });
		expect(sentBytes()).toBe(MIB);
	});

	it('a mixed batch to one folder: one list_folder finds every item, only the changed and new files are sent and committed together', async () => {
		const old = Array.from({ length: 6 }, () => randomBytes(4096));
		await seed('/sync', old);
		const local = [...old.slice(0, 4), randomBytes(4096), randomBytes(4096), randomBytes(1000), randomBytes(2000)];
		const out = await upload(local, (i) => ({ filePath: pathOf(i) }));
		expect(out.map((item) => item.json.unchanged)).toEqual([true, true, true, true, false, false, false, false]);
		out.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({ path_display: pathOf(i), content_hash: contentHash(local[i]) });
		});
		expect(calls()).toEqual({ 'files/list_folder': 1, 'files/upload_session/start': 4, 'files/upload_session/finish_batch_v2': 1 });
		expect(sentBytes()).toBe(4096 * 2 + 1000 + 2000);
	});

	it('items to a folder that does not exist yet: one list_folder says so, all are sent', async () => {
		const local = Array.from({ length: 3 }, () => randomBytes(100));
		const out = await upload(local, (i) => ({ filePath: pathOf(i, '/new') }));
		expect(out.map((item) => item.json.unchanged)).toEqual([false, false, false]);
		expect(calls()).toEqual({ 'files/list_folder': 1, 'files/upload_session/start': 3, 'files/upload_session/finish_batch_v2': 1 });
	});

	it('a few items in a large folder: lists at most half as many pages as items, then asks get_metadata for the rest', async () => {
		for (let i = 0; i < 4100; i++) emu.seedFolder(`/big/d${String(i).padStart(5, '0')}`);
		const data = [randomBytes(50), randomBytes(60), randomBytes(70), randomBytes(80)];
		await seed('/big', data);
		const out = await upload(data, (i) => ({ filePath: pathOf(i, '/big') }));
		expect(out.map((item) => item.json.unchanged)).toEqual([true, true, true, true]);
		// 4 items: at most 2 pages (of 2,000 entries; the files come after the 4,100 folders), then one get_metadata per item not found by then
		expect(calls()).toEqual({ 'files/list_folder': 1, 'files/list_folder/continue': 1, 'files/get_metadata': 4 });
		expect(sentBytes()).toBe(0);
	});

	it('items in different folders are looked up one by one with get_metadata', async () => {
		const a = randomBytes(100);
		await emu.seedFile('/one/a.bin', a);
		emu.resetCalls();
		const out = await upload([a, randomBytes(10)], (i) => ({ filePath: i === 0 ? '/one/a.bin' : '/two/b.bin' }));
		expect(out.map((item) => item.json.unchanged)).toEqual([true, false]);
		// the one file to send goes by itself
		expect(calls()).toEqual({ 'files/get_metadata': 2, 'files/upload': 1 });
	});

	it('a folder at the path is the item\'s clear error; the other items are still settled (Continue On Fail)', async () => {
		emu.seedFolder('/sync/f000.bin');
		const same = randomBytes(20);
		await emu.seedFile(pathOf(1), same);
		emu.resetCalls();
		const out = await upload([randomBytes(10), same], (i) => ({ filePath: pathOf(i) }), true);
		expect(out[0].json.error).toBe('A folder is at "/sync/f000.bin", where item 0\'s file would go');
		expect(out[1].json).toMatchObject({ unchanged: true });
		expect(sentBytes()).toBe(0);
	});

	it('without Continue On Fail a folder at the path stops the step before anything is sent', async () => {
		emu.seedFolder('/sync/f000.bin');
		emu.resetCalls();
		const error = await failure(upload([randomBytes(10)], () => ({ filePath: pathOf(0) })));
		expect(error.message).toBe('A folder is at "/sync/f000.bin", where item 0\'s file would go');
		expect(error.description).toMatch(/never replaces a folder/);
		expect(sentBytes()).toBe(0);
	});

	it('Text content equal to the file is not sent either', async () => {
		await emu.seedFile('/notes.txt', 'same words');
		emu.resetCalls();
		const [item] = await upload([Buffer.alloc(0)], () => ({ content: 'text', text: 'same words', filePath: '/notes.txt' }));
		expect(item.json).toMatchObject({ unchanged: true, path_display: '/notes.txt' });
		expect(sentBytes()).toBe(0);
	});

	it('Upload Anyway (the default) looks nothing up and sends the bytes again', async () => {
		const data = randomBytes(3000);
		await seed('/sync', [data]);
		const [item] = await upload([data], () => ({ filePath: pathOf(0), options: { ifUnchanged: 'upload' } }));
		expect(item.json.unchanged).toBeUndefined();
		expect(calls()).toEqual({ 'files/upload': 1 });
		expect(sentBytes()).toBe(3000);
	});

	it('refuses an If Unchanged value it does not know, naming the item and the field, before any call', async () => {
		const error = await failure(upload([randomBytes(5)], () => ({ filePath: pathOf(0), options: { ifUnchanged: 'maybe' } })));
		expect(error.message).toBe('The If Unchanged option of item 0 "maybe" is not "upload" or "skip"');
		expect(emu.calls().total).toBe(0);
	});
});
