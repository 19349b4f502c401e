import { Readable } from 'node:stream';

import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type IHttpRequestOptions, type INodeExecutionData } from 'n8n-workflow';

import { execute as downloadFile } from '../../nodes/DropboxPlus/actions/file/download.operation';
import { execute as downloadZip } from '../../nodes/DropboxPlus/actions/folder/downloadZip.operation';
import { execute as downloadFromLink } from '../../nodes/DropboxPlus/actions/sharedLink/downloadFromLink.operation';
import { attachContent } from '../../nodes/shared/watch/content';
import type { EmittingFunctions, WatchSettings } from '../../nodes/shared/watch/types';
import { contentHash } from '../../nodes/shared/contentHash';
import { clock } from '../../nodes/shared/transport';
import { fakeContext } from './helpers/fakes';

/** A response body that sends `bytes`, then (with `cut`) fails as a dropped socket does. */
function body(bytes: Buffer, cut?: Error): Readable {
	return Readable.from(
		(async function* () {
			if (bytes.length) yield bytes;
			if (cut) throw cut;
		})(),
	);
}

const socketHangUp = () => Object.assign(new Error('aborted'), { code: 'ECONNRESET' });

function answer(result: IDataObject, stream: Readable, statusCode = 200, header?: string) {
	return { body: stream, headers: { 'dropbox-api-result': header ?? JSON.stringify(result) }, statusCode };
}

/** An operation on a fake context: Dropbox answers from `answers`, the binary store keeps bytes in memory. */
function context(answers: unknown[], parameters: IDataObject, input: INodeExecutionData = { json: {} }) {
	const fake = fakeContext(answers);
	const stored: Buffer[] = [];
	const ctx = fake.ctx as unknown as Record<string, unknown> & { helpers: Record<string, unknown> };
	ctx.getNodeParameter = (name: string, _index: number, fallback?: unknown) => (name === 'authentication' ? 'oAuth2' : (parameters[name] ?? fallback));
	ctx.getInputData = () => [input];
	ctx.helpers.prepareBinaryData = async (stream: Readable, fileName?: string, mimeType?: string) => {
		const chunks: Buffer[] = [];
		for await (const chunk of stream) chunks.push(chunk as Buffer);
		stored.push(Buffer.concat(chunks));
		return { data: 'stored', fileName, mimeType };
	};
	const sent = () => fake.request.mock.calls.map(([, options]) => options as IHttpRequestOptions);
	return { ctx: fake.ctx as IExecuteFunctions, request: fake.request, stored, sent };
}

const file = (value: string) => ({ __rl: true, mode: 'path', value });
const BYTES = Buffer.from('0123456789abcdefghij');
const META = { name: 'a.txt', path_display: '/a.txt', rev: '0123456789abc', size: BYTES.length, content_hash: contentHash(BYTES) };

/** An error as n8n receives it: n8n's own class, the item, the path and a fix. */
async function n8nError(run: Promise<unknown>): Promise<NodeOperationError | NodeApiError> {
	const error = await run.then(
		() => undefined,
		(failure: unknown) => failure,
	);
	expect(error instanceof NodeOperationError || error instanceof NodeApiError).toBe(true);
	const failure = error as NodeOperationError;
	expect(failure.context.itemIndex ?? (failure as unknown as { itemIndex?: number }).itemIndex).toBe(0);
	expect(typeof failure.description).toBe('string');
	expect(failure.description!.length).toBeGreaterThan(10);
	return failure;
}

beforeEach(() => jest.spyOn(clock, 'sleep').mockImplementation(async () => {}));
afterEach(() => jest.restoreAllMocks());

describe('Downloads: every failure reaches n8n as its own error, naming the item, the path and the fix', () => {
	it('File → Download: a connection that keeps dropping mid-body ends in a NodeOperationError, not a raw socket error', async () => {
		const cuts = Array.from({ length: 6 }, (_, i) => answer(META, body(BYTES.subarray(i, i + 1), socketHangUp()), i === 0 ? 200 : 206));
		const { ctx } = context(cuts, { file: file('/a.txt') });
		const error = await n8nError(downloadFile.call(ctx, 0));
		expect(error.message).toMatch(/The download of "\/a.txt" failed after 6 of 20 bytes \(resumed 5 times\): aborted \(ECONNRESET\)/);
	});

	it('File → Download: a body that is not bytes ends in a NodeOperationError, not a TypeError', async () => {
		const { ctx } = context([answer(META, Readable.from([{ not: 'bytes' }]))], { file: file('/a.txt') });
		const error = await n8nError(downloadFile.call(ctx, 0));
		expect(error.message).toMatch(/The download of "\/a.txt"/);
	});

	it('a Dropbox-API-Result header that is not JSON: a NodeOperationError naming the path, and the response stream is destroyed', async () => {
		const stream = body(BYTES);
		const { ctx } = context([answer(META, stream, 200, '{"name": "a.txt", broken')], { file: file('/a.txt') });
		const error = await n8nError(downloadFile.call(ctx, 0));
		expect(error.message).toMatch(/files\/download for "\/a.txt" with a Dropbox-API-Result header that is not JSON/);
		expect(stream.destroyed).toBe(true);
	});

	it('Download as ZIP: a ZIP cut mid-body (not resumable) ends in a NodeOperationError and its stream is destroyed', async () => {
		const stream = body(BYTES.subarray(0, 5), socketHangUp());
		const { ctx } = context([answer({ metadata: { name: 'src' } }, stream)], { folder: file('/src') });
		const error = await n8nError(downloadZip.call(ctx, 0));
		expect(error.message).toMatch(/The download of "\/src" failed after 5 bytes: aborted/);
		expect(error.description).toMatch(/cannot be resumed/);
		expect(stream.destroyed).toBe(true);
	});
});

