import type { Emulator } from '../../sandbox/emulator';
import { byPath, emulator, failure, run } from './run';

const create = (path: string, extra: Record<string, unknown> = {}) => ({
	resource: 'sharedLink',
	operation: 'create',
	path: byPath(path),
	...extra,
});

describe('Shared Link', () => {
	let emu: Emulator;
	const bytes = Buffer.from('the quarterly report, ünïcode and all\n'.repeat(100));
	beforeAll(async () => {
		emu = await emulator();
		await emu.seedFile('/Share/report.pdf', bytes);
		await emu.seedFile('/Share/other.txt', 'other');
		await emu.seedFile('/Share/Docs/inner.txt', 'inside a shared folder');
		await emu.seedFile('/Share/secret.txt', 'password protected');
	});
	afterAll(async () => await emu.close());
	beforeEach(() => emu.resetCalls());

	it('creates a link with settings, and downloads the exact bytes from it', async () => {
		const expires = new Date(Date.now() + 86_400_000 * 30);
		const created = await run(emu, create('/Share/report.pdf', { settings: { audience: 'public', expires: expires.toISOString(), allowDownload: true } }));
		const link = created.items[0].json;
		expect(link).toMatchObject({ '.tag': 'file', name: 'report.pdf', path_lower: '/share/report.pdf', expires: expires.toISOString().replace(/\.\d{3}Z$/, 'Z') });
		expect(String(link.url)).toMatch(/\/scl\/fi\//);

		const downloaded = await run(emu, { resource: 'sharedLink', operation: 'downloadFromLink', url: link.url });
		const binary = downloaded.items[0].binary!.data;
		expect(binary.fileName).toBe('report.pdf');
		expect((await downloaded.test.readBinary(binary)).equals(bytes)).toBe(true);
		expect(downloaded.items[0].json).toMatchObject({ name: 'report.pdf', size: bytes.length });
	});

	it('when a link exists: returns it, updates its settings, or fails, as chosen', async () => {
		const first = (await run(emu, create('/Share/other.txt'))).items[0].json;
		emu.resetCalls();
		const bare = (await run(emu, create('/Share/other.txt'))).items[0].json;
		expect(bare.url).toBe(first.url);
		// without settings the existing link comes from Dropbox's own answer: no extra listing call
		expect(emu.calls().byRoute['sharing/list_shared_links']).toBeUndefined();
		const existing = (await run(emu, create('/Share/other.txt', { ifExists: 'returnExisting', settings: { audience: 'team' } }))).items[0].json;
		expect(existing.url).toBe(first.url);
		expect(existing.link_permissions).toMatchObject({ effective_audience: { '.tag': 'public' } });
		expect(emu.calls().byRoute['sharing/modify_shared_link_settings']).toBeUndefined();
		// with settings Dropbox leaves the existing link's metadata out ("could make the existing link
		// incompatible"): the node lists the path's own link instead
		expect(emu.calls().byRoute['sharing/list_shared_links']).toBe(1);

		const updated = (await run(emu, create('/Share/other.txt', { ifExists: 'update', settings: { audience: 'team' } }))).items[0].json;
		expect(updated.url).toBe(first.url);
		expect(updated.link_permissions).toMatchObject({ effective_audience: { '.tag': 'team' } });
		const fetched = (await run(emu, { resource: 'sharedLink', operation: 'get', url: first.url })).items[0].json;
		expect(fetched.link_permissions).toMatchObject({ effective_audience: { '.tag': 'team' } });

		const error = await failure(run(emu, create('/Share/other.txt', { ifExists: 'error' })));
		expect(error.message).toContain('shared_link_already_exists');
		expect(error.description).toContain('If a Link Exists');
	});

	it('Update Its Settings never sends Access Level (Dropbox cannot change it); another level than the link\'s fails the item, unchanged', async () => {
		await emu.seedFile('/Share/access.txt', 'access');
		const first = (await run(emu, create('/Share/access.txt', { settings: { access: 'viewer' } }))).items[0].json;
		expect(first.link_permissions).toMatchObject({ link_access_level: { '.tag': 'viewer' } });

		const same = await run(emu, create('/Share/access.txt', { ifExists: 'update', settings: { access: 'viewer', allowDownload: false } }));
		expect(same.items[0].json).toMatchObject({ url: first.url, link_permissions: { allow_download: false, link_access_level: { '.tag': 'viewer' } } });
		const modify = same.test.requests.find((request) => request.url.endsWith('/sharing/modify_shared_link_settings'));
		expect(JSON.parse(String(modify?.body))).toEqual({ url: first.url, settings: { allow_download: false } });

		emu.resetCalls();
		const other = await failure(run(emu, create('/Share/access.txt', { ifExists: 'update', settings: { access: 'editor', allowDownload: true } })));
		expect(other.message).toBe('The existing shared link of "/Share/access.txt" has Access Level viewer, not editor');
		expect(other.description).toContain('Dropbox cannot change the access level of an existing link');
		expect(emu.calls().byRoute['sharing/modify_shared_link_settings']).toBeUndefined();
		const kept = (await run(emu, { resource: 'sharedLink', operation: 'get', url: first.url })).items[0].json;
		expect(kept.link_permissions).toMatchObject({ allow_download: false, link_access_level: { '.tag': 'viewer' } });
	});

	it('password-protected links need the password to read and download', async () => {
		const link = (await run(emu, create('/Share/secret.txt', { settings: { password: 'open sesame' } }))).items[0].json;
		expect(link.link_permissions).toMatchObject({ require_password: true });
		const denied = await failure(run(emu, { resource: 'sharedLink', operation: 'get', url: link.url }));
		expect(denied.message).toContain('shared_link_access_denied');
		const got = await run(emu, { resource: 'sharedLink', operation: 'get', url: link.url, linkPassword: 'open sesame' });
		expect(got.items[0].json.name).toBe('secret.txt');
		const file = await run(emu, { resource: 'sharedLink', operation: 'downloadFromLink', url: link.url, linkPassword: 'open sesame' });
		expect((await file.test.readBinary(file.items[0].binary!.data)).toString()).toBe('password protected');
	});

	it('downloads a file inside a shared folder link by its relative path', async () => {
		const link = (await run(emu, create('/Share/Docs'))).items[0].json;
		expect(link['.tag']).toBe('folder');
		const file = await run(emu, {
			resource: 'sharedLink',
			operation: 'downloadFromLink',
			url: link.url,
			pathInLink: '/inner.txt',
			binaryPropertyName: 'doc',
		});
		expect(file.items[0].binary!.doc.fileName).toBe('inner.txt');
		expect((await file.test.readBinary(file.items[0].binary!.doc)).toString()).toBe('inside a shared folder');
	});

	it('lists all links or those of one path, with a limit', async () => {
		const all = await run(emu, { resource: 'sharedLink', operation: 'list', scope: 'all', returnAll: true });
		expect(all.items.map((item) => item.json.name).sort()).toEqual(['Docs', 'access.txt', 'other.txt', 'report.pdf', 'secret.txt']);
		const one = await run(emu, { resource: 'sharedLink', operation: 'list', scope: 'path', path: byPath('/Share/Docs/inner.txt'), returnAll: true });
		expect(one.items.map((item) => item.json.name)).toEqual(['Docs']);
		const direct = await run(emu, {
			resource: 'sharedLink',
			operation: 'list',
			scope: 'path',
			path: byPath('/Share/Docs/inner.txt'),
			directOnly: true,
			returnAll: true,
		});
		expect(direct.items).toHaveLength(0);
		const limited = await run(emu, { resource: 'sharedLink', operation: 'list', scope: 'all', limit: 2 });
		expect(limited.items).toHaveLength(2);
	});

	it('revokes a link: it no longer resolves', async () => {
		const link = (await run(emu, create('/Share/report.pdf'))).items[0].json;
		const revoked = await run(emu, { resource: 'sharedLink', operation: 'revoke', url: link.url });
		expect(revoked.items[0].json).toEqual({ url: link.url, revoked: true });
		const gone = await failure(run(emu, { resource: 'sharedLink', operation: 'get', url: link.url }));
		expect(gone.message).toContain('shared_link_not_found');
	});

	it('validates the link, the expiry and the folder path before any call', async () => {
		const notUrl = await failure(run(emu, { resource: 'sharedLink', operation: 'get', url: 'report.pdf' }));
		expect(notUrl.message).toBe('The Shared Link "report.pdf" is not a web address');
		const past = await failure(run(emu, create('/Share/report.pdf', { settings: { expires: '2001-01-01T00:00:00Z' } })));
		expect(past.message).toContain('is in the past');
		const bad = await failure(run(emu, create('/Share/report.pdf', { settings: { expires: 'next tuesday' } })));
		expect(bad.message).toContain('is not a date and time');
		const badInner = await failure(
			run(emu, { resource: 'sharedLink', operation: 'downloadFromLink', url: 'https://www.dropbox.com/scl/fi/x/y', pathInLink: '/a//b' }),
		);
		expect(badInner.message).toContain('Path Inside a Folder Link');
		expect(emu.calls().total).toBe(0);
	});
});
