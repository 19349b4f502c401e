/**
 * Fidelity gaps reported by the emulator's users, each checked against the official SDK's types
 * (node_modules/dropbox/types/dropbox_types.d.ts) and driven through the official `dropbox` SDK
 * where the route exists there.
 */
import * as http from 'node:http';
import { Dropbox, files } from 'dropbox';
import { startEmulator, Emulator } from '../../sandbox/emulator';
import { raw, sdk, sdkError } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */
let emu: Emulator;
let dbx: Dropbox;
const TOKEN = 'fidelity-token';

beforeAll(async () => {
	emu = await startEmulator({ accessToken: TOKEN });
	emu.state.jobFirstCheckInProgress = false;
	dbx = sdk(emu.url, TOKEN);
});
afterAll(() => emu.close());
afterEach(() => emu.setFaults({ replace: true }));

const up = (path: string, data: string | Buffer, extra: Record<string, unknown> = {}) =>
	dbx.filesUpload({ path, contents: Buffer.from(data), ...extra } as any).then((r) => r.result as any);
const admin = (path: string, body?: unknown, method = 'POST') =>
	raw(emu.url, '/__admin/' + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });

async function poll<T>(check: () => Promise<{ result: any }>): Promise<T> {
	for (let i = 0; i < 20; i++) {
		const r = (await check()).result;
		if (r['.tag'] !== 'in_progress') return r;
		await new Promise((res) => setTimeout(res, 20));
	}
	throw new Error('job never completed');
}

describe('batch job result shapes', () => {
	test('copy_batch_v2: failure entries are RelocationBatchErrorEntry (relocation_error nested)', async () => {
		await up('/rb/a.txt', 'a');
		await up('/rb/taken.txt', 't');
		const l = (await dbx.filesCopyBatchV2({ entries: [
			{ from_path: '/rb/a.txt', to_path: '/rb/copy.txt' },
			{ from_path: '/rb/missing.txt', to_path: '/rb/x.txt' },
			{ from_path: '/rb/a.txt', to_path: '/rb/taken.txt' },
		] })).result as files.RelocationBatchV2Launch;
		expect(l['.tag']).toBe('async_job_id');
		const r = await poll<files.RelocationBatchV2JobStatus>(() => dbx.filesCopyBatchCheckV2({ async_job_id: (l as any).async_job_id }));
		expect(r['.tag']).toBe('complete');
		const entries = (r as files.RelocationBatchV2JobStatusComplete).entries;
		expect(entries[0]).toMatchObject({ '.tag': 'success', success: { '.tag': 'file', path_display: '/rb/copy.txt' } });
		expect(entries[1]).toEqual({ '.tag': 'failure', failure: { '.tag': 'relocation_error', relocation_error: { '.tag': 'from_lookup', from_lookup: { '.tag': 'not_found' } } } });
		expect(entries[2]).toEqual({ '.tag': 'failure', failure: { '.tag': 'relocation_error', relocation_error: { '.tag': 'to', to: { '.tag': 'conflict', conflict: { '.tag': 'file' } } } } });
	});
	test('move_batch_v2 with one entry completes synchronously with the same shapes', async () => {
		const r = (await dbx.filesMoveBatchV2({ entries: [{ from_path: '/rb/nope', to_path: '/rb/nope2' }] })).result as any;
		expect(r).toEqual({ '.tag': 'complete', entries: [{ '.tag': 'failure', failure: { '.tag': 'relocation_error', relocation_error: { '.tag': 'from_lookup', from_lookup: { '.tag': 'not_found' } } } }] });
	});
	test('too_many_write_operations as a per-entry failure in every batch (fault script and share)', async () => {
		await up('/wc/a.txt', 'a');
		await up('/wc/b.txt', 'b');
		emu.setFaults({ script: [{ route: 'files/copy_batch_v2', kind: 'entry_contention', count: 1 }] });
		const l = (await dbx.filesCopyBatchV2({ entries: [{ from_path: '/wc/a.txt', to_path: '/wc2/a.txt' }, { from_path: '/wc/b.txt', to_path: '/wc2/b.txt' }] })).result as any;
		const c = await poll<any>(() => dbx.filesCopyBatchCheckV2({ async_job_id: l.async_job_id }));
		expect(c.entries[0]).toEqual({ '.tag': 'failure', failure: { '.tag': 'too_many_write_operations' } });
		expect(c.entries[1]['.tag']).toBe('success');
		// a scripted entry fault does not fail the request itself
		expect((await dbx.usersGetCurrentAccount()).status).toBe(200);

		emu.setFaults({ rateEntryContention: 1 });
		const d = (await dbx.filesDeleteBatch({ entries: [{ path: '/wc/a.txt' }] })).result as any;
		expect(d).toEqual({ '.tag': 'complete', entries: [{ '.tag': 'failure', failure: { '.tag': 'too_many_write_operations' } }] });
		const f = (await dbx.filesCreateFolderBatch({ paths: ['/wc/new'] })).result as any;
		expect(f.entries[0]).toEqual({ '.tag': 'failure', failure: { '.tag': 'path', path: { '.tag': 'too_many_write_operations' } } });
		const m = (await dbx.filesMoveBatchV2({ entries: [{ from_path: '/wc/b.txt', to_path: '/wc3/b.txt' }] })).result as any;
		expect(m.entries[0].failure).toEqual({ '.tag': 'too_many_write_operations' });
		const s = (await dbx.filesUploadSessionStart({ close: true, contents: Buffer.from('z') })).result;
		const fb = (await dbx.filesUploadSessionFinishBatchV2({ entries: [{ cursor: { session_id: s.session_id, offset: 1 }, commit: { path: '/wc/z.txt' } }] })).result as any;
		expect(fb.entries[0]).toEqual({ '.tag': 'failure', failure: { '.tag': 'too_many_write_operations' } });
		emu.setFaults({ replace: true });
		// nothing was written by the failed entries; a retry succeeds
		expect((await sdkError(dbx.filesGetMetadata({ path: '/wc/new' }))).error.error.path['.tag']).toBe('not_found');
		const retry = (await dbx.filesDeleteBatch({ entries: [{ path: '/wc/a.txt' }] })).result as any;
		expect(retry.entries[0]).toMatchObject({ '.tag': 'success', metadata: { '.tag': 'file', name: 'a.txt' } });
		const fault = (await admin('faults', undefined, 'GET')).json();
		expect(fault.injected.entry_contention).toBeGreaterThanOrEqual(5);
	});
	test('delete_batch / create_folder_batch entry shapes (DeleteBatchResultEntry, CreateFolderBatchResultEntry)', async () => {
		await up('/sh/a.txt', 'a');
		const d = (await dbx.filesDeleteBatch({ entries: [{ path: '/sh/a.txt' }, { path: '/sh/none' }] })).result as any;
		const dr = await poll<any>(() => dbx.filesDeleteBatchCheck({ async_job_id: d.async_job_id }));
		expect(Object.keys(dr.entries[0]).sort()).toEqual(['.tag', 'metadata']);
		expect(dr.entries[0].metadata['.tag']).toBe('file');
		expect(dr.entries[1]).toEqual({ '.tag': 'failure', failure: { '.tag': 'path_lookup', path_lookup: { '.tag': 'not_found' } } });
		const c = (await dbx.filesCreateFolderBatch({ paths: ['/sh/f1', '/sh/f2'] })).result as any;
		const cr = await poll<any>(() => dbx.filesCreateFolderBatchCheck({ async_job_id: c.async_job_id }));
		expect(Object.keys(cr.entries[0]).sort()).toEqual(['.tag', 'metadata']);
		expect(cr.entries[0].metadata['.tag']).toBeUndefined(); // FolderMetadata is a struct here
	});
});

