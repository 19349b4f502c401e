/**
 * Conformance: the official `dropbox` SDK (v10) drives the emulator through every route.
 * Where the SDK and the emulator disagree, the emulator is wrong.
 */
import { Dropbox } from 'dropbox';
import { startEmulator, Emulator } from '../../sandbox/emulator';
import { contentHash as contentHashOf } from '../../nodes/shared/contentHash';
import { raw, sdk, sdkAuth, sdkError } from './helpers';
import { apiSpec, SPEC_DIR } from '../../sandbox/spec/api';
import { THUMBNAIL_EXTENSIONS } from '../../sandbox/emulator/routes/thumbnails';
import { HTML_PREVIEW_EXTENSIONS, PDF_PREVIEW_EXTENSIONS } from '../../sandbox/emulator/routes/previews';
import * as nodeFormats from '../../nodes/shared/previewFormats';
import { encodeJpeg, encodePng } from '../../sandbox/emulator/images';
import { imageFacts } from '../support/imageFacts';

/* eslint-disable @typescript-eslint/no-explicit-any */
let emu: Emulator;
let dbx: Dropbox;
const TOKEN = 'conformance-token';

beforeAll(async () => {
	emu = await startEmulator({ accessToken: TOKEN });
	dbx = sdk(emu.url, TOKEN);
});
afterAll(() => emu.close());

const up = (path: string, data: string | Buffer, extra: Record<string, unknown> = {}) =>
	dbx.filesUpload({ path, contents: Buffer.from(data), ...extra } as any).then((r) => r.result as any);

async function pollJob<T>(check: () => Promise<{ result: any }>): Promise<T> {
	for (let i = 0; i < 20; i++) {
		const r = (await check()).result;
		if (r['.tag'] !== 'in_progress') return r;
		await new Promise((res) => setTimeout(res, 20));
	}
	throw new Error('job never completed');
}

describe('users', () => {
	test('get_current_account with root_info', async () => {
		const r = await dbx.usersGetCurrentAccount();
		expect(r.status).toBe(200);
		expect(r.result.account_id).toMatch(/^dbid:/);
		expect(r.result.root_info['.tag']).toBe('user');
		expect(r.result.root_info.root_namespace_id).toBe(r.result.root_info.home_namespace_id);
		expect(r.result.name.display_name).toBeTruthy();
	});
	test('get_space_usage counts stored bytes', async () => {
		const before = (await dbx.usersGetSpaceUsage()).result.used;
		await up('/space/one.bin', Buffer.alloc(1000));
		const r = (await dbx.usersGetSpaceUsage()).result;
		expect(r.used).toBe(before + 1000);
		expect(r.allocation['.tag']).toBe('individual');
	});
	test('invalid token → 401 invalid_access_token', async () => {
		const e = await sdkError(sdk(emu.url, 'nope').usersGetCurrentAccount());
		expect(e.status).toBe(401);
		expect(e.error.error['.tag']).toBe('invalid_access_token');
		expect(e.error.error_summary).toMatch(/^invalid_access_token\//);
	});
});

describe('upload & metadata', () => {
	test('upload returns FileMetadata; paths are case-insensitive and case-preserving', async () => {
		const m = await up('/Docs/Report.TXT', 'hello');
		expect(m).toMatchObject({ name: 'Report.TXT', path_lower: '/docs/report.txt', path_display: '/Docs/Report.TXT', size: 5, is_downloadable: true });
		expect(m.id).toMatch(/^id:/);
		expect(m.rev).toMatch(/^[0-9a-f]{9,}$/);
		expect(m.server_modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		const g = (await dbx.filesGetMetadata({ path: '/DOCS/report.txt' })).result as any;
		expect(g['.tag']).toBe('file');
		expect(g.path_display).toBe('/Docs/Report.TXT');
		const byId = (await dbx.filesGetMetadata({ path: m.id })).result as any;
		expect(byId.rev).toBe(m.rev);
		const byRev = (await dbx.filesGetMetadata({ path: `rev:${m.rev}` })).result as any;
		expect(byRev.content_hash).toBe(m.content_hash);
		const folder = (await dbx.filesGetMetadata({ path: '/docs' })).result as any;
		expect(folder['.tag']).toBe('folder');
		expect(folder.path_display).toBe('/Docs');
	});
	test('client_modified is kept', async () => {
		const m = await up('/cm.txt', 'x', { client_modified: '2020-01-02T03:04:05Z' });
		expect(m.client_modified).toBe('2020-01-02T03:04:05Z');
	});
	test('not_found, malformed_path, include_deleted', async () => {
		let e = await sdkError(dbx.filesGetMetadata({ path: '/missing/file' }));
		expect(e.status).toBe(409);
		expect(e.error.error).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
		expect(e.error.error_summary).toMatch(/^path\/not_found\//);
		e = await sdkError(dbx.filesGetMetadata({ path: '/bad/' }));
		expect(e.error.error.path['.tag']).toBe('malformed_path');
		e = await sdkError(dbx.filesGetMetadata({ path: 'relative' }));
		expect(e.status).toBe(400);
		expect(e.error).toMatch(/^Error in call to API function "files\/get_metadata"/);
		await up('/gone.txt', 'x');
		await dbx.filesDeleteV2({ path: '/gone.txt' });
		const d = (await dbx.filesGetMetadata({ path: '/gone.txt', include_deleted: true })).result as any;
		expect(d['.tag']).toBe('deleted');
	});
	test('conflicts: add, autorename, overwrite, update with rev, strict_conflict', async () => {
		const a = await up('/c/file.txt', 'one');
		// same content in add mode: no-op
		expect((await up('/c/file.txt', 'one')).rev).toBe(a.rev);
		let e = await sdkError(up('/c/file.txt', 'two'));
		expect(e.error.error['.tag']).toBe('path');
		expect(e.error.error.reason).toEqual({ '.tag': 'conflict', conflict: { '.tag': 'file' } });
		expect(typeof e.error.error.upload_session_id).toBe('string');
		const r1 = await up('/c/file.txt', 'two', { autorename: true });
		expect(r1.name).toBe('file (1).txt');
		const r2 = await up('/c/file.txt', 'three', { autorename: true });
		expect(r2.name).toBe('file (2).txt');
		const o = await up('/c/file.txt', 'over', { mode: { '.tag': 'overwrite' } });
		expect(o.id).toBe(a.id);
		expect(o.rev).not.toBe(a.rev);
		const u = await up('/c/file.txt', 'upd', { mode: { '.tag': 'update', update: o.rev } });
		expect(u.rev).not.toBe(o.rev);
		e = await sdkError(up('/c/file.txt', 'stale', { mode: { '.tag': 'update', update: o.rev } }));
		expect(e.error.error.reason.conflict['.tag']).toBe('file');
		await dbx.filesCreateFolderV2({ path: '/c/dir' });
		e = await sdkError(up('/c/dir', 'x'));
		expect(e.error.error.reason.conflict['.tag']).toBe('folder');
		e = await sdkError(up('/c/file.txt/child', 'x'));
		expect(e.error.error.reason.conflict['.tag']).toBe('file_ancestor');
		e = await sdkError(up('/c/never.txt', 'x', { mode: { '.tag': 'update', update: o.rev }, strict_conflict: true }));
		expect(e.error.error.reason.conflict['.tag']).toBe('file');
	});
	test('content_hash mismatch on upload is an error', async () => {
		const e = await sdkError(up('/hash-mismatch.txt', 'abc', { content_hash: '0'.repeat(64) }));
		expect(e.status).toBe(409);
		expect(e.error.error['.tag']).toBe('content_hash_mismatch');
	});
	test('non-ASCII names survive the header-safe round trip', async () => {
		const m = await up('/ünï/😀 café.txt', 'x');
		expect(m.path_display).toBe('/ünï/😀 café.txt');
		const d = (await dbx.filesDownload({ path: '/ÜNÏ/😀 CAFÉ.txt' })).result as any;
		expect(d.name).toBe('😀 café.txt');
		expect(d.fileBinary.toString()).toBe('x');
	});
});

describe('upload sessions', () => {
	test('sequential: start, append_v2, finish; incorrect_offset with correct_offset', async () => {
		const s = (await dbx.filesUploadSessionStart({ contents: Buffer.from('abc') } as any)).result.session_id;
		const e = await sdkError(dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 1 }, contents: Buffer.from('x') } as any));
		expect(e.error.error).toEqual({ '.tag': 'incorrect_offset', correct_offset: 3 });
		await dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 3 }, contents: Buffer.from('def') } as any);
		const fe = await sdkError(dbx.filesUploadSessionFinish({ cursor: { session_id: s, offset: 4 }, commit: { path: '/sess/a.txt' }, contents: Buffer.alloc(0) } as any));
		expect(fe.error.error).toEqual({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 6 } });
		const m = (await dbx.filesUploadSessionFinish({ cursor: { session_id: s, offset: 6 }, commit: { path: '/sess/a.txt' }, contents: Buffer.from('g') } as any)).result;
		expect(m.size).toBe(7);
		const d = (await dbx.filesDownload({ path: '/sess/a.txt' })).result as any;
		expect(d.fileBinary.toString()).toBe('abcdefg');
		const nf = await sdkError(dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 7 }, contents: Buffer.from('x') } as any));
		expect(nf.error.error['.tag']).toBe('not_found');
	});
	test('closed session refuses appends', async () => {
		const s = (await dbx.filesUploadSessionStart({ close: true, contents: Buffer.from('ab') } as any)).result.session_id;
		const e = await sdkError(dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 2 }, contents: Buffer.from('x') } as any));
		expect(e.error.error['.tag']).toBe('closed');
	});
	test('append content_hash mismatch is refused and rolled back', async () => {
		const s = (await dbx.filesUploadSessionStart({ contents: Buffer.from('ab') } as any)).result.session_id;
		const e = await sdkError(dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 2 }, contents: Buffer.from('cd'), content_hash: 'f'.repeat(64) } as any));
		expect(e.error.error['.tag']).toBe('content_hash_mismatch');
		await dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 2 }, contents: Buffer.from('CD') } as any);
		const m = (await dbx.filesUploadSessionFinish({ cursor: { session_id: s, offset: 4 }, commit: { path: '/sess/rollback.txt' } } as any)).result;
		expect(m.size).toBe(4);
		expect((await dbx.filesDownload({ path: '/sess/rollback.txt' })).result as any).toHaveProperty('fileBinary', Buffer.from('abCD'));
	});
	test('concurrent: 4 MiB rules, out-of-order appends, finish_batch_v2', async () => {
		const MiB4 = 4 * 1024 * 1024;
		const s = (await dbx.filesUploadSessionStart({ session_type: { '.tag': 'concurrent' }, contents: Buffer.alloc(0) } as any)).result.session_id;
		let e = await sdkError(dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 100 }, contents: Buffer.alloc(10) } as any));
		expect(e.error.error['.tag']).toBe('concurrent_session_invalid_offset');
		e = await sdkError(dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 0 }, contents: Buffer.alloc(10) } as any));
		expect(e.error.error['.tag']).toBe('concurrent_session_invalid_data_size');
		const p1 = Buffer.alloc(MiB4, 1);
		const p2 = Buffer.alloc(123, 2);
		await Promise.all([
			dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: MiB4 }, close: true, contents: p2 } as any),
			dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 0 }, contents: p1 } as any),
		]);
		const s2 = (await dbx.filesUploadSessionStart({ close: true, contents: Buffer.from('small') } as any)).result.session_id;
		const s3 = (await dbx.filesUploadSessionStart({ close: false, contents: Buffer.from('open') } as any)).result.session_id;
		const r = (await dbx.filesUploadSessionFinishBatchV2({
			entries: [
				{ cursor: { session_id: s, offset: MiB4 + 123 }, commit: { path: '/batch/big.bin' } },
				{ cursor: { session_id: s2, offset: 5 }, commit: { path: '/batch/small.txt' } },
				{ cursor: { session_id: s3, offset: 4 }, commit: { path: '/batch/open.txt' } },
				{ cursor: { session_id: 'pid_upload_session:nope', offset: 0 }, commit: { path: '/batch/nope.txt' } },
			],
		})).result as any;
		expect(r.entries[0]['.tag']).toBe('success');
		expect(r.entries[0].size).toBe(MiB4 + 123);
		expect(r.entries[1]).toMatchObject({ '.tag': 'success', name: 'small.txt', size: 5 });
		expect(r.entries[2]).toEqual({ '.tag': 'failure', failure: { '.tag': 'lookup_failed', lookup_failed: { '.tag': 'not_closed' } } });
		expect(r.entries[3].failure.lookup_failed['.tag']).toBe('not_found');
		const d = (await dbx.filesDownload({ path: '/batch/big.bin' })).result as any;
		expect(Buffer.compare(d.fileBinary, Buffer.concat([p1, p2]))).toBe(0);
	});
	test('concurrent: a resent part replaces the first, a resend with a wrong content_hash changes nothing; the file hashes as a whole', async () => {
		const MiB4 = 4 * 1024 * 1024;
		const s = (await dbx.filesUploadSessionStart({ session_type: { '.tag': 'concurrent' } } as any)).result.session_id;
		const first = Buffer.alloc(2 * MiB4, 7);
		const second = Buffer.alloc(2 * MiB4, 8);
		second[12345] = 9;
		const tail = Buffer.from('the end');
		// the tail first, then part 0 twice: the second send (other bytes) wins
		await dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 2 * MiB4 }, close: true, contents: tail } as any);
		await dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 0 }, contents: first } as any);
		await dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 0 }, contents: second, content_hash: contentHashOf(second) } as any);
		const e = await sdkError(dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 0 }, contents: first, content_hash: contentHashOf(second) } as any));
		expect(e.error.error['.tag']).toBe('content_hash_mismatch');
		const m = (await dbx.filesUploadSessionFinish({ cursor: { session_id: s, offset: 2 * MiB4 + tail.length }, commit: { path: '/sess/resent.bin' } } as any)).result as any;
		const whole = Buffer.concat([second, tail]);
		expect(m).toMatchObject({ size: whole.length, content_hash: contentHashOf(whole) });
		const d = (await dbx.filesDownload({ path: '/sess/resent.bin' })).result as any;
		expect(Buffer.compare(d.fileBinary, whole)).toBe(0);
	});
	test('sequential: appends on and off 4 MiB boundaries hash like the whole file', async () => {
		const MiB4 = 4 * 1024 * 1024;
		const parts = [Buffer.alloc(MiB4, 1), Buffer.alloc(MiB4 + 3, 2), Buffer.alloc(MiB4, 3), Buffer.alloc(MiB4 - 3, 4), Buffer.alloc(10, 5)];
		const s = (await dbx.filesUploadSessionStart({ contents: parts[0] } as any)).result.session_id;
		let offset = parts[0].length;
		for (const p of parts.slice(1, -1)) {
			await dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset }, contents: p, content_hash: contentHashOf(p) } as any);
			offset += p.length;
		}
		const last = parts[parts.length - 1];
		const m = (await dbx.filesUploadSessionFinish({ cursor: { session_id: s, offset }, commit: { path: '/sess/boundaries.bin' }, contents: last } as any)).result as any;
		const whole = Buffer.concat(parts);
		expect(m).toMatchObject({ size: whole.length, content_hash: contentHashOf(whole) });
	});
	test('concurrent finish with missing data', async () => {
		const s = (await dbx.filesUploadSessionStart({ session_type: { '.tag': 'concurrent' } } as any)).result.session_id;
		await dbx.filesUploadSessionAppendV2({ cursor: { session_id: s, offset: 8 * 1024 * 1024 }, close: true, contents: Buffer.from('tail') } as any);
		const e = await sdkError(dbx.filesUploadSessionFinish({ cursor: { session_id: s, offset: 8 * 1024 * 1024 + 4 }, commit: { path: '/x.bin' } } as any));
		expect(e.error.error['.tag']).toBe('concurrent_session_missing_data');
	});
	test('finish conflict is nested under path', async () => {
		await up('/sess/exists.txt', 'one');
		const s = (await dbx.filesUploadSessionStart({ contents: Buffer.from('two') } as any)).result.session_id;
		const e = await sdkError(dbx.filesUploadSessionFinish({ cursor: { session_id: s, offset: 3 }, commit: { path: '/sess/exists.txt' } } as any));
		expect(e.error.error).toEqual({ '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file' } } });
	});
});

