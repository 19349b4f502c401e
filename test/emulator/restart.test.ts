/**
 * Restarts (issue 9): with a state file the emulator stops and starts again on the same port as
 * if it had never stopped — the SDK's cursors, tokens, files, revisions, links and paged listings
 * carry on. Without it a restarted emulator is a fresh one, and an old cursor answers `reset`.
 */
import * as http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, Emulator } from '../../sandbox/emulator';
import { emulatorFetch, raw, sdk, sdkAuth, sdkError } from './helpers';

const TOKEN = 'restart-token';
let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'emu-restart-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A client with its own connections: a restart closes the old ones under a shared pool. */
const client = (emu: Emulator, token = TOKEN) => sdk(emu.url, token, { fetch: emulatorFetch(emu.url, new http.Agent()) });
const names = (entries: { name: string }[]) => entries.map((e) => e.name).sort();

test('a restart with a state file: same port, same data, every cursor and token still valid', async () => {
	const stateFile = join(dir, 'state.json');
	let emu: Emulator = await startEmulator({ accessToken: TOKEN, stateFile });
	const port = emu.port;
	let dbx = client(emu);
	await dbx.filesUpload({ path: '/w/a.txt', contents: Buffer.from('a1') });
	await dbx.filesUpload({ path: '/w/a.txt', contents: Buffer.from('a2'), mode: { '.tag': 'overwrite' } });
	await dbx.filesUpload({ path: '/w/gone.txt', contents: Buffer.from('g') });
	const { result: latest } = await dbx.filesListFolderGetLatestCursor({ path: '/w' });
	// after the cursor: a change it has not read yet, and a deletion
	await dbx.filesUpload({ path: '/w/b 😀.txt', contents: Buffer.from('b') });
	await dbx.filesDeleteV2({ path: '/w/gone.txt' });
	// a paged listing in the middle (limit 1)
	const { result: page1 } = await dbx.filesListFolder({ path: '/w', limit: 1 });
	const { result: link } = await dbx.sharingCreateSharedLinkWithSettings({ path: '/w/a.txt' });
	const member = emu.state.addAccount({});
	const { refreshToken } = emu.issueToken({ accountId: member.accountId, refresh: true, scopes: ['account_info.read'] });
	emu.setSuspended(true, member.accountId);
	const used = emu.state.account().ns.usedBytes;
	await emu.close();

	emu = await startEmulator({ accessToken: TOKEN, stateFile, port });
	try {
		expect(emu.port).toBe(port);
		dbx = client(emu);
		await dbx.filesUpload({ path: '/w/c.txt', contents: Buffer.from('c') });
		const { result: changes } = await dbx.filesListFolderContinue({ cursor: latest.cursor });
		expect(changes.entries.map((e) => `${e['.tag']} ${e.path_display}`)).toEqual(['file /w/b 😀.txt', 'deleted /w/gone.txt', 'file /w/c.txt']);
		const { result: page2 } = await dbx.filesListFolderContinue({ cursor: page1.cursor });
		expect(names([...page1.entries, ...page2.entries])).toEqual(['a.txt', 'b 😀.txt']);
		const { result: file } = (await dbx.filesDownload({ path: '/w/a.txt' })) as { result: { fileBinary: Buffer } };
		expect(file.fileBinary.toString()).toBe('a2');
		const { result: revisions } = await dbx.filesListRevisions({ path: '/w/a.txt' });
		expect(revisions.entries).toHaveLength(2);
		const { result: links } = await dbx.sharingListSharedLinks({ path: '/w/a.txt' });
		expect(links.links.map((l) => l.url)).toEqual([link.url]);
		expect(emu.state.account().ns.usedBytes).toBe(used + 1);
		// the other account: still suspended, and its refresh token still known
		const auth = sdkAuth(emu.url, { fetch: emulatorFetch(emu.url, new http.Agent()), clientId: 'sandbox-app-key', clientSecret: 'sandbox-app-secret', refreshToken });
		await auth.refreshAccessToken();
		expect((await sdkError(client(emu, auth.getAccessToken()).usersGetCurrentAccount())).error.error).toEqual({ '.tag': 'user_suspended' });
		// new namespaces do not collide with restored ones
		const fresh = emu.addTeamMember();
		expect(emu.state.namespaces.size).toBe(4);
		expect([fresh.homeNamespaceId, fresh.rootNamespaceId]).not.toContain(member.ns.id);
	} finally {
		await emu.close();
	}
});

