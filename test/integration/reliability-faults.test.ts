import { randomBytes } from 'node:crypto';

import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../nodes/DropboxPlus/actions/router';
import { contentHash } from '../../nodes/shared/contentHash';
import { clock } from '../../nodes/shared/transport';
import type { Emulator } from '../../sandbox/emulator';
import { createExecuteContext, type ContextOptions, type TestContext } from '../support/executeContext';
import { byPath, emulator, failure, TOKEN } from './run';

/**
 * Faults survived, nothing lost, nothing duplicated: a workload of files uploaded, listed,
 * downloaded, copied, moved and deleted while the emulator throttles, fails and drops
 * connections. Sizes are scaled down for this in-process suite; the e2e version raises them.
 */
export const FILE_COUNT = 60;
/** Sizes cycle through these (bytes); the ones over CHUNK_MIB use upload sessions. */
export const SIZES = [0, 1, 17, 1000, 65_536, 1_048_576, 3 * 2 ** 20 + 7, 5 * 2 ** 20 + 3, 12 * 2 ** 20, 200];
export const CHUNK_MIB = 4;
export const FAULTS = { seed: 9, rate429: 0.3, reason429: 'mixed' as const, retryAfter: 0, rate500: 0.025, rate503: 0.025, resetRate: 0.02 };
/** Retry waits are shortened to this in tests (the policy itself is unchanged). */
const MAX_TEST_WAIT_MS = 2;

const NAMES = ['report', 'Ünïcødé', 'emoji 😀🎉', '日本語のファイル', 'Ελληνικά', 'العربية', 'mixed-Ä😀-名'];
const nameOf = (i: number) => `${String(i).padStart(3, '0')} ${NAMES[i % NAMES.length]}.bin`;

let emu: Emulator;
const realSleep = clock.sleep;
const waits: number[] = [];
beforeAll(async () => {
	emu = await emulator();
	clock.sleep = async (ms: number) => {
		waits.push(ms);
		await realSleep(Math.min(ms, MAX_TEST_WAIT_MS));
	};
});
afterAll(async () => {
	clock.sleep = realSleep;
	await emu.close();
});

async function context(parameters: ContextOptions['parameters'], items: INodeExecutionData[], options: Partial<ContextOptions> = {}): Promise<TestContext> {
	const withAuth = (p: IDataObject): IDataObject => ({ authentication: 'oAuth2', ...p });
	return await createExecuteContext({
		emulatorUrl: emu.url,
		accessToken: TOKEN,
		parameters: typeof parameters === 'function' ? (i) => withAuth(parameters(i)) : withAuth(parameters),
		items,
		...options,
	});
}

async function runOp(parameters: ContextOptions['parameters'], count: number): Promise<INodeExecutionData[]> {
	const test = await context(parameters, Array.from({ length: count }, () => ({ json: {} })));
	const [out] = await route.call(test.ctx);
	return out;
}

async function accountFiles(): Promise<Array<{ path_display: string; path_lower: string; content_hash?: string; '.tag': string }>> {
	const response = await fetch(`${emu.url}/__admin/files`);
	return (await response.json()) as Array<{ path_display: string; path_lower: string; content_hash?: string; '.tag': string }>;
}

async function injected(): Promise<Record<string, number>> {
	const response = await fetch(`${emu.url}/__admin/faults`);
	return ((await response.json()) as { injected: Record<string, number> }).injected;
}

