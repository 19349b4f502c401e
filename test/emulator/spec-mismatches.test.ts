/**
 * Where the emulator answered differently from what the Stone spec (/work/shared/dropbox-api-spec,
 * files.stone, sharing.stone, users.stone, users_common.stone) says, each driven through the official
 * `dropbox` SDK: argument patterns, case-only renames, link access levels, search options, team space
 * usage, list_revisions paging, account ids, download_zip limits, existing links and save_url conflicts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Dropbox } from 'dropbox';
import { startEmulator, Emulator } from '../../sandbox/emulator';
import { reachableNamespace } from '../../sandbox/emulator/auth';
import { enterNamespace } from '../../sandbox/emulator/paths';
import { raw, sdk, sdkError } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */
let emu: Emulator;
let dbx: Dropbox;
const TOKEN = 'spec-token';

beforeAll(async () => {
	emu = await startEmulator({ accessToken: TOKEN });
	emu.state.jobFirstCheckInProgress = false;
	dbx = sdk(emu.url, TOKEN);
});
afterAll(() => emu.close());

const up = (path: string, data: string | Buffer, extra: Record<string, unknown> = {}) =>
	dbx.filesUpload({ path, contents: Buffer.from(data), ...extra } as any).then((r) => r.result as any);
const admin = (path: string, body?: unknown, method = 'POST') =>
	raw(emu.url, '/__admin/' + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
const rpc = (route: string, body: unknown, token = TOKEN) =>
	raw(emu.url, '/2/' + route, { headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function poll(check: () => Promise<{ result: any }>): Promise<any> {
	for (let i = 0; i < 100; i++) {
		const r = (await check()).result;
		if (r['.tag'] !== 'in_progress') return r;
		await new Promise((res) => setTimeout(res, 20));
	}
	throw new Error('job never completed');
}

describe('files/restore and files/save_url take a path, never id: (WritePath / Path)', () => {
	test('id: is a 400 naming the spec pattern; a path is accepted', async () => {
		const f = await up('/pat/doc.txt', 'v1');
		const restore = await rpc('files/restore', { path: f.id, rev: f.rev });
		expect(restore.status).toBe(400);
		expect(restore.text).toBe(`Error in call to API function "files/restore": request body: path: '${f.id}' did not match pattern '(/(.|[\\r\\n])*)|(ns:[0-9]+(/(.|[\\r\\n])*)?)'`);
		const save = await rpc('files/save_url', { path: 'id:abc', url: 'http://127.0.0.1:1/x' });
		expect(save.status).toBe(400);
		expect(save.text).toBe(`Error in call to API function "files/save_url": request body: path: 'id:abc' did not match pattern '/(.|[\\r\\n])*'`);
		// save_url's Path has no ns: form either; restore's WritePath has
		const home = (await dbx.usersGetCurrentAccount()).result.root_info.home_namespace_id;
		expect((await rpc('files/save_url', { path: `ns:${home}/x.txt`, url: 'http://127.0.0.1:1/x' })).status).toBe(400);
		expect((await rpc('files/restore', { path: `ns:${home}/pat/doc.txt`, rev: f.rev })).status).toBe(200);
		expect((await dbx.filesRestore({ path: '/pat/doc.txt', rev: f.rev })).result.path_display).toBe('/pat/doc.txt');
	});
});

describe('move_v2 / move_batch_v2: no case-only renames', () => {
	test('a case-only move is refused as duplicated_or_nested_paths, alone and in a batch; nothing changes', async () => {
		await up('/case/Foo.txt', 'foo');
		await dbx.filesCreateFolderV2({ path: '/case/Dir' });
		const e = await sdkError(dbx.filesMoveV2({ from_path: '/case/Foo.txt', to_path: '/case/FOO.txt' }));
		expect([e.status, e.error.error]).toEqual([409, { '.tag': 'duplicated_or_nested_paths' }]);
		const d = await sdkError(dbx.filesMoveV2({ from_path: '/case/Dir', to_path: '/case/dir' }));
		expect(d.error.error).toEqual({ '.tag': 'duplicated_or_nested_paths' });
		const l = (await dbx.filesMoveBatchV2({ entries: [{ from_path: '/case/Foo.txt', to_path: '/case/foo.TXT' }, { from_path: '/case/Dir', to_path: '/case/DIR' }] })).result as any;
		const r = await poll(() => dbx.filesMoveBatchCheckV2({ async_job_id: l.async_job_id }));
		expect(r.entries).toEqual([
			{ '.tag': 'failure', failure: { '.tag': 'relocation_error', relocation_error: { '.tag': 'duplicated_or_nested_paths' } } },
			{ '.tag': 'failure', failure: { '.tag': 'relocation_error', relocation_error: { '.tag': 'duplicated_or_nested_paths' } } },
		]);
		expect((await dbx.filesGetMetadata({ path: '/case/foo.txt' })).result.path_display).toBe('/case/Foo.txt');
		expect((await dbx.filesGetMetadata({ path: '/case/dir' })).result.path_display).toBe('/case/Dir');
		// the way round it: two moves through another name
		await dbx.filesMoveV2({ from_path: '/case/Foo.txt', to_path: '/case/Foo.txt.tmp' });
		expect((await dbx.filesMoveV2({ from_path: '/case/Foo.txt.tmp', to_path: '/case/FOO.txt' })).result.metadata.path_display).toBe('/case/FOO.txt');
	});
});

describe('shared links: existing links and access levels', () => {
	test('shared_link_already_exists carries the metadata only when no settings were sent', async () => {
		await up('/links/a.txt', 'a');
		const l = (await dbx.sharingCreateSharedLinkWithSettings({ path: '/links/a.txt' })).result as any;
		const bare = await sdkError(dbx.sharingCreateSharedLinkWithSettings({ path: '/links/a.txt' }));
		expect(bare.error.error.shared_link_already_exists.metadata.url).toBe(l.url);
		const withSettings = await sdkError(dbx.sharingCreateSharedLinkWithSettings({ path: '/links/a.txt', settings: { audience: { '.tag': 'public' } } }));
		expect(withSettings.error.error).toEqual({ '.tag': 'shared_link_already_exists' });
		expect(withSettings.error.error_summary).toMatch(/^shared_link_already_exists\//);
	});
	test('modify_shared_link_settings cannot change access: another level is settings_error/invalid_settings, the same one passes', async () => {
		await up('/links/b.txt', 'b');
		const l = (await dbx.sharingCreateSharedLinkWithSettings({ path: '/links/b.txt', settings: { access: { '.tag': 'viewer' } } })).result as any;
		const e = await sdkError(dbx.sharingModifySharedLinkSettings({ url: l.url, settings: { access: { '.tag': 'editor' }, allow_download: false } }));
		expect(e.error.error).toEqual({ '.tag': 'settings_error', settings_error: { '.tag': 'invalid_settings' } });
		const unchanged = (await dbx.sharingGetSharedLinkMetadata({ url: l.url })).result as any;
		expect(unchanged.link_permissions).toMatchObject({ link_access_level: { '.tag': 'viewer' }, allow_download: true });
		const same = (await dbx.sharingModifySharedLinkSettings({ url: l.url, settings: { access: { '.tag': 'viewer' }, allow_download: false } })).result as any;
		expect(same.link_permissions).toMatchObject({ link_access_level: { '.tag': 'viewer' }, allow_download: false });
	});
});

describe('search_v2: file_extensions and file_categories are for active files only', () => {
	test('with file_status deleted they are invalid_argument; without, deleted files are found', async () => {
		await up('/srch/gone.pdf', 'p');
		await dbx.filesDeleteV2({ path: '/srch/gone.pdf' });
		for (const options of [{ file_extensions: ['pdf'] }, { file_categories: [{ '.tag': 'pdf' }] }]) {
			const e = await sdkError(dbx.filesSearchV2({ query: 'gone', options: { file_status: { '.tag': 'deleted' }, ...options } as any }));
			expect(e.status).toBe(409);
			expect(e.error.error['.tag']).toBe('invalid_argument');
			expect(e.error.error.invalid_argument).toMatch(/only supported for active file search/);
		}
		const found = (await dbx.filesSearchV2({ query: 'gone', options: { file_status: { '.tag': 'deleted' } } })).result;
		expect(found.matches.map((m: any) => m.metadata.metadata.path_display)).toEqual(['/srch/gone.pdf']);
	});
});

describe('users/get_space_usage', () => {
	test('a team member: TeamSpaceAllocation with the team usage, the member limit and its type; an individual account: IndividualSpaceAllocation', async () => {
		expect(((await dbx.usersGetSpaceUsage()).result as any).allocation).toEqual({ '.tag': 'individual', allocated: 2 * 1024 ** 4 });
		const a = (await admin('accounts', { team: { name: 'Quota Team', id: 'dbtid:quota' }, allocated: 10_000_000, memberSpaceLimit: 1_000_000 })).json();
		const b = (await admin('accounts', { team: { id: 'dbtid:quota' }, allocated: 10_000_000 })).json();
		await emu.seedFile('/mine.bin', { size: 300_000 }, { accountId: a.account_id });
		await emu.seedFile('/theirs.bin', { size: 200_000 }, { accountId: b.account_id });
		await emu.seedFile('/shared.bin', { size: 100_000 }, { accountId: a.account_id, root: true });
		const ta = sdk(emu.url, (await admin('tokens', { accountId: a.account_id })).json().access_token);
		const tb = sdk(emu.url, (await admin('tokens', { accountId: b.account_id })).json().access_token);
		expect((await ta.usersGetSpaceUsage()).result).toEqual({
			used: 300_000,
			allocation: {
				'.tag': 'team', used: 600_000, allocated: 10_000_000,
				user_within_team_space_allocated: 1_000_000, user_within_team_space_limit_type: { '.tag': 'stop_sync' }, user_within_team_space_used_cached: 300_000,
			},
		});
		expect((await tb.usersGetSpaceUsage()).result).toMatchObject({
			used: 200_000,
			allocation: { '.tag': 'team', used: 600_000, allocated: 10_000_000, user_within_team_space_allocated: 0, user_within_team_space_limit_type: { '.tag': 'off' } },
		});
	});
});

describe('list_revisions pages with has_more and before_rev', () => {
	test('has_more says older revisions remain; before_rev fetches them (path mode only)', async () => {
		const revs: string[] = [];
		for (let i = 0; i < 5; i++) revs.push((await up('/revs/r.txt', `v${i}`, { mode: { '.tag': 'overwrite' } })).rev);
		const first = (await dbx.filesListRevisions({ path: '/revs/r.txt', limit: 3 })).result as any;
		expect(first.has_more).toBe(true);
		expect(first.entries.map((e: any) => e.rev)).toEqual([revs[4], revs[3], revs[2]]);
		const next = (await dbx.filesListRevisions({ path: '/revs/r.txt', limit: 3, before_rev: revs[2] })).result as any;
		expect(next.has_more).toBe(false);
		expect(next.entries.map((e: any) => e.rev)).toEqual([revs[1], revs[0]]);
		expect(((await dbx.filesListRevisions({ path: '/revs/r.txt' })).result as any).has_more).toBe(false);
		const byId = await sdkError(dbx.filesListRevisions({ path: first.entries[0].id, mode: { '.tag': 'id' }, before_rev: revs[2] }));
		expect(byId.error.error).toEqual({ '.tag': 'before_rev_not_supported' });
		const bad = await sdkError(dbx.filesListRevisions({ path: '/revs/r.txt', before_rev: '0123456789ab' }));
		expect(bad.error.error).toEqual({ '.tag': 'invalid_before_rev' });
	});
});

describe('account ids are AccountId: 40 characters', () => {
	test('the default account, an admin account and a team member', async () => {
		const ids = [
			(await dbx.usersGetCurrentAccount()).result.account_id,
			(await admin('accounts', {})).json().account_id,
			emu.addTeamMember({}).accountId,
		];
		for (const id of ids) expect([id, id.length]).toEqual([id, 40]);
		for (const id of ids) expect(id).toMatch(/^dbid:[A-Za-z0-9_-]{35}$/);
	});
});

describe('download_zip: too_many_files from 10,000 entries, the folder counted', () => {
	test('9,998 files + the folder download; 9,999 files + the folder are too_many_files', async () => {
		await admin('seed', { generate: { folder: '/zip9999', count: 9999 } });
		expect((await sdkError(dbx.filesDownloadZip({ path: '/zip9999' }))).error.error).toEqual({ '.tag': 'too_many_files' });
		await dbx.filesDeleteV2({ path: '/zip9999/' + (await dbx.filesListFolder({ path: '/zip9999', limit: 1 })).result.entries[0].name });
		const ok = await raw(emu.url, '/2/files/download_zip', { headers: { Authorization: `Bearer ${TOKEN}`, 'Dropbox-API-Arg': JSON.stringify({ path: '/zip9999' }) } });
		expect(ok.status).toBe(200);
		expect(ok.body.subarray(0, 2).toString()).toBe('PK');
	});
});

describe('save_url onto an existing path: SaveUrlError.path (WriteError conflict), never a rename', () => {
	let server: Server;
	let base: string;
	let release: () => void = () => undefined;
	beforeAll(async () => {
		server = createServer((req, res) => {
			if (req.url === '/held') release = () => res.writeHead(200).end('late bytes');
			else res.writeHead(200).end('bytes');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});
	test('refused at launch when taken; a file written there while the URL downloads fails the job with path/conflict, the file is kept, no "(1)" copy', async () => {
		await up('/su2/taken.txt', 'old');
		await dbx.filesCreateFolderV2({ path: '/su2/dir' });
		const file = await sdkError(dbx.filesSaveUrl({ path: '/su2/taken.txt', url: `${base}/x` }));
		expect(file.error.error).toEqual({ '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file' } } });
		const folder = await sdkError(dbx.filesSaveUrl({ path: '/su2/DIR', url: `${base}/x` }));
		expect(folder.error.error).toEqual({ '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'folder' } } });
		const l = (await dbx.filesSaveUrl({ path: '/su2/late.txt', url: `${base}/held` })).result as any;
		await up('/su2/late.txt', 'written meanwhile');
		await new Promise((res) => setTimeout(res, 50));
		release();
		const r = await poll(() => dbx.filesSaveUrlCheckJobStatus({ async_job_id: l.async_job_id }));
		expect(r).toEqual({ '.tag': 'failed', failed: { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file' } } } });
		const names = (await dbx.filesListFolder({ path: '/su2' })).result.entries.map((e) => e.name).sort();
		expect(names).toEqual(['dir', 'late.txt', 'taken.txt']);
		expect((await dbx.filesGetMetadata({ path: '/su2/late.txt' })).result).toMatchObject({ size: 'written meanwhile'.length });
	});
});

describe('namespaces an account can reach: home, team space root, and shared (team) folders', () => {
	let member: { account_id: string; root_info: { root_namespace_id: string; home_namespace_id: string } };
	let token: string;
	let marketingId: string;
	beforeAll(async () => {
		member = (await admin('accounts', { team: { name: 'Reach' }, teamFolders: ['Marketing'], givenName: 'Re', surname: 'Ach' })).json();
		token = (await admin('tokens', { accountId: member.account_id })).json().access_token;
		await emu.seedFile('/Marketing/plan.txt', 'team plan', { accountId: member.account_id, root: true });
		await emu.seedFile('/mine.txt', 'home', { accountId: member.account_id });
		const rooted = sdk(emu.url, token, { pathRoot: JSON.stringify({ '.tag': 'root', root: member.root_info.root_namespace_id }) });
		marketingId = ((await rooted.filesGetMetadata({ path: '/Marketing' })).result as any).shared_folder_id;
	});

	test('reachableNamespace: the home, the team root and a team folder by its shared_folder_id; nothing else', () => {
		const account = emu.state.account(member.account_id);
		expect(reachableNamespace(account, member.root_info.home_namespace_id)).toEqual({ ns: account.ns });
		expect(reachableNamespace(account, member.root_info.root_namespace_id)).toEqual({ ns: account.team!.rootNs });
		const shared = reachableNamespace(account, marketingId);
		expect(shared?.ns).toBe(account.team!.rootNs);
		expect(shared?.mount?.pathDisplay).toBe('/Marketing');
		expect(reachableNamespace(account, '999999999')).toBeUndefined();
		// another account's namespaces are out of reach
		expect(reachableNamespace(emu.state.account(), marketingId)).toBeUndefined();
		expect(reachableNamespace(emu.state.account(), member.root_info.home_namespace_id)).toBeUndefined();
	});

	test('ns:<shared_folder_id>/path reads and lists inside the team folder', async () => {
		const t = sdk(emu.url, token);
		expect((await t.filesGetMetadata({ path: `ns:${marketingId}/plan.txt` })).result).toMatchObject({ name: 'plan.txt' });
		const listed = (await t.filesListFolder({ path: `ns:${marketingId}` })).result.entries.map((e) => e.name);
		expect(listed).toEqual(['plan.txt']);
		expect((await sdkError(sdk(emu.url, TOKEN).filesGetMetadata({ path: `ns:${marketingId}/plan.txt` }))).error.error).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
	});

	test('enterNamespace makes paths start in the team folder, and answers paths relative to it', async () => {
		const t = sdk(emu.url, token);
		const account = emu.state.account(member.account_id);
		const ctx: any = { st: emu.state, account, ns: account.ns, route: 'files/get_metadata' };
		expect(enterNamespace(ctx, '999999999')).toBe(false);
		expect(ctx.ns).toBe(account.ns);
		expect(enterNamespace(ctx, marketingId)).toBe(true);
		expect(ctx.ns).toBe(account.team!.rootNs);
		expect(ctx.mount.pathDisplay).toBe('/Marketing');
		const meta = await emu.routes['files/get_metadata'].handler({ ...ctx, arg: { path: '/plan.txt' } });
		expect(meta).toMatchObject({ name: 'plan.txt', path_lower: '/plan.txt', path_display: '/plan.txt' });
		const listed = (await emu.routes['files/list_folder'].handler({ ...ctx, route: 'files/list_folder', arg: { path: '', recursive: true } })) as any;
		expect(listed.entries.map((e: any) => e.path_display)).toEqual(['/plan.txt']);
		// "/" is the shared folder itself: the root, which get_metadata does not take
		await expect(emu.routes['files/get_metadata'].handler({ ...ctx, arg: { path: '/' } })).rejects.toThrow(/The root folder is unsupported/);
		// the home and the team root need no mount
		expect(enterNamespace(ctx, member.root_info.home_namespace_id)).toBe(true);
		expect([ctx.ns, ctx.mount]).toEqual([account.ns, undefined]);
		expect((await t.filesListFolder({ path: '' })).result.entries.map((e) => e.name)).toEqual(['mine.txt']);
	});

	// checkPathRoot (sandbox/emulator/apiCall.ts) enters a team folder's namespace through enterNamespace
	test('Dropbox-API-Path-Root namespace_id of a team folder: paths start there', async () => {
		const inFolder = sdk(emu.url, token, { pathRoot: JSON.stringify({ '.tag': 'namespace_id', namespace_id: marketingId }) });
		expect((await inFolder.filesGetMetadata({ path: '/plan.txt' })).result).toMatchObject({ name: 'plan.txt', path_display: '/plan.txt' });
	});
});
