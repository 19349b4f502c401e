import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { DropboxPlusTrigger } from '../../nodes/DropboxPlusTrigger/DropboxPlusTrigger.node';
import { startEmulator, type Emulator } from '../../sandbox/emulator';
import { createTriggerHarness, slowDropbox, type TriggerHarness } from '../support/triggerContext';

const TOKEN = 'test-token';
const ALL_EVENTS = ['fileCreated', 'fileUpdated', 'fileDeleted', 'folderCreated', 'folderDeleted'];
let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ port: 0, accessToken: TOKEN });
});
afterAll(async () => await emu.close());
beforeEach(() => emu.reset());

async function api(route: string, args: object): Promise<IDataObject> {
	const response = await fetch(`${emu.url}/2/${route}`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(args),
	});
	if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
	return (await response.json()) as IDataObject;
}

/** `process`: another n8n process's view of the same node (its own memory), sharing `staticData` when given. */
async function trigger(parameters: IDataObject = {}, mode: 'trigger' | 'manual' = 'trigger', process?: { nodeId: string; staticData?: IDataObject }) {
	return await createTriggerHarness({
		emulatorUrl: emu.url,
		accessToken: TOKEN,
		mode,
		...process,
		parameters: {
			authentication: 'oAuth2',
			events: ALL_EVENTS,
			folder: { __rl: true, mode: 'path', value: '/Inbox' },
			includeSubfolders: false,
			attachContent: 'none',
			filters: {},
			...parameters,
		},
	});
}

async function poll(harness: TriggerHarness): Promise<INodeExecutionData[] | null> {
	const result = await new DropboxPlusTrigger().poll.call(harness.poll());
	return result ? result[0] : null;
}

/** What a user sees per item: "event path". */
function seen(items: INodeExecutionData[] | null): string[] {
	return (items ?? []).map((item) => `${item.json.event} ${item.json.path_display}`).sort();
}

