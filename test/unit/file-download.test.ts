import { Readable } from 'node:stream';

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { execute } from '../../nodes/DropboxPlus/actions/file/download.operation';
import { contentHash } from '../../nodes/shared/contentHash';
import { dropboxError, fakeContext, httpError } from './helpers/fakes';

/** A download answer as n8n's HTTP helper gives it with encoding 'stream' and the full response. */
function downloadAnswer(bytes: string, result: IDataObject) {
	return {
		body: Readable.from([Buffer.from(bytes.slice(0, 3)), Buffer.from(bytes.slice(3))]),
		headers: { 'dropbox-api-result': JSON.stringify(result) },
		statusCode: 200,
	};
}

/** The download operation on a fake context: Dropbox answers from `answers`, the binary store keeps bytes in memory. */
function downloadContext(answers: unknown[], parameters: IDataObject) {
	const fake = fakeContext(answers);
	const stored: Array<{ bytes: Buffer; fileName?: string; mimeType?: string }> = [];
	const ctx = fake.ctx as unknown as Record<string, unknown> & { helpers: Record<string, unknown> };
	ctx.getNodeParameter = (name: string, _index: number, fallback?: unknown) =>
		name === 'authentication' ? 'oAuth2' : (parameters[name] ?? fallback);
	ctx.getInputData = () => [{ json: {} }];
	ctx.helpers.prepareBinaryData = async (stream: Readable, fileName?: string, mimeType?: string) => {
		const chunks: Buffer[] = [];
		for await (const chunk of stream) chunks.push(chunk as Buffer);
		const bytes = Buffer.concat(chunks);
		stored.push({ bytes, fileName, mimeType });
		return { data: bytes.toString('base64'), fileName, mimeType };
	};
	return { ctx: fake.ctx as IExecuteFunctions, request: fake.request, stored };
}

const file = (value: string) => ({ __rl: true, mode: 'path', value });

describe('File → Download (unit)', () => {
	it('exports a file Dropbox cannot download as is, with the export name and MIME type', async () => {
		const markdown = '# Plan\n\n- ship it\n';
		const { ctx, request, stored } = downloadContext(
			[
				httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'unsupported_file' } })),
				downloadAnswer(markdown, {
					export_metadata: { name: 'Plan.md', size: markdown.length, export_hash: contentHash(Buffer.from(markdown)) },
					file_metadata: { name: 'Plan.paper', path_display: '/Plan.paper', is_downloadable: false },
				}),
			],
			{ file: file('/Plan.paper'), binaryPropertyName: 'doc' },
		);
		const [item] = (await execute.call(ctx, 0)) as INodeExecutionData[];
		expect(request.mock.calls.map(([, options]) => (options as { url: string }).url)).toEqual([
			'https://content.dropboxapi.com/2/files/download',
			'https://content.dropboxapi.com/2/files/export',
		]);
		expect(stored[0]).toMatchObject({ fileName: 'Plan.md', mimeType: 'text/markdown' });
		expect(stored[0].bytes.toString()).toBe(markdown);
		expect(item.json).toMatchObject({ path_display: '/Plan.paper', export_metadata: { name: 'Plan.md' } });
		expect(item.binary?.doc).toMatchObject({ fileName: 'Plan.md' });
	});

	it('asks for the chosen export format directly', async () => {
		const { ctx, request } = downloadContext(
			[downloadAnswer('<h1>Plan</h1>', { export_metadata: { name: 'Plan.html', size: 13 }, file_metadata: { name: 'Plan.paper' } })],
			{ file: file('/Plan.paper'), options: { exportFormat: 'html' } },
		);
		await execute.call(ctx, 0);
		const [, options] = request.mock.calls[0] as [string, { url: string; headers: Record<string, string> }];
		expect(options.url).toBe('https://content.dropboxapi.com/2/files/export');
		expect(JSON.parse(options.headers['Dropbox-API-Arg'])).toEqual({ path: '/Plan.paper', export_format: 'html' });
	});

	it('does not fail an export on its export_hash, which the spec calls only "similar to content hash"; the hash stays in the output', async () => {
		const html = '<h1>Plan</h1>';
		const otherHash = contentHash(Buffer.from('something else entirely'));
		const { ctx, stored } = downloadContext(
			[downloadAnswer(html, { export_metadata: { name: 'Plan.html', size: html.length, export_hash: otherHash }, file_metadata: { name: 'Plan.paper', path_display: '/Plan.paper' } })],
			{ file: file('/Plan.paper'), options: { exportFormat: 'html' } },
		);
		const [item] = (await execute.call(ctx, 0)) as INodeExecutionData[];
		expect(stored[0].bytes.toString()).toBe(html);
		expect(item.json).toMatchObject({ export_metadata: { name: 'Plan.html', export_hash: otherHash } });
	});

	it('fails when the bytes received do not match Dropbox\'s content_hash', async () => {
		const { ctx } = downloadContext(
			[downloadAnswer('truncated', { name: 'a.txt', path_display: '/a.txt', content_hash: contentHash(Buffer.from('truncated and more')) })],
			{ file: file('/a.txt') },
		);
		await expect(execute.call(ctx, 0)).rejects.toThrow(/The bytes downloaded from "\/a.txt" do not match Dropbox's content_hash/);
	});

	it('downloads a revision by rev: path when the Revision option is set, after checking it', async () => {
		const { ctx, request } = downloadContext(
			[downloadAnswer('old', { name: 'a.txt', content_hash: contentHash(Buffer.from('old')) })],
			{ file: file('/a.txt'), options: { revision: 'rev:0123456789abcdef' } },
		);
		await execute.call(ctx, 0);
		const [, options] = request.mock.calls[0] as [string, { headers: Record<string, string> }];
		expect(JSON.parse(options.headers['Dropbox-API-Arg'])).toEqual({ path: 'rev:0123456789abcdef' });

		const bad = downloadContext([], { file: file('/a.txt'), options: { revision: 'latest' } });
		await expect(execute.call(bad.ctx, 0)).rejects.toThrow('The Revision option of item 0 "latest" is not a Dropbox revision');
		expect(bad.request).not.toHaveBeenCalled();
	});
});
