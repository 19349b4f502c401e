import type { Readable } from 'node:stream';

import { FileTooLargeError } from 'n8n-core/dist/errors/file-too-large.error';
import type { IDataObject } from 'n8n-workflow';

import { route } from '../../nodes/DropboxPlus/actions/router';
import { DropboxPlusTrigger } from '../../nodes/DropboxPlusTrigger/DropboxPlusTrigger.node';
import type { Emulator } from '../../sandbox/emulator';
import { createExecuteContext } from '../support/executeContext';
import { createTriggerHarness } from '../support/triggerContext';
import { byPath, emulator, failure, TOKEN } from './run';

/**
 * n8n's binary store in `database` mode (queue mode's default) refuses a file above
 * N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE MiB, with n8n's own FileTooLargeError, once it has
 * received the whole file. Here a store capped at 1 MiB does the same: the node's error names
 * the file, its size, the setting and the alternatives; once the cap is known, a file Dropbox
 * says is larger fails before n8n's store receives a byte.
 */
const MIB = 1024 * 1024;
const CAP_MIB = 1;

let emu: Emulator;
beforeAll(async () => {
	emu = await emulator();
});
afterAll(async () => await emu.close());

async function cappedRun(parameters: IDataObject) {
	const test = await createExecuteContext({ emulatorUrl: emu.url, accessToken: TOKEN, parameters: { authentication: 'oAuth2', ...parameters } });
	const store = { calls: 0, bytes: 0 };
	const helpers = test.ctx.helpers as unknown as { prepareBinaryData: (data: Buffer | Readable, fileName?: string, mimeType?: string) => Promise<unknown> };
	helpers.prepareBinaryData = async (data, fileName, mimeType) => {
		store.calls++;
		// As n8n's DatabaseManager.store: the whole file first, then the size check
		const chunks: Buffer[] = [];
		if (Buffer.isBuffer(data)) chunks.push(data);
		else for await (const chunk of data) chunks.push(Buffer.from(chunk as Buffer));
		const buffer = Buffer.concat(chunks);
		store.bytes += buffer.length;
		if (buffer.length / MIB > CAP_MIB) {
			throw new FileTooLargeError({ fileSizeMb: buffer.length / MIB, maxFileSizeMb: CAP_MIB, fileId: 'f-1', fileName });
		}
		return await test.storeBinary(buffer, fileName ?? 'file', mimeType);
	};
	return { promise: route.call(test.ctx), store };
}

