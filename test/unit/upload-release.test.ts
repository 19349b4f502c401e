import { Readable } from 'node:stream';

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { executeBatch } from '../../nodes/DropboxPlus/actions/file/upload.operation';
import { contentHash } from '../../nodes/shared/contentHash';
import { dropboxError, fakeContext, httpError } from './helpers/fakes';

const MIB = 1024 * 1024;

/**
 * Upload items whose files come from n8n's binary store as streams (filesystem or S3 mode):
 * every stream handed out is kept, to see whether the node closed it.
 */
function storeContext(answers: unknown[], parameters: IDataObject, items = 1, bytes = 12 * MIB) {
	const fake = fakeContext(answers);
	const ctx = fake.ctx as unknown as Record<string, unknown> & { helpers: Record<string, unknown> };
	const streams: Readable[] = [];
	const inputs: INodeExecutionData[] = Array.from({ length: items }, (_, i) => ({
		json: {},
		binary: { data: { id: `filesystem-v2:file-${i}`, data: 'filesystem-v2', mimeType: 'application/octet-stream', fileName: `f${i}.bin` } },
	}));
	ctx.getNodeParameter = (name: string, index: number, fallback?: unknown) => {
		if (name === 'authentication') return 'oAuth2';
		const value = name.split('.').reduce<unknown>((v, key) => (v as IDataObject | undefined)?.[key], parameters);
		if (name === 'filePath') return `/up/f${index}.bin`;
		return value ?? fallback;
	};
	ctx.continueOnFail = () => false;
	ctx.getInputData = () => inputs;
	ctx.helpers.getBinaryStream = async () => {
		const piece = Buffer.alloc(64 * 1024, 7);
		const stream = Readable.from(
			(function* () {
				for (let sent = 0; sent < bytes; sent += piece.length) yield piece;
			})(),
		);
		streams.push(stream);
		return stream;
	};
	return { ctx: fake.ctx as IExecuteFunctions, request: fake.request, streams };
}

const refused = () => httpError(409, dropboxError({ '.tag': 'not_found' }));
const started = JSON.stringify({ session_id: 'session-1' });

describe('File → Upload releases the file it reads when the upload fails', () => {
	it('closes the binary-store stream when an append fails after the first chunk (one file, chunks one after another)', async () => {
		const { ctx, streams } = storeContext([started, refused()], { destination: 'path', options: { chunkSize: 4, parallelChunks: 1 } });
		await expect(executeBatch.call(ctx, [0])).rejects.toThrow();
		expect(streams).toHaveLength(1);
		expect(streams[0].destroyed).toBe(true);
	});

	it('closes the binary-store stream when a concurrent session fails', async () => {
		const { ctx, streams } = storeContext([started, refused()], { destination: 'path', options: { chunkSize: 4, parallelChunks: 3 } }, 1, 40 * MIB);
		await expect(executeBatch.call(ctx, [0])).rejects.toThrow();
		expect(streams[0].destroyed).toBe(true);
	});

	it('closes every item\'s stream when staging uploads for a batched commit fails', async () => {
		const { ctx, streams } = storeContext([started, refused()], { destination: 'path', options: { chunkSize: 4, parallelChunks: 1, parallelUploads: 1 } }, 2);
		await expect(executeBatch.call(ctx, [0, 1])).rejects.toThrow('not_found');
		expect(streams.length).toBeGreaterThan(0);
		expect(streams.every((stream) => stream.destroyed)).toBe(true);
	});

	it('closes the stream of a file that was saved, too', async () => {
		const { ctx, request, streams } = storeContext([], { destination: 'path', options: { chunkSize: 4 } }, 1, 64 * 1024);
		request.mockImplementationOnce(async () => JSON.stringify({ path_display: '/up/f0.bin', content_hash: contentHash(Buffer.alloc(64 * 1024, 7)) }));
		await executeBatch.call(ctx, [0]);
		expect(streams[0].destroyed).toBe(true);
	});
});