describe('download', () => {
	test('bytes + Dropbox-API-Result, Range → 206', async () => {
		const m = await up('/dl/range.txt', '0123456789');
		const d = await dbx.filesDownload({ path: '/dl/range.txt' });
		expect((d.result as any).fileBinary.toString()).toBe('0123456789');
		expect((d.result as any).rev).toBe(m.rev);
		const r = await raw(emu.url, '/2/files/download', { headers: { Authorization: `Bearer ${TOKEN}`, 'Dropbox-API-Arg': '{"path":"/dl/range.txt"}', Range: 'bytes=2-4' } });
		expect(r.status).toBe(206);
		expect(r.text).toBe('234');
		expect(r.headers['content-range']).toBe('bytes 2-4/10');
		expect(JSON.parse(r.headers['dropbox-api-result'] as string).size).toBe(10);
		const tail = await raw(emu.url, '/2/files/download', { headers: { Authorization: `Bearer ${TOKEN}`, 'Dropbox-API-Arg': '{"path":"/dl/range.txt"}', Range: 'bytes=-3' } });
		expect(tail.text).toBe('789');
		const nm = await raw(emu.url, '/2/files/download', { headers: { Authorization: `Bearer ${TOKEN}`, 'Dropbox-API-Arg': '{"path":"/dl/range.txt"}', 'If-None-Match': m.rev } });
		expect(nm.status).toBe(304);
	});
	test('download errors: not_found, not_file', async () => {
		let e = await sdkError(dbx.filesDownload({ path: '/dl/none' }));
		expect(e.error.error).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
		e = await sdkError(dbx.filesDownload({ path: '/dl' }));
		expect(e.error.error.path['.tag']).toBe('not_file');
	});
	test('download_zip of a folder', async () => {
		await up('/zipme/a.txt', 'AAA');
		await up('/zipme/sub/b.txt', 'BB');
		const r = (await dbx.filesDownloadZip({ path: '/zipme' })).result as any;
		expect(r.metadata.name).toBe('zipme');
		const zip: Buffer = r.fileBinary;
		expect(zip.readUInt32LE(0)).toBe(0x04034b50);
		expect(zip.includes(Buffer.from('zipme/sub/b.txt'))).toBe(true);
		expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50);
		expect(zip.readUInt16LE(zip.length - 22 + 10)).toBe(4); // zipme/, a.txt, sub/, b.txt
	});
	test('get_temporary_link serves the bytes from the emulator', async () => {
		await up('/tmp/link.txt', 'temporary');
		const r = (await dbx.filesGetTemporaryLink({ path: '/tmp/link.txt' })).result;
		expect(r.metadata.name).toBe('link.txt');
		expect(r.link.startsWith(emu.url)).toBe(true);
		const got = await raw(r.link, '', { method: 'GET' });
		expect(got.status).toBe(200);
		expect(got.text).toBe('temporary');
	});
});