const pairedInOrder = (items: INodeExecutionData[]) => items.map((item) => (item.pairedItem as { item: number }).item);
const indexes = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('a workload under 30% 429 (both reasons), 5% 500/503 and 2% connection resets', () => {
	it('uploads, lists, downloads, copies, moves and deletes every file exactly once, byte-identical', async () => {
		emu.reset();
		emu.resetCalls();
		emu.seedFolder('/Work');
		const files = indexes(FILE_COUNT).map((i) => ({ name: nameOf(i), bytes: randomBytes(SIZES[i % SIZES.length]) }));
		emu.setFaults(FAULTS);
		const started = Date.now();

		// upload
		const items: INodeExecutionData[] = [];
		const uploadContext = await context(
			(i) => ({
				resource: 'file',
				operation: 'upload',
				destination: 'path',
				filePath: `/Work/${files[i].name}`,
				// an empty binary is refused on purpose; an empty file is saved as empty Text
				content: files[i].bytes.length === 0 ? 'text' : 'binary',
				text: '',
				binaryPropertyName: 'data',
				mode: 'add',
				options: { chunkSize: CHUNK_MIB },
			}),
			items,
		);
		for (const file of files) items.push(file.bytes.length ? { json: {}, binary: { data: await uploadContext.storeBinary(file.bytes, file.name) } } : { json: {} });
		const [uploaded] = await route.call(uploadContext.ctx);
		expect(pairedInOrder(uploaded)).toEqual(indexes(FILE_COUNT));
		uploaded.forEach((item, i) => expect(item.json.content_hash).toBe(contentHash(files[i].bytes)));

		// list
		const listed = await runOp({ resource: 'folder', operation: 'list', folder: byPath('/Work'), returnAll: true, simplify: false, options: {} }, 1);
		expect(listed.map((item) => item.json.name).sort()).toEqual(files.map((file) => file.name).sort());

		// download
		const downloadContext = await context((i) => ({ resource: 'file', operation: 'download', file: byPath(`/Work/${files[i].name}`), binaryPropertyName: 'data', options: {} }), files.map(() => ({ json: {} })));
		const [downloaded] = await route.call(downloadContext.ctx);
		expect(pairedInOrder(downloaded)).toEqual(indexes(FILE_COUNT));
		for (const [i, item] of downloaded.entries()) {
			expect((await downloadContext.readBinary(item.binary!.data)).equals(files[i].bytes)).toBe(true);
		}

		// copy, move, delete (batched)
		const copied = await runOp((i) => ({ resource: 'file', operation: 'copy', file: byPath(`/Work/${files[i].name}`), destination: 'folder', destinationFolder: byPath('/Copy'), options: {} }), FILE_COUNT);
		expect(pairedInOrder(copied)).toEqual(indexes(FILE_COUNT));
		const moved = await runOp((i) => ({ resource: 'file', operation: 'move', file: byPath(`/Copy/${files[i].name}`), destination: 'folder', destinationFolder: byPath('/Moved'), options: {} }), FILE_COUNT);
		expect(pairedInOrder(moved)).toEqual(indexes(FILE_COUNT));
		const deleted = await runOp((i) => ({ resource: 'file', operation: 'delete', file: byPath(`/Work/${files[i].name}`) }), FILE_COUNT);
		expect(pairedInOrder(deleted)).toEqual(indexes(FILE_COUNT));
		const elapsed = Date.now() - started;

		const faults = await injected();
		const calls = emu.calls();
		emu.setFaults({}, { replace: true } as never);
		emu.setFaults({ rate429: 0, rate500: 0, rate503: 0, resetRate: 0 });

		// every file exactly once where it should be, with the source's content_hash; nothing else
		const after = (await accountFiles()).filter((entry) => entry['.tag'] === 'file');
		expect(after.map((entry) => entry.path_display).sort()).toEqual(files.map((file) => `/Moved/${file.name}`).sort());
		const byPathLower = new Map(after.map((entry) => [entry.path_lower, entry]));
		for (const file of files) expect(byPathLower.get(`/moved/${file.name}`.toLowerCase())?.content_hash).toBe(contentHash(file.bytes));
		expect(after.some((entry) => / \(\d+\)/.test(entry.path_display))).toBe(false);

		const total = Object.values(faults).reduce((sum, n) => sum + n, 0);
		// the figures for the README's reliability section
		console.log(
			`reliability workload: ${FILE_COUNT} files, ${files.reduce((sum, f) => sum + f.bytes.length, 0)} bytes; ` +
				`${calls.total} API calls, ${total} faults injected ${JSON.stringify(faults)}; ` +
				`operations: ${6 * FILE_COUNT - FILE_COUNT + 1} items in, ${uploaded.length + listed.length + downloaded.length + copied.length + moved.length + deleted.length} out; ` +
				`items lost: 0, duplicates: 0; ${waits.length} retry waits; ${elapsed} ms`,
		);
		expect(total).toBeGreaterThan(calls.total * 0.25);
		expect(faults.reset ?? 0).toBeGreaterThan(0);
		expect((faults['429'] ?? 0) > 0 && (faults['429w'] ?? 0) > 0).toBe(true);
	}, 120_000);
});

