/**
 * @jest-environment ./test/support/farTimeZoneEnvironment.js
 */
import type { Emulator } from '../../sandbox/emulator';
import { byPath, emulator, failure, run } from './run';

/**
 * Issue 16, defect 10, through the node against the emulator, with n8n's process in
 * Pacific/Auckland: a date without a time zone is UTC in Client Modified and in Expires alike.
 */
let emu: Emulator;
beforeAll(async () => {
	emu = await emulator();
	await emu.seedFile('/Share/report.pdf', 'report');
});
afterAll(async () => await emu.close());
beforeEach(() => emu.resetCalls());

describe('dates without a time zone are UTC in every field', () => {
	it('Client Modified "2023-04-05T06:07:08" is recorded as 06:07:08 UTC', async () => {
		const { items } = await run(emu, {
			resource: 'file',
			operation: 'upload',
			content: 'text',
			text: 'x',
			destination: 'path',
			filePath: '/t.txt',
			options: { clientModified: '2023-04-05T06:07:08' },
		});
		expect(items[0].json.client_modified).toBe('2023-04-05T06:07:08Z');
	});

	it('shared-link Expires "2099-01-31T18:00:00" is sent and kept as 18:00 UTC', async () => {
		const { items } = await run(emu, { resource: 'sharedLink', operation: 'create', path: byPath('/Share/report.pdf'), settings: { expires: '2099-01-31T18:00:00' } });
		expect(items[0].json.expires).toBe('2099-01-31T18:00:00Z');
	});

	it('an impossible date is refused before any call, naming the field and the item, in both fields', async () => {
		const link = await failure(run(emu, { resource: 'sharedLink', operation: 'create', path: byPath('/Share/report.pdf'), settings: { expires: '2099-02-30T18:00:00' } }));
		expect(link.message).toBe('The Expires setting of item 0 "2099-02-30T18:00:00" is not a date and time');
		expect(link.description).toMatch(/without a time zone is read as UTC/);
		const upload = await failure(
			run(emu, { resource: 'file', operation: 'upload', content: 'text', text: 'x', destination: 'path', filePath: '/u.txt', options: { clientModified: '2099-02-30T18:00:00' } }),
		);
		expect(upload.message).toBe('The Client Modified option of item 0 "2099-02-30T18:00:00" is not a date and time');
		expect(upload.description).toMatch(/without a time zone is read as UTC/);
		expect(emu.calls().total).toBe(0);
	});
});
