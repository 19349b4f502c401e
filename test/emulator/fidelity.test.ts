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

describe('non-downloadable files, files/export, list_folder include_* flags', () => {
	beforeAll(async () => {
		await emu.seedFile('/paper/Plan.paper', '# Plan\n\n- ship <it>\n');
		await emu.seedFile('/paper/notes.txt', 'plain');
		await admin('seed', { files: [{ path: '/paper/Sheet.gsheet', content: 'a,b\n1,2\n', exportAs: 'xlsx', exportOptions: ['xlsx', 'csv'] }] });
	});
	test('a seeded Paper doc: is_downloadable false with export_info; download → unsupported_file', async () => {
		const m = (await dbx.filesGetMetadata({ path: '/paper/Plan.paper' })).result as files.FileMetadataReference;
		expect(m.is_downloadable).toBe(false);
		expect(m.export_info).toEqual({ export_as: 'html', export_options: ['html', 'markdown'] });
		const e = await sdkError(dbx.filesDownload({ path: '/paper/Plan.paper' }));
		expect(e.status).toBe(409);
		expect(e.error.error).toEqual({ '.tag': 'unsupported_file' });
		expect(e.error.error_summary).toMatch(/^unsupported_file\//);
		const t = await sdkError(dbx.filesGetTemporaryLink({ path: '/paper/Plan.paper' }));
		expect(t.error.error['.tag']).toBe('unsupported_file');
		const txt = (await dbx.filesGetMetadata({ path: '/paper/notes.txt' })).result as any;
		expect(txt.is_downloadable).toBe(true);
		expect(txt.export_info).toBeUndefined();
	});
	test('files/export: default export_as, export_format from export_options, errors', async () => {
		const r = (await dbx.filesExport({ path: '/paper/Plan.paper' })).result as any;
		expect(r.export_metadata.name).toBe('Plan.html');
		const html = (r.fileBinary as Buffer).toString();
		expect(html).toContain('ship &lt;it&gt;');
		expect(r.export_metadata.size).toBe(Buffer.byteLength(html));
		expect(r.export_metadata.export_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(typeof r.export_metadata.paper_revision).toBe('number');
		expect(r.file_metadata).toMatchObject({ name: 'Plan.paper', path_lower: '/paper/plan.paper', is_downloadable: false });
		expect(r.file_metadata['.tag']).toBeUndefined();
		const md = (await dbx.filesExport({ path: '/paper/plan.paper', export_format: 'markdown' })).result as any;
		expect(md.export_metadata.name).toBe('Plan.md');
		expect((md.fileBinary as Buffer).toString()).toBe('# Plan\n\n- ship <it>\n');
		const csv = (await dbx.filesExport({ path: '/paper/Sheet.gsheet', export_format: 'csv' })).result as any;
		expect(csv.export_metadata.name).toBe('Sheet.csv');
		let e = await sdkError(dbx.filesExport({ path: '/paper/Plan.paper', export_format: 'pdf' }));
		expect(e.error.error).toEqual({ '.tag': 'invalid_export_format' });
		e = await sdkError(dbx.filesExport({ path: '/paper/notes.txt' }));
		expect(e.error.error).toEqual({ '.tag': 'non_exportable' });
		e = await sdkError(dbx.filesExport({ path: '/paper/none.paper' }));
		expect(e.error.error).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
		// the Dropbox-API-Result header carries both parts
		const rr = await raw(emu.url, '/2/files/export', { headers: { Authorization: `Bearer ${TOKEN}`, 'Dropbox-API-Arg': JSON.stringify({ path: '/paper/Plan.paper' }) } });
		expect(rr.status).toBe(200);
		expect(Object.keys(JSON.parse(String(rr.headers['dropbox-api-result']))).sort()).toEqual(['export_metadata', 'file_metadata']);
	});
	test('list_folder include_non_downloadable_files (default true), also on continue', async () => {
		const all = (await dbx.filesListFolder({ path: '/paper' })).result;
		expect(all.entries.map((x) => x.name).sort()).toEqual(['Plan.paper', 'Sheet.gsheet', 'notes.txt']);
		const only = (await dbx.filesListFolder({ path: '/paper', include_non_downloadable_files: false })).result;
		expect(only.entries.map((x) => x.name)).toEqual(['notes.txt']);
		await emu.seedFile('/paper/Other.paper', 'x');
		await up('/paper/more.txt', 'm');
		const ch = (await dbx.filesListFolderContinue({ cursor: only.cursor })).result;
		expect(ch.entries.map((x) => x.name)).toEqual(['more.txt']);
		const latest = (await dbx.filesListFolderGetLatestCursor({ path: '/paper', include_non_downloadable_files: false })).result.cursor;
		await emu.seedFile('/paper/Third.paper', 'x');
		expect((await dbx.filesListFolderContinue({ cursor: latest })).result.entries).toEqual([]);
	});
});

describe('save_url URL validation', () => {
	test('malformed or unsupported URL → invalid_url at launch; unreachable → download_failed in the job', async () => {
		for (const url of ['not a url', 'ftp://example.com/file.txt', 'javascript:alert(1)', 'http://']) {
			const e = await sdkError(dbx.filesSaveUrl({ path: '/su/x.txt', url }));
			expect([url, e.status, e.error.error]).toEqual([url, 409, { '.tag': 'invalid_url' }]);
		}
		const l = (await dbx.filesSaveUrl({ path: '/su/y.txt', url: 'http://127.0.0.1:1/nothing' })).result as any;
		expect(l['.tag']).toBe('async_job_id');
		const r = await poll<any>(() => dbx.filesSaveUrlCheckJobStatus({ async_job_id: l.async_job_id }));
		expect(r).toEqual({ '.tag': 'failed', failed: { '.tag': 'download_failed' } });
	});
});

describe('download_zip limits', () => {
	test('too_large over 20 GB total or a file over 4 GB (metadata only, sparse seeded files); too_many_files', async () => {
		const f = Math.floor(3.9 * 1024 ** 3);
		for (let i = 0; i < 5; i++) await emu.seedFile(`/zipbig/sub${i % 2}/f${i}.bin`, { size: f, sparse: true });
		// 19.5 GiB: allowed (not downloaded here: the zip would stream every byte)
		expect(emu.state.account().ns.subtreeBytes(emu.state.account().ns.get('/zipbig')!).total).toBeLessThan(20 * 1024 ** 3);
		await emu.seedFile('/zipbig/f5.bin', { size: f, sparse: true });
		const e = await sdkError(dbx.filesDownloadZip({ path: '/zipbig' }));
		expect(e.error.error).toEqual({ '.tag': 'too_large' });
		expect(e.error.error_summary).toMatch(/^too_large\//);
		const m = (await dbx.filesGetMetadata({ path: '/zipbig/f5.bin' })).result as any;
		expect(m.size).toBe(f);
		// one file over 4 GB is too large too
		await emu.seedFile('/zipone/big.bin', { size: 4 * 1024 ** 3 + 1, sparse: true });
		expect((await sdkError(dbx.filesDownloadZip({ path: '/zipone' }))).error.error).toEqual({ '.tag': 'too_large' });
		await admin('seed', { generate: { folder: '/zipmany', count: 10001 } });
		expect((await sdkError(dbx.filesDownloadZip({ path: '/zipmany' }))).error.error).toEqual({ '.tag': 'too_many_files' });
	});
});

describe('shared link audience and expiry', () => {
	test('audience no_one: resolved_visibility no_one, effective_audience no_one, audience_options', async () => {
		await up('/aud/a.txt', 'a');
		const l = (await dbx.sharingCreateSharedLinkWithSettings({ path: '/aud/a.txt', settings: { audience: { '.tag': 'no_one' } } })).result as any;
		expect(l.link_permissions.resolved_visibility).toEqual({ '.tag': 'no_one' });
		expect(l.link_permissions.effective_audience).toEqual({ '.tag': 'no_one' });
		expect(l.link_permissions.requested_visibility).toBeUndefined();
		const opts = l.link_permissions.audience_options.map((o: any) => [o.audience['.tag'], o.allowed]);
		expect(opts).toEqual([['public', true], ['team', false], ['no_one', true]]);
		const pub = (await dbx.sharingModifySharedLinkSettings({ url: l.url, settings: { audience: { '.tag': 'public' } } })).result as any;
		expect(pub.link_permissions).toMatchObject({ resolved_visibility: { '.tag': 'public' }, requested_visibility: { '.tag': 'public' }, effective_audience: { '.tag': 'public' } });
		const pw = (await dbx.sharingModifySharedLinkSettings({ url: l.url, settings: { require_password: true, link_password: 's3cret' } })).result as any;
		expect(pw.link_permissions).toMatchObject({ resolved_visibility: { '.tag': 'password' }, require_password: true });
	});
	test('expires: in the past → settings_error/invalid_settings; malformed → 400; basic accounts → not_authorized', async () => {
		await up('/aud/b.txt', 'b');
		let e = await sdkError(dbx.sharingCreateSharedLinkWithSettings({ path: '/aud/b.txt', settings: { expires: '2001-01-01T00:00:00Z' } }));
		expect(e.error.error).toEqual({ '.tag': 'settings_error', settings_error: { '.tag': 'invalid_settings' } });
		e = await sdkError(dbx.sharingCreateSharedLinkWithSettings({ path: '/aud/b.txt', settings: { expires: 'tomorrow' } }));
		expect(e.status).toBe(400);
		const l = (await dbx.sharingCreateSharedLinkWithSettings({ path: '/aud/b.txt' })).result as any;
		e = await sdkError(dbx.sharingModifySharedLinkSettings({ url: l.url, settings: { expires: '2001-01-01T00:00:00Z' } }));
		expect(e.error.error.settings_error['.tag']).toBe('invalid_settings');
		const basic = (await admin('accounts', { accountType: 'basic' })).json();
		expect(basic.account_type).toEqual({ '.tag': 'basic' });
		const tok = (await admin('tokens', { accountId: basic.account_id })).json().access_token;
		const b = sdk(emu.url, tok);
		await b.filesUpload({ path: '/x.txt', contents: Buffer.from('x') });
		e = await sdkError(b.sharingCreateSharedLinkWithSettings({ path: '/x.txt', settings: { expires: '2099-01-01T00:00:00Z' } }));
		expect(e.error.error).toEqual({ '.tag': 'settings_error', settings_error: { '.tag': 'not_authorized' } });
		const ok = (await b.sharingCreateSharedLinkWithSettings({ path: '/x.txt' })).result as any;
		expect(ok.link_permissions.can_set_expiry).toBe(false);
	});
});

describe('team spaces', () => {
	let member: { accountId: string; homeNamespaceId: string; rootNamespaceId: string };
	let tdbx: Dropbox;
	const rootHeader = () => ({ '.tag': 'root', root: member.rootNamespaceId });
	beforeAll(async () => {
		const a = (await admin('accounts', { team: { name: 'Acme' }, teamFolders: ['Marketing', 'Engineering'], givenName: 'Tea', surname: 'Member' })).json();
		member = { accountId: a.account_id, homeNamespaceId: a.root_info.home_namespace_id, rootNamespaceId: a.root_info.root_namespace_id };
		const tok = (await admin('tokens', { accountId: member.accountId })).json().access_token;
		tdbx = sdk(emu.url, tok);
		await admin('seed', { accountId: member.accountId, root: true, files: [{ path: '/Marketing/plan.txt', content: 'team plan' }] });
		await admin('seed', { accountId: member.accountId, files: [{ path: '/mine.txt', content: 'home' }] });
		(globalThis as any).__tok = tok;
	});
	test('get_current_account: root_info .tag team, root ≠ home, team info', async () => {
		const r = (await tdbx.usersGetCurrentAccount()).result as any;
		expect(r.root_info['.tag']).toBe('team');
		expect(r.root_info.root_namespace_id).not.toBe(r.root_info.home_namespace_id);
		expect(typeof r.root_info.home_path).toBe('string');
		expect(r.team.name).toBe('Acme');
		expect(r.team_member_id).toMatch(/^dbmid:/);
	});
	test('Path-Root root resolves at the team space root; team folders are mounted (sharing_info); home without header', async () => {
		const rooted = sdk(emu.url, (globalThis as any).__tok, { pathRoot: JSON.stringify(rootHeader()) });
		const top = (await rooted.filesListFolder({ path: '' })).result;
		const names = top.entries.map((x) => x.name).sort();
		expect(names).toEqual(['Engineering', 'Marketing']);
		const mk = top.entries.find((x) => x.name === 'Marketing') as any;
		expect(mk.sharing_info).toMatchObject({ read_only: false, shared_folder_id: mk.shared_folder_id });
		expect((await rooted.filesDownload({ path: '/Marketing/plan.txt' }).then((r) => (r.result as any).fileBinary.toString()))).toBe('team plan');
		const noMounted = (await rooted.filesListFolder({ path: '', recursive: true, include_mounted_folders: false })).result;
		expect(noMounted.entries).toEqual([]);
		// without the header: the home namespace
		const home = (await tdbx.filesListFolder({ path: '' })).result;
		expect(home.entries.map((x) => x.name)).toEqual(['mine.txt']);
		// namespace_id: home or root given explicitly
		const byNs = sdk(emu.url, (globalThis as any).__tok, { pathRoot: JSON.stringify({ '.tag': 'namespace_id', namespace_id: member.rootNamespaceId }) });
		expect((await byNs.filesGetMetadata({ path: '/Marketing/plan.txt' })).result.name).toBe('plan.txt');
		expect((await tdbx.filesGetMetadata({ path: `ns:${member.rootNamespaceId}/Marketing/plan.txt` })).result.name).toBe('plan.txt');
		// writes land in the team space
		await rooted.filesUpload({ path: '/Engineering/spec.md', contents: Buffer.from('s') });
		expect((await sdkError(tdbx.filesGetMetadata({ path: '/Engineering/spec.md' }))).error.error.path['.tag']).toBe('not_found');
	});
	test('mismatches answer 422: invalid_root with the team root_info, no_permission', async () => {
		const wrong = await raw(emu.url, '/2/files/list_folder', { headers: { Authorization: `Bearer ${(globalThis as any).__tok}`, 'Content-Type': 'application/json', 'Dropbox-API-Path-Root': JSON.stringify({ '.tag': 'root', root: member.homeNamespaceId }) }, body: JSON.stringify({ path: '' }) });
		expect(wrong.status).toBe(422);
		expect(wrong.json().error).toEqual({ '.tag': 'invalid_root', invalid_root: { '.tag': 'team', root_namespace_id: member.rootNamespaceId, home_namespace_id: member.homeNamespaceId, home_path: '/Tea Member' } });
		const other = await raw(emu.url, '/2/files/list_folder', { headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Dropbox-API-Path-Root': JSON.stringify({ '.tag': 'namespace_id', namespace_id: member.rootNamespaceId }) }, body: JSON.stringify({ path: '' }) });
		expect(other.status).toBe(422);
		expect(other.json().error['.tag']).toBe('no_permission');
	});
	test('emu.addTeamMember: a teammate shares the team space root', async () => {
		const mate = emu.addTeamMember({ sameTeamAs: member.accountId });
		expect(mate.rootNamespaceId).toBe(member.rootNamespaceId);
		expect(mate.homeNamespaceId).not.toBe(member.homeNamespaceId);
		await emu.seedFile('/Engineering/by-mate.txt', 'm', { accountId: mate.accountId, root: true });
		const rooted = sdk(emu.url, (globalThis as any).__tok, { pathRoot: JSON.stringify(rootHeader()) });
		expect((await rooted.filesGetMetadata({ path: '/Engineering/by-mate.txt' })).result.name).toBe('by-mate.txt');
	});
});

describe('deleted folders in list_folder/continue', () => {
	test('a deleted folder comes back as one deleted entry (its children are implied), recursive or not', async () => {
		await up('/dfold/sub/a.txt', 'a');
		await up('/dfold/sub/deeper/b.txt', 'b');
		const rec = (await dbx.filesListFolderGetLatestCursor({ path: '/dfold', recursive: true })).result.cursor;
		const flat = (await dbx.filesListFolderGetLatestCursor({ path: '/dfold' })).result.cursor;
		await dbx.filesDeleteV2({ path: '/dfold/sub' });
		for (const cursor of [rec, flat]) {
			const r = (await dbx.filesListFolderContinue({ cursor })).result;
			expect(r.entries).toEqual([{ '.tag': 'deleted', name: 'sub', path_lower: '/dfold/sub', path_display: '/dfold/sub' }]);
		}
	});
});
