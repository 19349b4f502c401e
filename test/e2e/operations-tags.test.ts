/**
 * The Tag resource of the Dropbox Plus node, run from the BUILT package in real n8n against the
 * emulator (issue 19): tags added from a comma-separated expression, read back for many items in
 * one call, removed; a missing item is its own error item.
 */
import { HARNESS_TIMEOUT_MS, startHarness, workflow, type Harness } from './harness';
import { byPath, callDelta, codeItems, dropbox } from './support/operations';

describe('Tag operations in real n8n', () => {
	let h: Harness;
	let credId: string;

	beforeAll(async () => {
		h = await startHarness();
		credId = await h.importApiCredential();
		await h.emulator.seed({
			folders: ['/Contracts'],
			files: [
				{ path: '/Contracts/acme.pdf', content: 'acme' },
				{ path: '/Contracts/globex 😀.pdf', content: 'globex' },
			],
		});
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it('adds tags from an expression, gets the tags of every item in one files/tags/get, removes one; a missing path is its own error item', async () => {
		const paths = ['/Contracts/acme.pdf', '/Contracts/globex 😀.pdf', '/Contracts'];
		const wf = workflow('tags: add, get, remove', [
			codeItems('Paths', paths.map((path, i) => ({ json: { path, year: 2026 + i } }))),
			dropbox('Add tags', credId, { resource: 'tag', operation: 'add', path: byPath('={{ $json.path }}'), tags: '=#Signed, year_{{ $json.year }}' }),
			dropbox('Remove tag', credId, { resource: 'tag', operation: 'remove', path: byPath("={{ $('Paths').item.json.path }}"), tags: 'signed', ignoreMissing: false }, { executeOnce: true }),
			codeItems('Ask', [...paths, '/Contracts/none.pdf'].map((path) => ({ json: { path } }))),
			dropbox('Get tags', credId, { resource: 'tag', operation: 'get', path: byPath('={{ $json.path }}') }, { onError: 'continueRegularOutput' }),
		]);
		const before = (await h.emulator.calls()).byRoute;
		const run = await h.n8n.runWorkflow(wf);
		const calls = callDelta(before, (await h.emulator.calls()).byRoute);

		expect(run.status).toBe('success');
		expect(run.json('Add tags')).toEqual([
			{ path: '/Contracts/acme.pdf', added: ['signed', 'year_2026'] },
			{ path: '/Contracts/globex 😀.pdf', added: ['signed', 'year_2027'] },
			{ path: '/Contracts', added: ['signed', 'year_2028'] },
		]);
		expect(run.json('Remove tag')).toEqual([{ path: '/Contracts/acme.pdf', removed: ['signed'] }]);
		const got = run.items('Get tags');
		expect(got.slice(0, 3).map((item) => [item.json, item.pairedItem])).toEqual([
			[{ path: '/Contracts/acme.pdf', tags: ['year_2026'] }, { item: 0 }],
			[{ path: '/Contracts/globex 😀.pdf', tags: ['signed', 'year_2027'] }, { item: 1 }],
			[{ path: '/Contracts', tags: ['signed', 'year_2028'] }, { item: 2 }],
		]);
		expect(got[3].json).toMatchObject({ tag: 'path/not_found', path: '/Contracts/none.pdf', error: expect.stringMatching(/^Not found in Dropbox/) });
		expect(got[3].pairedItem).toEqual({ item: 3 });
		// 6 adds, 1 remove; the 4 paths in one tags/get, then (one of them missing) one per path
		// (the credential's first token refresh, oauth2/token, is not a tag call)
		const tagCalls = Object.fromEntries(Object.entries(calls).filter(([route]) => route.startsWith('files/')));
		expect(tagCalls).toEqual({ 'files/tags/add': 6, 'files/tags/remove': 1, 'files/tags/get': 5 });
	}, 300_000);

	it('List and Search with Include Tags: every entry carries its tags, Simplify keeps them, one files/tags/get per step', async () => {
		const wf = workflow('tags: list and search with tags', [
			codeItems('Paths', [{ json: { path: '/Tagged/paid invoice.pdf' } }, { json: { path: '/Tagged/Old' } }]),
			dropbox('Tag', credId, { resource: 'tag', operation: 'add', path: byPath('={{ $json.path }}'), tags: "={{ $json.path.endsWith('.pdf') ? 'Paid, invoice' : 'archive' }}" }),
			dropbox('List', credId, { resource: 'folder', operation: 'list', folder: byPath('/Tagged'), recursive: false, entryType: 'all', returnAll: true, simplify: true, options: { includeTags: true } }, { executeOnce: true }),
			dropbox('Search', credId, { resource: 'search', operation: 'search', query: 'invoice', folder: byPath('/Tagged'), returnAll: true, simplify: true, options: { includeTags: true } }, { executeOnce: true }),
		]);
		await h.emulator.seed({ folders: ['/Tagged/Old'], files: [{ path: '/Tagged/paid invoice.pdf', content: 'paid' }, { path: '/Tagged/draft.txt', content: 'draft' }] });
		const before = (await h.emulator.calls()).byRoute;
		const run = await h.n8n.runWorkflow(wf);
		const calls = callDelta(before, (await h.emulator.calls()).byRoute);

		expect(run.status).toBe('success');
		const listed = run.json('List').map((j) => [j.name, j.type, j.tags]);
		expect(listed.sort()).toEqual([
			['Old', 'folder', ['archive']],
			['draft.txt', 'file', []],
			['paid invoice.pdf', 'file', ['paid', 'invoice']],
		]);
		expect(run.json('Search').map((j) => [j.path_display, j.category, j.tags])).toEqual([['/Tagged/paid invoice.pdf', 'pdf', ['paid', 'invoice']]]);
		expect(calls['files/tags/get']).toBe(2);
		expect(calls['files/list_folder']).toBe(1);
		expect(calls['files/search_v2']).toBe(1);
	}, 300_000);
});
