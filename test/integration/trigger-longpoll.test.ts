import type { IDataObject, ITriggerResponse } from 'n8n-workflow';

import { DropboxPlusLongPollTrigger } from '../../nodes/DropboxPlusLongPollTrigger/DropboxPlusLongPollTrigger.node';
import { retryDelayMs } from '../../nodes/shared/watch/longpoll';
import { startEmulator, type Emulator } from '../../sandbox/emulator';
import { createTriggerHarness, type LongPollContext, type TriggerHarness } from '../support/triggerContext';

const TOKEN = 'test-token';
let emu: Emulator;
const closers: ITriggerResponse[] = [];

beforeAll(async () => {
	emu = await startEmulator({ port: 0, accessToken: TOKEN });
});
afterAll(async () => await emu.close());
beforeEach(async () => {
	emu.reset();
	emu.seedFolder('/Inbox');
});
afterEach(async () => {
	for (const response of closers.splice(0)) await response.closeFunction?.();
});

async function harness(parameters: IDataObject = {}, mode: 'trigger' | 'manual' = 'trigger', staticData?: IDataObject): Promise<TriggerHarness> {
	return await createTriggerHarness({
		emulatorUrl: emu.url,
		accessToken: TOKEN,
		mode,
		staticData,
		parameters: {
			authentication: 'oAuth2',
			events: ['fileCreated', 'fileDeleted'],
			folder: { __rl: true, mode: 'path', value: '/Inbox' },
			longPollTimeout: 30,
			...parameters,
		},
	});
}

/** Starts the trigger as n8n does on activation (or a manual run); closed after the test. */
async function start(h: TriggerHarness): Promise<LongPollContext & { response: ITriggerResponse }> {
	const context = h.trigger();
	const response = (await new DropboxPlusLongPollTrigger().trigger.call(context.ctx))!;
	closers.push(response);
	return { ...context, response };
}

const open = () => emu.state.longpollsOpen;
async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!probe()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}
const seen = (context: LongPollContext) => context.emitted.flat().map((item) => `${item.json.event} ${item.json.path_display}`);

