/**
 * Search, Shared Link and Account operations of the Dropbox Plus node, run from the BUILT package
 * in real n8n against the emulator (issues 4 and 6): what a user sees in the items and in n8n's
 * binary store, and what Dropbox holds afterwards. One workflow per group: one `n8n execute`.
 */
import { HARNESS_TIMEOUT_MS, startHarness, workflow, type Harness } from './harness';
import { byPath, callDelta, dropbox, getWithCa } from './support/operations';

const INVOICE = '%PDF-1.4 invoice 2024 ✓';

describe('Search, Shared Link and Account operations in real n8n', () => {
	let h: Harness;
	let credId: string;

	beforeAll(async () => {
		h = await startHarness();
		credId = await h.importApiCredential();
		await h.emulator.seed({
			folders: ['/Docs/Invoices'],
			files: [
				{ path: '/Docs/invoice-2024.pdf', content: INVOICE },
				{ path: '/Docs/Old/Invoice 2023 😀.pdf', content: '%PDF-1.4 old' },
				{ path: '/Docs/Old/invoice notes.txt', content: 'notes' },
				{ path: '/Docs/budget.xlsx', content: 'PK sheet' },
			],
		});
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it('searches by name, in a folder, by extension and category, with a limit; gets the account and its space usage', async () => {
		const once = { executeOnce: true };
		const run = await h.n8n.runWorkflow(
			workflow('search and account', [
				dropbox('Account', credId, { resource: 'account', operation: 'getCurrentAccount' }),
				dropbox('Space', credId, { resource: 'account', operation: 'getSpaceUsage' }),
				dropbox('Search', credId, { resource: 'search', operation: 'search', query: 'invoice', folder: byPath('/'), returnAll: true, simplify: true, options: {} }, once),
				dropbox(
					'Search in Old',
					credId,
					{ resource: 'search', operation: 'search', query: 'invoice', folder: byPath('/Docs/Old'), returnAll: true, simplify: true, options: {} },
					once,
				),
				dropbox(
					'Search PDFs, 1',
					credId,
					{ resource: 'search', operation: 'search', query: 'invoice', folder: byPath('/'), returnAll: false, limit: 1, simplify: true, options: { fileExtensions: 'pdf' } },
					once,
				),
				dropbox(
					'Search folders',
					credId,
					{ resource: 'search', operation: 'search', query: 'invoice', folder: byPath('/'), returnAll: true, simplify: false, options: { categories: ['folder'] } },
					once,
				),
			]),
		);

		const account = run.json('Account')[0];
		expect(account.account_id).toMatch(/^dbid:/);
		expect(account).toHaveProperty('email');
		const space = run.json('Space')[0];
		expect(space.used).toEqual(expect.any(Number));
		expect(space.used).toBeGreaterThanOrEqual(Buffer.byteLength(INVOICE));
		expect(space).toMatchObject({ allocated: expect.any(Number), allocationType: 'individual', usedPercent: expect.any(Number) });

		const all = run.json('Search').map((e) => e.path).sort();
		expect(all).toEqual(['/Docs/Invoices', '/Docs/Old/Invoice 2023 😀.pdf', '/Docs/Old/invoice notes.txt', '/Docs/invoice-2024.pdf']);
		expect(run.json('Search').find((e) => e.path === '/Docs/invoice-2024.pdf')).toMatchObject({ type: 'file', extension: 'pdf', category: 'pdf' });
		expect(run.json('Search in Old').map((e) => e.path).sort()).toEqual(['/Docs/Old/Invoice 2023 😀.pdf', '/Docs/Old/invoice notes.txt']);
		const pdfs = run.json('Search PDFs, 1');
		expect(pdfs).toHaveLength(1);
		expect(pdfs[0].extension).toBe('pdf');
		// raw output: Dropbox's search match as is
		const folders = run.json('Search folders');
		expect(folders).toHaveLength(1);
		expect(folders[0].metadata.metadata).toMatchObject({ '.tag': 'folder', path_display: '/Docs/Invoices' });
	}, 120_000);

	it('creates a shared link, meets it again (return existing / update / error), lists, gets, downloads from it and revokes it', async () => {
		const file = byPath('/Docs/invoice-2024.pdf');
		const link = "={{ $('Create').first().json.url }}";
		const wf = workflow('shared links', [
			dropbox('Create', credId, { resource: 'sharedLink', operation: 'create', path: file, ifExists: 'returnExisting', settings: {} }),
			dropbox('Create again', credId, { resource: 'sharedLink', operation: 'create', path: file, ifExists: 'returnExisting', settings: {} }),
			dropbox('Create, update', credId, {
				resource: 'sharedLink',
				operation: 'create',
				path: file,
				ifExists: 'update',
				settings: { expires: '2099-01-01T00:00:00Z' },
			}),
			dropbox(
				'Create, error',
				credId,
				{ resource: 'sharedLink', operation: 'create', path: file, ifExists: 'error', settings: {} },
				{ onError: 'continueRegularOutput' },
			),
			dropbox('List all', credId, { resource: 'sharedLink', operation: 'list', scope: 'all', returnAll: true }),
			dropbox('List for file', credId, { resource: 'sharedLink', operation: 'list', scope: 'path', path: file, directOnly: true, returnAll: true }, { executeOnce: true }),
			dropbox('Get', credId, { resource: 'sharedLink', operation: 'get', url: link }, { executeOnce: true }),
			dropbox('Download', credId, { resource: 'sharedLink', operation: 'downloadFromLink', url: link, binaryPropertyName: 'data' }),
			dropbox('Revoke', credId, { resource: 'sharedLink', operation: 'revoke', url: link }),
		]);
		const id = await h.n8n.importWorkflow(wf);
		const before = (await h.emulator.calls()).byRoute;
		const run = await h.n8n.execute(id);
		const calls = callDelta(before, (await h.emulator.calls()).byRoute);

		const created = run.json('Create')[0];
		expect(created).toMatchObject({ '.tag': 'file', name: 'invoice-2024.pdf', path_lower: '/docs/invoice-2024.pdf' });
		// the emulator hands out links on its own origin (https://localhost:<port>/scl/fi/…)
		expect(created.url).toMatch(/^https:\/\/[^/]+\/scl\/fi\/.+\/invoice-2024\.pdf\?rlkey=/);
		// Return Existing: the same link, taken from Dropbox's "already exists" answer (no listing)
		expect(run.json('Create again')[0].url).toBe(created.url);
		// Update Its Settings: the same link with the new expiry
		const updated = run.json('Create, update')[0];
		expect(updated.url).toBe(created.url);
		expect(updated.expires).toBe('2099-01-01T00:00:00Z');
		// Error: an error item with Dropbox's tag and the path
		expect(run.json('Create, error')[0]).toMatchObject({
			error: expect.stringMatching(/shared_link_already_exists/),
			tag: expect.stringMatching(/^shared_link_already_exists/),
			path: '/Docs/invoice-2024.pdf',
		});
		expect(calls['sharing/create_shared_link_with_settings']).toBe(4);
		expect(calls['sharing/modify_shared_link_settings']).toBe(1);

		expect(run.json('List all').map((l) => l.url)).toEqual([created.url]);
		expect(run.json('List for file').map((l) => l.url)).toEqual([created.url]);
		expect(run.json('Get')[0]).toMatchObject({ url: created.url, name: 'invoice-2024.pdf' });

		const downloaded = run.items('Download')[0];
		expect(downloaded.binary!.data).toMatchObject({ fileName: 'invoice-2024.pdf', mimeType: 'application/pdf' });
		expect(downloaded.binary!.data.id).toMatch(/^filesystem/);
		expect((await run.binary('Download')).toString('utf8')).toBe(INVOICE);
		expect(downloaded.json).toMatchObject({ name: 'invoice-2024.pdf', url: created.url });

		expect(run.json('Revoke')).toEqual([{ url: created.url, revoked: true }]);
		const left = await h.emulator.rpc('sharing/list_shared_links', { path: '/Docs/invoice-2024.pdf' });
		expect(left.links).toEqual([]);
		// the link (which served the Download step) no longer serves the file
		const gone = await getWithCa(created.url, h.emulator.caFile);
		expect(gone.status).toBeGreaterThanOrEqual(400);
	}, 120_000);
});
