/**
 * Start From (issue 18) on the triggers, against the emulator: what the first run reports
 * (Now: nothing; A Date: the files changed since; Everything in the Folder: every file and
 * folder as created), bounded like changes and continued across runs, the change cursor taken
 * before the listing, and only the first activation using it.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { DropboxPlusTrigger } from '../../nodes/DropboxPlusTrigger/DropboxPlusTrigger.node';
import { DropboxPlusWebhookTrigger } from '../../nodes/DropboxPlusWebhookTrigger/DropboxPlusWebhookTrigger.node';
import { startEmulator, type Emulator } from '../../sandbox/emulator';
import { createTriggerHarness, signBody, slowDropbox, type TriggerHarness } from '../support/triggerContext';

const TOKEN = 'test-token';
const SECRET = 'sandbox-app-secret';
const ALL_EVENTS = ['fileCreated', 'fileUpdated', 'fileDeleted', 'folderCreated', 'folderDeleted'];
let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ port: 0, accessToken: TOKEN });
});
afterAll(async () => await emu.close());
beforeEach(() => {
	emu.reset();
	emu.seedFolder('/Inbox');
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

/** Dropbox's times have whole seconds: keeps what comes next clear of what came before. */
const nextSecond = async () => await new Promise((resolve) => setTimeout(resolve, 1100));

async function trigger(parameters: IDataObject = {}, options: { mode?: 'trigger' | 'manual'; nodeId?: string; staticData?: IDataObject } = {}) {
	return await createTriggerHarness({
		emulatorUrl: emu.url,
		accessToken: TOKEN,
		appSecret: SECRET,
		...options,
		parameters: {
			authentication: 'oAuth2',
			events: ALL_EVENTS,
			folder: { __rl: true, mode: 'path', value: '/Inbox' },
			includeSubfolders: true,
			attachContent: 'none',
			filters: {},
			...parameters,
		},
	});
}

async function poll(harness: TriggerHarness, ctx: IPollFunctions = harness.poll()): Promise<INodeExecutionData[]> {
	const result = await new DropboxPlusTrigger().poll.call(ctx);
	return result ? result[0] : [];
}

/** What a user sees per item: "event path". */
function seen(items: INodeExecutionData[]): string[] {
	return items.map((item) => `${item.json.event} ${item.json.path_display}`).sort();
}

async function failure(promise: Promise<unknown>): Promise<Error & { description?: string }> {
	return await promise.then(
		() => {
			throw new Error('expected a failure');
		},
		(error: Error & { description?: string }) => error,
	);
}

