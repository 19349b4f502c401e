import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { checkName, isCaseOnlyRename, temporaryPath } from '../../nodes/DropboxPlus/actions/shared/relocationAndDelete';
import { checkNewFolderPath } from '../../nodes/DropboxPlus/actions/folder/create.operation';
import { BATCH_JOB_POLL, chunk, groupByShared, itemList, runBatched, type BatchEntry } from '../../nodes/shared/batch/batchJobs';
import { pollClock, pollUntilDone } from '../../nodes/shared/batch/jobPolling';
import { COPY_ROUTES, DELETE_ROUTES, relocationFailure } from '../../nodes/shared/batch/batchRoutes';
import { clock } from '../../nodes/shared/transport';

/** A context whose Dropbox answers are scripted per route, recording each request body. */
function scripted(answers: Record<string, IDataObject[]>) {
	const sent: Array<{ route: string; body: IDataObject }> = [];
	const ctx = {
		getNode: () => ({ name: 'Dropbox Plus', type: 'dropboxPlus', typeVersion: 1, position: [0, 0], parameters: {} }),
		getNodeParameter: (_name: string, _index: number, fallback: unknown) => fallback,
		getCredentials: async () => ({ pathRoot: 'home' }),
		logger: { debug() {} },
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				const routeName = request.url.replace(/^.*\/2\//, '');
				sent.push({ route: routeName, body: JSON.parse(String(request.body)) });
				const next = answers[routeName]?.shift();
				if (!next) throw new Error(`unexpected call ${routeName}`);
				return JSON.stringify(next);
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, sent };
}

const entry = (itemIndex: number, from: string): BatchEntry => ({
	itemIndex,
	args: { from_path: from, to_path: `/out${from}` },
	shared: { autorename: false },
	path: from,
	destination: `/out${from}`,
});

const file = (path: string) => ({ '.tag': 'file', name: path.slice(1), path_display: path });

let waits: number[];
beforeEach(() => {
	waits = [];
	jest.spyOn(clock, 'sleep').mockImplementation(async (ms) => {
		waits.push(ms);
	});
});
afterEach(() => jest.restoreAllMocks());

describe('batch helpers', () => {
	it('splits into runs of at most the batch size, in order', () => {
		expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(chunk([], 3)).toEqual([]);
	});

	it('checks a job at once, then waits 200 ms, 1.5 times longer each time, never over 2 s', async () => {
		let checks = 0;
		await pollUntilDone(async () => (++checks === 10 ? 'done' : undefined), BATCH_JOB_POLL);
		expect(waits).toEqual([200, 300, 450, 675, 1012.5, 1518.75, 2000, 2000, 2000]);
	});

	it('batches together only entries with the same batch-level arguments', () => {
		const a = { ...entry(0, '/a'), shared: { autorename: true } };
		const b = entry(1, '/b');
		const c = { ...entry(2, '/c'), shared: { autorename: true } };
		expect(groupByShared([a, b, c])).toEqual([[a, c], [b]]);
	});

	it('unwraps relocation_error so a batch entry failure has the shape of a single copy_v2 error', () => {
		const inner = { '.tag': 'from_lookup', from_lookup: { '.tag': 'not_found' } };
		expect(relocationFailure({ '.tag': 'relocation_error', relocation_error: inner })).toBe(inner);
		expect(relocationFailure({ '.tag': 'internal_error' })).toEqual({ '.tag': 'internal_error' });
	});

	it('accepts a plain new name and refuses empty names, slashes and trailing spaces', () => {
		expect(checkName('q1-final.pdf')).toEqual({ path: 'q1-final.pdf' });
		expect(checkName('')).toMatchObject({ problem: 'is empty' });
		expect(checkName('a/b.pdf')).toMatchObject({ problem: 'contains "/"' });
		expect(checkName('draft ')).toMatchObject({ problem: 'starts or ends with whitespace' });
	});

	it('refuses the root and IDs as a new folder path', () => {
		expect(checkNewFolderPath('Reports/2024')).toEqual({ path: '/Reports/2024' });
		expect(checkNewFolderPath('/')).toMatchObject({ problem: 'is the root folder' });
		expect(checkNewFolderPath('id:abc123')).toMatchObject({ problem: 'is an ID' });
	});
});

describe('case-only renames', () => {
	it('is one when only the case differs, not for the same text nor another path', () => {
		expect(isCaseOnlyRename('/a/Foo.txt', '/a/FOO.txt')).toBe(true);
		expect(isCaseOnlyRename('/A/foo.txt', '/a/foo.txt')).toBe(true);
		expect(isCaseOnlyRename('/a/Foo.txt', '/a/Foo.txt')).toBe(false);
		expect(isCaseOnlyRename('/a/Foo.txt', '/b/FOO.txt')).toBe(false);
	});

	it('goes through a temporary name beside the source, at most 255 characters', () => {
		expect(temporaryPath('/a/Foo.txt', '0123456789ab')).toBe('/a/Foo.txt.0123456789ab.tmp');
		expect(temporaryPath('/Foo', 'abcdefabcdef')).toBe('/Foo.abcdefabcdef.tmp');
		const long = temporaryPath(`/a/${'x'.repeat(255)}`);
		expect(long.slice(3)).toHaveLength(255);
		expect(long).toMatch(/^\/a\/x+\.[0-9a-f]{12}\.tmp$/);
	});
});

describe('runBatched', () => {
	it('resubmits only the entries Dropbox refused for write contention, and fails the others on their own item', async () => {
		const { ctx, sent } = scripted({
			'files/copy_batch_v2': [
				{
					'.tag': 'complete',
					entries: [
						{ '.tag': 'success', success: file('/out/a') },
						{ '.tag': 'failure', failure: { '.tag': 'too_many_write_operations' } },
						{ '.tag': 'failure', failure: { '.tag': 'relocation_error', relocation_error: { '.tag': 'to', to: { '.tag': 'conflict', conflict: { '.tag': 'file' } } } } },
					],
				},
				{ '.tag': 'complete', entries: [{ '.tag': 'success', success: file('/out/b') }] },
			],
		});
		const outcomes = await runBatched(ctx, COPY_ROUTES, [entry(0, '/a'), entry(1, '/b'), entry(2, '/c')], 1000);
		expect(sent.map((call) => call.route)).toEqual(['files/copy_batch_v2', 'files/copy_batch_v2']);
		expect(sent[1].body.entries).toEqual([{ from_path: '/b', to_path: '/out/b' }]);
		expect(outcomes.get(0)).toEqual({ output: file('/out/a') });
		expect(outcomes.get(1)).toEqual({ output: file('/out/b') });
		const failed = outcomes.get(2) as { error: Error & { context: IDataObject } };
		expect(failed.error.message).toBe('Dropbox: to/conflict/file at "/out/c"');
		expect(failed.error.context).toMatchObject({ dropboxTag: 'to/conflict/file', dropboxPath: '/out/c', itemIndex: 2 });
		expect(waits).toEqual([1000]);
	});

	it('polls an async job with growing waits until it completes', async () => {
		const { ctx, sent } = scripted({
			'files/delete_batch': [{ '.tag': 'async_job_id', async_job_id: 'job-1' }],
			'files/delete_batch/check': [
				{ '.tag': 'in_progress' },
				{ '.tag': 'in_progress' },
				{ '.tag': 'complete', entries: [{ '.tag': 'success', metadata: file('/a') }] },
			],
		});
		const outcomes = await runBatched(ctx, DELETE_ROUTES, [{ itemIndex: 0, args: { path: '/a' }, shared: {}, path: '/a' }], 1000);
		expect(outcomes.get(0)).toEqual({ output: file('/a') });
		expect(sent.filter((call) => call.route === 'files/delete_batch/check').map((call) => call.body)).toEqual([
			{ async_job_id: 'job-1' },
			{ async_job_id: 'job-1' },
			{ async_job_id: 'job-1' },
		]);
		expect(waits).toEqual([200, 300]);
	});

	it('gives every entry of a job that runs out of time a clear error', async () => {
		const saved = BATCH_JOB_POLL.timeoutMs;
		BATCH_JOB_POLL.timeoutMs = 100;
		try {
			const { ctx } = scripted({
				'files/delete_batch': [{ '.tag': 'async_job_id', async_job_id: 'job-2' }],
				'files/delete_batch/check': Array.from({ length: 20 }, () => ({ '.tag': 'in_progress' })),
			});
			let now = 0;
			jest.spyOn(pollClock, 'now').mockImplementation(() => now);
			jest.spyOn(clock, 'sleep').mockImplementation(async (ms) => {
				now += ms;
			});
			const entries = [0, 1].map((itemIndex) => ({ itemIndex, args: { path: `/${itemIndex}` }, shared: {}, path: `/${itemIndex}` }));
			const outcomes = await runBatched(ctx, DELETE_ROUTES, entries, 1000);
			for (const itemIndex of [0, 1]) {
				expect((outcomes.get(itemIndex) as { error: Error }).error.message).toBe(
					"Dropbox's batch job did not finish within 0.1 s (files/delete_batch)",
				);
			}
		} finally {
			BATCH_JOB_POLL.timeoutMs = saved;
		}
	});
});

describe('stopping at the first failure (issue 16, defect 2)', () => {
	it('lists item numbers with runs of three or more as ranges', () => {
		expect(itemList([])).toBe('');
		expect(itemList([4])).toBe('4');
		expect(itemList([0, 1])).toBe('0, 1');
		expect(itemList([7, 0, 1, 2, 5, 8, 9, 10, 11])).toBe('0–2, 5, 7–11');
	});

	it('with stopAtFailure, sends no further batch once one holds a failure; entries not sent get no outcome', async () => {
		const { ctx, sent } = scripted({
			'files/copy_batch_v2': [
				{ '.tag': 'complete', entries: [{ '.tag': 'success', success: file('/out/a') }, { '.tag': 'success', success: file('/out/b') }] },
				{
					'.tag': 'complete',
					entries: [
						{ '.tag': 'failure', failure: { '.tag': 'relocation_error', relocation_error: { '.tag': 'from_lookup', from_lookup: { '.tag': 'not_found' } } } },
						{ '.tag': 'success', success: file('/out/d') },
					],
				},
			],
		});
		const entries = ['/a', '/b', '/c', '/d', '/e'].map((path, index) => entry(index, path));
		const outcomes = await runBatched(ctx, COPY_ROUTES, entries, 2, { stopAtFailure: true });
		expect(sent).toHaveLength(2);
		expect([...outcomes.keys()].sort()).toEqual([0, 1, 2, 3]);
		expect(outcomes.has(4)).toBe(false);
		expect('error' in (outcomes.get(2) as object)).toBe(true);
	});

	it('with stopAtFailure and Batch Size 1, sends nothing after the failing entry; a settled failure does not stop', async () => {
		const { ctx, sent } = scripted({ 'files/delete_batch': [] });
		let failures = 0;
		const entries = [0, 1, 2, 3].map((itemIndex) => ({ itemIndex, args: { path: `/${itemIndex}` }, shared: {}, path: `/${itemIndex}` }));
		// every call fails (nothing scripted for files/delete_v2); settle forgives item 0's failure only
		const outcomes = await runBatched(ctx, DELETE_ROUTES, entries, 1, {
			stopAtFailure: true,
			settle: async (outcome, { itemIndex }) => {
				if ('error' in outcome) failures++;
				return itemIndex === 0 ? { output: { forgiven: true } } : outcome;
			},
		});
		expect(sent.map((call) => call.body.path)).toEqual(['/0', '/1']);
		expect(failures).toBe(2);
		expect(outcomes.get(0)).toEqual({ output: { forgiven: true } });
		expect([...outcomes.keys()]).toEqual([0, 1]);
	});
});