describe('folders, copy, move, delete', () => {
	test('create_folder_v2 + conflict + autorename', async () => {
		const r = (await dbx.filesCreateFolderV2({ path: '/Made/Deep' })).result;
		expect(r.metadata).toMatchObject({ name: 'Deep', path_display: '/Made/Deep' });
		expect((r.metadata as any)['.tag']).toBeUndefined();
		const e = await sdkError(dbx.filesCreateFolderV2({ path: '/made/deep' }));
		expect(e.error.error).toEqual({ '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'folder' } } });
		const a = (await dbx.filesCreateFolderV2({ path: '/made/deep', autorename: true })).result;
		expect(a.metadata.name).toBe('deep (1)');
	});
	test('copy_v2 / move_v2 keep content; move keeps the id', async () => {
		const f = await up('/mv/src.txt', 'payload');
		const c = (await dbx.filesCopyV2({ from_path: '/mv/src.txt', to_path: '/mv/copy.txt' })).result.metadata as any;
		expect(c['.tag']).toBe('file');
		expect(c.id).not.toBe(f.id);
		expect(c.content_hash).toBe(f.content_hash);
		const m = (await dbx.filesMoveV2({ from_path: '/mv/src.txt', to_path: '/mv/Moved/dst.txt' })).result.metadata as any;
		expect(m.id).toBe(f.id);
		expect(m.path_display).toBe('/mv/Moved/dst.txt');
		let e = await sdkError(dbx.filesMoveV2({ from_path: '/mv/src.txt', to_path: '/mv/x.txt' }));
		expect(e.error.error).toEqual({ '.tag': 'from_lookup', from_lookup: { '.tag': 'not_found' } });
		e = await sdkError(dbx.filesCopyV2({ from_path: '/mv/copy.txt', to_path: '/mv/Moved/dst.txt' }));
		expect(e.error.error).toEqual({ '.tag': 'to', to: { '.tag': 'conflict', conflict: { '.tag': 'file' } } });
		e = await sdkError(dbx.filesMoveV2({ from_path: '/mv', to_path: '/mv/inner/mv' }));
		expect(e.error.error['.tag']).toBe('cant_move_folder_into_itself');
		// folder move re-homes the children
		await dbx.filesMoveV2({ from_path: '/mv/Moved', to_path: '/mv2' });
		expect(((await dbx.filesGetMetadata({ path: '/mv2/dst.txt' })).result as any).id).toBe(f.id);
		// no case-only rename (move_v2: "we do not currently support case-only renaming"): see spec-mismatches.test.ts
		const rn = await sdkError(dbx.filesMoveV2({ from_path: '/mv2', to_path: '/MV2' }));
		expect(rn.error.error).toEqual({ '.tag': 'duplicated_or_nested_paths' });
	});
	test('delete_v2 with parent_rev', async () => {
		const f = await up('/del/a.txt', 'x');
		const e = await sdkError(dbx.filesDeleteV2({ path: '/del/a.txt', parent_rev: '0123456789' }));
		expect(e.error.error['.tag']).toBe('path_write');
		const r = (await dbx.filesDeleteV2({ path: '/del/a.txt', parent_rev: f.rev })).result.metadata as any;
		expect(r['.tag']).toBe('file');
		const e2 = await sdkError(dbx.filesDeleteV2({ path: '/del/a.txt' }));
		expect(e2.error.error).toEqual({ '.tag': 'path_lookup', path_lookup: { '.tag': 'not_found' } });
	});
});

describe('batches (async jobs)', () => {
	test('copy_batch_v2 / check_v2', async () => {
		await up('/b/1.txt', '1');
		await up('/b/2.txt', '2');
		const l = (await dbx.filesCopyBatchV2({ entries: [{ from_path: '/b/1.txt', to_path: '/b2/1.txt' }, { from_path: '/b/nope', to_path: '/b2/x' }, { from_path: '/b/2.txt', to_path: '/b2/2.txt' }] })).result as any;
		expect(l['.tag']).toBe('async_job_id');
		const first = (await dbx.filesCopyBatchCheckV2({ async_job_id: l.async_job_id })).result as any;
		expect(first['.tag']).toBe('in_progress');
		const r = await pollJob<any>(() => dbx.filesCopyBatchCheckV2({ async_job_id: l.async_job_id }));
		expect(r['.tag']).toBe('complete');
		expect(r.entries[0]['.tag']).toBe('success');
		expect(r.entries[0].success.path_display).toBe('/b2/1.txt');
		expect(r.entries[1]).toEqual({ '.tag': 'failure', failure: { '.tag': 'relocation_error', relocation_error: { '.tag': 'from_lookup', from_lookup: { '.tag': 'not_found' } } } });
		expect(r.entries[2].success['.tag']).toBe('file');
		const bad = await sdkError(dbx.filesCopyBatchCheckV2({ async_job_id: 'dbjid:nope' }));
		expect(bad.error.error['.tag']).toBe('invalid_async_job_id');
	});
	test('move_batch_v2 / check_v2', async () => {
		await up('/mb/a.txt', 'a');
		await up('/mb/b.txt', 'b');
		const l = (await dbx.filesMoveBatchV2({ entries: [{ from_path: '/mb/a.txt', to_path: '/mb2/a.txt' }, { from_path: '/mb/b.txt', to_path: '/mb2/b.txt' }] })).result as any;
		const r = await pollJob<any>(() => dbx.filesMoveBatchCheckV2({ async_job_id: l.async_job_id }));
		expect(r.entries.map((x: any) => x['.tag'])).toEqual(['success', 'success']);
		expect((await sdkError(dbx.filesGetMetadata({ path: '/mb/a.txt' }))).error.error.path['.tag']).toBe('not_found');
	});
	test('delete_batch / check', async () => {
		await up('/db/a.txt', 'a');
		await up('/db/b.txt', 'b');
		const l = (await dbx.filesDeleteBatch({ entries: [{ path: '/db/a.txt' }, { path: '/db/b.txt' }, { path: '/db/none' }] })).result as any;
		const r = await pollJob<any>(() => dbx.filesDeleteBatchCheck({ async_job_id: l.async_job_id }));
		expect(r['.tag']).toBe('complete');
		expect(r.entries[0]['.tag']).toBe('success');
		expect(r.entries[0].metadata.name).toBe('a.txt');
		expect(r.entries[2]).toEqual({ '.tag': 'failure', failure: { '.tag': 'path_lookup', path_lookup: { '.tag': 'not_found' } } });
	});
	test('create_folder_batch / check', async () => {
		const l = (await dbx.filesCreateFolderBatch({ paths: ['/cfb/a', '/cfb/b'], force_async: true })).result as any;
		expect(l['.tag']).toBe('async_job_id');
		const r = await pollJob<any>(() => dbx.filesCreateFolderBatchCheck({ async_job_id: l.async_job_id }));
		expect(r.entries.map((x: any) => x.metadata.name)).toEqual(['a', 'b']);
		const one = (await dbx.filesCreateFolderBatch({ paths: ['/cfb/a'] })).result as any;
		expect(one['.tag']).toBe('complete');
		expect(one.entries[0]).toEqual({ '.tag': 'failure', failure: { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'folder' } } } });
	});
});