describe('Start From on the polling trigger', () => {
	it('Now (the default) reports nothing that existed before the first poll, as before', async () => {
		await emu.seedFile('/Inbox/old.txt', 'old');
		const harness = await trigger();
		expect(await poll(harness)).toEqual([]);
		expect(harness.staticData.backlog).toBeUndefined();
		await emu.seedFile('/Inbox/new.txt', 'new');
		expect(seen(await poll(harness))).toEqual(['fileCreated /Inbox/new.txt']);
	});

	it('Everything in the Folder: the first poll reports every file and folder already there as created (not the folder itself), filters and events applied, then follows changes', async () => {
		await emu.seedFile('/Inbox/a.pdf', 'a');
		await emu.seedFile('/Inbox/notes.txt', 'n');
		await emu.seedFile('/Inbox/Sub/b.pdf', 'b');
		await emu.seedFile('/Elsewhere/c.pdf', 'c');
		const harness = await trigger({ startFrom: 'everything' });
		const first = await poll(harness);
		expect(seen(first)).toEqual([
			'fileCreated /Inbox/Sub/b.pdf',
			'fileCreated /Inbox/a.pdf',
			'fileCreated /Inbox/notes.txt',
			'folderCreated /Inbox/Sub',
		]);
		expect(first.find((item) => item.json.name === 'a.pdf')!.json).toMatchObject({ '.tag': 'file', size: 1, eventId: expect.stringMatching(/^[0-9a-f]{32}$/) });
		expect(await poll(harness)).toEqual([]);
		await emu.seedFile('/Inbox/a.pdf', 'a2');
		expect(seen(await poll(harness))).toEqual(['fileUpdated /Inbox/a.pdf']);

		const filtered = await trigger({ startFrom: 'everything', events: ['fileCreated'], filters: { fileExtensions: 'pdf' } }, { nodeId: 'filtered' });
		expect(seen(await poll(filtered))).toEqual(['fileCreated /Inbox/Sub/b.pdf', 'fileCreated /Inbox/a.pdf']);
		const direct = await trigger({ startFrom: 'everything', includeSubfolders: false, filters: { namePattern: '*.pdf' } }, { nodeId: 'direct' });
		expect(seen(await poll(direct))).toEqual(['fileCreated /Inbox/a.pdf']);
	});

	it('A Date: the first poll reports the files Dropbox received since then, classified created or updated, not older files nor folders, then follows changes', async () => {
		await emu.seedFile('/Inbox/old.txt', 'old');
		await emu.seedFile('/Inbox/edited.txt', 'v1');
		await nextSecond();
		const since = new Date().toISOString();
		await nextSecond();
		await emu.seedFile('/Inbox/new.txt', 'new');
		await emu.seedFile('/Inbox/edited.txt', 'v2');
		emu.seedFolder('/Inbox/New folder');
		const harness = await trigger({ startFrom: 'date', startDate: since });
		expect(seen(await poll(harness))).toEqual(['fileCreated /Inbox/new.txt', 'fileUpdated /Inbox/edited.txt']);
		expect(await poll(harness)).toEqual([]);
		await api('files/delete_v2', { path: '/Inbox/old.txt' });
		expect(seen(await poll(harness))).toEqual(['fileDeleted /Inbox/old.txt']);

		// Only File Updated chosen: the new file is left out, as a live change would be
		const updatesOnly = await trigger({ startFrom: 'date', startDate: since, events: ['fileUpdated'] }, { nodeId: 'updates' });
		expect(seen(await poll(updatesOnly))).toEqual(['fileUpdated /Inbox/edited.txt']);
	});

	it('takes the change cursor before listing: a file added, changed or deleted while the folder is listed is not lost, and one seen twice keeps its eventId', async () => {
		await emu.seedFile('/Inbox/changing.txt', 'v1');
		await emu.seedFile('/Inbox/going.txt', 'bye');
		// Runs of 2: the listing fills the first run, the changes after the cursor come with the next ones
		const harness = await trigger({ startFrom: 'everything', includeSubfolders: false, maxChangesPerRun: 2 });
		const ctx = harness.poll();
		const send = ctx.helpers.httpRequestWithAuthentication;
		ctx.helpers.httpRequestWithAuthentication = async function (this: unknown, ...args: Parameters<typeof send>) {
			const answer = await send.apply(this, args);
			if (String(args[1].url).endsWith('/get_latest_cursor')) {
				// Between the cursor and the listing
				await emu.seedFile('/Inbox/arrived.txt', 'new');
				await emu.seedFile('/Inbox/changing.txt', 'v2');
				await api('files/delete_v2', { path: '/Inbox/going.txt' });
			}
			return answer;
		} as typeof send;
		const first = await poll(harness, ctx);
		expect(harness.routes.slice(0, 2)).toEqual(['files/list_folder/get_latest_cursor', 'files/list_folder']);
		expect(seen(first)).toEqual(['fileCreated /Inbox/arrived.txt', 'fileCreated /Inbox/changing.txt']);
		const next = [...(await poll(harness)), ...(await poll(harness))];
		expect(await poll(harness)).toEqual([]);
		expect(seen(next)).toEqual(['fileCreated /Inbox/arrived.txt', 'fileDeleted /Inbox/going.txt', 'fileUpdated /Inbox/changing.txt']);
		// The repeats are the same revisions, with the same eventId: Remove Duplicates drops them
		const idOf = (items: INodeExecutionData[], name: string) => items.find((item) => item.json.name === name)!.json.eventId;
		expect(idOf(next, 'arrived.txt')).toBe(idOf(first, 'arrived.txt'));
		expect(idOf(next, 'changing.txt')).toBe(idOf(first, 'changing.txt'));
	});

	it('emits a change once when the run that completes the first report also reads it', async () => {
		await emu.seedFile('/Inbox/changing.txt', 'v1');
		const harness = await trigger({ startFrom: 'everything', includeSubfolders: false });
		const ctx = harness.poll();
		const send = ctx.helpers.httpRequestWithAuthentication;
		ctx.helpers.httpRequestWithAuthentication = async function (this: unknown, ...args: Parameters<typeof send>) {
			const answer = await send.apply(this, args);
			if (String(args[1].url).endsWith('/get_latest_cursor')) await emu.seedFile('/Inbox/changing.txt', 'v2');
			return answer;
		} as typeof send;
		expect(seen(await poll(harness, ctx))).toEqual(['fileCreated /Inbox/changing.txt']);
		expect(harness.routes).toEqual(['files/list_folder/get_latest_cursor', 'files/list_folder', 'files/list_folder/continue', 'files/list_revisions']);
		expect(await poll(harness)).toEqual([]);
	});

	it('bounds a large first report by Max Changes per Run: runs of at most the bound, every entry once, the listing position kept in static data until done, then the changes', async () => {
		for (let i = 0; i < 23; i++) await emu.seedFile(`/Inbox/f${String(i).padStart(2, '0')}.txt`, `file ${i}`);
		const harness = await trigger({ startFrom: 'everything', events: ['fileCreated'], maxChangesPerRun: 5 });
		const runs: string[][] = [];
		runs.push(seen(await poll(harness)));
		expect(harness.staticData.backlog).toEqual({ mode: 'everything', cursor: expect.any(String) });
		// A change made while the first report is still being read comes after it
		await emu.seedFile('/Inbox/during.txt', 'x');
		for (let i = 0; i < 6; i++) runs.push(seen(await poll(harness)));
		expect(harness.staticData.backlog).toBeUndefined();
		// The first page holds the watched folder itself (a recursive listing), not reported; the run that
		// completes the listing reads the change made meanwhile with what the bound leaves
		expect(runs.map((run) => run.length)).toEqual([4, 5, 5, 5, 5, 0, 0]);
		expect(runs.flat().sort()).toEqual([
			...Array.from({ length: 23 }, (_, i) => `fileCreated /Inbox/f${String(i).padStart(2, '0')}.txt`),
			'fileCreated /Inbox/during.txt',
		].sort());
	});

	it('bounds a first report by the read deadline too: the rest comes with the next poll, none lost or twice', async () => {
		for (let i = 0; i < 12; i++) await emu.seedFile(`/Inbox/slow-${String(i).padStart(2, '0')}.txt`, `file ${i}`);
		// Pages of 2 entries, then a larger bound: only the deadline stops the first poll
		const harness = await trigger({ startFrom: 'everything', events: ['fileCreated'], includeSubfolders: false, maxChangesPerRun: 2 });
		const first = await poll(harness);
		expect(first).toHaveLength(2);
		(harness.poll().getNode().parameters as IDataObject).maxChangesPerRun = 100;
		const ctx = { ...harness.poll(), getPollBudgetMs: () => 300_000 } as unknown as IPollFunctions;
		const clock = slowDropbox(ctx.helpers, () => 20_000);
		let second: INodeExecutionData[];
		try {
			second = await poll(harness, ctx);
		} finally {
			clock.restore();
		}
		// Two pages of 20 s each pass the 30 s read deadline
		expect(second).toHaveLength(4);
		const rest = await poll(harness);
		expect([...first, ...second, ...rest].map((item) => item.json.name).sort()).toEqual(
			Array.from({ length: 12 }, (_, i) => `slow-${String(i).padStart(2, '0')}.txt`),
		);
	});

	it('a stale copy of the static data saved back during the first report does not repeat it: the next poll continues where this process stopped', async () => {
		for (let i = 0; i < 9; i++) await emu.seedFile(`/Inbox/s${i}.txt`, `file ${i}`);
		const harness = await trigger({ startFrom: 'everything', events: ['fileCreated'], includeSubfolders: false, maxChangesPerRun: 3 });
		const first = seen(await poll(harness));
		const stale = structuredClone(harness.staticData);
		const second = seen(await poll(harness));
		Object.assign(harness.staticData, stale);
		const third = seen(await poll(harness));
		expect([first.length, second.length, third.length]).toEqual([3, 3, 3]);
		expect(new Set([...first, ...second, ...third]).size).toBe(9);
		// Once complete, a stale copy from during the report does not bring it back either
		Object.assign(harness.staticData, stale);
		await emu.seedFile('/Inbox/later.txt', 'x');
		expect(seen(await poll(harness))).toEqual(['fileCreated /Inbox/later.txt']);
		expect(harness.staticData.backlog).toBeUndefined();
	});

	it('lists the folder again from the start when Dropbox expires the listing cursor, saying so: nothing lost', async () => {
		for (let i = 0; i < 6; i++) await emu.seedFile(`/Inbox/r${i}.txt`, `file ${i}`);
		const harness = await trigger({ startFrom: 'everything', events: ['fileCreated'], includeSubfolders: false, maxChangesPerRun: 3 });
		const first = seen(await poll(harness));
		emu.state.snapshots.clear();
		const again = seen(await poll(harness));
		expect(harness.warnings.join('\n')).toMatch(/expired the listing cursor.*listing the folder again from the start/);
		expect(again).toEqual(first);
		const rest = seen(await poll(harness));
		expect(await poll(harness)).toEqual([]);
		expect(new Set([...first, ...again, ...rest])).toEqual(new Set(Array.from({ length: 6 }, (_, i) => `fileCreated /Inbox/r${i}.txt`)));
	});

	it('is used once: changing Start From on an active trigger reports nothing again; a new folder is a new start, which uses it', async () => {
		await emu.seedFile('/Inbox/a.txt', 'a');
		await emu.seedFile('/Other/b.txt', 'b');
		const harness = await trigger();
		expect(await poll(harness)).toEqual([]);
		const parameters = harness.poll().getNode().parameters as IDataObject;
		parameters.startFrom = 'everything';
		expect(await poll(harness)).toEqual([]);
		parameters.folder = { __rl: true, mode: 'path', value: '/Other' };
		expect(seen(await poll(harness))).toEqual(['fileCreated /Other/b.txt']);
		expect(await poll(harness)).toEqual([]);
	});

	it('in manual mode (Fetch Test Event) shows the usual sample and stores nothing', async () => {
		await emu.seedFile('/Inbox/one.txt', '1');
		const manual = await trigger({ startFrom: 'everything' }, { mode: 'manual' });
		const items = await poll(manual);
		expect(items.map((item) => [item.json.name, item.json.sample])).toEqual([['one.txt', true]]);
		expect(manual.staticData).toEqual({});
		// Nothing to show: the hint says what the active trigger will report first
		const empty = await trigger({ startFrom: 'everything', filters: { fileExtensions: 'pdf' } }, { mode: 'manual', nodeId: 'empty' });
		const error = await failure(poll(empty));
		expect(error.description).toMatch(/the active trigger first reports what Start From asks for, then every change/);
	});

	it.each([
		['an ISO date without a zone (UTC)', '2024-05-01T09:30', Date.UTC(2024, 4, 1, 9, 30)],
		['an ISO date with a zone', '2024-05-01T09:30:00+02:00', Date.UTC(2024, 4, 1, 7, 30)],
		['a Luxon DateTime ($now.minus(…))', { toISO: () => '2024-05-01T00:00:00.000Z' }, Date.UTC(2024, 4, 1)],
	])('accepts %s as Start Date', async (_label, startDate, since) => {
		await emu.seedFile('/Inbox/x.txt', 'x');
		await emu.seedFile('/Inbox/y.txt', 'y');
		// Runs of 1: the first report is still pending after the first poll, with the date it was asked for
		const harness = await trigger({ startFrom: 'date', startDate, maxChangesPerRun: 1 });
		expect(await poll(harness)).toHaveLength(1);
		expect(harness.staticData.backlog).toEqual({ mode: 'date', since, cursor: expect.any(String) });
	});

	it.each([
		['not a date', 'next tuesday', /The Start Date "next tuesday" is not a date and time/, /ISO date such as 2024-05-01T09:30:00Z/],
		['empty', '', /The Start Date is empty/, /Pick the date to start from/],
		['impossible', '2024-02-30', /The Start Date "2024-02-30" is not a date and time/, /ISO date/],
		['in the future', '2999-01-01T00:00:00Z', /The Start Date 2999-01-01T00:00:00.000Z is in the future/, /Give a past date.*or set Start From to Now/],
	])('refuses a Start Date that is %s, naming the field and the fix, before any call', async (_label, startDate, message, fix) => {
		emu.resetCalls();
		const error = await failure(poll(await trigger({ startFrom: 'date', startDate })));
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(fix);
		expect(emu.calls().total).toBe(0);
	});
});

