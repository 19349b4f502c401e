import { randomBytes } from 'node:crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../nodes/DropboxPlus/actions/router';
import { contentHash } from '../../nodes/shared/contentHash';
import type { Emulator } from '../../sandbox/emulator';
import { createExecuteContext } from '../support/executeContext';
import { TOKEN, emulator, failure } from './run';

/**
 * File → Upload on many items: files sent in parallel into closed upload sessions and
 * committed together by `upload_session/finish_batch_v2`, each result on its own item.
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

/** Runs File → Upload on one item per buffer in `files` (binary field "data", filesystem store). */
async function uploadMany(
	files: Buffer[],
	parameters: (itemIndex: number) => IDataObject,
	continueOnFail = false,
): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = files.map((_, index) => ({ json: { index } }));
	const test = await createExecuteContext({
		emulatorUrl: emu.url,
		accessToken: TOKEN,
		parameters: (itemIndex) => ({ authentication: 'oAuth2', resource: 'file', operation: 'upload', destination: 'path', ...parameters(itemIndex) }),
		items,
		continueOnFail,
	});
	for (const [index, data] of files.entries()) items[index].binary = { data: await test.storeBinary(data, `f${index}.bin`) };
	const [out] = await route.call(test.ctx);
	return out;
}

async function contentOf(path: string): Promise<Buffer> {
	const response = await fetch(`${emu.url}/2/files/download`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${TOKEN}`, 'Dropbox-API-Arg': JSON.stringify({ path }) },
	});
	expect(response.status).toBe(200);
	return Buffer.from(await response.arrayBuffer());
}

async function namesIn(folder: string): Promise<string[]> {
	const response = await fetch(`${emu.url}/2/files/list_folder`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ path: folder, limit: 2000 }),
	});
	const page = (await response.json()) as { entries: Array<{ name: string }> };
	return page.entries.map((entry) => entry.name).sort();
}

const calls = () => emu.calls().byRoute;
const files = (count: number, size = 10 * 1024) => Array.from({ length: count }, () => randomBytes(size));
const pathOf = (i: number) => `/batch/f${String(i).padStart(3, '0')}.bin`;

describe('File → Upload of many items, committed in batches', () => {
	it('saves 200 files with one upload_session/start each and one finish_batch_v2, every result paired to its item', async () => {
		const data = files(200);
		const out = await uploadMany(data, (i) => ({ filePath: pathOf(i) }));
		expect(out).toHaveLength(200);
		out.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({ path_display: pathOf(i), size: data[i].length, content_hash: contentHash(data[i]) });
			expect(item.json['.tag']).toBeUndefined();
		});
		expect(calls()).toEqual({ 'files/upload_session/start': 200, 'files/upload_session/finish_batch_v2': 1 });
		expect((await contentOf(pathOf(7))).equals(data[7])).toBe(true);
		expect(await namesIn('/batch')).toHaveLength(200);
	});

	it('commits at most Batch Size files per call', async () => {
		await uploadMany(files(25), (i) => ({ filePath: pathOf(i), options: { batchSize: 10 } }));
		expect(calls()['files/upload_session/finish_batch_v2']).toBe(3);
		expect(await namesIn('/batch')).toHaveLength(25);
	});

	it('with Batch Size 1 saves each file by itself with files/upload', async () => {
		await uploadMany(files(5), (i) => ({ filePath: pathOf(i), options: { batchSize: 1, parallelUploads: 2 } }));
		expect(calls()).toEqual({ 'files/upload': 5 });
	});

	it('sends a file larger than a chunk through appends, closing the session with the last one', async () => {
		const data = [randomBytes(1000), randomBytes(9 * MIB + 5), randomBytes(2000)];
		const out = await uploadMany(data, (i) => ({ filePath: pathOf(i), options: { chunkSize: 4 } }));
		expect(out.map((item) => item.json.content_hash)).toEqual(data.map(contentHash));
		// the big one: a concurrent session (start without data, 3 appends, the last closing)
		expect(calls()).toEqual({ 'files/upload_session/start': 3, 'files/upload_session/append_v2': 3, 'files/upload_session/finish_batch_v2': 1 });
		expect((await contentOf(pathOf(1))).equals(data[1])).toBe(true);
	});

	it('gives a failed entry its own error item, worded like a single upload, and saves the others (Continue On Fail)', async () => {
		await emu.seedFile(pathOf(2), 'already here');
		const data = files(4);
		const out = await uploadMany(data, (i) => ({ filePath: pathOf(i) }), true);
		expect(out).toHaveLength(4);
		expect(out[2].json).toMatchObject({ tag: 'path/conflict/file', path: pathOf(2), status: 409 });
		expect(String(out[2].json.description)).toMatch(/already exists/);
		expect(out[2].pairedItem).toEqual({ item: 2 });
		for (const i of [0, 1, 3]) expect(out[i].json.content_hash).toBe(contentHash(data[i]));
		expect((await contentOf(pathOf(2))).toString()).toBe('already here');
	});

	it('says a file in mode Update is no longer at the revision given, on its own item of a batch', async () => {
		await emu.seedFile(pathOf(1), 'changed since');
		const out = await uploadMany(files(2), (i) => ({ filePath: pathOf(i), ...(i === 1 ? { mode: 'update', revision: '0123456789abc' } : {}) }), true);
		expect(out[1].json).toMatchObject({ tag: 'path/conflict/file', path: pathOf(1) });
		expect(out[1].json.description).toMatch(/no longer at revision 0123456789abc/);
		expect(out[0].json.path_display).toBe(pathOf(0));
	});

	it('without Continue On Fail, stops on the first failing entry with its error', async () => {
		await emu.seedFile(pathOf(1), 'already here');
		const error = await failure(uploadMany(files(3), (i) => ({ filePath: pathOf(i) })));
		expect(error.message).toMatch(new RegExp(pathOf(1).replace(/\//g, '\\/')));
		expect((error as { context?: IDataObject }).context?.itemIndex).toBe(1);
	});

	it('without Continue On Fail, one file at a time: stops sending at the failing file and says which files were saved (issue 16)', async () => {
		await emu.seedFile(pathOf(1), 'already here');
		emu.resetCalls();
		const error = await failure(uploadMany(files(4), (i) => ({ filePath: pathOf(i), options: { batchSize: 1, parallelUploads: 1 } })));
		expect(calls()['files/upload']).toBe(2);
		expect(await namesIn('/batch')).toEqual(['f000.bin', 'f001.bin']);
		expect((error as { context?: IDataObject }).context).toMatchObject({ itemIndex: 1, itemsDone: [0], itemsNotSent: [2, 3] });
		expect(error.description).toContain('Already done in Dropbox, and not undone: item 0. Not saved: items 2, 3.');
	});

	it('without Continue On Fail, in batches: later batches are not committed and the error says which files were saved (issue 16)', async () => {
		await emu.seedFile(pathOf(2), 'already here');
		emu.resetCalls();
		const error = await failure(uploadMany(files(5), (i) => ({ filePath: pathOf(i), options: { batchSize: 2, parallelUploads: 1 } })));
		expect(calls()['files/upload_session/finish_batch_v2']).toBe(2);
		expect(await namesIn('/batch')).toEqual(['f000.bin', 'f001.bin', 'f002.bin', 'f003.bin']);
		expect((error as { context?: IDataObject }).context).toMatchObject({ itemIndex: 2, itemsDone: [0, 1, 3], itemsNotSent: [4] });
		expect(error.description).toContain('Already done in Dropbox, and not undone: items 0, 1, 3. Not saved: item 4.');
	});

	it('refuses a bad item before anything is sent, and with Continue On Fail uploads the others', async () => {
		const data = files(3);
		const bad = (i: number) => ({ filePath: i === 1 ? '/batch/a\u0001b.bin' : pathOf(i) });
		const error = await failure(uploadMany(data, bad));
		expect(error.message).toMatch(/File Path .* contains a control character/);
		expect((error as { context?: IDataObject }).context?.itemIndex).toBe(1);
		expect(emu.calls().total).toBe(0);
		const out = await uploadMany(data, bad, true);
		expect(out[1].json.error).toMatch(/contains a control character/);
		expect(out[0].json.content_hash).toBe(contentHash(data[0]));
		expect(out[2].json.content_hash).toBe(contentHash(data[2]));
	});

	it('commits again the entries Dropbox refused for write contention, each file saved once', async () => {
		emu.setFaults({ replace: true, script: [{ kind: 'entry_contention', route: 'files/upload_session/finish_batch_v2', count: 3 }] });
		const data = files(6);
		const out = await uploadMany(data, (i) => ({ filePath: pathOf(i) }));
		expect(out.map((item) => item.json.content_hash)).toEqual(data.map(contentHash));
		expect(calls()['files/upload_session/finish_batch_v2']).toBe(2);
		expect(await namesIn('/batch')).toEqual(data.map((_, i) => pathOf(i).slice('/batch/'.length)));
	});

	it('when the commit\'s answer is lost, finds the files it saved instead of failing or saving them twice', async () => {
		emu.setFaults({ replace: true, script: [{ kind: 'drop_answer', route: 'files/upload_session/finish_batch_v2' }] });
		const data = files(5);
		const out = await uploadMany(data, (i) => ({ filePath: pathOf(i), options: { autorename: true } }));
		expect(out.map((item) => item.json.content_hash)).toEqual(data.map(contentHash));
		expect(out.map((item) => item.json.path_display)).toEqual(data.map((_, i) => pathOf(i)));
		expect(await namesIn('/batch')).toHaveLength(5);
		expect(calls()['files/upload_session/finish_batch_v2']).toBe(2);
	});

	it('refuses a Parallel Uploads option out of range on every item', async () => {
		const error = await failure(uploadMany(files(2), (i) => ({ filePath: pathOf(i), options: { parallelUploads: 0 } })));
		expect(error.message).toMatch(/Parallel Uploads option "0" is not a whole number from 1 to 32/);
		expect(emu.calls().total).toBe(0);
	});
});