describe('Files above n8n\'s database binary cap', () => {
	beforeAll(async () => {
		emu.reset();
		await emu.seedFile('/Big/video.mp4', Buffer.alloc(3 * MIB, 7));
		await emu.seedFile('/Big/second.mp4', Buffer.alloc(2 * MIB, 8));
		await emu.seedFile('/Small/note.txt', 'small enough');
	});

	it('Download: fails with the file, its size, the setting and the alternatives, and later larger files fail before their bytes are stored', async () => {
		const first = await cappedRun({ resource: 'file', operation: 'download', file: byPath('/Big/video.mp4'), binaryPropertyName: 'data', options: {} });
		const error = await failure(first.promise);
		expect(error.message).toBe('"/Big/video.mp4" (3 MiB) is larger than n8n\'s binary data limit of 1 MiB per file (N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE)');
		expect(error.description).toMatch(/binary data mode "database", the default in queue mode/);
		expect(error.description).toMatch(/N8N_DEFAULT_BINARY_DATA_MODE=s3/);
		expect(error.description).toMatch(/Save URL/);

		// The cap is now known to this process: the next larger file is refused on Dropbox's size, unread
		const second = await cappedRun({ resource: 'file', operation: 'download', file: byPath('/Big/second.mp4'), binaryPropertyName: 'data', options: {} });
		expect((await failure(second.promise)).message).toBe('"/Big/second.mp4" (2 MiB) is larger than n8n\'s binary data limit of 1 MiB per file (N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE)');
		expect(second.store.calls).toBe(0);

		// A file under the cap still downloads
		const small = await cappedRun({ resource: 'file', operation: 'download', file: byPath('/Small/note.txt'), binaryPropertyName: 'data', options: {} });
		const [items] = await small.promise;
		expect(items[0].binary?.data.fileName).toBe('note.txt');
	});

	it('Download as ZIP: Dropbox gives no size beforehand, so the error names the bytes received when n8n refused them', async () => {
		const zip = await cappedRun({ resource: 'folder', operation: 'downloadZip', folder: byPath('/Big'), binaryPropertyName: 'data' });
		const error = await failure(zip.promise);
		expect(error.message).toMatch(/^"\/Big" \(at least \d+(\.\d+)? MiB\) is larger than n8n's binary data limit of 1 MiB per file \(N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE\)$/);
		expect(error.description).toMatch(/Save URL/);
	});

	it('the triggers with Attach Content = Binary: a file above the cap is still reported, without content and saying why; the trigger goes on', async () => {
		const harness = await createTriggerHarness({
			emulatorUrl: emu.url,
			accessToken: TOKEN,
			parameters: { authentication: 'oAuth2', events: ['fileCreated'], folder: byPath('/Watched'), includeSubfolders: false, attachContent: 'binary', filters: {} },
		});
		emu.seedFolder('/Watched');
		const trigger = new DropboxPlusTrigger();
		const capped = () => {
			const ctx = harness.poll();
			(ctx.helpers as unknown as { prepareBinaryData: () => Promise<never> }).prepareBinaryData = async () => {
				throw new FileTooLargeError({ fileSizeMb: 3, maxFileSizeMb: CAP_MIB, fileId: 'f-2', fileName: 'movie.mp4' });
			};
			return ctx;
		};
		expect(await trigger.poll.call(capped())).toBeNull();
		await emu.seedFile('/Watched/movie.mp4', Buffer.alloc(3 * MIB, 1));
		const [items] = (await trigger.poll.call(capped()))!;
		expect(items).toHaveLength(1);
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json).toMatchObject({ event: 'fileCreated', path_display: '/Watched/movie.mp4' });
		expect(items[0].json.content_unavailable).toMatch(/^"\/Watched\/movie.mp4" \(3 MiB\) is larger than n8n's binary data limit of 1 MiB per file \(N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE\)/);
		expect(await trigger.poll.call(capped())).toBeNull();
	});
});

describe("Files too large for n8n's default (in-memory) binary mode", () => {
	it('Download: n8n holding the file as base64 fails with ERR_STRING_TOO_LONG; the error names the file, the limit and the setting to change', async () => {
		emu.reset();
		// under the 1 MiB database cap the tests above taught this process
		await emu.seedFile('/Big/film.mov', Buffer.alloc(MIB / 2, 9));
		const test = await createExecuteContext({ emulatorUrl: emu.url, accessToken: TOKEN, parameters: { authentication: 'oAuth2', resource: 'file', operation: 'download', file: byPath('/Big/film.mov'), binaryPropertyName: 'data', options: {} } });
		const helpers = test.ctx.helpers as unknown as { prepareBinaryData: (data: Readable) => Promise<unknown> };
		helpers.prepareBinaryData = async (data) => {
			// As n8n's BinaryDataService.store without a manager: the whole file, then base64 text (here: as if over Node's string limit)
			for await (const chunk of data) void chunk;
			throw Object.assign(new Error('Cannot create a string longer than 0x1fffffe8 characters'), { code: 'ERR_STRING_TOO_LONG' });
		};
		const error = await failure(route.call(test.ctx));
		expect(error.message).toBe('"/Big/film.mov" (0.5 MiB) is too large for n8n\'s in-memory binary data: at most about 384 MiB per file (N8N_DEFAULT_BINARY_DATA_MODE=default)');
		expect(error.description).toMatch(/Set N8N_DEFAULT_BINARY_DATA_MODE=filesystem/);
	});
});
