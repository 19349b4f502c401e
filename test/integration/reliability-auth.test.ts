import type { Emulator } from '../../sandbox/emulator';
import { byPath, emulator, failure, run } from './run';

/**
 * A suspended account (issue 9): the node stops at the first answer, says who must act and
 * how, and asks Dropbox nothing more — no retry, no second attempt.
 */
let emu: Emulator;
beforeAll(async () => {
	emu = await emulator();
	await emu.seedFile('/kept.txt', 'kept');
});
afterAll(async () => {
	await emu.close();
});
afterEach(() => emu.setSuspended(false));

describe('a suspended account', () => {
	it.each([
		['Get Current Account', { resource: 'account', operation: 'getCurrentAccount' }, 'users/get_current_account'],
		['Download', { resource: 'file', operation: 'download', file: byPath('/kept.txt'), options: {} }, 'files/download'],
		['Upload', { resource: 'file', operation: 'upload', destination: 'path', filePath: '/new.txt', content: 'text', text: 'x', mode: 'add', options: {} }, 'files/upload'],
	])('%s: stops with "contact Dropbox support", after one call', async (_name, parameters, route) => {
		emu.setSuspended(true);
		emu.resetCalls();
		const error = await failure(run(emu, parameters));
		expect(error.message).toBe('The Dropbox account is suspended');
		expect(error.description).toMatch(/^Dropbox has disabled this account; this is not a problem with n8n or with the credential, .*The account owner must contact Dropbox support .* then run the workflow again\.$/);
		expect(error.context).toMatchObject({ dropboxTag: 'user_suspended', dropboxStatus: 401 });
		expect(emu.calls()).toEqual({ total: 1, byRoute: { [route]: 1 }, uploadedBytes: 0 });
	});

	it('works again, files intact, once the account is reactivated', async () => {
		emu.setSuspended(true);
		await failure(run(emu, { resource: 'account', operation: 'getCurrentAccount' }));
		emu.setSuspended(false);
		const { items } = await run(emu, { resource: 'file', operation: 'download', file: byPath('/kept.txt'), options: {} });
		expect(items[0].json).toMatchObject({ path_display: '/kept.txt' });
	});
});