describe('Start From on the Instant Trigger', () => {
	const node = new DropboxPlusWebhookTrigger();
	const body = () => Buffer.from(JSON.stringify({ list_folder: { accounts: [emu.accountId] } }));

	async function deliver(harness: TriggerHarness): Promise<string[]> {
		const rawBody = body();
		const { ctx } = harness.webhook({ method: 'POST', rawBody, headers: { 'content-type': 'application/json', 'x-dropbox-signature': signBody(rawBody, SECRET) } });
		const result = await node.webhook.call(ctx);
		return seen(result.workflowData?.[0] ?? []);
	}

	async function activate(harness: TriggerHarness): Promise<void> {
		expect(await node.webhookMethods.default.checkExists.call(harness.hook())).toBe(false);
		expect(await node.webhookMethods.default.create.call(harness.hook())).toBe(true);
	}

	it('takes the cursor at activation and reports the backlog with the first notification, with the change that caused it; once', async () => {
		await emu.seedFile('/Inbox/there.txt', 'x');
		emu.seedFolder('/Inbox/Folder');
		const harness = await trigger({ startFrom: 'everything' }, { nodeId: 'instant-everything' });
		await activate(harness);
		expect(harness.staticData).toMatchObject({ cursor: expect.any(String), backlog: { mode: 'everything' } });
		// The workflow cannot start at activation (a webhook node): the backlog waits for Dropbox's first notification
		await emu.seedFile('/Inbox/new.txt', 'y');
		// new.txt is both listed and read as a change in that run: emitted once
		expect(await deliver(harness)).toEqual(['fileCreated /Inbox/new.txt', 'fileCreated /Inbox/there.txt', 'folderCreated /Inbox/Folder']);
		expect(await deliver(harness)).toEqual([]);
		await emu.seedFile('/Inbox/after.txt', 'z');
		expect(await deliver(harness)).toEqual(['fileCreated /Inbox/after.txt']);
	});

	it('is used once: unpublished and published again, it watches from now; a test listen (manual) starts from now', async () => {
		await emu.seedFile('/Inbox/there.txt', 'x');
		const harness = await trigger({ startFrom: 'everything' }, { nodeId: 'instant-republished' });
		await activate(harness);
		expect(await deliver(harness)).toEqual(['fileCreated /Inbox/there.txt']);
		expect(await node.webhookMethods.default.delete.call(harness.hook())).toBe(true);
		expect(harness.staticData).toEqual({ watch: 'recursive:/inbox' });
		await activate(harness);
		expect(harness.staticData.backlog).toBeUndefined();
		expect(await deliver(harness)).toEqual([]);

		const manual = await trigger({ startFrom: 'everything' }, { mode: 'manual', nodeId: 'instant-manual' });
		await activate(manual);
		expect(manual.staticData.backlog).toBeUndefined();
	});

	it('refuses an unusable Start Date at activation, before any call', async () => {
		emu.resetCalls();
		const harness = await trigger({ startFrom: 'date', startDate: 'soon' }, { nodeId: 'instant-bad-date' });
		const error = await failure(node.webhookMethods.default.create.call(harness.hook()));
		expect(error.message).toMatch(/The Start Date "soon" is not a date and time/);
		expect(emu.calls().total).toBe(0);
	});
});
