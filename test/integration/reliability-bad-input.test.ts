import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { DropboxPlusWebhookTrigger, MAX_NOTIFICATION_BYTES } from '../../nodes/DropboxPlusWebhookTrigger/DropboxPlusWebhookTrigger.node';
import type { Emulator } from '../../sandbox/emulator';
import { route } from '../../nodes/DropboxPlus/actions/router';
import { createExecuteContext } from '../support/executeContext';
import { createTriggerHarness, signBody, type TriggerHarness } from '../support/triggerContext';
import { byPath, emulator, failure, run, TOKEN } from './run';

/**
 * Bad input is refused before anything is sent: each case runs the operation against the
 * emulator and asserts a NodeOperationError that names the item and the fix, and zero calls.
 * The same table is in test/reliability/README-section.md.
 */
let emu: Emulator;
beforeAll(async () => {
	emu = await emulator();
});
afterAll(async () => await emu.close());
beforeEach(async () => {
	emu.reset();
	emu.resetCalls();
	await emu.seedFile('/Reports/q1.pdf', 'quarter');
	emu.resetCalls();
});

const LONG_NAME = `${'n'.repeat(256)}.txt`;

interface Case {
	what: string;
	parameters: IDataObject;
	/** The binary of the item, if any: bytes, or none. */
	binary?: Buffer | 'none';
	message: RegExp;
	description: RegExp;
}

const upload = (extra: IDataObject): IDataObject => ({
	resource: 'file',
	operation: 'upload',
	destination: 'path',
	filePath: '/Reports/new.txt',
	content: 'binary',
	binaryPropertyName: 'data',
	mode: 'add',
	options: {},
	...extra,
});
const get = (file: unknown): IDataObject => ({ resource: 'file', operation: 'get', file });
const download = (file: unknown, options: IDataObject = {}): IDataObject => ({
	resource: 'file',
	operation: 'download',
	file,
	binaryPropertyName: 'data',
	options,
});

const CASES: Case[] = [
	{ what: 'a malformed path (doubled "/")', parameters: get(byPath('/Reports//q1.pdf')), message: /empty segment/, description: /doubled/ },
	{ what: 'a malformed reference', parameters: get(byPath('id:')), message: /not a valid Dropbox reference/, description: /id:/ },
	{ what: 'a name over 255 characters', parameters: upload({ filePath: `/Reports/${LONG_NAME}` }), binary: Buffer.from('x'), message: /longer than 255/, description: /Shorten/ },
	{ what: 'a file name over 255 characters (folder + name)', parameters: upload({ destination: 'folder', folder: byPath('/Reports'), fileName: LONG_NAME }), binary: Buffer.from('x'), message: /longer than 255/, description: /Shorten/ },
	{ what: 'a control character (line break)', parameters: download(byPath('/Reports/q1\n.pdf')), message: /control character/, description: /Remove/ },
	{ what: 'a control character (tab) in a folder', parameters: { resource: 'folder', operation: 'list', folder: byPath('/Rep\torts'), returnAll: true, options: {} }, message: /control character/, description: /Remove/ },
	{ what: 'a broken character (half an emoji)', parameters: get(byPath('/Reports/\ud83d.pdf')), message: /broken character/, description: /cut a character/ },
	{ what: 'a trailing space', parameters: get(byPath('/Reports/q1.pdf ')), message: /whitespace/, description: /spaces/ },
	{ what: 'a folder name ending in a space', parameters: get(byPath('/Reports /q1.pdf')), message: /ending in a space/, description: /remove the space/ },
	{ what: 'a ".." segment', parameters: get(byPath('/Reports/../etc/q1.pdf')), message: /"\.\." segment/, description: /full path/ },
	{ what: 'a "." segment in a destination', parameters: { resource: 'file', operation: 'copy', file: byPath('/Reports/q1.pdf'), destination: 'path', destinationPath: '/Reports/./q2.pdf', options: {} }, message: /"\." segment/, description: /full path/ },
	{ what: 'the root where a file is needed', parameters: get(byPath('/')), message: /root folder/, description: /\/Reports\/q1\.pdf/ },
	{ what: 'an empty binary field (0 bytes)', parameters: upload({}), binary: Buffer.alloc(0), message: /item 0 holds an empty file/, description: /Content to Text/ },
	{ what: 'a binary field that does not exist', parameters: upload({ binaryPropertyName: 'attachment' }), binary: Buffer.from('x'), message: /"attachment" of item 0 is not in the input item/, description: /"data"/ },
	{ what: 'no binary data at all', parameters: upload({}), binary: 'none', message: /is not in the input item/, description: /no binary data/ },
	{ what: 'a chunk size below the minimum', parameters: upload({ options: { chunkSize: 0 } }), binary: Buffer.from('x'), message: /Chunk Size option of item 0 .*not a whole number/, description: /4, 8, 16/ },
	{ what: 'a chunk size not a multiple of 4', parameters: upload({ options: { chunkSize: 6 } }), binary: Buffer.from('x'), message: /not a multiple of 4 MiB/, description: /use 4 or 8/ },
	{ what: 'a chunk size over 150 MiB', parameters: upload({ options: { chunkSize: 152 } }), binary: Buffer.from('x'), message: /over the limit/, description: /148 MiB/ },
	{ what: 'a chunk size that is not a number', parameters: upload({ options: { chunkSize: 'big' } }), binary: Buffer.from('x'), message: /"big" is not a whole number/, description: /4, 8, 16/ },
	{ what: 'an expression that resolves to an object (plain field)', parameters: get({ path_display: '/Reports/q1.pdf' }), message: /is an object, not a path/, description: /path_display/ },
	{ what: 'an expression that resolves to an object (locator value)', parameters: download(byPath({ id: 'id:abc' } as unknown as string)), message: /is an object/, description: /expression that gives text/ },
	{ what: 'an object as the upload path', parameters: upload({ filePath: { path: '/x' } }), binary: Buffer.from('x'), message: /is an object/, description: /expression that gives text/ },
	{ what: 'an invalid revision (upload, update mode)', parameters: upload({ mode: 'update', revision: 'not-a-rev' }), binary: Buffer.from('x'), message: /"not-a-rev" is not a Dropbox revision/, description: /9 or more lowercase hex/ },
	{ what: 'an empty revision (upload, update mode)', parameters: upload({ mode: 'update', revision: '' }), binary: Buffer.from('x'), message: /Revision of item 0 is empty/, description: /List Revisions/ },
	{ what: 'an invalid revision (download)', parameters: download(byPath('/Reports/q1.pdf'), { revision: 'XYZ123' }), message: /not a Dropbox revision/, description: /List Revisions/ },
	{ what: 'an invalid revision (restore)', parameters: { resource: 'file', operation: 'restore', file: byPath('/Reports/q1.pdf'), revision: '12345' }, message: /not a Dropbox revision/, description: /9 or more/ },
	{ what: 'a revision where a path is needed', parameters: { resource: 'file', operation: 'restore', file: byPath('rev:0123456789abc'), revision: '0123456789abc' }, message: /is a revision reference/, description: /Revision field/ },
];

