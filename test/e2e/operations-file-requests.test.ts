/**
 * The File Request resource of the Dropbox Plus node, run from the BUILT package in real n8n
 * against the emulator (issue 19): create two requests from items (folders made by Dropbox, a
 * deadline from $now with late uploads), close them, get them, delete both in one call, delete
 * the closed rest, count and list what is left; a credential without the file_requests scopes
 * stops with the permission named.
 */
import { HARNESS_TIMEOUT_MS, startHarness, workflow, type Harness } from './harness';
import { byPath, callDelta, codeItems, dropbox as dropboxNode } from './support/operations';

/** A Dropbox Plus node as a new node is made (version 1.1: Simplify on by default). */
const dropbox = (...args: Parameters<typeof dropboxNode>) => ({ ...dropboxNode(...args), typeVersion: 1.1 });

describe('File Request operations in real n8n', () => {
	let h: Harness;
	let credId: string;

	beforeAll(async () => {
		h = await startHarness();
		credId = await h.importApiCredential();
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it('creates, updates, gets, deletes (two in one call), deletes all closed, counts and lists file requests', async () => {
		const kept = await h.emulator.rpc('file_requests/create', { title: 'Still open', destination: '/Clients/Open' });
		const stale = await h.emulator.rpc('file_requests/create', { title: 'Old and closed', destination: '/Clients/Old', open: false });
		const clients = [
			{ title: 'Invoices Acme', folder: '/Clients/Acme' },
			{ title: 'Invoices Globex 😀', folder: '/Clients/Globex 😀' },
		];
		const wf = workflow('file requests: create … list', [
			codeItems('Clients', clients.map((json) => ({ json }))),
			dropbox('Create', credId, {
				resource: 'fileRequest',
				operation: 'create',
				title: '={{ $json.title }}',
				destination: byPath('={{ $json.folder }}'),
				additionalFields: { deadline: '={{ $now.plus({ days: 14 }) }}', allowLateUploads: 'seven_days', description: 'PDF invoices, please' },
			}),
			dropbox('Close', credId, { resource: 'fileRequest', operation: 'update', fileRequestId: '={{ $json.id }}', updateFields: { title: '={{ $json.title }} (closed)', open: false } }),
			dropbox('Get', credId, { resource: 'fileRequest', operation: 'get', fileRequestId: '={{ $json.url }}' }),
			dropbox('Delete', credId, { resource: 'fileRequest', operation: 'delete', fileRequestId: '={{ $json.id }}' }),
			dropbox('Delete closed', credId, { resource: 'fileRequest', operation: 'deleteAllClosed' }, { executeOnce: true }),
			dropbox('Count', credId, { resource: 'fileRequest', operation: 'count' }),
			dropbox('List', credId, { resource: 'fileRequest', operation: 'list', returnAll: true }),
		]);
		const before = (await h.emulator.calls()).byRoute;
		const started = Date.now();
		const run = await h.n8n.runWorkflow(wf);
		const calls = callDelta(before, (await h.emulator.calls()).byRoute);

		expect(run.status).toBe('success');
		const created = run.json('Create');
		expect(created).toHaveLength(2);
		created.forEach((request, index) => {
			expect(request).toEqual({
				id: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
				url: `https://www.dropbox.com/request/${request.id as string}`,
				title: clients[index].title,
				destination: clients[index].folder,
				is_open: true,
				file_count: 0,
				created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
				deadline: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
				allow_late_uploads: 'seven_days',
				description: 'PDF invoices, please',
			});
			// $now + 14 days, in whole seconds of UTC
			expect(Math.abs(Date.parse(request.deadline as string) - (started + 14 * 86_400_000))).toBeLessThan(5 * 60_000);
		});
		const folders = (await h.emulator.files()).filter((entry) => entry['.tag'] === 'folder').map((entry) => entry.path_display);
		expect(folders).toEqual(expect.arrayContaining(['/Clients/Acme', '/Clients/Globex 😀']));
		expect(run.json('Close').map((r) => [r.title, r.is_open, r.deadline])).toEqual([
			['Invoices Acme (closed)', false, created[0].deadline],
			['Invoices Globex 😀 (closed)', false, created[1].deadline],
		]);
		expect(run.json('Get').map((r) => [r.id, r.title, r.is_open])).toEqual(created.map((r, i) => [r.id, `${clients[i].title} (closed)`, false]));
		expect(run.items('Delete').map((item) => [item.json.id, item.json.deleted, item.pairedItem])).toEqual([
			[created[0].id, true, { item: 0 }],
			[created[1].id, true, { item: 1 }],
		]);
		expect(run.json('Delete closed')).toEqual([{ deleted: 1, fileRequests: [expect.objectContaining({ id: stale.id, title: 'Old and closed', is_open: false })] }]);
		expect(run.json('Count')).toEqual([{ count: 1 }]);
		expect(run.json('List').map((r) => [r.id, r.title, r.is_open, r.destination])).toEqual([[kept.id, 'Still open', true, '/Clients/Open']]);
		// the two deletes in one call; one call per item elsewhere (the credential's token grant is no file request call)
		const requestCalls = Object.fromEntries(Object.entries(calls).filter(([route]) => route.startsWith('file_requests/')));
		expect(requestCalls).toEqual({
			'file_requests/create': 2,
			'file_requests/update': 2,
			'file_requests/get': 2,
			'file_requests/delete': 1,
			'file_requests/delete_all_closed': 1,
			'file_requests/count': 1,
			'file_requests/list_v2': 1,
		});
	}, 300_000);

	it('a credential without the file_requests scopes stops with the missing permission named, nothing created', async () => {
		const token = await h.emulator.issueToken({ refreshToken: true, scopes: ['account_info.read', 'files.metadata.read', 'files.content.read', 'files.content.write'] });
		const limited = await h.n8n.importCredential({
			name: 'Dropbox Plus API without file requests',
			type: 'dropboxPlusApi',
			data: { clientId: h.emulator.appKey, clientSecret: h.emulator.appSecret, refreshToken: token.refresh_token, accessToken: '', pathRoot: 'home' },
		});
		const before = await h.emulator.rpc('file_requests/count', null);
		const run = await h.n8n.runWorkflow(
			workflow('file requests: missing scope', [
				dropbox('Create', limited, { resource: 'fileRequest', operation: 'create', title: 'Scoped', destination: byPath('/Scoped'), additionalFields: {} }),
			]),
			{ allowFailure: true },
		);
		expect(run.status).toBe('error');
		const error = run.nodeError('Create')!;
		expect(error.message).toBe('The Dropbox app lacks the permission "file_requests.write"');
		expect(error.description).toMatch(/Enable "file_requests\.write" in the Dropbox App Console .*then reconnect the credential/);
		expect(await h.emulator.rpc('file_requests/count', null)).toEqual(before);
	}, 120_000);
});