describe('Dropbox Plus Long-Poll Trigger against the emulator', () => {
	it('takes its cursor at activation, then long-polls notify.dropboxapi.com without any credential, with an HTTP timeout beyond Dropbox’s 90 s of jitter', async () => {
		await emu.seedFile('/Inbox/old.txt', 'before');
		const h = await harness({ longPollTimeout: 120 });
		const lp = await start(h);
		expect(typeof h.staticData.cursor).toBe('string');
		await until('an open long-poll', () => open() === 1);
		const [request] = lp.plainRequests;
		expect(request.url).toBe('https://notify.dropboxapi.com/2/files/list_folder/longpoll');
		expect(Object.keys(request.headers ?? {}).map((k) => k.toLowerCase())).toEqual(['content-type']);
		expect(JSON.parse(String(request.body))).toEqual({ cursor: h.staticData.cursor, timeout: 120 });
		expect(request.timeout).toBeGreaterThan((120 + 90) * 1000);
		expect(lp.emitted).toEqual([]);
	});

	it('reads before it first waits: whatever is still to report when it starts (changes made while n8n was down) comes at once', async () => {
		const first = await harness();
		const stopped = await start(first);
		await until('an open long-poll', () => open() === 1);
		await stopped.response.closeFunction!();
		await emu.seedFile('/Inbox/while down.txt', 'x');
		const again = await harness({}, 'trigger', first.staticData);
		const lp = await start(again);
		await until('an emission', () => lp.emitted.length === 1);
		expect(seen(lp)).toEqual(['fileCreated /Inbox/while down.txt']);
		// the first request is the read, not a long-poll
		expect(again.routes[0]).toBe('files/list_folder/continue');
	});

	it('emits each change once, the cursor in static data moved before the emission (n8n saves it with it)', async () => {
		const h = await harness();
		const lp = await start(h);
		await until('an open long-poll', () => open() === 1);
		const cursors: unknown[] = [];
		const emit = lp.ctx.emit;
		lp.ctx.emit = (data) => {
			cursors.push(h.staticData.cursor);
			emit(data);
		};
		const before = h.staticData.cursor;
		await emu.seedFile('/Inbox/a.txt', 'a');
		await until('an emission', () => lp.emitted.length === 1);
		await emu.seedFile('/Inbox/b.txt', 'b');
		await api('files/delete_v2', { path: '/Inbox/a.txt' });
		await until('three items', () => seen(lp).length === 3);
		expect(seen(lp)).toEqual(['fileCreated /Inbox/a.txt', 'fileCreated /Inbox/b.txt', 'fileDeleted /Inbox/a.txt']);
		// each emission carries a cursor past the previous one's
		expect(cursors.length).toBeGreaterThanOrEqual(2);
		expect(new Set([before, ...cursors]).size).toBe(cursors.length + 1);
		// simplified by default, as the other triggers' newest version
		expect(Object.keys(lp.emitted[0][0].json)).toEqual(expect.arrayContaining(['event', 'eventId', 'name', 'path_display']));
	});

	it('closeFunction drops the waiting long-poll at once and ends the watch: nothing more is sent or emitted', async () => {
		const h = await harness();
		const lp = await start(h);
		await until('an open long-poll', () => open() === 1);
		const started = Date.now();
		await lp.response.closeFunction!();
		expect(Date.now() - started).toBeLessThan(500);
		await until('no open long-poll', () => open() === 0, 2000);
		const requests = lp.plainRequests.length;
		await emu.seedFile('/Inbox/late.txt', 'after deactivation');
		await new Promise((r) => setTimeout(r, 300));
		expect(lp.plainRequests).toHaveLength(requests);
		expect(lp.emitted).toEqual([]);
	});

	it('an expired cursor (reset) while waiting: watches again from now with a warning, and the next change comes once', async () => {
		const h = await harness();
		const lp = await start(h);
		await until('an open long-poll', () => open() === 1);
		emu.expireCursors();
		await until('the reset warning', () => h.warnings.some((w) => /expired the change cursor/.test(w)));
		await until('a new long-poll', () => open() === 1);
		await emu.seedFile('/Inbox/after reset.txt', 'x');
		await until('an emission', () => lp.emitted.length === 1);
		expect(seen(lp)).toEqual(['fileCreated /Inbox/after reset.txt']);
	});

	it('a manual run ("Execute step") waits for the next change from now, emits it once and stops, leaving the stored cursor alone', async () => {
		const staticData: IDataObject = { cursor: 'the published trigger’s cursor', watch: 'direct:/inbox' };
		await emu.seedFile('/Inbox/old.txt', 'before');
		const h = await harness({}, 'manual', staticData);
		const lp = await start(h);
		await until('an open long-poll', () => open() === 1);
		await emu.seedFile('/Inbox/new.txt', 'y');
		await until('an emission', () => lp.emitted.length === 1);
		expect(seen(lp)).toEqual(['fileCreated /Inbox/new.txt']);
		await until('the watch to end', () => open() === 0);
		await emu.seedFile('/Inbox/newer.txt', 'z');
		await new Promise((r) => setTimeout(r, 300));
		expect(lp.emitted).toHaveLength(1);
		expect(staticData).toEqual({ cursor: 'the published trigger’s cursor', watch: 'direct:/inbox' });
	});

	it('a manual run that fails ends with the error shown in the editor (emitError), not with retries', async () => {
		const h = await harness({}, 'manual');
		const lp = await start(h);
		await until('an open long-poll', () => open() === 1);
		emu.setFaults({ script: [{ route: 'files/list_folder/continue', kind: '500', count: 10 }] });
		await emu.seedFile('/Inbox/new.txt', 'y');
		await until('the error', () => lp.emitErrors.length === 1, 30_000);
		expect(lp.emitErrors[0].message).toBe('Dropbox had a server error (HTTP 500) (gave up after 6 attempts)');
		expect(lp.emitted).toEqual([]);
		emu.setFaults({ replace: true });
	}, 40_000);

	it('refuses a Long-Poll Timeout outside 30–480 s before any call, naming the field and the fix', async () => {
		for (const value of [29, 481, 'soon']) {
			const h = await harness({ longPollTimeout: value });
			await expect(new DropboxPlusLongPollTrigger().trigger.call(h.trigger().ctx)).rejects.toMatchObject({
				message: `"Long-Poll Timeout" is "${value}"`,
				description: expect.stringMatching(/from 30 to 480/),
			});
			expect(h.routes).toEqual([]);
		}
	});

	it('reconnects after failures with doubling waits, never longer than a minute', () => {
		expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
	});
});

async function api(route: string, args: object): Promise<IDataObject> {
	const response = await fetch(`${emu.url}/2/${route}`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(args),
	});
	if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
	return (await response.json()) as IDataObject;
}