/** Runs the operation through the router on one item carrying `binary`, stored in the run's own binary store. */
async function runOn(parameters: IDataObject, binary: Case['binary']): Promise<unknown> {
	const items: INodeExecutionData[] = [{ json: {} }];
	const test = await createExecuteContext({ emulatorUrl: emu.url, accessToken: TOKEN, parameters: { authentication: 'oAuth2', ...parameters }, items });
	if (binary !== undefined && binary !== 'none') items[0].binary = { data: await test.storeBinary(binary, 'file.txt', 'text/plain') };
	return await route.call(test.ctx);
}

describe('bad input is refused before anything is sent', () => {
	it.each(CASES.map((c) => [c.what, c] as const))('%s: a NodeOperationError naming the item and the fix, no call', async (_what, c) => {
		const error = await failure(runOn(c.parameters, c.binary));
		expect(error.constructor.name).toBe('NodeOperationError');
		expect(error.message).toMatch(c.message);
		expect(error.description).toMatch(c.description);
		expect((error.context as IDataObject).itemIndex).toBe(0);
		expect(emu.calls().total).toBe(0);
		// no partial writes: the account holds exactly what it held before
		expect(Object.keys(await emuFiles()).sort()).toEqual(['/reports', '/reports/q1.pdf']);
	});

	it('with continue-on-fail the bad item becomes an error item paired to it, and only the good items are sent', async () => {
		const paths = ['/Reports/q1.pdf', '/Reports/../q1.pdf', '/Reports/q1.pdf\t', '/Reports/q1.pdf'];
		const { items } = await run(emu, (i) => get(byPath(paths[i])), {
			items: paths.map(() => ({ json: {} })),
			continueOnFail: true,
		});
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[0].json.path_display).toBe('/Reports/q1.pdf');
		expect(items[1].json.error).toMatch(/"\.\." segment/);
		expect(items[1].json.description).toMatch(/full path/);
		expect(items[2].json.error).toMatch(/whitespace/);
		expect(items[3].json.path_display).toBe('/Reports/q1.pdf');
		expect(emu.calls().byRoute).toEqual({ 'files/get_metadata': 2 });
	});

	it('an expression that gives nothing says so and lists the input item\'s fields, instead of "is the root folder"', async () => {
		const items: INodeExecutionData[] = [{ json: { name: 'q1.pdf', path_display: '/Reports/q1.pdf', id: 'id:x' } }];
		const test = await createExecuteContext({
			emulatorUrl: emu.url,
			accessToken: TOKEN,
			parameters: { authentication: 'oAuth2', ...download(byPath('')) },
			nodeParameters: { file: { __rl: true, mode: 'path', value: '={{ $json.path }}' } },
			items,
		});
		const error = await failure(route.call(test.ctx));
		expect(error.message).toBe('The File is empty: its expression {{ $json.path }} gave nothing');
		expect(error.message).not.toMatch(/root folder/);
		expect(error.description).toBe('The input item 0 has the fields name, path_display, id. Use one of them, e.g. {{ $json.path_display }}.');
		expect((error.context as IDataObject).itemIndex).toBe(0);
		expect(emu.calls().total).toBe(0);
	});

	it('an empty Fixed value is still judged as a path (no expression to blame)', async () => {
		const error = await failure(runOn(get(byPath('')), undefined));
		expect(error.message).toMatch(/is the root folder/);
	});

	it('a trailing "/" is not sent: it is removed (the folder itself is meant)', async () => {
		const { items } = await run(emu, { resource: 'folder', operation: 'list', folder: byPath('/Reports/'), returnAll: true, simplify: false, options: {} });
		expect(items.map((item) => item.json.path_display)).toEqual(['/Reports/q1.pdf']);
	});

	async function emuFiles(): Promise<Record<string, unknown>> {
		const out: Record<string, unknown> = {};
		const response = await fetch(`${emu.url}/__admin/files`);
		const entries = (await response.json()) as Array<{ path_lower?: string }> | { entries?: Array<{ path_lower?: string }> };
		const list = Array.isArray(entries) ? entries : (entries.entries ?? []);
		for (const entry of list) if (entry.path_lower) out[entry.path_lower] = entry;
		return out;
	}
});