describe('Dropbox Plus Trigger (polling) against the emulator', () => {
	beforeEach(() => emu.seedFolder('/Inbox'));

	it('takes a baseline on the first poll and reports nothing that existed before', async () => {
		await emu.seedFile('/Inbox/old.txt', 'old');
		const harness = await trigger();
		expect(await poll(harness)).toBeNull();
		expect(typeof harness.staticData.cursor).toBe('string');
		expect(await poll(harness)).toBeNull();
	});

	it('reports every event kind once, classified', async () => {
		await emu.seedFile('/Inbox/keep.txt', 'v1');
		await emu.seedFile('/Inbox/gone.txt', 'bye');
		emu.seedFolder('/Inbox/OldFolder');
		const harness = await trigger();
		await poll(harness);

		await emu.seedFile('/Inbox/new.txt', 'hello');
		await emu.seedFile('/Inbox/keep.txt', 'v2');
		await api('files/delete_v2', { path: '/Inbox/gone.txt' });
		await api('files/create_folder_v2', { path: '/Inbox/NewFolder' });
		await api('files/delete_v2', { path: '/Inbox/OldFolder' });

		const items = await poll(harness);
		expect(seen(items)).toEqual([
			'fileCreated /Inbox/new.txt',
			'fileDeleted /Inbox/gone.txt',
			'fileUpdated /Inbox/keep.txt',
			'folderCreated /Inbox/NewFolder',
			'folderDeleted /Inbox/OldFolder',
		]);
		const created = items!.find((item) => item.json.event === 'fileCreated')!.json;
		expect(created).toMatchObject({ name: 'new.txt', size: 5, '.tag': 'file' });
		expect(created.id).toMatch(/^id:/);
		expect(created.rev).toEqual(expect.any(String));
		expect(created.content_hash).toEqual(expect.any(String));
		expect(created.server_modified).toEqual(expect.any(String));
		expect(await poll(harness)).toBeNull();
	});

	it('emits only the chosen events', async () => {
		await emu.seedFile('/Inbox/a.txt', 'v1');
		const harness = await trigger({ events: ['fileUpdated', 'folderDeleted'] });
		await poll(harness);
		await emu.seedFile('/Inbox/a.txt', 'v2');
		await emu.seedFile('/Inbox/b.txt', 'new');
		await api('files/create_folder_v2', { path: '/Inbox/F' });
		expect(seen(await poll(harness))).toEqual(['fileUpdated /Inbox/a.txt']);
	});

	it('sees subfolders only when Include Subfolders is on', async () => {
		emu.seedFolder('/Inbox/Sub');
		const direct = await trigger();
		const recursive = await trigger({ includeSubfolders: true });
		await poll(direct);
		await poll(recursive);
		await emu.seedFile('/Inbox/Sub/deep.txt', 'x');
		await emu.seedFile('/Inbox/top.txt', 'x');
		await emu.seedFile('/Elsewhere/out.txt', 'x');
		expect(seen(await poll(direct))).toEqual(['fileCreated /Inbox/top.txt']);
		expect(seen(await poll(recursive))).toEqual(['fileCreated /Inbox/Sub/deep.txt', 'fileCreated /Inbox/top.txt']);
	});

	it('watches the whole Dropbox when the folder is the root', async () => {
		const harness = await trigger({ folder: { __rl: true, mode: 'path', value: '/' }, includeSubfolders: true });
		await poll(harness);
		await emu.seedFile('/Anywhere/x.pdf', 'x');
		expect(seen(await poll(harness))).toEqual(['fileCreated /Anywhere/x.pdf', 'folderCreated /Anywhere']);
	});

	it('filters by file extension and by name pattern', async () => {
		const harness = await trigger({ filters: { fileExtensions: 'PDF, .docx', namePattern: 'invoice-??.*' } });
		await poll(harness);
		for (const name of ['invoice-01.pdf', 'invoice-02.docx', 'invoice-03.txt', 'invoice-100.pdf', 'receipt-01.pdf']) {
			await emu.seedFile(`/Inbox/${name}`, name);
		}
		expect(seen(await poll(harness))).toEqual(['fileCreated /Inbox/invoice-01.pdf', 'fileCreated /Inbox/invoice-02.docx']);
	});

	it('classifies a file deleted and re-created as deleted, then created (not updated)', async () => {
		await emu.seedFile('/Inbox/report.txt', 'v1');
		const harness = await trigger();
		await poll(harness);
		await api('files/delete_v2', { path: '/Inbox/report.txt' });
		expect(seen(await poll(harness))).toEqual(['fileDeleted /Inbox/report.txt']);
		await emu.seedFile('/Inbox/report.txt', 'v2');
		expect(seen(await poll(harness))).toEqual(['fileCreated /Inbox/report.txt']);
	});

	it('classifies a new revision as updated, and a rename or move as deleted + created', async () => {
		await emu.seedFile('/Inbox/draft.txt', 'v1');
		emu.seedFolder('/Inbox/Done');
		const harness = await trigger({ includeSubfolders: true });
		await poll(harness);
		await emu.seedFile('/Inbox/draft.txt', 'v2');
		expect(seen(await poll(harness))).toEqual(['fileUpdated /Inbox/draft.txt']);
		await api('files/move_v2', { from_path: '/Inbox/draft.txt', to_path: '/Inbox/final.txt' });
		expect(seen(await poll(harness))).toEqual(['fileCreated /Inbox/final.txt', 'fileDeleted /Inbox/draft.txt']);
		await api('files/move_v2', { from_path: '/Inbox/final.txt', to_path: '/Inbox/Done/final.txt' });
		expect(seen(await poll(harness))).toEqual(['fileCreated /Inbox/Done/final.txt', 'fileDeleted /Inbox/final.txt']);
	});

	it('re-baselines on an expired cursor: no storm of created files, the files changed since the last check still reported, and says so in the log', async () => {
		for (let i = 0; i < 20; i++) await emu.seedFile(`/Inbox/f${i}.txt`, 'x');
		const harness = await trigger();
		await poll(harness);
		const before = harness.staticData.cursor;
		// Dropbox's times have whole seconds: keep the change clear of both checks
		await new Promise((resolve) => setTimeout(resolve, 1100));
		await emu.seedFile('/Inbox/while-expired.txt', 'x');
		await new Promise((resolve) => setTimeout(resolve, 1100));
		// Dropbox invalidates cursors now and then; the emulator's cursors carry its epoch
		emu.state.epoch = 'expired-epoch';
		expect(seen(await poll(harness))).toEqual(['fileCreated /Inbox/while-expired.txt']);
		expect(harness.warnings.join('\n')).toMatch(/reset.*1 file\(s\) changed since the last check/);
		expect(harness.staticData.cursor).not.toBe(before);
		await emu.seedFile('/Inbox/after.txt', 'x');
		expect(seen(await poll(harness))).toEqual(['fileCreated /Inbox/after.txt']);
	});

	it('attaches the content as binary, or a temporary link', async () => {
		const binary = await trigger({ attachContent: 'binary' });
		// Another node: n8n tells nodes apart by workflow and node ID
		const link = await trigger({ attachContent: 'link' }, 'trigger', { nodeId: 'link-trigger' });
		await poll(binary);
		await poll(link);
		await emu.seedFile('/Inbox/photo.jpg', 'jpeg bytes');
		const [withBinary] = (await poll(binary))!;
		expect(withBinary.binary?.data.fileName).toBe('photo.jpg');
		expect((await binary.readBinary(withBinary.binary!.data.id!)).toString()).toBe('jpeg bytes');
		const [withLink] = (await poll(link))!;
		const download = await fetch(String(withLink.json.temporary_link).replace(/^https?:\/\/[^/]+/, emu.url));
		expect(await download.text()).toBe('jpeg bytes');
	});

	it('in manual mode shows the newest files without moving the cursor', async () => {
		const active = await trigger();
		await poll(active);
		const cursor = active.staticData.cursor;
		await emu.seedFile('/Inbox/one.txt', '1');
		await emu.seedFile('/Inbox/two.txt', '2');
		const manual = await trigger({}, 'manual');
		manual.staticData.cursor = cursor;
		const items = await poll(manual);
		expect(items!.map((item) => item.json.name).sort()).toEqual(['one.txt', 'two.txt']);
		expect(items![0].json.sample).toBe(true);
		expect(manual.staticData.cursor).toBe(cursor);
		expect(seen(await poll(active))).toEqual(['fileCreated /Inbox/one.txt', 'fileCreated /Inbox/two.txt']);
	});

	it('in manual mode with nothing to show says why: the folder looked at, subfolders off, the filters, and what to change', async () => {
		await emu.seedFile('/Inbox/Sub/deep.pdf', 'deep');
		const direct = await trigger({}, 'manual');
		const error = await poll(direct).then(
			() => undefined,
			(caught: unknown) => caught as { message: string; description: string },
		);
		expect(error?.message).toBe('No file found to show as a test event: none in "/Inbox" (its direct content only: Include Subfolders is off)');
		expect(error?.description).toMatch(/Turn on Include Subfolders to look below the folder too\./);
		expect(error?.description).toMatch(/up to 5 of the newest files already there \(1 entry looked at\)/);

		const filtered = await trigger({ includeSubfolders: true, filters: { fileExtensions: 'docx' } }, 'manual');
		const filteredError = await poll(filtered).then(
			() => undefined,
			(caught: unknown) => caught as { message: string; description: string },
		);
		expect(filteredError?.message).toBe('No file found to show as a test event: none in "/Inbox" or its subfolders matches File Extensions "docx"');
		expect(filteredError?.description).toMatch(/Loosen the filters\./);

		const withSubfolders = await trigger({ includeSubfolders: true }, 'manual');
		expect((await poll(withSubfolders))!.map((item) => item.json.path_display)).toEqual(['/Inbox/Sub/deep.pdf']);
	});

	it('new triggers (version 1.1) include subfolders by default, so Folder "/" watches the whole Dropbox; saved version-1 triggers keep their default (off)', () => {
		const properties = new DropboxPlusTrigger().description.properties.filter((property) => property.name === 'includeSubfolders');
		expect(new DropboxPlusTrigger().description.defaultVersion).toBe(1.1);
		expect(properties.map((property) => [property.default, property.displayOptions])).toEqual([
			[false, { show: { '@version': [1] } }],
			[true, { hide: { '@version': [1] } }],
		]);
	});

	it('refuses an unusable folder or filter before any call', async () => {
		emu.resetCalls();
		const badFolder = await trigger({ folder: { __rl: true, mode: 'path', value: '/In//box' } });
		await expect(poll(badFolder)).rejects.toThrow(/watched folder "\/In\/\/box" has an empty segment/);
		const noEvents = await trigger({ events: [] });
		await expect(poll(noEvents)).rejects.toThrow(/No event is selected/);
		expect(emu.calls().total).toBe(0);
	});

	it('bounds a run by Max Changes per Run: a backlog of 7 with a bound of 3 comes as 3, 3, then 1, each change once', async () => {
		const harness = await trigger({ events: ['fileCreated'], maxChangesPerRun: 3 });
		expect(await poll(harness)).toBeNull();
		for (let i = 0; i < 7; i++) await emu.seedFile(`/Inbox/backlog-${i}.txt`, `change ${i}`);
		const runs = [seen(await poll(harness)), seen(await poll(harness)), seen(await poll(harness))];
		expect(runs.map((run) => run.length)).toEqual([3, 3, 1]);
		expect(runs.flat().sort()).toEqual(Array.from({ length: 7 }, (_, i) => `fileCreated /Inbox/backlog-${i}.txt`));
		expect(await poll(harness)).toBeNull();
	});

	it('loses nothing of a backlog left for the next run when Dropbox expires the cursor in between', async () => {
		const harness = await trigger({ events: ['fileCreated'], maxChangesPerRun: 2 });
		expect(await poll(harness)).toBeNull();
		// Dropbox's times have whole seconds: keep the changes clear of the checks
		await new Promise((resolve) => setTimeout(resolve, 1100));
		for (let i = 0; i < 5; i++) await emu.seedFile(`/Inbox/pending-${i}.txt`, `change ${i}`);
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const first = seen(await poll(harness));
		expect(first).toHaveLength(2);
		emu.state.epoch = 'expired-while-pending';
		const recovered = seen(await poll(harness));
		expect(new Set([...first, ...recovered])).toEqual(new Set(Array.from({ length: 5 }, (_, i) => `fileCreated /Inbox/pending-${i}.txt`)));
	});

	it('gives every item a stable eventId, with Simplify on and off: the same when the same changes are read again, different for every change', async () => {
		await emu.seedFile('/Inbox/keep.txt', 'v1');
		const plain = await trigger();
		await poll(plain);

		await emu.seedFile('/Inbox/new.txt', 'hello');
		await emu.seedFile('/Inbox/keep.txt', 'v2');
		await api('files/create_folder_v2', { path: '/Inbox/NewFolder' });
		await api('files/delete_v2', { path: '/Inbox/new.txt' });
		await emu.seedFile('/Inbox/other.txt', 'x');
		const before = { ...plain.staticData };
		const ids = (items: INodeExecutionData[] | null) =>
			Object.fromEntries((items ?? []).map((item) => [`${item.json.event} ${item.json.path_display}`, item.json.eventId]));

		const first = ids(await poll(plain));
		// The same changes read again from the same cursor, by another process
		const again = ids(await poll(await trigger({}, 'trigger', { nodeId: 'other-process', staticData: { ...before } })));
		const simplified = ids(await poll(await trigger({ simplify: true }, 'trigger', { nodeId: 'third-process', staticData: { ...before } })));
		expect(Object.keys(first).length).toBeGreaterThanOrEqual(3);
		for (const id of Object.values(first)) expect(id).toMatch(/^[0-9a-f]{32}$/);
		expect(new Set(Object.values(first)).size).toBe(Object.keys(first).length);
		expect(again).toEqual(first);
		expect(simplified).toEqual(first);

		// A later change of the same file is another event: another eventId
		await emu.seedFile('/Inbox/keep.txt', 'v3');
		const later = ids(await poll(plain));
		expect(later['fileUpdated /Inbox/keep.txt']).toMatch(/^[0-9a-f]{32}$/);
		expect(Object.values(first)).not.toContain(later['fileUpdated /Inbox/keep.txt']);
	});

	it('never runs two polls of the same node at once: a poll that starts while one still reads returns nothing, and every change is emitted once', async () => {
		const harness = await trigger({ events: ['fileCreated'] });
		expect(await poll(harness)).toBeNull();
		for (let i = 0; i < 6; i++) await emu.seedFile(`/Inbox/overlap-${i}.txt`, `change ${i}`);
		// n8n's cron starts the next poll while the previous one still runs (a slow Dropbox)
		const [first, second] = await Promise.all([poll(harness), poll(harness)]);
		const emitted = [...seen(first), ...seen(second)];
		expect(emitted.sort()).toEqual(Array.from({ length: 6 }, (_, i) => `fileCreated /Inbox/overlap-${i}.txt`));
		expect(await poll(harness)).toBeNull();
		// Once the first is done, the next poll reads again
		await emu.seedFile('/Inbox/after.txt', 'later');
		expect(seen(await poll(harness))).toEqual(['fileCreated /Inbox/after.txt']);
	});

	it('a poll reads for at most 30 s even when n8n gives it 5 minutes, so it fits a one-minute poll interval; the rest comes with the next poll', async () => {
		const harness = await trigger({ events: ['fileCreated'], maxChangesPerRun: 2 });
		expect(await poll(harness)).toBeNull();
		(harness.poll().getNode().parameters as IDataObject).maxChangesPerRun = 100;
		for (let i = 0; i < 10; i++) await emu.seedFile(`/Inbox/budget-${i}.txt`, `change ${i}`);
		const ctx = { ...harness.poll(), getPollBudgetMs: () => 300_000 } as unknown as IPollFunctions;
		const clock = slowDropbox(ctx.helpers, () => 20_000);
		let first: string[];
		try {
			first = seen((await new DropboxPlusTrigger().poll.call(ctx))?.[0] ?? null);
		} finally {
			clock.restore();
		}
		// One page (its call and its two files' classification calls, 20 s each) passes the 30 s deadline: not all five pages (150 s would allow them)
		expect(first).toHaveLength(2);
		const rest = seen(await poll(harness));
		expect([...first, ...rest].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `fileCreated /Inbox/budget-${i}.txt`).sort());
	});

	it('a burst of changes is classified within the read deadline too: a poll reports the pages it classified in time, the next poll the rest, none lost or twice', async () => {
		// Pages of 2 changes (the cursor keeps the page size it was taken with), then a larger bound
		const harness = await trigger({ events: ['fileCreated'], maxChangesPerRun: 2 });
		expect(await poll(harness)).toBeNull();
		(harness.poll().getNode().parameters as IDataObject).maxChangesPerRun = 100;
		for (let i = 0; i < 10; i++) await emu.seedFile(`/Inbox/burst-${i}.txt`, `change ${i}`);
		// Reading pages is instant; telling a new file from an updated one (a call per file) takes 10 s each
		const ctx = harness.poll();
		const clock = slowDropbox(ctx.helpers, (url) => (url.endsWith('/files/list_revisions') ? 10_000 : 0));
		let first: string[];
		try {
			first = seen((await new DropboxPlusTrigger().poll.call(ctx))?.[0] ?? null);
		} finally {
			clock.restore();
		}
		// Two pages (40 s of classification) pass the 30 s deadline: the poll stops there, not after classifying all ten
		expect(first).toHaveLength(4);
		expect(clock.priced).toHaveLength(4);
		const rest = seen(await poll(harness));
		expect([...first, ...rest].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `fileCreated /Inbox/burst-${i}.txt`).sort());
		expect(await poll(harness)).toBeNull();
	});

	it('a stale copy of the static data saved back (a worker whose workflow writes static data) does not roll the cursor back: nothing is emitted again', async () => {
		const harness = await trigger({ events: ['fileCreated'] });
		expect(await poll(harness)).toBeNull();
		await emu.seedFile('/Inbox/one.txt', '1');
		await emu.seedFile('/Inbox/two.txt', '2');
		// The worker's snapshot, taken when the execution was handed to it
		const stale = { ...harness.staticData };
		expect(seen(await poll(harness))).toEqual(['fileCreated /Inbox/one.txt', 'fileCreated /Inbox/two.txt']);
		// The worker saves the workflow's static data as it had it: the old cursor comes back
		Object.assign(harness.staticData, stale);
		await emu.seedFile('/Inbox/three.txt', '3');
		expect(seen(await poll(harness))).toEqual(['fileCreated /Inbox/three.txt']);
		expect(await poll(harness)).toBeNull();
	});

	it('a poll that outran n8n\'s poll budget (which n8n abandons, saving nothing) is read again by the next poll: nothing lost', async () => {
		const harness = await trigger({ events: ['fileCreated'] });
		expect(await poll(harness)).toBeNull();
		await emu.seedFile('/Inbox/slow.txt', 'x');
		const saved = { ...harness.staticData };
		const ctx = harness.poll();
		const clock = slowDropbox(ctx.helpers, () => 70_000);
		try {
			expect(seen((await new DropboxPlusTrigger().poll.call(ctx))?.[0] ?? null)).toEqual(['fileCreated /Inbox/slow.txt']);
		} finally {
			clock.restore();
		}
		// n8n abandoned that poll: its static data was never saved
		for (const key of Object.keys(harness.staticData)) delete harness.staticData[key];
		Object.assign(harness.staticData, saved);
		expect(seen(await poll(harness))).toEqual(['fileCreated /Inbox/slow.txt']);
	});

	it('refuses an unusable Max Changes per Run before any call', async () => {
		emu.resetCalls();
		const harness = await trigger({ maxChangesPerRun: 0 });
		await expect(poll(harness)).rejects.toThrow(/"Max Changes per Run" is "0"/);
		expect(emu.calls().total).toBe(0);
	});

	it('without a poll budget from n8n (1.x) a poll still stops reading at a deadline; the rest comes with the next poll, none lost or twice', async () => {
		// Pages of 2 changes (the cursor keeps the page size it was taken with), then a larger bound
		const harness = await trigger({ events: ['fileCreated'], maxChangesPerRun: 2 });
		expect(await poll(harness)).toBeNull();
		(harness.poll().getNode().parameters as IDataObject).maxChangesPerRun = 100;
		for (let i = 0; i < 10; i++) await emu.seedFile(`/Inbox/slow-${i}.txt`, `change ${i}`);
		// Dropbox answers each call 20 s later (a clock moved on per request)
		const ctx = { ...harness.poll(), getPollBudgetMs: undefined } as unknown as IPollFunctions;
		const clock = slowDropbox(ctx.helpers, () => 20_000);
		let first: string[];
		try {
			first = seen((await new DropboxPlusTrigger().poll.call(ctx))?.[0] ?? null);
		} finally {
			clock.restore();
		}
		// One page (its call and its two files' classification calls, 20 s each) passes the 30 s deadline: not all five
		expect(first).toHaveLength(2);
		const rest = seen(await poll(harness));
		expect([...first, ...rest].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `fileCreated /Inbox/slow-${i}.txt`).sort());
		expect(await poll(harness)).toBeNull();
	});

	it('costs one API call per poll with nothing new, even in a folder of 100,000 entries', async () => {
		const seeded = await fetch(`${emu.url}/__admin/seed`, {
			method: 'POST',
			body: JSON.stringify({ generate: { folder: '/Big', count: 100_000 } }),
		});
		expect(seeded.ok).toBe(true);
		const harness = await trigger({ folder: { __rl: true, mode: 'path', value: '/Big' } });
		await poll(harness);
		emu.resetCalls();
		expect(await poll(harness)).toBeNull();
		expect(await poll(harness)).toBeNull();
		expect(emu.calls()).toEqual({ total: 2, byRoute: { 'files/list_folder/continue': 2 }, uploadedBytes: 0 });
		await emu.seedFile('/Big/new.txt', 'x');
		expect(seen(await poll(harness))).toEqual(['fileCreated /Big/new.txt']);
	}, 120_000);
});