// ---------------------------------------------------------------- lost answers, expired tokens, bounded retries

type Send = (type: string, request: IHttpRequestOptions) => Promise<unknown>;

/** Wraps the context's HTTP so a test can act around each request (as a network or n8n would). */
function intercept(test: TestContext, around: (request: IHttpRequestOptions, send: () => Promise<unknown>) => Promise<unknown>): void {
	const helpers = test.ctx.helpers as unknown as { httpRequestWithAuthentication: Send };
	const original = helpers.httpRequestWithAuthentication;
	helpers.httpRequestWithAuthentication = async (type, request) => await around(request, async () => await original(type, request));
}

/** The answer was lost after Dropbox did the work: what a reset on the response looks like to the client. */
function lostAnswer(): Error {
	return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

describe('an upload whose answer is lost is retried without leaving a duplicate', () => {
	beforeEach(() => {
		emu.reset();
		emu.setFaults({ rate429: 0, rate500: 0, rate503: 0, resetRate: 0 });
		emu.seedFolder('/In');
	});

	it.each([
		['one request, add mode, strict conflict', 1000, 'files/upload'],
		['upload session, add mode, strict conflict (finish answer lost)', 9 * 2 ** 20, 'files/upload_session/finish'],
	])('%s: one file, the right content', async (_what, size, lostRoute) => {
		const bytes = randomBytes(size);
		const items: INodeExecutionData[] = [];
		const test = await context({ resource: 'file', operation: 'upload', destination: 'path', filePath: '/In/once.bin', content: 'binary', binaryPropertyName: 'data', mode: 'add', options: { chunkSize: 4, strictConflict: true, autorename: false } }, items);
		items.push({ json: {}, binary: { data: await test.storeBinary(bytes, 'once.bin') } });
		let attempts = 0;
		intercept(test, async (request, send) => {
			if (!request.url.endsWith(lostRoute)) return await send();
			attempts++;
			const answer = await send();
			if (attempts === 1) throw lostAnswer();
			return answer;
		});
		const [out] = await route.call(test.ctx);
		// the commit was sent again, and Dropbox then answered conflict / finished session
		expect(attempts).toBe(2);
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({ path_display: '/In/once.bin', content_hash: contentHash(bytes) });
		const files = (await accountFiles()).filter((entry) => entry['.tag'] === 'file');
		expect(files.map((entry) => entry.path_display)).toEqual(['/In/once.bin']);
	});

	it('a real conflict after a lost answer is still a conflict (other content at the path)', async () => {
		await emu.seedFile('/In/taken.bin', 'someone else');
		const items: INodeExecutionData[] = [];
		const test = await context({ resource: 'file', operation: 'upload', destination: 'path', filePath: '/In/taken.bin', content: 'text', text: 'mine', mode: 'add', options: {} }, items);
		items.push({ json: {} });
		let first = true;
		intercept(test, async (request, send) => {
			if (first && request.url.endsWith('files/upload')) {
				first = false;
				throw lostAnswer(); // lost before Dropbox saw it
			}
			return await send();
		});
		const error = await failure(route.call(test.ctx));
		expect(error.message).toMatch(/conflict/);
	});
});

describe('a download whose connection drops mid-body', () => {
	it('resumes from where it stopped (Range, same revision) and the bytes are identical', async () => {
		emu.reset();
		const bytes = randomBytes(6 * 2 ** 20 + 11);
		await emu.seedFile('/Dl/cut.bin', bytes);
		emu.setFaults({ rate429: 0, rate500: 0, rate503: 0, resetRate: 0, script: [{ route: 'files/download', kind: 'reset', count: 2 }] });
		const test = await context({ resource: 'file', operation: 'download', file: byPath('/Dl/cut.bin'), binaryPropertyName: 'data', options: {} }, [{ json: {} }]);
		const [out] = await route.call(test.ctx);
		expect((await test.readBinary(out[0].binary!.data)).equals(bytes)).toBe(true);
		const ranges = test.requests.filter((request) => request.url.endsWith('files/download')).map((request) => request.headers.Range);
		expect(ranges[0]).toBeUndefined();
		expect(ranges.slice(1)).toEqual([expect.stringMatching(/^bytes=\d+-$/), expect.stringMatching(/^bytes=\d+-$/)]);
	});
});

describe('the other downloads, cut mid-body (one pipeline, issue 16 defects 8 and 9)', () => {
	it('Download File From Link resumes with Range on the same revision, and the bytes are identical', async () => {
		emu.reset();
		const bytes = randomBytes(3 * 2 ** 20 + 5);
		await emu.seedFile('/Dl/linked.bin', bytes);
		emu.setFaults({ rate429: 0, rate500: 0, rate503: 0, resetRate: 0 });
		const [link] = await runOp({ resource: 'sharedLink', operation: 'create', path: byPath('/Dl/linked.bin') }, 1);
		emu.setFaults({ script: [{ route: 'sharing/get_shared_link_file', kind: 'reset', count: 2 }] });
		const test = await context({ resource: 'sharedLink', operation: 'downloadFromLink', url: link.json.url as string }, [{ json: {} }]);
		const [out] = await route.call(test.ctx);
		expect((await test.readBinary(out[0].binary!.data)).equals(bytes)).toBe(true);
		const ranges = test.requests.filter((request) => request.url.endsWith('get_shared_link_file')).map((request) => request.headers.Range);
		expect(ranges).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/), expect.stringMatching(/^bytes=\d+-$/)]);
	});

	it('Download as ZIP cut mid-body fails as an n8n error naming the item, the folder and the fix (a ZIP cannot be resumed)', async () => {
		emu.reset();
		await emu.seedFile('/Zip/a.bin', randomBytes(2 * 2 ** 20));
		emu.setFaults({ rate429: 0, rate500: 0, rate503: 0, resetRate: 0, script: [{ route: 'files/download_zip', kind: 'reset', count: 1 }] });
		const error = await failure(runOp({ resource: 'folder', operation: 'downloadZip', folder: byPath('/Zip'), binaryPropertyName: 'data' }, 1));
		expect(error.constructor.name).toBe('NodeOperationError');
		expect(error.message).toMatch(/^The download of "\/Zip" failed after \d+ bytes: /);
		expect(String(error.description)).toMatch(/cannot be resumed/);
	});
});

