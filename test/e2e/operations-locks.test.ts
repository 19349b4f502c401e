/**
 * File Lock, Unlock and Get Lock State of the Dropbox Plus node, run from the BUILT package in
 * real n8n against the emulator (issue 19): many items in one batch call each, per-item results.
 */
import { HARNESS_TIMEOUT_MS, startHarness, workflow, type Harness } from './harness';
import { byPath, callDelta, codeItems, dropbox } from './support/operations';

describe('File lock operations in real n8n', () => {
	let h: Harness;
	let credId: string;

	beforeAll(async () => {
		h = await startHarness();
		credId = await h.importApiCredential();
		await h.emulator.seed({
			folders: ['/Sign'],
			files: [
				{ path: '/Sign/acme.pdf', content: 'acme' },
				{ path: '/Sign/globex 😀.pdf', content: 'globex' },
				{ path: '/Sign/initech.pdf', content: 'initech' },
			],
		});
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it('locks three files in one call, reads their lock state in one call, unlocks one; a folder is its own error item', async () => {
		const files = ['/Sign/acme.pdf', '/Sign/globex 😀.pdf', '/Sign/initech.pdf'];
		const wf = workflow('locks: lock, state, unlock', [
			codeItems('Files', files.map((path) => ({ json: { path } }))),
			dropbox('Lock', credId, { resource: 'file', operation: 'lock', file: byPath('={{ $json.path }}'), options: {} }),
			dropbox('Unlock first', credId, { resource: 'file', operation: 'unlock', file: byPath('={{ $json.path_display }}'), options: {} }, { executeOnce: true }),
			codeItems('Ask', [...files, '/Sign'].map((path) => ({ json: { path } }))),
			dropbox('Lock state', credId, { resource: 'file', operation: 'getLock', file: byPath('={{ $json.path }}'), options: {} }, { onError: 'continueRegularOutput' }),
		]);
		const before = (await h.emulator.calls()).byRoute;
		const run = await h.n8n.runWorkflow(wf);
		const calls = callDelta(before, (await h.emulator.calls()).byRoute);

		expect(run.status).toBe('success');
		expect(run.json('Lock').map((j) => [j.path_display, j.locked, typeof j.lock_created])).toEqual(files.map((p) => [p, true, 'string']));
		expect(run.json('Unlock first').map((j) => [j.path_display, j.locked])).toEqual([['/Sign/acme.pdf', false]]);
		const state = run.items('Lock state');
		expect(state.slice(0, 3).map((item) => [item.json.path_display, item.json.locked, item.pairedItem])).toEqual([
			['/Sign/acme.pdf', false, { item: 0 }],
			['/Sign/globex 😀.pdf', true, { item: 1 }],
			['/Sign/initech.pdf', true, { item: 2 }],
		]);
		expect(state[3]).toMatchObject({ json: { tag: 'cannot_be_locked', path: '/Sign' }, pairedItem: { item: 3 } });
		const lockCalls = Object.fromEntries(Object.entries(calls).filter(([route]) => route.startsWith('files/')));
		expect(lockCalls).toEqual({ 'files/lock_file_batch': 1, 'files/unlock_file_batch': 1, 'files/get_file_lock_batch': 1 });
	}, 300_000);

	it('a file someone else locked cannot be moved: the item says it is locked and who can unlock it; Get Lock State names the holder', async () => {
		await h.emulator.seed({ files: [{ path: '/Sign/contract.pdf', content: 'being signed' }, { path: '/Sign/draft.pdf', content: 'draft' }] });
		await h.emulator.admin('POST', 'locks', { path: '/Sign/contract.pdf', holderName: 'Legal Team' });
		const wf = workflow('locks: someone else holds one', [
			codeItems('Files', ['/Sign/contract.pdf', '/Sign/draft.pdf'].map((path) => ({ json: { path } }))),
			dropbox('Lock state', credId, { resource: 'file', operation: 'getLock', file: byPath('={{ $json.path }}'), options: {} }),
			dropbox('Move', credId, { resource: 'file', operation: 'move', file: byPath("={{ $('Files').item.json.path }}"), destination: 'path', destinationPath: "=/Done/{{ $('Files').item.json.path.split('/').pop() }}", options: {} }, { onError: 'continueRegularOutput' }),
		]);
		const run = await h.n8n.runWorkflow(wf);
		expect(run.json('Lock state').map((j) => [j.path_display, j.locked, j.file_lock_info?.is_lockholder, j.file_lock_info?.lockholder_name])).toEqual([
			['/Sign/contract.pdf', true, false, 'Legal Team'],
			['/Sign/draft.pdf', false, undefined, undefined],
		]);
		const moved = run.items('Move');
		expect(moved[0].json).toMatchObject({ tag: 'from_lookup/locked', path: '/Sign/contract.pdf', status: 409 });
		expect(moved[0].json.description).toMatch(/locked in Dropbox by someone else: only the lock holder \(or a team admin\) can move, delete or change it/);
		expect(moved[1].json).toMatchObject({ path_display: '/Done/draft.pdf' });
		const stored = (await h.emulator.files()).map((f) => f.path_display);
		expect(stored).toEqual(expect.arrayContaining(['/Sign/contract.pdf', '/Done/draft.pdf']));
	}, 300_000);
});