describe('cursor expiry (admin)', () => {
	test('POST /__admin/cursors/expire and emu.expireCursors(): continue answers reset, files stay', async () => {
		await up('/ce/a.txt', 'a');
		const c1 = (await dbx.filesListFolder({ path: '/ce' })).result.cursor;
		expect((await admin('cursors/expire', {})).status).toBe(200);
		const e = await sdkError(dbx.filesListFolderContinue({ cursor: c1 }));
		expect(e.status).toBe(409);
		expect(e.error.error['.tag']).toBe('reset');
		const again = (await dbx.filesListFolder({ path: '/ce' })).result;
		expect(again.entries.map((x) => x.name)).toEqual(['a.txt']);
		emu.expireCursors();
		const lp = await sdkError(sdk(emu.url, '').filesListFolderLongpoll({ cursor: again.cursor }));
		expect(lp.error.error['.tag']).toBe('reset');
	});
	test('a pending longpoll wakes up when cursors expire; the continue then answers reset', async () => {
		await dbx.filesCreateFolderV2({ path: '/ce2' });
		const { cursor } = (await dbx.filesListFolderGetLatestCursor({ path: '/ce2' })).result;
		const p = sdk(emu.url, '').filesListFolderLongpoll({ cursor, timeout: 30 });
		await new Promise((r) => setTimeout(r, 100));
		emu.expireCursors();
		expect((await p).result.changes).toBe(true);
		expect((await sdkError(dbx.filesListFolderContinue({ cursor }))).error.error['.tag']).toBe('reset');
	});
});

describe('in-process seeding fires webhooks', () => {
	test('emu.seedFile / emu.seedFolder notify like POST /__admin/seed', async () => {
		const got: string[] = [];
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				got.push(Buffer.concat(chunks).toString());
				res.end();
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		const hook = `http://127.0.0.1:${(server.address() as any).port}/hook`;
		const wait = async (n: number) => {
			for (let i = 0; i < 100 && got.length < n; i++) await new Promise((r) => setTimeout(r, 20));
		};
		try {
			await admin('apps', { appKey: 'sandbox-app-key', webhookUrl: hook });
			await emu.seedFile('/hooks/seeded.txt', 'x');
			await wait(1);
			expect(got.length).toBe(1);
			expect(JSON.parse(got[0]).list_folder.accounts).toEqual([emu.accountId]);
			emu.seedFolder('/hooks/dir');
			await wait(2);
			expect(got.length).toBe(2);
			await admin('seed', { folders: ['/hooks/dir2'] });
			await wait(3);
			expect(got.length).toBe(3);
			// seeding what already exists changes nothing and sends nothing
			emu.seedFolder('/hooks/dir');
			await new Promise((r) => setTimeout(r, 200));
			expect(got.length).toBe(3);
		} finally {
			await admin('apps', { appKey: 'sandbox-app-key', webhookUrl: null });
			server.close();
		}
	});
	test('emu.seedFile wakes a pending longpoll', async () => {
		emu.seedFolder('/lps');
		const { cursor } = (await dbx.filesListFolderGetLatestCursor({ path: '/lps' })).result;
		const p = sdk(emu.url, '').filesListFolderLongpoll({ cursor, timeout: 30 });
		await new Promise((r) => setTimeout(r, 100));
		await emu.seedFile('/lps/new.txt', 'n');
		expect((await p).result.changes).toBe(true);
	});
});
