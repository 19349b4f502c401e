import type { IDataObject, ITriggerResponse } from 'n8n-workflow';

import { DropboxPlusLongPollTrigger } from '../../nodes/DropboxPlusLongPollTrigger/DropboxPlusLongPollTrigger.node';
import { retryDelayMs } from '../../nodes/shared/watch/longpoll';
import { startEmulator, type Emulator } from '../../sandbox/emulator';
import { createTriggerHarness, slowDropbox, type LongPollContext, type TriggerHarness } from '../support/triggerContext';

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

	it('emits a burst as it classifies it, a few seconds of work at a time, not all at the end: each change once', async () => {
		// Pages of 2 changes (the cursor keeps the page size it was taken with), then a larger bound
		const first = await harness({ maxChangesPerRun: 2 });
		const stopped = await start(first);
		await until('an open long-poll', () => open() === 1);
		await stopped.response.closeFunction!();
		for (let i = 0; i < 10; i++) await emu.seedFile(`/Inbox/burst-${i}.txt`, `change ${i}`);
		const again = await harness({ maxChangesPerRun: 100 }, 'trigger', first.staticData);
		const context = again.trigger();
		// Telling a new file from an updated one (a call per file) takes 2 s each on this clock
		const clock = slowDropbox(context.ctx.helpers, (url) => (url.endsWith('/files/list_revisions') ? 2_000 : 0));
		try {
			closers.push((await new DropboxPlusLongPollTrigger().trigger.call(context.ctx))!);
			// this clock runs 20 s ahead by the end: the wait allows for it
			await until('ten items', () => seen(context).length === 10, 60_000);
		} finally {
			clock.restore();
		}
		// Two pages (8 s of classification) pass the 5 s a read may take before it emits: 4, 4, then 2
		expect(context.emitted.map((items) => items.length)).toEqual([4, 4, 2]);
		expect(seen(context).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `fileCreated /Inbox/burst-${i}.txt`).sort());
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

describe('Start From on the Long-Poll Trigger', () => {
	/** Dropbox's times have whole seconds: keeps what comes next clear of what came before. */
	const nextSecond = async () => await new Promise((resolve) => setTimeout(resolve, 1100));
	const runs = (context: LongPollContext) => context.emitted.map((run) => run.map((item) => `${item.json.event} ${item.json.path_display}`));
	const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, '0')}.txt`);

	/** Records, at each emission, whether a long-poll had been sent yet and a copy of the static data (what n8n saves then). */
	function watchEmissions(context: LongPollContext, staticData: IDataObject) {
		const record = { longpollsBefore: [] as number[], saved: [] as IDataObject[] };
		const emit = context.ctx.emit;
		context.ctx.emit = (data) => {
			record.longpollsBefore.push(context.plainRequests.length);
			record.saved.push(structuredClone(staticData));
			emit(data);
		};
		return record;
	}

	it('Everything in the Folder: at activation, with no change needed, every entry in runs of at most Max Changes per Run, each once, before the first long-poll; then a live change once', async () => {
		for (const name of names('f', 40)) await emu.seedFile(`/Inbox/${name}`, name);
		await emu.seedFile('/Inbox/Sub/deep.txt', 'deep');
		const h = await harness({ startFrom: 'everything', events: ['fileCreated', 'folderCreated'], includeSubfolders: true, maxChangesPerRun: 7 });
		const context = h.trigger();
		const record = watchEmissions(context, h.staticData);
		const response = (await new DropboxPlusLongPollTrigger().trigger.call(context.ctx))!;
		closers.push(response);
		const expected = [...names('f', 40).map((name) => `fileCreated /Inbox/${name}`), 'fileCreated /Inbox/Sub/deep.txt', 'folderCreated /Inbox/Sub'];
		await until('the whole backlog', () => runs(context).flat().length >= expected.length);
		await until('an open long-poll', () => open() === 1);
		expect(runs(context).flat().sort()).toEqual(expected.sort());
		expect(runs(context).length).toBeGreaterThanOrEqual(Math.ceil(expected.length / 7));
		for (const run of runs(context)) expect(run.length).toBeLessThanOrEqual(7);
		// all of it read on activation, one run after the other, not waiting for Dropbox to announce a change
		expect(record.longpollsBefore.every((count) => count === 0)).toBe(true);
		expect(h.staticData.backlog).toBeUndefined();

		const backlog = context.emitted.length;
		await emu.seedFile('/Inbox/live.txt', 'live');
		await until('the live change', () => context.emitted.length > backlog);
		await new Promise((r) => setTimeout(r, 300));
		expect(runs(context).slice(backlog)).toEqual([['fileCreated /Inbox/live.txt']]);
	});

	it('A Date: at activation, the files Dropbox received since then (created or updated, not older ones) in bounded runs, each once; then a live change once', async () => {
		await emu.seedFile('/Inbox/old.txt', 'old');
		await emu.seedFile('/Inbox/edited.txt', 'v1');
		await nextSecond();
		const since = new Date().toISOString();
		await nextSecond();
		for (const name of names('new', 11)) await emu.seedFile(`/Inbox/${name}`, name);
		await emu.seedFile('/Inbox/edited.txt', 'v2');
		const h = await harness({ startFrom: 'date', startDate: since, events: ['fileCreated', 'fileUpdated'], maxChangesPerRun: 4 });
		const lp = await start(h);
		await until('the files since the date', () => seen(lp).length >= 12);
		await until('an open long-poll', () => open() === 1);
		expect(seen(lp).sort()).toEqual([...names('new', 11).map((name) => `fileCreated /Inbox/${name}`), 'fileUpdated /Inbox/edited.txt'].sort());
		for (const run of runs(lp)) expect(run.length).toBeLessThanOrEqual(4);
		await emu.seedFile('/Inbox/old.txt', 'changed');
		await until('the live change', () => seen(lp).length === 13);
		await new Promise((r) => setTimeout(r, 300));
		expect(seen(lp).slice(12)).toEqual(['fileUpdated /Inbox/old.txt']);
	});

	it('deactivated during a read of the backlog: nothing of that read is emitted, the position goes back to before it, and the next activation goes on from there, each entry once', async () => {
		for (const name of names('d', 30)) await emu.seedFile(`/Inbox/${name}`, name);
		const h = await harness({ startFrom: 'everything', events: ['fileCreated'], maxChangesPerRun: 5 });
		const context = h.trigger();
		const send = context.ctx.helpers.httpRequestWithAuthentication;
		let listingReads = 0;
		let beforeSecond: IDataObject | undefined;
		let closing: Promise<void> | undefined;
		context.ctx.helpers.httpRequestWithAuthentication = async function (this: unknown, ...args: Parameters<typeof send>) {
			// the first share comes from list_folder, the next ones from list_folder/continue
			if (String(args[1].url).endsWith('/list_folder/continue') && ++listingReads === 1) {
				// the second share of the backlog is being read: the workflow is deactivated now
				beforeSecond = structuredClone(h.staticData);
				closing = response.closeFunction!();
			}
			return await send.apply(this, args);
		} as typeof send;
		const response = (await new DropboxPlusLongPollTrigger().trigger.call(context.ctx))!;
		await until('the deactivation', () => closing !== undefined);
		await closing;
		expect(runs(context)).toHaveLength(1);
		expect(beforeSecond!.backlog).toEqual({ mode: 'everything', cursor: expect.any(String) });
		expect(h.staticData).toEqual(beforeSecond);

		const again = await harness({ startFrom: 'everything', events: ['fileCreated'], maxChangesPerRun: 5 }, 'trigger', h.staticData);
		const lp = await start(again);
		await until('the rest of the backlog', () => seen(context).length + seen(lp).length >= 30);
		await until('an open long-poll', () => open() === 1);
		expect([...seen(context), ...seen(lp)].sort()).toEqual(names('d', 30).map((name) => `fileCreated /Inbox/${name}`));
	});

	it('a stale copy of the static data given to a new activation in this process (a worker saved back the copy it was given, then the workflow was published again): goes on where this process stopped, nothing emitted twice', async () => {
		for (const name of names('s', 9)) await emu.seedFile(`/Inbox/${name}`, name);
		const parameters = { startFrom: 'everything', events: ['fileCreated'], maxChangesPerRun: 3 };
		const h = await harness(parameters);
		const context = h.trigger();
		const record = watchEmissions(context, h.staticData);
		closers.push((await new DropboxPlusLongPollTrigger().trigger.call(context.ctx))!);
		await until('the backlog', () => seen(context).length === 9);
		await until('an open long-poll', () => open() === 1);
		await emu.seedFile('/Inbox/a.txt', 'a');
		await until('a.txt', () => seen(context).length === 10);
		await closers.pop()!.closeFunction!();

		// as saved with the first share of the backlog, and with a.txt
		for (const stale of [record.saved[0], record.saved[record.saved.length - 1]]) {
			const again = await harness(parameters, 'trigger', structuredClone(stale));
			const lp = await start(again);
			await until('an open long-poll', () => open() === 1);
			await closers.pop()!.closeFunction!();
			expect(seen(lp)).toEqual([]);
		}
		const last = await harness(parameters, 'trigger', structuredClone(record.saved[0]));
		const lp = await start(last);
		await until('an open long-poll', () => open() === 1);
		await emu.seedFile('/Inbox/b.txt', 'b');
		await until('b.txt', () => seen(lp).length === 1);
		await new Promise((r) => setTimeout(r, 300));
		expect(seen(lp)).toEqual(['fileCreated /Inbox/b.txt']);
	});

	it('a manual run ("Execute step") leaves no trace the published trigger follows: a change it showed is still emitted by the next activation', async () => {
		const parameters = { events: ['fileCreated'] };
		const h = await harness(parameters);
		const published = await start(h);
		await until('an open long-poll', () => open() === 1);
		await closers.pop()!.closeFunction!();
		const manual = await start(await harness(parameters, 'manual'));
		await until('an open long-poll', () => open() === 1);
		await emu.seedFile('/Inbox/shown.txt', 'x');
		await until('the manual run’s item', () => seen(manual).length === 1);
		const again = await start(await harness(parameters, 'trigger', h.staticData));
		await until('the change', () => seen(again).length === 1);
		expect(seen(again)).toEqual(['fileCreated /Inbox/shown.txt']);
		expect(seen(published)).toEqual([]);
	});
});