describe('list_folder and cursors', () => {
	test('limit pages, recursive, continue sees later changes, deleted entries, reset', async () => {
		for (let i = 0; i < 5; i++) await up(`/lf/f${i}.txt`, String(i));
		await up('/lf/sub/deep.txt', 'deep');
		let r = (await dbx.filesListFolder({ path: '/lf', limit: 2 })).result;
		const names: string[] = r.entries.map((e) => e.name);
		expect(r.entries.length).toBe(2);
		expect(r.has_more).toBe(true);
		while (r.has_more) {
			r = (await dbx.filesListFolderContinue({ cursor: r.cursor })).result;
			names.push(...r.entries.map((e) => e.name));
		}
		expect(names.sort()).toEqual(['f0.txt', 'f1.txt', 'f2.txt', 'f3.txt', 'f4.txt', 'sub']);
		const rec = (await dbx.filesListFolder({ path: '/LF', recursive: true })).result;
		expect(rec.entries.map((e) => e.path_lower)).toEqual(expect.arrayContaining(['/lf', '/lf/sub', '/lf/sub/deep.txt']));
		// later changes
		const cursor = r.cursor;
		await up('/lf/new.txt', 'n');
		await dbx.filesDeleteV2({ path: '/lf/f0.txt' });
		await up('/elsewhere.txt', 'not in this folder');
		const ch = (await dbx.filesListFolderContinue({ cursor })).result;
		expect(ch.entries).toEqual(expect.arrayContaining([
			expect.objectContaining({ '.tag': 'file', name: 'new.txt' }),
			expect.objectContaining({ '.tag': 'deleted', name: 'f0.txt', path_lower: '/lf/f0.txt' }),
		]));
		expect(ch.entries.length).toBe(2);
		expect((ch.entries.find((e) => e['.tag'] === 'deleted') as any).id).toBeUndefined();
		const again = (await dbx.filesListFolderContinue({ cursor: ch.cursor })).result;
		expect(again.entries).toEqual([]);
		const withDel = (await dbx.filesListFolder({ path: '/lf', include_deleted: true })).result;
		expect(withDel.entries.some((e) => e['.tag'] === 'deleted' && e.name === 'f0.txt')).toBe(true);
		// invalid / stale cursors
		const e = await sdkError(dbx.filesListFolderContinue({ cursor: 'AAE' + Buffer.from(JSON.stringify({ e: 'old', n: '1', p: '', r: false, d: false, l: 10, s: 0 })).toString('base64url') }));
		expect(e.status).toBe(409);
		expect(e.error.error['.tag']).toBe('reset');
		const nf = await sdkError(dbx.filesListFolder({ path: '/lf/none' }));
		expect(nf.error.error).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
		const nfo = await sdkError(dbx.filesListFolder({ path: '/lf/f1.txt' }));
		expect(nfo.error.error.path['.tag']).toBe('not_folder');
	});
	test('get_latest_cursor + longpoll (no auth header) wakes on change', async () => {
		await dbx.filesCreateFolderV2({ path: '/lp' });
		const { cursor } = (await dbx.filesListFolderGetLatestCursor({ path: '/lp' })).result;
		const poll = sdk(emu.url, '').filesListFolderLongpoll({ cursor, timeout: 30 });
		await new Promise((r) => setTimeout(r, 100));
		await up('/lp/x.txt', 'x');
		const r = (await poll).result;
		expect(r.changes).toBe(true);
		const ch = (await dbx.filesListFolderContinue({ cursor })).result;
		expect(ch.entries.map((e) => e.name)).toEqual(['x.txt']);
	});
	test('longpoll honours its timeout: no change, it answers changes false after the timeout (cut short by the admin maxMs), not before', async () => {
		await dbx.filesCreateFolderV2({ path: '/lp-quiet' });
		const { cursor } = (await dbx.filesListFolderGetLatestCursor({ path: '/lp-quiet' })).result;
		await raw(emu.url, '/__admin/longpolls', { body: JSON.stringify({ maxMs: 400 }) });
		try {
			const started = Date.now();
			const r = (await sdk(emu.url, '').filesListFolderLongpoll({ cursor, timeout: 30 })).result;
			expect(r).toEqual({ changes: false });
			expect(Date.now() - started).toBeGreaterThanOrEqual(380);
		} finally {
			await raw(emu.url, '/__admin/longpolls', { body: JSON.stringify({ maxMs: null }) });
		}
	});
	test('longpoll refuses a timeout outside 30–480 s, as the spec bounds it', async () => {
		const { cursor } = (await dbx.filesListFolderGetLatestCursor({ path: '' })).result;
		for (const timeout of [29, 481]) {
			const e = await sdkError(sdk(emu.url, '').filesListFolderLongpoll({ cursor, timeout }));
			expect(e.status).toBe(400);
			expect(String(e.error)).toMatch(/timeout/);
		}
		const ok = sdk(emu.url, '').filesListFolderLongpoll({ cursor, timeout: 480 });
		await up('/lp-480.txt', 'x');
		expect((await ok).result.changes).toBe(true);
	});
	test('longpoll answers `backoff` when the admin switch asks for it, with changes or without; the open count follows the waiting longpolls', async () => {
		await dbx.filesCreateFolderV2({ path: '/lp-backoff' });
		const { cursor } = (await dbx.filesListFolderGetLatestCursor({ path: '/lp-backoff' })).result;
		const admin = async (body?: object) =>
			(await raw(emu.url, '/__admin/longpolls', body ? { body: JSON.stringify(body) } : { method: 'GET' })).json() as { open: number; backoff: number | null };
		expect(await admin({ backoff: 7 })).toMatchObject({ open: 0, backoff: 7 });
		try {
			const waiting = sdk(emu.url, '').filesListFolderLongpoll({ cursor, timeout: 30 });
			await new Promise((r) => setTimeout(r, 100));
			expect((await admin()).open).toBe(1);
			await up('/lp-backoff/x.txt', 'x');
			expect((await waiting).result).toEqual({ changes: true, backoff: 7 });
			expect((await admin()).open).toBe(0);
			await raw(emu.url, '/__admin/longpolls', { body: JSON.stringify({ maxMs: 100 }) });
			const { cursor: quiet } = (await dbx.filesListFolderGetLatestCursor({ path: '/lp-backoff' })).result;
			expect((await sdk(emu.url, '').filesListFolderLongpoll({ cursor: quiet, timeout: 30 })).result).toEqual({ changes: false, backoff: 7 });
		} finally {
			expect(await admin({ backoff: null, maxMs: null })).toMatchObject({ backoff: null });
		}
		const { cursor: after } = (await dbx.filesListFolderGetLatestCursor({ path: '/lp-backoff' })).result;
		const plain = sdk(emu.url, '').filesListFolderLongpoll({ cursor: after, timeout: 30 });
		await up('/lp-backoff/y.txt', 'y');
		expect((await plain).result).toEqual({ changes: true });
	});
	test('list_folder over root paginates large folders consistently', async () => {
		await raw(emu.url, '/__admin/seed', { body: JSON.stringify({ generate: { folder: '/many', count: 2500 } }) });
		let r = (await dbx.filesListFolder({ path: '/many' })).result;
		let n = r.entries.length;
		expect(n).toBe(2000);
		while (r.has_more) {
			r = (await dbx.filesListFolderContinue({ cursor: r.cursor })).result;
			n += r.entries.length;
		}
		expect(n).toBe(2500);
	});
});

describe('search', () => {
	beforeAll(async () => {
		await up('/search/Budget 2024.xlsx', 'x');
		await up('/search/budget-notes.txt', 'x');
		await up('/search/photo.jpg', 'x');
		await up('/search/old/budget.pdf', 'x');
		await dbx.filesCreateFolderV2({ path: '/search/Budget Folder' });
		await up('/search/removed budget.txt', 'x');
		await dbx.filesDeleteV2({ path: '/search/removed budget.txt' });
	});
	const names = (r: any) => r.matches.map((m: any) => m.metadata.metadata.name);
	test('query, path, order_by, max_results + continue', async () => {
		const r = (await dbx.filesSearchV2({ query: 'budget', options: { path: '/search' } })).result as any;
		expect(names(r).sort()).toEqual(['Budget 2024.xlsx', 'Budget Folder', 'budget-notes.txt', 'budget.pdf'].sort());
		expect(r.matches[0].metadata['.tag']).toBe('metadata');
		const p1 = (await dbx.filesSearchV2({ query: 'budget', options: { path: '/search', max_results: 3 } })).result;
		expect(p1.matches.length).toBe(3);
		expect(p1.has_more).toBe(true);
		const p2 = (await dbx.filesSearchContinueV2({ cursor: p1.cursor! })).result;
		expect(p2.matches.length).toBe(1);
		expect(p2.has_more).toBe(false);
		const byTime = (await dbx.filesSearchV2({ query: 'budget', options: { path: '/search', order_by: { '.tag': 'last_modified_time' } } })).result;
		expect(byTime.matches.length).toBe(4);
	});
	test('file_extensions, file_categories (incl. folder), file_status deleted, filename_only', async () => {
		expect(names((await dbx.filesSearchV2({ query: 'budget', options: { file_extensions: ['pdf'] } })).result)).toEqual(['budget.pdf']);
		expect(names((await dbx.filesSearchV2({ query: 'budget', options: { path: '/search', file_categories: [{ '.tag': 'folder' }] } })).result)).toEqual(['Budget Folder']);
		expect(names((await dbx.filesSearchV2({ query: 'budget', options: { path: '/search', file_categories: [{ '.tag': 'spreadsheet' }] } })).result)).toEqual(['Budget 2024.xlsx']);
		expect(names((await dbx.filesSearchV2({ query: 'photo', options: { file_categories: [{ '.tag': 'image' }] } })).result)).toEqual(['photo.jpg']);
		const del = (await dbx.filesSearchV2({ query: 'removed', options: { file_status: { '.tag': 'deleted' } } })).result as any;
		expect(del.matches[0].metadata.metadata['.tag']).toBe('deleted');
		// word-prefix matching, like Dropbox: "old" matches the folder "old", not "Budget Folder"
		expect(names((await dbx.filesSearchV2({ query: 'old', options: { path: '/search', filename_only: true } })).result)).toEqual(['old']);
		expect(names((await dbx.filesSearchV2({ query: 'bud 2024', options: { path: '/search', filename_only: true } })).result)).toEqual(['Budget 2024.xlsx']);
	});
});

describe('revisions, restore, save_url', () => {
	test('list_revisions and restore', async () => {
		const v1 = await up('/rev/doc.txt', 'v1');
		const v2 = await up('/rev/doc.txt', 'v2', { mode: { '.tag': 'overwrite' } });
		const r = (await dbx.filesListRevisions({ path: '/rev/doc.txt' })).result;
		expect(r.is_deleted).toBe(false);
		expect(r.entries.map((e) => e.rev)).toEqual([v2.rev, v1.rev]);
		const byId = (await dbx.filesListRevisions({ path: v1.id, mode: { '.tag': 'id' } })).result;
		expect(byId.entries.length).toBe(2);
		const restored = (await dbx.filesRestore({ path: '/rev/doc.txt', rev: v1.rev })).result;
		expect(restored.content_hash).toBe(v1.content_hash);
		expect(restored.rev).not.toBe(v1.rev);
		const e = await sdkError(dbx.filesRestore({ path: '/rev/doc.txt', rev: 'abcdef0123456' }));
		expect(e.error.error['.tag']).toBe('invalid_revision');
		await dbx.filesDeleteV2({ path: '/rev/doc.txt' });
		const after = (await dbx.filesListRevisions({ path: '/rev/doc.txt' })).result;
		expect(after.is_deleted).toBe(true);
		expect(after.server_deleted).toBeTruthy();
	});
	test('save_url fetches with node http and completes asynchronously', async () => {
		await up('/src/remote.txt', 'remote bytes');
		const link = (await dbx.filesGetTemporaryLink({ path: '/src/remote.txt' })).result.link;
		const l = (await dbx.filesSaveUrl({ path: '/saved/remote.txt', url: link })).result as any;
		expect(l['.tag']).toBe('async_job_id');
		const r = await pollJob<any>(() => dbx.filesSaveUrlCheckJobStatus({ async_job_id: l.async_job_id }));
		expect(r['.tag']).toBe('complete');
		expect(r.name).toBe('remote.txt');
		expect(r.size).toBe(12);
		const bad = (await dbx.filesSaveUrl({ path: '/saved/bad.txt', url: emu.url + '/__content/temp/missing' })).result as any;
		const f = await pollJob<any>(() => dbx.filesSaveUrlCheckJobStatus({ async_job_id: bad.async_job_id }));
		expect(f).toEqual({ '.tag': 'failed', failed: { '.tag': 'download_failed' } });
	});
});

