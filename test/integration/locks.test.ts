import type { Emulator } from '../../sandbox/emulator';
import { byPath, emulator, failure, run } from './run';

const items = (count: number) => Array.from({ length: count }, (_, index) => ({ json: { index } }));

describe('File Lock, Unlock, Get Lock State', () => {
	let emu: Emulator;
	const calls = (route: string) => emu.calls().byRoute[route] ?? 0;
	beforeAll(async () => {
		emu = await emulator();
		for (let i = 0; i < 5; i++) await emu.seedFile(`/Contracts/c${i}.pdf`, `contract ${i}`);
		await emu.seedFile('/Contracts/theirs.pdf', 'theirs');
		emu.state.account().ns.get('/contracts/theirs.pdf')!.lock = { created: '2026-01-01T00:00:00Z', accountId: 'dbid:other', holderName: 'Other Person' };
	});
	afterAll(async () => await emu.close());
	beforeEach(() => emu.resetCalls());

	const paths = (n: number) => Array.from({ length: n }, (_, i) => `/Contracts/c${i}.pdf`);

	it('locks 5 files in one files/lock_file_batch: one item per input, the metadata with locked, holder and time', async () => {
		const { items: out } = await run(emu, (i) => ({ resource: 'file', operation: 'lock', file: byPath(paths(5)[i]), options: {} }), { items: items(5) });
		expect(calls('files/lock_file_batch')).toBe(1);
		expect(emu.calls().total).toBe(1);
		expect(out.map((item) => [item.json.path_display, item.json.locked, item.pairedItem])).toEqual(paths(5).map((p, i) => [p, true, { item: i }]));
		expect(out[0].json).toMatchObject({ lock_holder_account_id: emu.accountId, lock_created: expect.stringMatching(/Z$/), file_lock_info: { is_lockholder: true } });
	});

	it('Batch Size 2 sends 5 items in 3 calls; Get Lock State reads them; Unlock unlocks', async () => {
		const state = await run(emu, (i) => ({ resource: 'file', operation: 'getLock', file: byPath(paths(5)[i]), options: { batchSize: 2 } }), { items: items(5) });
		expect(calls('files/get_file_lock_batch')).toBe(3);
		expect(state.items.map((item) => item.json.locked)).toEqual([true, true, true, true, true]);
		const unlocked = await run(emu, (i) => ({ resource: 'file', operation: 'unlock', file: byPath(paths(2)[i]), options: {} }), { items: items(2) });
		expect(unlocked.items.map((item) => item.json.locked)).toEqual([false, false]);
		expect(unlocked.items[0].json.lock_holder_account_id).toBeUndefined();
		const after = await run(emu, { resource: 'file', operation: 'getLock', file: byPath('/Contracts/c0.pdf'), options: { batchSize: 1 } });
		expect(after.items[0].json).toMatchObject({ path_display: '/Contracts/c0.pdf', locked: false });
	});

	it('with Continue On Fail each failure is its own item, with the fix: a lock held by someone else, a folder, nothing there', async () => {
		const targets = ['/Contracts/c4.pdf', '/Contracts/theirs.pdf', '/Contracts', '/Contracts/none.pdf'];
		const { items: out } = await run(emu, (i) => ({ resource: 'file', operation: 'lock', file: byPath(targets[i]), options: {} }), { items: items(4), continueOnFail: true });
		expect(calls('files/lock_file_batch')).toBe(1);
		expect(out[0].json).toMatchObject({ path_display: '/Contracts/c4.pdf', locked: true });
		expect(out[1].json).toMatchObject({ tag: 'lock_conflict', path: '/Contracts/theirs.pdf', description: expect.stringMatching(/locked by someone else/) });
		expect(out[2].json).toMatchObject({ tag: 'cannot_be_locked', description: expect.stringMatching(/files only, not folders/) });
		expect(out[3].json).toMatchObject({ tag: 'path_lookup/not_found', path: '/Contracts/none.pdf' });
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	it('without Continue On Fail the step stops with the failing item named; a bad path is refused before any call', async () => {
		const error = await failure(run(emu, { resource: 'file', operation: 'unlock', file: byPath('/Contracts/theirs.pdf'), options: {} }));
		expect(error.message).toMatch(/lock_conflict/);
		emu.resetCalls();
		const bad = await failure(run(emu, { resource: 'file', operation: 'lock', file: byPath('/Contracts/../x.pdf'), options: {} }));
		expect(bad.message).toMatch(/File to Lock/);
		expect(emu.calls().total).toBe(0);
	});

	it('Delete and Move of a file someone else locked: the item fails with "locked" and who can unlock it; the other items go through', async () => {
		await emu.seedFile('/Contracts/old.pdf', 'old');
		const deleted = await run(emu, (i) => ({ resource: 'file', operation: 'delete', file: byPath(['/Contracts/theirs.pdf', '/Contracts/old.pdf'][i]), options: {} }), { items: items(2), continueOnFail: true });
		expect(deleted.items[0].json).toMatchObject({ tag: 'path_lookup/locked', path: '/Contracts/theirs.pdf' });
		expect(deleted.items[0].json.description).toMatch(/locked in Dropbox by someone else: only the lock holder \(or a team admin\) can move, delete or change it/);
		expect(deleted.items[1].json).toMatchObject({ path_display: '/Contracts/old.pdf' });
		const moved = await failure(run(emu, { resource: 'file', operation: 'move', file: byPath('/Contracts/theirs.pdf'), destination: 'path', destinationPath: '/Archive/theirs.pdf', options: {} }));
		expect(moved.message).toMatch(/from_lookup\/locked/);
		expect(moved.description).toMatch(/Get Lock State shows the holder/);
		expect(emu.state.account().ns.get('/contracts/theirs.pdf')).toBeDefined();
	});
});