describe('an upload that fails (issue 16 defect 1)', () => {
	it.each([1, 3])('closes the file it reads from n8n\'s binary store (Parallel Chunks %i)', async (parallelChunks) => {
		emu.reset();
		emu.setFaults({ rate429: 0, rate500: 0, rate503: 0, resetRate: 0, script: [{ route: 'files/upload_session/append_v2', kind: '500', count: 100 }] });
		const items: INodeExecutionData[] = [];
		const test = await context({ resource: 'file', operation: 'upload', destination: 'path', filePath: '/Up/failing.bin', content: 'binary', binaryPropertyName: 'data', mode: 'add', options: { chunkSize: 4, parallelChunks } }, items);
		items.push({ json: {}, binary: { data: await test.storeBinary(randomBytes(13 * 2 ** 20), 'failing.bin') } });
		const opened: Array<{ destroyed: boolean; closed: boolean }> = [];
		const helpers = test.ctx.helpers as unknown as { getBinaryStream: (id: string, size?: number) => Promise<{ destroyed: boolean; closed: boolean }> };
		const getBinaryStream = helpers.getBinaryStream;
		helpers.getBinaryStream = async (id, size) => {
			const stream = await getBinaryStream(id, size);
			opened.push(stream);
			return stream;
		};
		const error = await failure(route.call(test.ctx)).finally(() => emu.setFaults({ replace: true }));
		expect(error.message).toMatch(/HTTP 500/);
		expect(opened).toHaveLength(1);
		expect(opened[0].destroyed).toBe(true);
	});
});