describe('Downloads: one pipeline for File → Download, Download as ZIP, Download File From Link and the triggers', () => {
	const LINK = 'https://www.dropbox.com/s/abc/a.txt?dl=0';

	it('Download File From Link resumes a dropped connection with Range, the same link and arguments', async () => {
		const { ctx, sent, stored } = context(
			[answer(META, body(BYTES.subarray(0, 8), socketHangUp())), answer(META, body(BYTES.subarray(8)), 206)],
			{ url: LINK },
		);
		const [item] = (await downloadFromLink.call(ctx, 0)) as INodeExecutionData[];
		expect(stored[0].equals(BYTES)).toBe(true);
		expect(item.json).toMatchObject({ name: 'a.txt' });
		const [, second] = sent();
		expect(second.headers?.Range).toBe('bytes=8-');
		expect(JSON.parse(String(second.headers?.['Dropbox-API-Arg']))).toEqual(JSON.parse(String(sent()[0].headers?.['Dropbox-API-Arg'])));
	});

	it('Download File From Link refuses to resume onto another revision of the file', async () => {
		const { ctx } = context(
			[answer(META, body(BYTES.subarray(0, 8), socketHangUp())), answer({ ...META, rev: 'fedcba9876543' }, body(BYTES.subarray(8)), 206)],
			{ url: LINK },
		);
		const error = await n8nError(downloadFromLink.call(ctx, 0));
		expect(error.message).toMatch(/cut off at byte 8 and could not be resumed/);
		expect(error.description).toMatch(/The file changed/);
	});

	it('the trigger\'s attached content is resumed on the same revision and checked against its content_hash', async () => {
		const { ctx, sent, stored } = context([answer(META, body(BYTES.subarray(0, 4), socketHangUp())), answer(META, body(BYTES.subarray(4)), 206)], {});
		const settings = { attach: 'binary' } as WatchSettings;
		const entry = { '.tag': 'file' as const, name: 'a.txt', id: 'id:abc', path_display: '/a.txt' };
		const item = await attachContent(ctx as unknown as EmittingFunctions, settings, entry, { event: 'fileCreated' });
		expect(stored[0].equals(BYTES)).toBe(true);
		expect(item.binary?.data).toMatchObject({ fileName: 'a.txt', mimeType: 'text/plain' });
		expect(JSON.parse(String(sent()[1].headers?.['Dropbox-API-Arg']))).toEqual({ path: `rev:${META.rev}` });

		const bad = context([answer({ ...META, content_hash: contentHash(Buffer.from('other')) }, body(BYTES))], {});
		await expect(attachContent(bad.ctx as unknown as EmittingFunctions, settings, entry, {})).rejects.toThrow(/do not match Dropbox's content_hash/);
	});

	const input: INodeExecutionData = { json: {}, binary: { original: { data: 'b3JpZ2luYWw=', mimeType: 'text/plain' } } };

	it.each([
		['File → Download', downloadFile, { file: file('/a.txt') }, META],
		['Download as ZIP', downloadZip, { folder: file('/src') }, { metadata: { name: 'src' } }],
		['Download File From Link', downloadFromLink, { url: LINK }, META],
	] as const)('%s keeps the input item\'s binaries beside the downloaded file', async (_name, operation, parameters, result) => {
		const { ctx } = context([answer(result as IDataObject, body(BYTES))], { ...parameters, binaryPropertyName: 'file' }, input);
		const [item] = (await operation.call(ctx, 0)) as INodeExecutionData[];
		expect(Object.keys(item.binary ?? {}).sort()).toEqual(['file', 'original']);
	});

	it.each([
		['File → Download', downloadFile, { file: file('/a.txt') }],
		['Download as ZIP', downloadZip, { folder: file('/src') }],
		['Download File From Link', downloadFromLink, { url: LINK }],
	] as const)('%s checks the output binary field name by the same rule, before any call', async (_name, operation, parameters) => {
		for (const [name, message] of [
			['my file', /The Put Output File in Field of item 0 "my file" is not a valid field name/],
			[' ', /The Put Output File in Field of item 0 is empty/],
		] as const) {
			const { ctx, request } = context([], { ...parameters, binaryPropertyName: name });
			await expect(operation.call(ctx, 0)).rejects.toThrow(message);
			expect(request).not.toHaveBeenCalled();
		}
	});
});