test('a restart without the state (a fresh emulator on the same port): an old cursor answers reset', async () => {
	let emu = await startEmulator({ accessToken: TOKEN });
	const port = emu.port;
	await client(emu).filesUpload({ path: '/old.txt', contents: Buffer.from('o') });
	const { result: latest } = await client(emu).filesListFolderGetLatestCursor({ path: '' });
	await emu.close();
	emu = await startEmulator({ accessToken: TOKEN, port });
	try {
		const dbx = client(emu);
		const continued = await sdkError(dbx.filesListFolderContinue({ cursor: latest.cursor }));
		expect(continued.status).toBe(409);
		expect(continued.error.error).toEqual({ '.tag': 'reset' });
		expect(continued.error.error_summary).toMatch(/^reset\//);
		const longpoll = await raw(emu.url, '/2/files/list_folder/longpoll', { body: JSON.stringify({ cursor: latest.cursor, timeout: 30 }), headers: { 'Content-Type': 'application/json' } });
		expect([longpoll.status, longpoll.json().error]).toEqual([409, { '.tag': 'reset' }]);
	} finally {
		await emu.close();
	}
});

test('admin state/save writes the state file at once; without a state file it says so', async () => {
	const stateFile = join(dir, 'saved-now.json');
	const emu = await startEmulator({ accessToken: TOKEN, stateFile });
	try {
		await emu.seedFile('/saved.txt', 'x');
		const saved = await raw(emu.url, '/__admin/state/save', { body: '{}' });
		expect(saved.json()).toEqual({ stateFile, bytes: expect.any(Number) });
		expect(JSON.parse(readFileSync(stateFile, 'utf8')).namespaces.flatMap((ns: { nodes: { pathDisplay: string }[] }) => ns.nodes.map((n) => n.pathDisplay))).toEqual(['/saved.txt']);
	} finally {
		await emu.close();
	}
	const plain = await startEmulator({});
	try {
		const r = await raw(plain.url, '/__admin/state/save', { body: '{}' });
		expect([r.status, r.json().error]).toEqual([400, expect.stringMatching(/without a stateFile/)]);
	} finally {
		await plain.close();
	}
});

test('a restart with a state file keeps tags and file locks', async () => {
	const stateFile = join(dir, 'state-tags-locks.json');
	let emu: Emulator = await startEmulator({ accessToken: TOKEN, stateFile });
	const port = emu.port;
	let dbx = client(emu);
	await dbx.filesUpload({ path: '/t/doc.txt', contents: Buffer.from('d') });
	await dbx.filesTagsAdd({ path: '/t/doc.txt', tag_text: 'Kept' });
	await dbx.filesTagsAdd({ path: '/t', tag_text: 'folder' });
	const { result: locked } = await dbx.filesLockFileBatch({ entries: [{ path: '/t/doc.txt' }] });
	const created = (locked.entries[0] as { lock: { content: { created: string } } }).lock.content.created;
	await emu.close();

	emu = await startEmulator({ accessToken: TOKEN, stateFile, port });
	try {
		dbx = client(emu);
		const { result: tags } = await dbx.filesTagsGet({ paths: ['/t/doc.txt', '/t'] });
		expect(tags.paths_to_tags.map((p) => p.tags.map((t) => t.tag_text))).toEqual([['kept'], ['folder']]);
		const { result: state } = await dbx.filesGetFileLockBatch({ entries: [{ path: '/t/doc.txt' }] });
		expect((state.entries[0] as { lock: { content: unknown } }).lock.content).toEqual({ '.tag': 'single_user', created, lock_holder_account_id: emu.accountId });
	} finally {
		await emu.close();
	}
});

test('a restart with a state file keeps file requests, their received files and a list cursor', async () => {
	const stateFile = join(dir, 'state-file-requests.json');
	let emu: Emulator = await startEmulator({ accessToken: TOKEN, stateFile });
	const port = emu.port;
	let dbx = client(emu);
	const { result: made } = await dbx.fileRequestsCreate({ title: 'Invoices', destination: '/Requests/Invoices' });
	await dbx.fileRequestsCreate({ title: 'Photos', destination: '/Requests/Photos', open: false });
	await dbx.filesUpload({ path: '/Requests/Invoices/one.pdf', contents: Buffer.from('1') });
	const { result: page1 } = await dbx.fileRequestsListV2({ limit: 1 });
	await emu.close();

	emu = await startEmulator({ accessToken: TOKEN, stateFile, port });
	try {
		dbx = client(emu);
		const { result: got } = await dbx.fileRequestsGet({ id: made.id });
		expect(got).toMatchObject({ title: 'Invoices', destination: '/Requests/Invoices', is_open: true, file_count: 1, url: made.url, created: made.created });
		const { result: page2 } = await dbx.fileRequestsListContinue({ cursor: page1.cursor });
		expect([...page1.file_requests, ...page2.file_requests].map((r) => r.title)).toEqual(['Invoices', 'Photos']);
		expect(page2.has_more).toBe(false);
		expect((await dbx.fileRequestsCount()).result.file_request_count).toBe(2);
	} finally {
		await emu.close();
	}
});