describe('an access token that expires in the middle of an upload session', () => {
	it.each([1, 4])('is renewed (as n8n does on a 401) and the upload completes with the right content (Parallel Chunks %i)', async (parallelChunks) => {
		emu.reset();
		emu.setFaults({ rate429: 0, rate500: 0, rate503: 0, resetRate: 0 });
		const { accessToken, refreshToken } = emu.issueToken({ refresh: true, ttlSeconds: 3600 });
		const bytes = randomBytes(20 * 2 ** 20 + 5);
		const items: INodeExecutionData[] = [];
		const options: ContextOptions = {
			emulatorUrl: emu.url,
			accessToken,
			parameters: { authentication: 'oAuth2', resource: 'file', operation: 'upload', destination: 'path', filePath: '/Big/session.bin', content: 'binary', binaryPropertyName: 'data', mode: 'add', options: { chunkSize: 4, parallelChunks } },
			items,
		};
		const test = await createExecuteContext(options);
		items.push({ json: {}, binary: { data: await test.storeBinary(bytes, 'session.bin') } });
		let appends = 0;
		let refreshed = 0;
		const tokensUsed = new Set<string>();
		intercept(test, async (request, send) => {
			if (request.url.endsWith('upload_session/append_v2') && ++appends === 2) emu.expireTokens();
			tokensUsed.add(options.accessToken);
			try {
				return await send();
			} catch (error) {
				const data = (error as { response?: { status?: number; data?: unknown } }).response;
				if (data?.status !== 401 || !JSON.stringify(data.data).includes('expired_access_token')) throw error;
				// n8n's OAuth2 helper: refresh with the refresh token, then send once more
				const response = await fetch(`${emu.url}/oauth2/token`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken!, client_id: 'sandbox-app-key', client_secret: 'sandbox-app-secret' }),
				});
				options.accessToken = ((await response.json()) as { access_token: string }).access_token;
				refreshed++;
				tokensUsed.add(options.accessToken);
				return await send();
			}
		});
		const [out] = await route.call(test.ctx);
		// chunks in flight together each meet the expiry, and each is renewed
		if (parallelChunks === 1) expect([refreshed, tokensUsed.size]).toEqual([1, 2]);
		else expect(refreshed).toBeGreaterThanOrEqual(1);
		expect(appends).toBeGreaterThanOrEqual(4);
		expect(out[0].json).toMatchObject({ path_display: '/Big/session.bin', size: bytes.length, content_hash: contentHash(bytes) });
	});
});

describe('retries are bounded', () => {
	it('with every call failing (HTTP 500), a step gives up with the last error after 6 attempts and bounded waits', async () => {
		emu.reset();
		emu.seedFolder('/x');
		emu.resetCalls();
		emu.setFaults({ rate429: 0, rate503: 0, resetRate: 0, rate500: 1 });
		waits.length = 0;
		const started = Date.now();
		const error = await failure(runOp({ resource: 'folder', operation: 'get', folder: byPath('/x') }, 1));
		const elapsed = Date.now() - started;
		emu.setFaults({ rate500: 0 });
		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.message).toBe('Dropbox had a server error (HTTP 500) (gave up after 6 attempts)');
		expect(emu.calls().total).toBe(6);
		expect(waits).toHaveLength(5);
		// the production policy's waits: exponential with jitter, at most 0.5+1+2+4+8 s in all
		expect(waits.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(15_500);
		expect(elapsed).toBeLessThan(5_000);
	});

	it('with every call rate-limited, a larger but still fixed bound holds (Retry-After honoured, never a loop)', async () => {
		emu.reset();
		emu.seedFolder('/x');
		emu.resetCalls();
		emu.setFaults({ rate500: 0, rate429: 1, retryAfter: 1, reason429: 'too_many_requests' });
		waits.length = 0;
		const error = await failure(runOp({ resource: 'folder', operation: 'get', folder: byPath('/x') }, 1));
		emu.setFaults({ rate429: 0 });
		expect(error.message).toMatch(/rate-limiting .*gave up after 10 attempts/);
		expect(emu.calls().total).toBe(10);
		expect(waits).toEqual(Array(9).fill(1000));
	});
});

export type { IExecuteFunctions };
