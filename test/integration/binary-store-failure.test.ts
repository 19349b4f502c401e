import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../nodes/DropboxPlus/actions/router';
import type { Emulator } from '../../sandbox/emulator';
import { createExecuteContext } from '../support/executeContext';
import { byPath, emulator, failure, TOKEN } from './run';

/**
 * A download whose bytes Dropbox sent without trouble, but which n8n's binary store failed to
 * save: in `database` mode PostgreSQL dropping the connection while n8n writes the file (seen
 * in `npm run bench:queue` with a 1 GiB file), in `filesystem` mode a full disk. The error says
 * it was n8n's store, with n8n's reason and what to check, and nothing is asked of Dropbox
 * again; a connection to Dropbox that keeps dropping is still reported as before. The same for
 * an upload whose file n8n's store fails to read back.
 */
const MIB = 1024 * 1024;
const SIZE = 6 * MIB;

type Store = (data: Readable) => Promise<void>;

/** As n8n's DatabaseManager.store: the whole file first, then the insert, which fails. */
const databaseStore: Store = async (data) => {
	for await (const chunk of data) void chunk;
	throw new Error('Connection terminated unexpectedly');
};

/** As fs.writeFile(path, stream) in filesystem mode: each piece written in turn; the disk is full at the second. */
const filesystemStore: Store = async (data) => {
	let written = 0;
	for await (const chunk of data) {
		if (written > 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
		await new Promise((resolve) => setImmediate(resolve));
		written += (chunk as Buffer).length;
	}
};

let emu: Emulator;
beforeAll(async () => {
	emu = await emulator();
});
afterAll(async () => await emu.close());

async function runWithStore(parameters: IDataObject, store?: Store) {
	const test = await createExecuteContext({ emulatorUrl: emu.url, accessToken: TOKEN, parameters: { authentication: 'oAuth2', ...parameters } });
	if (store) (test.ctx.helpers as unknown as { prepareBinaryData: Store }).prepareBinaryData = store;
	const error = await failure(route.call(test.ctx));
	// a resume asked for after the store failed would come by now
	await new Promise((resolve) => setTimeout(resolve, 300));
	const downloads = test.requests.filter((request) => /files\/download(_zip)?$/.test(request.url));
	return { error, downloads };
}

const download = { resource: 'file', operation: 'download', file: byPath('/Store/report.bin'), binaryPropertyName: 'data', options: {} };

describe("A download n8n's binary store fails to save", () => {
	beforeEach(async () => {
		emu.reset();
		await emu.seedFile('/Store/report.bin', randomBytes(SIZE));
	});

	it('database mode, the store failing after the whole file arrived: names the file and n8n\'s store with its reason, says what to check, and asks Dropbox once', async () => {
		const { error, downloads } = await runWithStore(download, databaseStore);
		expect(error.message).toBe(`n8n's binary data store failed to save "/Store/report.bin" (${SIZE} of ${SIZE} bytes received from Dropbox): Connection terminated unexpectedly`);
		expect(error.description).toMatch(/^Dropbox sent the file without trouble/);
		expect(error.description).toMatch(/"database" mode .*the database connection.*N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE/);
		expect(error.description).toMatch(/"filesystem" mode, the free space of the binary data folder/);
		expect(error.description).not.toMatch(/connection to Dropbox/);
		expect(error.message + error.description).not.toContain(TOKEN);
		expect(downloads).toHaveLength(1);
	});

	it('filesystem mode, the disk full midway while Dropbox was still sending: the same, with the bytes received so far, and no resume', async () => {
		const { error, downloads } = await runWithStore(download, filesystemStore);
		expect(error.message).toMatch(new RegExp(`^n8n's binary data store failed to save "/Store/report.bin" \\(\\d+ of ${SIZE} bytes received from Dropbox\\): ENOSPC: no space left on device, write$`));
		expect(Number(/\((\d+) of/.exec(error.message)![1])).toBeLessThan(SIZE);
		expect(error.description).toMatch(/the free space of the binary data folder/);
		expect(downloads.map((request) => request.headers.Range)).toEqual([undefined]);
	});

	it('Download as ZIP (no size beforehand), the store failing midway: the bytes received, n8n\'s reason, no second request', async () => {
		await emu.seedFile('/Store/more.bin', randomBytes(SIZE));
		const { error, downloads } = await runWithStore({ resource: 'folder', operation: 'downloadZip', folder: byPath('/Store'), binaryPropertyName: 'data' }, filesystemStore);
		expect(error.message).toMatch(/^n8n's binary data store failed to save "\/Store" \(\d+ bytes received from Dropbox\): ENOSPC: no space left on device, write$/);
		expect(downloads).toHaveLength(1);
	});

	it('the connection to Dropbox dropping more often than it can be resumed is still reported as a Dropbox connection problem', async () => {
		emu.setFaults({ rate429: 0, rate500: 0, rate503: 0, resetRate: 0, script: [{ route: 'files/download', kind: 'reset', count: 6 }] });
		const { error, downloads } = await runWithStore(download);
		emu.setFaults({ replace: true });
		expect(error.message).toMatch(new RegExp(`^The download of "/Store/report.bin" failed after \\d+ of ${SIZE} bytes \\(resumed 5 times\\): `));
		expect(error.description).toMatch(/^The connection to Dropbox kept dropping \(up to 5 resumes are tried\)/);
		expect(downloads).toHaveLength(6);
	});
});

describe("An upload whose file n8n's binary store fails to read", () => {
	const BYTES = randomBytes(13 * MIB);
	/** n8n's store handing out the item's file (getBinaryStream), failing in one way or another. */
	type Opening = (id: string, chunkSize?: number) => Promise<Readable>;

	/** As database mode: the file is read from the database when it is opened, and the query fails. */
	const databaseOpen: Opening = async () => {
		throw new Error('Connection terminated unexpectedly');
	};
	/** As s3 mode: the object's stream fails after 5 MiB. */
	const s3Open: Opening = async () =>
		Readable.from(
			(async function* () {
				for (let i = 0; i < 5; i++) yield BYTES.subarray(i * MIB, (i + 1) * MIB);
				throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
			})(),
		);

	async function uploadWithStore(open: Opening, options: IDataObject) {
		const items: INodeExecutionData[] = [];
		const test = await createExecuteContext({
			emulatorUrl: emu.url,
			accessToken: TOKEN,
			items,
			parameters: { authentication: 'oAuth2', resource: 'file', operation: 'upload', destination: 'path', filePath: '/Up/report.bin', content: 'binary', binaryPropertyName: 'data', mode: 'overwrite', options },
		});
		items.push({ json: {}, binary: { data: await test.storeBinary(BYTES, 'report.bin') } });
		(test.ctx.helpers as unknown as { getBinaryStream: Opening }).getBinaryStream = open;
		return await failure(route.call(test.ctx));
	}

	beforeEach(() => {
		emu.reset();
		emu.resetCalls();
	});

	it("database mode, the file failing to open: names the item, the field, the path and n8n's store with its reason; nothing is sent to Dropbox", async () => {
		const error = await uploadWithStore(databaseOpen, { chunkSize: 4 });
		expect(error.message).toBe('n8n\'s binary data store failed to read the Input Binary Field "data" of item 0 (upload to "/Up/report.bin", 0 bytes read): Connection terminated unexpectedly');
		expect(error.description).toMatch(/^Dropbox is not involved/);
		expect(error.description).toMatch(/"database" mode .*the database connection/);
		expect(emu.calls().uploadedBytes).toBe(0);
	});

	it.each([1, 3])("s3 mode, the file's stream failing midway (Parallel Chunks %i): the same, with the bytes read", async (parallelChunks) => {
		const error = await uploadWithStore(s3Open, { chunkSize: 4, parallelChunks });
		expect(error.message).toMatch(/^n8n's binary data store failed to read the Input Binary Field "data" of item 0 \(upload to "\/Up\/report.bin", 5242880 bytes read\): read ECONNRESET$/);
		expect(error.description).not.toMatch(/connection to Dropbox/);
	});

	it('If Unchanged "Skip", the store failing while the item\'s bytes are compared with the file in Dropbox: the same error', async () => {
		await emu.seedFile('/Up/report.bin', BYTES);
		const error = await uploadWithStore(s3Open, { ifUnchanged: 'skip' });
		expect(error.message).toMatch(/^n8n's binary data store failed to read the Input Binary Field "data" of item 0 \(upload to "\/Up\/report.bin", 5242880 bytes read\): read ECONNRESET$/);
	});
});

describe("A Paper doc whose content n8n's binary store fails to read", () => {
	beforeEach(() => {
		emu.reset();
		emu.resetCalls();
	});

	it("names the item, the field, the doc and n8n's store with its reason; nothing is sent to Dropbox", async () => {
		const items: INodeExecutionData[] = [];
		const test = await createExecuteContext({
			emulatorUrl: emu.url,
			accessToken: TOKEN,
			items,
			parameters: { authentication: 'oAuth2', resource: 'paperDoc', operation: 'create', docPath: '/Docs/notes', content: 'binary', binaryPropertyName: 'data', importFormat: 'markdown' },
		});
		items.push({ json: {}, binary: { data: await test.storeBinary(Buffer.from('# Notes'), 'notes.md') } });
		test.ctx.helpers.getBinaryDataBuffer = async () => {
			throw new Error('Connection terminated unexpectedly');
		};
		const error = await failure(route.call(test.ctx));
		expect(error.message).toBe('n8n\'s binary data store failed to read the Input Binary Field "data" of item 0 (upload to "/Docs/notes.paper", 0 bytes read): Connection terminated unexpectedly');
		expect(error.description).toMatch(/^Dropbox is not involved/);
		expect(emu.calls().total).toBe(0);
	});
});