describe('sharing', () => {
	test('create (and already_exists with metadata), list, get metadata, get file, modify, revoke', async () => {
		await up('/share/doc.txt', 'shared content');
		const l = (await dbx.sharingCreateSharedLinkWithSettings({ path: '/share/doc.txt' })).result as any;
		expect(l['.tag']).toBe('file');
		expect(l.url).toContain(emu.url);
		expect(l.name).toBe('doc.txt');
		expect(l.link_permissions.can_revoke).toBe(true);
		const e = await sdkError(dbx.sharingCreateSharedLinkWithSettings({ path: '/share/doc.txt' }));
		expect(e.error.error['.tag']).toBe('shared_link_already_exists');
		expect(e.error.error.shared_link_already_exists['.tag']).toBe('metadata');
		expect(e.error.error.shared_link_already_exists.metadata.url).toBe(l.url);
		const folderLink = (await dbx.sharingCreateSharedLinkWithSettings({ path: '/share' })).result as any;
		expect(folderLink['.tag']).toBe('folder');
		const direct = (await dbx.sharingListSharedLinks({ path: '/share/doc.txt', direct_only: true })).result;
		expect(direct.links.map((x) => x.url)).toEqual([l.url]);
		const withParents = (await dbx.sharingListSharedLinks({ path: '/share/doc.txt' })).result;
		expect(withParents.links.length).toBe(2);
		const all = (await dbx.sharingListSharedLinks({})).result;
		expect(all.links.length).toBeGreaterThanOrEqual(2);
		const meta = (await dbx.sharingGetSharedLinkMetadata({ url: l.url })).result;
		expect(meta.name).toBe('doc.txt');
		const file = (await dbx.sharingGetSharedLinkFile({ url: l.url })).result as any;
		expect(file.fileBinary.toString()).toBe('shared content');
		const mod = (await dbx.sharingModifySharedLinkSettings({ url: l.url, settings: { expires: '2099-01-01T00:00:00Z' } })).result as any;
		expect(mod.expires).toBe('2099-01-01T00:00:00Z');
		await dbx.sharingRevokeSharedLink({ url: l.url });
		const gone = await sdkError(dbx.sharingGetSharedLinkMetadata({ url: l.url }));
		expect(gone.error.error['.tag']).toBe('shared_link_not_found');
		const gone2 = await sdkError(dbx.sharingRevokeSharedLink({ url: l.url }));
		expect(gone2.error.error['.tag']).toBe('shared_link_not_found');
		const nf = await sdkError(dbx.sharingCreateSharedLinkWithSettings({ path: '/share/none' }));
		expect(nf.error.error).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
	});
});