// ---------------------------------------------------------------- webhook

const SECRET = 'sandbox-app-secret';
const trigger = new DropboxPlusWebhookTrigger();

describe('the Instant Trigger refuses bad deliveries and starts nothing', () => {
	let harness: TriggerHarness;
	let accountId: string;

	beforeEach(async () => {
		emu.seedFolder('/Inbox');
		harness = await createTriggerHarness({
			emulatorUrl: emu.url,
			accessToken: TOKEN,
			appSecret: SECRET,
			nodeId: 'bad-input-node',
			parameters: {
				authentication: 'refreshToken',
				events: ['fileCreated', 'fileUpdated', 'fileDeleted'],
				folder: { __rl: true, mode: 'path', value: '/Inbox' },
				includeSubfolders: false,
				attachContent: 'none',
				filters: {},
			},
		});
		await trigger.webhookMethods.default.create.call(harness.hook());
		accountId = emu.accountId;
		await emu.seedFile('/Inbox/new.txt', 'a change to emit');
		emu.resetCalls();
	});

	const notification = (accounts: unknown = [accountId]) =>
		Buffer.from(JSON.stringify({ list_folder: { accounts }, delta: { users: [1] } }));

	async function deliver(rawBody: Buffer, signature?: string) {
		const headers: IDataObject = { 'Content-Type': 'application/json' };
		if (signature !== undefined) headers['X-Dropbox-Signature'] = signature;
		const { ctx, response } = harness.webhook({ method: 'POST', rawBody, headers });
		const result = await trigger.webhook.call(ctx);
		return { result, response };
	}

	const refused: Array<[string, () => [Buffer, string | undefined], number]> = [
		['a missing signature', () => [notification(), undefined], 403],
		['a wrong signature', () => [notification(), signBody(notification(), 'another-secret')], 403],
		['a signature of another body (replayed onto a new one)', () => [notification(['dbid:other', accountId]), signBody(notification(), SECRET)], 403],
		['a signature that is not hex', () => [notification(), 'not hex at all'], 403],
		['a body that is not JSON, unsigned', () => [Buffer.from('<xml>hello</xml>'), undefined], 403],
		['a body that is not JSON, correctly signed', () => [Buffer.from('<xml>hello</xml>'), signBody('<xml>hello</xml>', SECRET)], 400],
		['JSON that is not a notification, correctly signed', () => [Buffer.from('[1,2,3]'), signBody('[1,2,3]', SECRET)], 400],
		['a huge body (over 1 MiB), correctly signed', () => {
			const huge = Buffer.alloc(MAX_NOTIFICATION_BYTES + 1, 0x20);
			return [huge, signBody(huge, SECRET)];
		}, 413],
	];

	it.each(refused)('%s: refused, nothing started, no Dropbox call', async (_what, make, status) => {
		const [body, signature] = make();
		const { result, response } = await deliver(body, signature);
		expect(response.statusCode).toBe(status);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(emu.calls().total).toBe(0);
	});

	it('the same signed notification delivered again (Dropbox retries) starts the changes once', async () => {
		const body = notification();
		const first = await deliver(body, signBody(body, SECRET));
		const again = await deliver(body, signBody(body, SECRET));
		expect([first.response.statusCode, again.response.statusCode]).toEqual([200, 200]);
		expect(first.result.workflowData?.[0].map((item) => item.json.path_display)).toEqual(['/Inbox/new.txt']);
		expect(again.result.workflowData).toBeUndefined();
	});
});
