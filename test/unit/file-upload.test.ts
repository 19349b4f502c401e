import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { executeBatch } from '../../nodes/DropboxPlus/actions/file/upload.operation';
import { contentHash } from '../../nodes/shared/contentHash';
import { fakeContext } from './helpers/fakes';

/** The upload operation on a fake context; Dropbox answers from `answers`. */
function uploadContext(answers: unknown[], parameters: IDataObject) {
	const fake = fakeContext(answers);
	const ctx = fake.ctx as unknown as Record<string, unknown>;
	ctx.getNodeParameter = (name: string, _index: number, fallback?: unknown) =>
		name === 'authentication' ? 'oAuth2' : (parameters[name] ?? fallback);
	ctx.continueOnFail = () => false;
	ctx.getInputData = () => [{ json: {}, binary: { data: { data: Buffer.from('payload').toString('base64'), mimeType: 'text/plain' } } }];
	return { ctx: fake.ctx as IExecuteFunctions, request: fake.request };
}

const argOf = (call: unknown[]) => JSON.parse((call[1] as { headers: Record<string, string> })['headers']['Dropbox-API-Arg']);

describe('File → Upload (unit)', () => {
	it('sends the commit options and the content_hash of the bytes in one files/upload', async () => {
		const { ctx, request } = uploadContext(
			[JSON.stringify({ name: 'a.txt', path_display: '/In/a.txt', content_hash: contentHash(Buffer.from('payload')) })],
			{
				folder: { __rl: true, mode: 'path', value: '/In' },
				fileName: 'a.txt',
				mode: 'update',
				revision: 'rev:0123456789abc',
				options: { autorename: true, mute: true, strictConflict: true, clientModified: '2024-02-03T04:05:06Z' },
			},
		);
		const [outcome] = await executeBatch.call(ctx, [0]);
		expect(outcome).toMatchObject({ output: [{ json: { path_display: '/In/a.txt' } }] });
		expect(request).toHaveBeenCalledTimes(1);
		expect((request.mock.calls[0][1] as { url: string }).url).toBe('https://content.dropboxapi.com/2/files/upload');
		expect(argOf(request.mock.calls[0])).toEqual({
			path: '/In/a.txt',
			mode: { '.tag': 'update', update: '0123456789abc' },
			autorename: true,
			mute: true,
			strict_conflict: true,
			client_modified: '2024-02-03T04:05:06Z',
			content_hash: contentHash(Buffer.from('payload')),
		});
	});

	it('fails when the saved file\'s content_hash is not the one of the bytes sent', async () => {
		const { ctx } = uploadContext(
			[JSON.stringify({ path_display: '/a.txt', size: 7, content_hash: contentHash(Buffer.from('other')) })],
			{ destination: 'path', filePath: '/a.txt' },
		);
		await expect(executeBatch.call(ctx, [0])).rejects.toThrow(/The file saved at "\/a.txt" does not match the bytes sent/);
	});
});