describe('tags', () => {
	const tagsOf = async (paths: string[]) =>
		(await dbx.filesTagsGet({ paths })).result.paths_to_tags.map((p: any) => [p.path, p.tags.map((t: any) => [t['.tag'], t.tag_text])]);
	test('tags/add lowercases, is idempotent, and tags/get answers every path in one call, in order', async () => {
		await up('/tagged/a.txt', 'a');
		await up('/tagged/b.txt', 'b');
		expect((await dbx.filesTagsAdd({ path: '/tagged/a.txt', tag_text: 'Invoice_2026' })).status).toBe(200);
		await dbx.filesTagsAdd({ path: '/Tagged/A.txt', tag_text: 'invoice_2026' });
		await dbx.filesTagsAdd({ path: '/tagged', tag_text: 'folder_tag' });
		expect(await tagsOf(['/tagged/b.txt', '/tagged/a.txt', '/tagged'])).toEqual([
			['/tagged/b.txt', []],
			['/tagged/a.txt', [['user_generated_tag', 'invoice_2026']]],
			['/tagged', [['user_generated_tag', 'folder_tag']]],
		]);
	});
	test('tags stay with an item that moves', async () => {
		await up('/tagmove/x.txt', 'x');
		await dbx.filesTagsAdd({ path: '/tagmove/x.txt', tag_text: 'keep' });
		await dbx.filesMoveV2({ from_path: '/tagmove/x.txt', to_path: '/tagmove/y.txt' });
		expect(await tagsOf(['/tagmove/y.txt'])).toEqual([['/tagmove/y.txt', [['user_generated_tag', 'keep']]]]);
	});
	test('tags/remove drops the tag; a tag the item does not have is tag_not_present', async () => {
		await up('/tagrm/x.txt', 'x');
		await dbx.filesTagsAdd({ path: '/tagrm/x.txt', tag_text: 'done' });
		await dbx.filesTagsRemove({ path: '/tagrm/x.txt', tag_text: 'DONE' });
		expect(await tagsOf(['/tagrm/x.txt'])).toEqual([['/tagrm/x.txt', []]]);
		const e = await sdkError(dbx.filesTagsRemove({ path: '/tagrm/x.txt', tag_text: 'done' }));
		expect(e.status).toBe(409);
		expect(e.error.error).toEqual({ '.tag': 'tag_not_present' });
		expect(e.error.error_summary).toMatch(/^tag_not_present\//);
	});
	test('the 21st tag of an item is too_many_tags', async () => {
		await up('/tagmax.txt', 'x');
		for (let i = 1; i <= 20; i++) await dbx.filesTagsAdd({ path: '/tagmax.txt', tag_text: `t${i}` });
		const e = await sdkError(dbx.filesTagsAdd({ path: '/tagmax.txt', tag_text: 't21' }));
		expect(e.status).toBe(409);
		expect(e.error.error).toEqual({ '.tag': 'too_many_tags' });
	});
	test('nothing at one path fails tags/get with path/not_found; bad tag text and id: paths are 400s', async () => {
		const e = await sdkError(dbx.filesTagsGet({ paths: ['/tagged/a.txt', '/no/such.txt'] }));
		expect(e.status).toBe(409);
		expect(e.error.error).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
		for (const tag_text of ['has space', 'x'.repeat(33), '']) {
			const bad = await sdkError(dbx.filesTagsAdd({ path: '/tagged/a.txt', tag_text }));
			expect(bad.status).toBe(400);
		}
		const id = (await dbx.filesGetMetadata({ path: '/tagged/a.txt' })).result as any;
		expect((await sdkError(dbx.filesTagsAdd({ path: id.id, tag_text: 'x' }))).status).toBe(400);
	});
});

describe('file locks', () => {
	const stateOf = (entry: any) => [entry['.tag'], entry['.tag'] === 'success' ? entry.lock.content['.tag'] : entry.failure['.tag']];
	test('lock_file_batch locks files at once (no job), one entry per path in order; get_file_lock_batch reads them; unlock_file_batch unlocks', async () => {
		await up('/locks/a.txt', 'a');
		await up('/locks/b.txt', 'b');
		const locked = (await dbx.filesLockFileBatch({ entries: [{ path: '/locks/a.txt' }, { path: '/Locks/B.txt' }] })).result as any;
		expect(locked.entries.map(stateOf)).toEqual([['success', 'single_user'], ['success', 'single_user']]);
		const a = locked.entries[0];
		expect(a.metadata).toMatchObject({ '.tag': 'file', path_display: '/locks/a.txt', file_lock_info: { is_lockholder: true, lockholder_account_id: emu.accountId } });
		expect(a.lock.content.lock_holder_account_id).toBe(emu.accountId);
		expect(a.lock.content.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		// locking again is no conflict for the holder
		expect((await dbx.filesLockFileBatch({ entries: [{ path: '/locks/a.txt' }] })).result.entries.map(stateOf)).toEqual([['success', 'single_user']]);
		await dbx.filesUnlockFileBatch({ entries: [{ path: '/locks/a.txt' }] });
		const got = (await dbx.filesGetFileLockBatch({ entries: [{ path: '/locks/a.txt' }, { path: '/locks/b.txt' }] })).result as any;
		expect(got.entries.map(stateOf)).toEqual([['success', 'unlocked'], ['success', 'single_user']]);
		expect(got.entries[0].metadata.file_lock_info).toBeUndefined();
	});
	test('per-entry failures: nothing there (path_lookup/not_found), a folder (cannot_be_locked), a lock held by another account (lock_conflict)', async () => {
		await up('/locks/theirs.txt', 't');
		const node = emu.state.account().ns.get('/locks/theirs.txt')!;
		node.lock = { created: '2026-01-01T00:00:00Z', accountId: 'dbid:someone-else', holderName: 'Someone Else' };
		const r = (await dbx.filesLockFileBatch({ entries: [{ path: '/locks/none.txt' }, { path: '/locks' }, { path: '/locks/theirs.txt' }] })).result as any;
		expect(r.entries.map((e: any) => e.failure)).toEqual([
			{ '.tag': 'path_lookup', path_lookup: { '.tag': 'not_found' } },
			{ '.tag': 'cannot_be_locked' },
			{ '.tag': 'lock_conflict', lock_conflict: { lock: { content: { '.tag': 'single_user', created: '2026-01-01T00:00:00Z', lock_holder_account_id: 'dbid:someone-else' } } } },
		]);
		const unlock = (await dbx.filesUnlockFileBatch({ entries: [{ path: '/locks/theirs.txt' }] })).result as any;
		expect(unlock.entries[0].failure['.tag']).toBe('lock_conflict');
		const got = (await dbx.filesGetFileLockBatch({ entries: [{ path: '/locks/theirs.txt' }] })).result as any;
		expect(got.entries[0].metadata.file_lock_info).toMatchObject({ is_lockholder: false, lockholder_name: 'Someone Else' });
	});
	test('a file another user locked (POST /__admin/locks) cannot be moved or deleted (LookupError locked), alone or in a batch; it can be copied; its holder could', async () => {
		await up('/locks/signing.pdf', 'contract');
		await up('/locks/free.pdf', 'free');
		const admin = await raw(emu.url, '/__admin/locks', { body: JSON.stringify({ path: '/Locks/Signing.pdf', holderName: 'Legal' }) });
		expect(admin.status).toBe(200);
		let e = await sdkError(dbx.filesDeleteV2({ path: '/locks/signing.pdf' }));
		expect([e.status, e.error.error]).toEqual([409, { '.tag': 'path_lookup', path_lookup: { '.tag': 'locked' } }]);
		e = await sdkError(dbx.filesMoveV2({ from_path: '/locks/signing.pdf', to_path: '/locks/moved.pdf' }));
		expect([e.status, e.error.error]).toEqual([409, { '.tag': 'from_lookup', from_lookup: { '.tag': 'locked' } }]);
		const batch = (await dbx.filesDeleteBatch({ entries: [{ path: '/locks/signing.pdf' }, { path: '/locks/free.pdf' }] })).result as any;
		const done = await pollJob<any>(() => dbx.filesDeleteBatchCheck({ async_job_id: batch.async_job_id }));
		expect(done.entries.map((entry: any) => entry['.tag'] === 'failure' ? entry.failure : entry['.tag'])).toEqual([
			{ '.tag': 'path_lookup', path_lookup: { '.tag': 'locked' } },
			'success',
		]);
		expect((await dbx.filesCopyV2({ from_path: '/locks/signing.pdf', to_path: '/locks/copy.pdf' })).result.metadata.name).toBe('copy.pdf');
		const got = (await dbx.filesGetFileLockBatch({ entries: [{ path: '/locks/signing.pdf' }] })).result as any;
		expect(got.entries[0].metadata.file_lock_info).toMatchObject({ is_lockholder: false, lockholder_name: 'Legal' });
		// the holder is another account: the same file locked by this account moves
		emu.state.account().ns.get('/locks/signing.pdf')!.lock!.accountId = emu.accountId;
		expect((await dbx.filesMoveV2({ from_path: '/locks/signing.pdf', to_path: '/locks/moved.pdf' })).result.metadata.name).toBe('moved.pdf');
		const refused = await raw(emu.url, '/__admin/locks', { body: JSON.stringify({ path: '/locks' }) });
		expect(refused.status).toBe(404);
	});
});

describe('thumbnails and previews', () => {
	const png = (width: number, height: number) => encodePng({ width, height }, [10, 200, 30]);
	const thumb = (path: string, extra: Record<string, unknown> = {}) =>
		dbx.filesGetThumbnailV2({ resource: { '.tag': 'path', path }, ...extra } as any).then((r) => r.result as any);
	const errorOf = async (p: Promise<unknown>) => {
		const e = await sdkError(p);
		expect(e.status).toBe(409);
		return e.error.error;
	};
	beforeAll(async () => {
		await emu.seedFile('/img/wide.png', png(300, 200));
		await emu.seedFile('/img/tall.PNG', png(600, 1000));
		await emu.seedFile('/img/small.jpg', encodeJpeg({ width: 40, height: 30 }, [1, 2, 3]));
		await emu.seedFile('/img/fake.png', 'not an image');
		await emu.seedFile('/img/cut.png', Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'));
		await emu.seedFile('/img/huge.png', { size: 20 * 1024 * 1024 + 1, sparse: true });
		await emu.seedFile('/img/clip.mp4', 'video');
		await emu.seedFile('/img/notes.txt', 'text');
	});

	test("the extensions the emulator and the node take for thumbnails and previews are the ones the spec's route docs list", () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const stone: string = require('node:fs').readFileSync(require('node:path').join(SPEC_DIR, 'files.stone'), 'utf8').replace(/\s+/g, ' ');
		const listed = (after: string, until: string) => {
			const from = stone.indexOf(after) + after.length;
			return stone.slice(from, stone.indexOf(until, from)).split(/,? and |, /).map((extension) => extension.trim().replace(/^\./, ''));
		};
		const thumbnails = listed('route get_thumbnail:2 (ThumbnailV2Arg, PreviewResult, ThumbnailV2Error) "Get a thumbnail for an image. This method currently supports files with the following file extensions: ', '.');
		expect([THUMBNAIL_EXTENSIONS, nodeFormats.THUMBNAIL_EXTENSIONS]).toEqual([thumbnails, thumbnails]);
		const pdf = listed('PDF previews are generated for files with the following extensions: ', '. HTML');
		const html = listed('HTML previews are generated for ', '. Other');
		expect([PDF_PREVIEW_EXTENSIONS, nodeFormats.PDF_PREVIEW_EXTENSIONS]).toEqual([pdf, pdf]);
		expect([HTML_PREVIEW_EXTENSIONS, nodeFormats.HTML_PREVIEW_EXTENSIONS]).toEqual([html, html]);
	});

	test('get_thumbnail_v2: jpeg at w64h64 by default, png and webp on request, scaled to fit; file_metadata in Dropbox-API-Result', async () => {
		const byDefault = await thumb('/img/wide.png');
		expect(imageFacts(byDefault.fileBinary)).toEqual({ format: 'jpeg', width: 64, height: 43 });
		expect(byDefault.file_metadata).toMatchObject({ path_display: '/img/wide.png', name: 'wide.png' });
		expect(imageFacts((await thumb('/img/wide.png', { format: { '.tag': 'png' }, size: { '.tag': 'w128h128' } })).fileBinary)).toEqual({ format: 'png', width: 128, height: 85 });
		expect(imageFacts((await thumb('/img/wide.png', { format: { '.tag': 'webp' }, size: { '.tag': 'w256h256' } })).fileBinary)).toEqual({ format: 'webp', width: 256, height: 171 });
		// never scaled up
		expect(imageFacts((await thumb('/img/small.jpg', { format: { '.tag': 'png' }, size: { '.tag': 'w640h480' } })).fileBinary)).toMatchObject({ width: 40, height: 30 });
	});

	test('modes: strict fits the box, bestfit its transpose when the image is portrait, fitone_bestfit covers it, original keeps the size', async () => {
		const sizeIn = async (mode: string) => {
			const { width, height } = imageFacts((await thumb('/img/tall.PNG', { format: { '.tag': 'png' }, size: { '.tag': 'w480h320' }, mode: { '.tag': mode } })).fileBinary);
			return [width, height];
		};
		expect(await sizeIn('strict')).toEqual([192, 320]);
		expect(await sizeIn('bestfit')).toEqual([288, 480]);
		expect(await sizeIn('fitone_bestfit')).toEqual([320, 533]);
		expect(await sizeIn('original')).toEqual([600, 1000]);
	});

	test('get_thumbnail_v2 errors: unsupported_extension (text, video), unsupported_image (not an image, over 20 MB), conversion_error, path lookups', async () => {
		expect(await errorOf(thumb('/img/notes.txt'))).toEqual({ '.tag': 'unsupported_extension' });
		expect(await errorOf(thumb('/img/clip.mp4'))).toEqual({ '.tag': 'unsupported_extension' });
		expect(await errorOf(thumb('/img/fake.png'))).toEqual({ '.tag': 'unsupported_image' });
		expect(await errorOf(thumb('/img/huge.png'))).toEqual({ '.tag': 'unsupported_image' });
		expect(await errorOf(thumb('/img/cut.png'))).toEqual({ '.tag': 'conversion_error' });
		expect(await errorOf(thumb('/img/none.png'))).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
		expect(await errorOf(thumb('/img'))).toEqual({ '.tag': 'path', path: { '.tag': 'not_file' } });
		const bad = await sdkError(thumb('/img/wide.png', { size: { '.tag': 'w100h100' } }));
		expect(bad.status).toBe(400);
	});

	test('get_thumbnail_v2 of a shared link: link_metadata; a link that does not exist is not_found', async () => {
		const link = (await dbx.sharingCreateSharedLinkWithSettings({ path: '/img/wide.png' })).result as any;
		const r = (await dbx.filesGetThumbnailV2({ resource: { '.tag': 'link', url: link.url }, format: { '.tag': 'png' } } as any)).result as any;
		expect(imageFacts(r.fileBinary)).toMatchObject({ format: 'png', width: 64, height: 43 });
		expect(r.link_metadata).toMatchObject({ url: link.url, path: '/img/wide.png' });
		expect(r.file_metadata).toBeUndefined();
		const gone = dbx.filesGetThumbnailV2({ resource: { '.tag': 'link', url: 'https://www.dropbox.com/scl/fi/nope/x.png' } } as any);
		expect(await errorOf(gone)).toEqual({ '.tag': 'not_found' });
	});

	test('get_thumbnail_batch: one RPC for many files, base64 thumbnails, a failure entry per file that has none; more than 25 is too_many_files', async () => {
		const r = (await dbx.filesGetThumbnailBatch({ entries: [
			{ path: '/img/wide.png', format: { '.tag': 'png' }, size: { '.tag': 'w32h32' } },
			{ path: '/img/notes.txt' },
			{ path: '/img/small.jpg', format: { '.tag': 'jpeg' } },
			{ path: '/img/none.png' },
		] } as any)).result as any;
		expect(r.entries.map((e: any) => e['.tag'])).toEqual(['success', 'failure', 'success', 'failure']);
		expect(imageFacts(Buffer.from(r.entries[0].thumbnail, 'base64'))).toEqual({ format: 'png', width: 32, height: 21 });
		expect(r.entries[0].metadata).toMatchObject({ path_display: '/img/wide.png' });
		expect(imageFacts(Buffer.from(r.entries[2].thumbnail, 'base64'))).toEqual({ format: 'jpeg', width: 40, height: 30 });
		expect(r.entries[1].failure).toEqual({ '.tag': 'unsupported_extension' });
		expect(r.entries[3].failure).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
		const many = Array.from({ length: 26 }, () => ({ path: '/img/wide.png' }));
		expect(await errorOf(dbx.filesGetThumbnailBatch({ entries: many } as any))).toEqual({ '.tag': 'too_many_files' });
	});

	test('get_preview: a PDF of a .docx, an HTML table of a .csv (Content-Type says which), FileMetadata in Dropbox-API-Result', async () => {
		await emu.seedFile('/prev/Letter.docx', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(40)]));
		await emu.seedFile('/prev/sales.csv', 'region,total\n"North, East",12\n');
		const pdf = (await dbx.filesGetPreview({ path: '/prev/Letter.docx' })).result as any;
		expect(pdf.fileBinary.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdf.fileBinary.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
		expect(pdf).toMatchObject({ name: 'Letter.docx', path_display: '/prev/Letter.docx' });
		const html = (await dbx.filesGetPreview({ path: '/prev/sales.csv' })).result as any;
		expect(html.fileBinary.toString('utf8')).toContain('<tr><td>North, East</td><td>12</td></tr>');
		const headers = { Authorization: `Bearer ${TOKEN}`, 'Dropbox-API-Arg': JSON.stringify({ path: '/prev/sales.csv' }) };
		expect((await raw(emu.url, '/2/files/get_preview', { headers })).headers['content-type']).toBe('text/html; charset=utf-8');
		headers['Dropbox-API-Arg'] = JSON.stringify({ path: '/prev/Letter.docx' });
		expect((await raw(emu.url, '/2/files/get_preview', { headers })).headers['content-type']).toBe('application/pdf');
	});

	test('get_preview errors: unsupported_extension, unsupported_content (a .docx that is no archive), path lookups', async () => {
		await emu.seedFile('/prev/plain.docx', 'just text');
		expect(await errorOf(dbx.filesGetPreview({ path: '/img/notes.txt' }))).toEqual({ '.tag': 'unsupported_extension' });
		expect(await errorOf(dbx.filesGetPreview({ path: '/prev/plain.docx' }))).toEqual({ '.tag': 'unsupported_content' });
		expect(await errorOf(dbx.filesGetPreview({ path: '/prev/none.docx' }))).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
		expect(await errorOf(dbx.filesGetPreview({ path: '/prev' }))).toEqual({ '.tag': 'path', path: { '.tag': 'not_file' } });
	});
});

describe('paper docs', () => {
	const create = (path: string, text: string, format = 'markdown') =>
		dbx.filesPaperCreate({ path, import_format: { '.tag': format }, contents: Buffer.from(text) } as any).then((r) => r.result as any);
	const update = (path: string, text: string, policy: string, extra: Record<string, unknown> = {}) =>
		dbx.filesPaperUpdate({ path, import_format: { '.tag': 'markdown' }, doc_update_policy: { '.tag': policy }, contents: Buffer.from(text), ...extra } as any).then((r) => r.result as any);
	const exported = async (path: string, format = 'markdown') => ((await dbx.filesExport({ path, export_format: format })).result as any);
	const errorOf = async (p: Promise<unknown>) => {
		const e = await sdkError(p);
		expect(e.status).toBe(409);
		return e.error.error;
	};

	test('paper/create makes a non-downloadable .paper doc at revision 1 whose export is the content; a taken name gets a new one', async () => {
		const made = await create('/Paper/Plan.paper', '# Plan\n\n- ship it\n');
		expect(made).toMatchObject({ result_path: '/Paper/Plan.paper', paper_revision: 1 });
		expect(made.file_id).toMatch(/^id:/);
		expect(made.url).toMatch(/^https:\/\//);
		const meta = (await dbx.filesGetMetadata({ path: made.file_id })).result as any;
		expect(meta).toMatchObject({ is_downloadable: false, export_info: { export_as: 'html' } });
		const md = await exported('/Paper/Plan.paper');
		expect(md.fileBinary.toString('utf8')).toBe('# Plan\n\n- ship it\n');
		expect(md.export_metadata).toMatchObject({ name: 'Plan.md', paper_revision: 1 });
		expect((await exported('/Paper/Plan.paper', 'html')).fileBinary.toString('utf8')).toContain('# Plan');
		expect((await create('/Paper/plan.paper', 'again')).result_path).toBe('/Paper/plan (1).paper');
		const fromHtml = await create('/Paper/Html.paper', '<h1>Title &amp; more</h1><p>First</p><p>Second</p>', 'html');
		expect((await exported(fromHtml.result_path)).fileBinary.toString('utf8')).toBe('# Title & more\nFirst\nSecond\n');
	});

	test('paper/create errors: invalid_file_extension, invalid_path, content_malformed', async () => {
		expect(await errorOf(create('/Paper/notes.md', 'x'))).toEqual({ '.tag': 'invalid_file_extension' });
		await up('/Paper/blocker.txt', 'x');
		expect(await errorOf(create('/Paper/blocker.txt/Doc.paper', 'x'))).toEqual({ '.tag': 'invalid_path' });
		const bad = dbx.filesPaperCreate({ path: '/Paper/Bad.paper', import_format: { '.tag': 'plain_text' }, contents: Buffer.from([0xff, 0xfe, 0x41]) } as any);
		expect(await errorOf(bad)).toEqual({ '.tag': 'content_malformed' });
	});

	test('paper/update appends, prepends, overwrites, and with policy update checks paper_revision (revision_mismatch)', async () => {
		await create('/Paper/Log.paper', 'one\n');
		expect(await update('/Paper/Log.paper', 'two\n', 'append')).toEqual({ paper_revision: 2 });
		expect(await update('/Paper/Log.paper', 'zero\n', 'prepend')).toEqual({ paper_revision: 3 });
		expect((await exported('/Paper/Log.paper')).fileBinary.toString('utf8')).toBe('zero\none\ntwo\n');
		expect(await errorOf(update('/Paper/Log.paper', 'x', 'update', { paper_revision: 2 }))).toEqual({ '.tag': 'revision_mismatch' });
		expect(await update('/Paper/Log.paper', 'fresh\n', 'update', { paper_revision: 3 })).toEqual({ paper_revision: 4 });
		expect(await update('/Paper/Log.paper', 'all new\n', 'overwrite')).toEqual({ paper_revision: 5 });
		const md = await exported('/Paper/Log.paper');
		expect([md.fileBinary.toString('utf8'), md.export_metadata.paper_revision]).toEqual(['all new\n', 5]);
	});

	test('paper/update errors: path lookups, a file that is no Paper doc, doc_deleted, doc_archived', async () => {
		expect(await errorOf(update('/Paper/none.paper', 'x', 'append'))).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
		expect(await errorOf(update('/Paper', 'x', 'append'))).toEqual({ '.tag': 'path', path: { '.tag': 'not_file' } });
		expect(await errorOf(update('/Paper/blocker.txt', 'x', 'append'))).toEqual({ '.tag': 'path', path: { '.tag': 'unsupported_content_type' } });
		const gone = await create('/Paper/Gone.paper', 'bye');
		await dbx.filesDeleteV2({ path: gone.file_id });
		expect(await errorOf(update(gone.file_id, 'x', 'append'))).toEqual({ '.tag': 'doc_deleted' });
		await emu.seedFile('/Paper/Old.paper', 'archived', { paperArchived: true });
		expect(await errorOf(update('/Paper/Old.paper', 'x', 'append'))).toEqual({ '.tag': 'doc_archived' });
	});
});

describe('file requests', () => {
	const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
	test('create makes the destination folder when missing, answers a FileRequest; get reads it; a file landing in the folder counts', async () => {
		const deadline = future(7);
		const r = (await dbx.fileRequestsCreate({ title: 'Homework', destination: '/File Requests/Homework', deadline: { deadline, allow_late_uploads: { '.tag': 'seven_days' } }, description: 'Send it here' })).result as any;
		expect(r.id).toMatch(/^[A-Za-z0-9]{20}$/);
		expect(r).toMatchObject({ url: `https://www.dropbox.com/request/${r.id}`, title: 'Homework', destination: '/File Requests/Homework', is_open: true, file_count: 0, description: 'Send it here', deadline: { deadline, allow_late_uploads: { '.tag': 'seven_days' } } });
		expect(r.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		expect(((await dbx.filesGetMetadata({ path: '/File Requests/Homework' })).result as any)['.tag']).toBe('folder');
		await up('/File Requests/Homework/essay.pdf', 'essay');
		const got = (await dbx.fileRequestsGet({ id: r.id })).result as any;
		expect(got).toMatchObject({ id: r.id, file_count: 1, destination: '/File Requests/Homework' });
	});
	test('files already in an existing destination are not counted; a file at the destination is not_a_folder; the root is invalid_location', async () => {
		await up('/fr-existing/old.txt', 'old');
		const r = (await dbx.fileRequestsCreate({ title: 'Existing', destination: '/fr-existing', open: false })).result as any;
		expect(r).toMatchObject({ file_count: 0, is_open: false, destination: '/fr-existing' });
		expect(r.deadline).toBeUndefined();
		const file = await sdkError(dbx.fileRequestsCreate({ title: 'x', destination: '/fr-existing/old.txt' }));
		expect(file.status).toBe(409);
		expect(file.error.error).toEqual({ '.tag': 'not_a_folder' });
		expect((await sdkError(dbx.fileRequestsCreate({ title: 'x', destination: '/' }))).error.error).toEqual({ '.tag': 'invalid_location' });
		expect((await sdkError(dbx.fileRequestsCreate({ title: '   ', destination: '/fr-x' }))).error.error).toEqual({ '.tag': 'validation_error' });
		expect((await sdkError(dbx.fileRequestsCreate({ title: 'past', destination: '/fr-x', deadline: { deadline: '2020-01-01T00:00:00Z' } }))).error.error).toEqual({ '.tag': 'validation_error' });
	});
	test('the spec refuses an empty title, an id: destination, an unknown grace period, a bad timestamp and a bad ID (400)', async () => {
		const bad = [
			dbx.fileRequestsCreate({ title: '', destination: '/fr-x' }),
			dbx.fileRequestsCreate({ title: 'x', destination: 'id:abc' }),
			dbx.fileRequestsCreate({ title: 'x', destination: '/fr-x', deadline: { deadline: future(1), allow_late_uploads: { '.tag': 'forever' } } as any }),
			dbx.fileRequestsCreate({ title: 'x', destination: '/fr-x', deadline: { deadline: '2030-01-01' } }),
			dbx.fileRequestsGet({ id: 'has space' }),
		];
		for (const call of bad) expect((await sdkError(call)).status).toBe(400);
	});
	test('update changes only what is given: title, destination (moved), deadline set and cleared, open, description; unknown ID is not_found', async () => {
		const r = (await dbx.fileRequestsCreate({ title: 'Upd', destination: '/fr-upd/a' })).result as any;
		const deadline = future(3);
		const u = (await dbx.fileRequestsUpdate({ id: r.id, title: 'Updated', destination: '/fr-upd/b', deadline: { '.tag': 'update', update: { deadline, allow_late_uploads: { '.tag': 'one_day' } } }, open: false, description: 'new' })).result as any;
		expect(u).toMatchObject({ id: r.id, title: 'Updated', destination: '/fr-upd/b', is_open: false, description: 'new', deadline: { deadline, allow_late_uploads: { '.tag': 'one_day' } } });
		const kept = (await dbx.fileRequestsUpdate({ id: r.id, open: true })).result as any;
		expect(kept).toMatchObject({ title: 'Updated', destination: '/fr-upd/b', is_open: true, deadline: { deadline } });
		const cleared = (await dbx.fileRequestsUpdate({ id: r.id, deadline: { '.tag': 'update' } })).result as any;
		expect(cleared.deadline).toBeUndefined();
		await dbx.filesMoveV2({ from_path: '/fr-upd/b', to_path: '/fr-upd/c' });
		expect(((await dbx.fileRequestsGet({ id: r.id })).result as any).destination).toBe('/fr-upd/c');
		await dbx.filesDeleteV2({ path: '/fr-upd/c' });
		expect(((await dbx.fileRequestsGet({ id: r.id })).result as any).destination).toBeNull();
		expect((await sdkError(dbx.fileRequestsUpdate({ id: 'nosuchrequest', title: 'x' }))).error.error).toEqual({ '.tag': 'not_found' });
	});
	test('list_v2 pages by limit, list/continue follows the cursor; count counts open and closed; a bad cursor is invalid_cursor', async () => {
		const total = (await dbx.fileRequestsCount()).result.file_request_count;
		expect(total).toBeGreaterThanOrEqual(3);
		const first = (await dbx.fileRequestsListV2({ limit: 2 })).result as any;
		expect(first.file_requests).toHaveLength(2);
		expect(first.has_more).toBe(true);
		const ids = first.file_requests.map((r: any) => r.id);
		let cursor = first.cursor;
		for (let more = true; more; ) {
			const next = (await dbx.fileRequestsListContinue({ cursor })).result as any;
			ids.push(...next.file_requests.map((r: any) => r.id));
			cursor = next.cursor;
			more = next.has_more;
		}
		expect(ids).toHaveLength(total);
		expect(new Set(ids).size).toBe(total);
		expect(((await dbx.fileRequestsList()).result as any).file_requests).toHaveLength(total);
		expect((await sdkError(dbx.fileRequestsListContinue({ cursor: 'nonsense' }))).error.error).toEqual({ '.tag': 'invalid_cursor' });
	});
	test('delete removes closed requests only (file_request_open deletes nothing); delete_all_closed removes every closed one', async () => {
		const open = (await dbx.fileRequestsCreate({ title: 'Open', destination: '/fr-del' })).result as any;
		const closed = (await dbx.fileRequestsCreate({ title: 'Closed', destination: '/fr-del', open: false })).result as any;
		const refused = await sdkError(dbx.fileRequestsDelete({ ids: [closed.id, open.id] }));
		expect(refused.error.error).toEqual({ '.tag': 'file_request_open' });
		expect(((await dbx.fileRequestsGet({ id: closed.id })).result as any).id).toBe(closed.id);
		const deleted = (await dbx.fileRequestsDelete({ ids: [closed.id] })).result as any;
		expect(deleted.file_requests.map((r: any) => r.id)).toEqual([closed.id]);
		expect((await sdkError(dbx.fileRequestsGet({ id: closed.id }))).error.error).toEqual({ '.tag': 'not_found' });
		await dbx.fileRequestsUpdate({ id: open.id, open: false });
		const before = (await dbx.fileRequestsCount()).result.file_request_count;
		const all = (await dbx.fileRequestsDeleteAllClosed()).result as any;
		expect(all.file_requests.map((r: any) => r.id)).toContain(open.id);
		expect(all.file_requests.every((r: any) => r.is_open === false)).toBe(true);
		expect((await dbx.fileRequestsCount()).result.file_request_count).toBe(before - all.file_requests.length);
	});
	test('without file_requests.read the routes answer missing_scope naming it', async () => {
		const { accessToken } = emu.issueToken({ scopes: ['files.metadata.read'] });
		const e = await sdkError(sdk(emu.url, accessToken).fileRequestsCount());
		expect(e.status).toBe(401);
		expect(e.error.error).toEqual({ '.tag': 'missing_scope', required_scope: 'file_requests.read' });
	});
});

describe('scopes', () => {
	test('missing_scope names the required scope', async () => {
		const { accessToken } = emu.issueToken({ scopes: ['files.metadata.read'] });
		const limited = sdk(emu.url, accessToken);
		await limited.filesListFolder({ path: '' });
		const e = await sdkError(limited.filesUpload({ path: '/nope.txt', contents: Buffer.from('x') }));
		expect(e.status).toBe(401);
		expect(e.error.error).toEqual({ '.tag': 'missing_scope', required_scope: 'files.content.write' });
	});
	test("every emulated route requires the scope Dropbox's spec gives, the same as the SDK's route table says", () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const src: string = require('node:fs').readFileSync(require.resolve('dropbox/cjs/lib/routes.js'), 'utf8');
		const sdkScopes = new Map<string, string | undefined>();
		for (const m of src.matchAll(/this\.request\('([^']+)', arg, '[^']*', '[^']*', '[^']*'(?:, '([^']*)')?\)/g)) sdkScopes.set(m[1], m[2]);
		let checked = 0;
		for (const route of Object.keys(emu.routes)) {
			if (!sdkScopes.has(route)) continue;
			expect([route, apiSpec().route(route)?.scope]).toEqual([route, sdkScopes.get(route)]);
			checked++;
		}
		expect(checked).toBeGreaterThanOrEqual(40);
	});
});

describe('accounts', () => {
	test('a suspended account: every call answers 401 user_suspended until it is reactivated; its refresh token still gets tokens', async () => {
		const other = emu.state.addAccount({});
		const { accessToken, refreshToken } = emu.issueToken({ accountId: other.accountId, scopes: ['account_info.read'], refresh: true });
		const member = sdk(emu.url, accessToken);
		const before = await member.usersGetCurrentAccount();
		emu.setSuspended(true, other.accountId);
		try {
			for (const call of [() => member.usersGetCurrentAccount(), () => member.filesListFolder({ path: '' }), () => member.filesUpload({ path: '/x.txt', contents: Buffer.from('x') })]) {
				const e = await sdkError(call());
				expect(e.status).toBe(401);
				expect(e.error.error).toEqual({ '.tag': 'user_suspended' });
				expect(e.error.error_summary).toMatch(/^user_suspended\/\.*$/);
			}
			// other accounts are unaffected; an unknown token is still just invalid
			await expect(dbx.usersGetCurrentAccount()).resolves.toMatchObject({ status: 200 });
			expect((await sdkError(sdk(emu.url, 'no-such-token').usersGetCurrentAccount())).error.error['.tag']).toBe('invalid_access_token');
			// the token endpoint still renews (the emulator's documented choice); the new token is suspended too
			const auth = sdkAuth(emu.url, { clientId: 'sandbox-app-key', clientSecret: 'sandbox-app-secret', refreshToken });
			await auth.refreshAccessToken();
			const renewed = sdk(emu.url, auth.getAccessToken());
			expect(auth.getAccessToken()).not.toBe(accessToken);
			expect((await sdkError(renewed.usersGetCurrentAccount())).error.error).toEqual({ '.tag': 'user_suspended' });
		} finally {
			emu.setSuspended(false, other.accountId);
		}
		expect((await member.usersGetCurrentAccount()).result).toEqual(before.result);
	});
});
