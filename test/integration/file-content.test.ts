import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import type { IBinaryData, IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../nodes/DropboxPlus/actions/router';
import { ContentHasher, contentHash } from '../../nodes/shared/contentHash';
import type { Emulator } from '../../sandbox/emulator';
import { createExecuteContext } from '../support/executeContext';
import { TOKEN, byPath, emulator, failure, run } from './run';

const MIB = 1024 * 1024;
let emu: Emulator;

beforeAll(async () => {
	emu = await emulator();
});

afterAll(async () => {
	await emu.close();
});

beforeEach(() => {
	emu.reset();
	emu.resetCalls();
});

type Send = (type: string, request: IHttpRequestOptions) => Promise<unknown>;

/**
 * Runs the node on one item whose binary field `field` holds `data`, stored as n8n's filesystem
 * mode does. `intercept` may act before each request reaches the emulator.
 */
async function runWithBinary(
	parameters: IDataObject,
	data: Buffer | Readable,
	fileName: string,
	{
		field = 'data',
		intercept,
		nodeParameters,
	}: { field?: string; intercept?: (request: IHttpRequestOptions) => Promise<void>; nodeParameters?: IDataObject } = {},
) {
	const items: INodeExecutionData[] = [{ json: {} }];
	const test = await createExecuteContext({
		emulatorUrl: emu.url,
		accessToken: TOKEN,
		parameters: { authentication: 'oAuth2', ...parameters },
		nodeParameters,
		items,
	});
	items[0].binary = { [field]: await test.storeBinary(data, fileName) };
	if (intercept) {
		const helpers = test.ctx.helpers as unknown as { httpRequestWithAuthentication: Send };
		const send = helpers.httpRequestWithAuthentication;
		helpers.httpRequestWithAuthentication = async (type, request) => {
			await intercept(request);
			return await send(type, request);
		};
	}
	const [out] = await route.call(test.ctx);
	return { items: out, test };
}

const upload = (extra: IDataObject): IDataObject => ({ resource: 'file', operation: 'upload', ...extra });
const download = (path: string, extra: IDataObject = {}): IDataObject => ({
	resource: 'file',
	operation: 'download',
	file: byPath(path),
	...extra,
});

/** Downloads `path` and returns what the user gets: metadata, binary entry and bytes. */
async function downloaded(path: string, extra: IDataObject = {}) {
	const { items, test } = await run(emu, download(path, extra));
	const binary = items[0].binary?.data as IBinaryData;
	return { json: items[0].json, binary, bytes: await test.readBinary(binary) };
}

/** `size` pseudo-random bytes as a stream, never all in memory; `hasher` sees them as generated. */
function generated(size: number, hasher: ContentHasher): Readable {
	const block = randomBytes(MIB);
	let sent = 0;
	return new Readable({
		read() {
			if (sent >= size) return void this.push(null);
			const piece = Buffer.from(block.subarray(0, Math.min(MIB, size - sent)));
			piece.writeUInt32BE(sent / MIB, 0); // every MiB differs
			sent += piece.length;
			hasher.update(piece);
			this.push(piece);
		},
	});
}

describe('File → Upload', () => {
	it('saves text into a folder in one request and returns the file metadata', async () => {
		emu.seedFolder('/Notes');
		const { items } = await run(
			emu,
			upload({ content: 'text', text: 'héllo wörld\n', folder: byPath('/Notes'), fileName: 'hello.txt' }),
		);
		expect(items[0].json).toMatchObject({
			name: 'hello.txt',
			path_display: '/Notes/hello.txt',
			size: Buffer.byteLength('héllo wörld\n'),
			content_hash: contentHash(Buffer.from('héllo wörld\n')),
		});
		expect(items[0].json.rev).toMatch(/^[0-9a-f]{9,}$/);
		expect(emu.calls().byRoute).toMatchObject({ 'files/upload': 1 });
		expect((await downloaded('/Notes/hello.txt')).bytes.toString('utf8')).toBe('héllo wörld\n');
	});

	it('saves an empty text as an empty file', async () => {
		const { items } = await run(emu, upload({ content: 'text', text: '', destination: 'path', filePath: '/empty.txt' }));
		expect(items[0].json).toMatchObject({ size: 0, content_hash: contentHash(Buffer.alloc(0)) });
	});

	it('round-trips Unicode and emoji file names byte for byte, with the right MIME type', async () => {
		const data = randomBytes(200_000);
		const name = 'Ünïcödé 日本語 📄✨.pdf';
		const { items } = await runWithBinary(upload({ destination: 'path', filePath: `/Ärchiv 🗂/${name}` }), data, name);
		expect(items[0].json.path_display).toBe(`/Ärchiv 🗂/${name}`);
		const got = await downloaded(`/Ärchiv 🗂/${name}`);
		expect(got.bytes.equals(data)).toBe(true);
		expect(got.binary.fileName).toBe(name);
		expect(got.binary.mimeType).toBe('application/pdf');
		expect(got.json.content_hash).toBe(contentHash(data));
	});

	it('uploads 300 MiB through a session in chunks one after another (Parallel Chunks 1), and the Dropbox content_hash matches', async () => {
		const size = 300 * MIB;
		const expected = new ContentHasher();
		const { items } = await runWithBinary(
			upload({ folder: byPath('/'), fileName: 'big.bin', options: { chunkSize: 16, parallelChunks: 1 } }),
			generated(size, expected),
			'big.bin',
		);
		const hash = expected.digest();
		expect(items[0].json).toMatchObject({ path_display: '/big.bin', size, content_hash: hash });
		const { byRoute } = emu.calls();
		expect(byRoute['files/upload_session/start']).toBe(1);
		// 300 MiB = 16 MiB in start + 17 × 16 MiB appends + the last 12 MiB in finish
		expect(byRoute['files/upload_session/append_v2']).toBe(17);
		expect(byRoute['files/upload_session/finish']).toBe(1);
		expect(byRoute['files/upload']).toBeUndefined();
	}, 60_000);

	it('uploads 100 MiB + 5 bytes through a concurrent session by default, byte-identical', async () => {
		const size = 100 * MIB + 5;
		const expected = new ContentHasher();
		const args: Array<Record<string, unknown>> = [];
		const { items } = await runWithBinary(upload({ destination: 'path', filePath: '/concurrent.bin', options: {} }), generated(size, expected), 'c.bin', {
			intercept: async (request) => {
				if (String(request.url).includes('upload_session')) args.push(JSON.parse(String((request.headers as Record<string, string>)['Dropbox-API-Arg'])));
			},
		});
		const hash = expected.digest();
		expect(items[0].json).toMatchObject({ path_display: '/concurrent.bin', size, content_hash: hash });
		// start (no data) + 12 × 8 MiB + the closing 4 MiB + 5 bytes + finish (no data)
		expect(emu.calls().byRoute).toEqual({ 'files/upload_session/start': 1, 'files/upload_session/append_v2': 13, 'files/upload_session/finish': 1 });
		expect(args[0]).toMatchObject({ session_type: { '.tag': 'concurrent' } });
		expect(args.filter((a) => a.close === true)).toHaveLength(1);
		expect(args[args.length - 1]).toMatchObject({ cursor: { offset: size } });
		expect((await downloaded('/concurrent.bin')).json.content_hash).toBe(hash);
	}, 60_000);

	it('refuses to add over an existing file, naming the path and the fix, then overwrites and updates', async () => {
		await emu.seedFile('/r.txt', 'one');
		const error = await failure(run(emu, upload({ content: 'text', text: 'two', destination: 'path', filePath: '/r.txt' })));
		expect(error.message).toContain('"/r.txt"');
		expect(error.message).toContain('conflict');
		expect(error.description).toContain('Overwrite');
		expect(error.description).toContain('Autorename');

		const renamed = await run(emu, upload({ content: 'text', text: 'two', destination: 'path', filePath: '/r.txt', options: { autorename: true } }));
		expect(renamed.items[0].json.path_display).toBe('/r (1).txt');

		const { items } = await run(emu, upload({ content: 'text', text: 'three', destination: 'path', filePath: '/r.txt', mode: 'overwrite' }));
		expect((await downloaded('/r.txt')).bytes.toString()).toBe('three');

		const stale = await failure(
			run(emu, upload({ content: 'text', text: 'four', destination: 'path', filePath: '/r.txt', mode: 'update', revision: '0123456789abc' })),
		);
		expect(stale.message).toContain('"/r.txt"');
		expect(stale.description).toContain('no longer at revision 0123456789abc');
		expect(stale.description).toContain('current "rev"');

		const rev = items[0].json.rev as string;
		await run(emu, upload({ content: 'text', text: 'four', destination: 'path', filePath: '/r.txt', mode: 'update', revision: rev }));
		expect((await downloaded('/r.txt')).bytes.toString()).toBe('four');
	});

	it('records the client-modified time as Dropbox writes it', async () => {
		const { items } = await run(
			emu,
			upload({ content: 'text', text: 'x', destination: 'path', filePath: '/t.txt', options: { clientModified: '2023-04-05T06:07:08.900+02:00' } }),
		);
		expect(items[0].json.client_modified).toBe('2023-04-05T04:07:08Z');
	});

	it('a blank File Name keeps the binary file\'s own name, as n8n\'s Google Drive node does', async () => {
		const { items } = await runWithBinary(upload({ folder: byPath('/Reports'), fileName: '' }), Buffer.from('q1'), 'q1 report.pdf');
		expect(items[0].json.path_display).toBe('/Reports/q1 report.pdf');
		expect(items[0].json.size).toBe(2);
		// no File Name parameter at all (a node saved with the blank default) works the same
		const { items: saved } = await runWithBinary(upload({ folder: byPath('/Reports') }), Buffer.from('x'), 'saved.txt');
		expect(saved[0].json.path_display).toBe('/Reports/saved.txt');
	});

	it('a blank File Name with Content Text, or a binary without a name, asks for a name before any call', async () => {
		const text = await failure(run(emu, upload({ content: 'text', text: 'x', folder: byPath('/'), fileName: '' })));
		expect(text.message).toBe('The File Name of item 0 is empty');
		expect(text.description).toMatch(/text has no file name of its own/);
		const nameless = await failure(runWithBinary(upload({ folder: byPath('/'), fileName: '' }), Buffer.from('x'), ''));
		expect(nameless.message).toBe('The File Name of item 0 is empty and the Input Binary Field "data" has no file name');
		expect(emu.calls().total).toBe(0);
	});

	it('an expression typed in a Fixed field ("{{ $binary.data.fileName }}") is refused with the switch to make, nothing saved', async () => {
		const fixed = '{{ $binary.data.fileName }}';
		const error = await failure(
			runWithBinary(upload({ folder: byPath('/'), fileName: fixed }), Buffer.from('x'), 'a.txt', { nodeParameters: { fileName: fixed } }),
		);
		expect(error.message).toBe('The File Name "{{ $binary.data.fileName }}" looks like an expression, but the field is set to Fixed');
		expect(error.description).toMatch(/Switch the field to Expression/);
		const path = '/Reports/{{ $json.name }}';
		const pathError = await failure(
			runWithBinary(upload({ destination: 'path', filePath: path }), Buffer.from('x'), 'a.txt', { nodeParameters: { filePath: path } }),
		);
		expect(pathError.message).toMatch(/^The File Path "\/Reports\/\{\{ \$json.name \}\}" looks like an expression/);
		expect(emu.calls().total).toBe(0);
		// the same text as an expression's result (saved with "=") is a name like any other
		const { items } = await runWithBinary(upload({ folder: byPath('/'), fileName: 'a.txt' }), Buffer.from('x'), 'a.txt', {
			nodeParameters: { fileName: '={{ $binary.data.fileName }}' },
		});
		expect(items[0].json.path_display).toBe('/a.txt');
	});

	it('refuses bad input before calling Dropbox, naming the item, the field and the fix', async () => {
		const cases: Array<[IDataObject, RegExp, RegExp]> = [
			[upload({ destination: 'path', filePath: '/a.bin', binaryPropertyName: 'file' }), /Input Binary Field "file" of item 0 is not in the input item/, /"data"/],
			[upload({ destination: 'path', filePath: '/a.bin', options: { chunkSize: 6 } }), /Chunk Size option of item 0 .*not a multiple of 4 MiB/, /use 4 or 8/],
			[upload({ destination: 'path', filePath: '/a.bin', options: { chunkSize: 152 } }), /over the limit/, /148 MiB/],
			[upload({ destination: 'path', filePath: '/a.bin', mode: 'update', revision: 'abc' }), /Revision of item 0 "abc" is not a Dropbox revision/, /List Revisions/],
			[upload({ folder: byPath('/x'), fileName: 'a/b.txt' }), /File Name of item 0 "a\/b.txt" contains "\/"/, /Folder field/],
			[upload({ destination: 'path', filePath: '/a.bin', options: { clientModified: 'soon' } }), /Client Modified option of item 0/, /ISO date/],
		];
		for (const [parameters, message, fix] of cases) {
			const error = await failure(runWithBinary(parameters, Buffer.from('abc'), 'a.bin'));
			expect(error.message).toMatch(message);
			expect(error.description).toMatch(fix);
		}
		const empty = await failure(runWithBinary(upload({ destination: 'path', filePath: '/e.bin' }), Buffer.alloc(0), 'e.bin'));
		expect(empty.message).toBe('The Input Binary Field "data" of item 0 holds an empty file (0 bytes)');
		expect(emu.calls().total).toBe(0);
	});
});

describe('File → Download', () => {
	it('streams a 300 MiB file into the binary store and checks its content_hash', async () => {
		await emu.seedFile('/media/video.mp4', { size: 300 * MIB, seed: 5 });
		const { items, test } = await run(emu, download('/media/video.mp4', { binaryPropertyName: 'clip' }));
		const binary = items[0].binary?.clip as IBinaryData;
		expect(binary).toMatchObject({ fileName: 'video.mp4', mimeType: 'video/mp4', fileSize: String(300 * MIB) });
		const stored = await test.readBinary(binary);
		expect(stored.length).toBe(300 * MIB);
		expect(contentHash(stored)).toBe(items[0].json.content_hash);
		expect(items[0].json).toMatchObject({ path_display: '/media/video.mp4', size: 300 * MIB });
	}, 60_000);

	it('downloads an older revision with the Revision option', async () => {
		await emu.seedFile('/v.txt', 'first');
		const first = await downloaded('/v.txt');
		await run(emu, upload({ content: 'text', text: 'second', destination: 'path', filePath: '/v.txt', mode: 'overwrite' }));
		const old = await downloaded('/v.txt', { options: { revision: first.json.rev } });
		expect(old.bytes.toString()).toBe('first');
		expect((await downloaded('/v.txt')).bytes.toString()).toBe('second');
	});

	it('says what is missing when the file does not exist', async () => {
		const error = await failure(run(emu, download('/nope.txt')));
		expect(error.message).toContain('"/nope.txt"');
		expect(error.message).toContain('not_found');
	});
});

describe('File → Get by Name', () => {
	beforeEach(async () => {
		await emu.seedFile('/docs/a/Report.PDF', 'A');
		await emu.seedFile('/docs/b/report.pdf', 'B');
		await emu.seedFile('/docs/notes.txt', 'N');
	});
	const byName = (extra: IDataObject): IDataObject => ({
		resource: 'file',
		operation: 'getByName',
		folder: byPath('/docs'),
		fileName: 'report.pdf',
		...extra,
	});

	it('finds every file of that name in subfolders, ignoring case', async () => {
		const { items } = await run(emu, byName({ recursive: true, returnMatches: 'all' }));
		expect(items.map((item) => item.json.path_display).sort()).toEqual(['/docs/a/Report.PDF', '/docs/b/report.pdf']);
	});

	it('returns only the first match', async () => {
		const { items } = await run(emu, byName({ recursive: true }));
		expect(items).toHaveLength(1);
		expect(String(items[0].json.name).toLowerCase()).toBe('report.pdf');
	});

	it('fails clearly, or returns nothing, when no file has the name', async () => {
		const error = await failure(run(emu, byName({})));
		expect(error.message).toBe('No file named "report.pdf" in "/docs"');
		expect(error.description).toContain('Search Subfolders');
		const { items } = await run(emu, byName({ ifNotFound: 'nothing' }));
		expect(items).toEqual([]);
	});

	it('stops paging at the first match', async () => {
		emu.reset();
		const response = await fetch(`${emu.url}/__admin/seed`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ generate: { folder: '/many', count: 5000 } }),
		});
		expect(response.status).toBe(200);
		emu.resetCalls();
		const { items } = await run(emu, byName({ folder: byPath('/many'), fileName: 'FILE-000007.txt' }));
		expect(items[0].json.path_display).toBe('/many/file-000007.txt');
		expect(emu.calls().byRoute['files/list_folder/continue']).toBeUndefined();
		// whereas looking for all matches reads every page
		emu.resetCalls();
		await run(emu, byName({ folder: byPath('/many'), fileName: 'FILE-000007.txt', returnMatches: 'all' }));
		expect(emu.calls().byRoute['files/list_folder/continue']).toBeGreaterThanOrEqual(2);
	});
});

describe('File → Get Temporary Link, List Revisions, Restore Revision', () => {
	it('gives a link that serves the file bytes', async () => {
		await emu.seedFile('/l.txt', 'linked bytes');
		const { items } = await run(emu, { resource: 'file', operation: 'getTemporaryLink', file: byPath('/l.txt') });
		expect(items[0].json.metadata).toMatchObject({ path_display: '/l.txt' });
		const body = await (await fetch(items[0].json.link as string)).text();
		expect(body).toBe('linked bytes');
	});

	it('lists revisions newest first and restores an old one', async () => {
		for (const text of ['v1', 'v2', 'v3']) {
			await run(emu, upload({ content: 'text', text, destination: 'path', filePath: '/h.txt', mode: 'overwrite' }));
		}
		const { items } = await run(emu, { resource: 'file', operation: 'listRevisions', file: byPath('/h.txt'), limit: 10 });
		expect(items).toHaveLength(3);
		expect(items.map((item) => item.json.size)).toEqual([2, 2, 2]);
		expect(items.every((item) => item.json.is_deleted === false)).toBe(true);
		expect(items[0].json.content_hash).toBe(contentHash(Buffer.from('v3')));
		const oldest = items[2].json.rev as string;

		const restored = await run(emu, { resource: 'file', operation: 'restore', file: byPath('/h.txt'), revision: oldest });
		expect(restored.items[0].json.content_hash).toBe(contentHash(Buffer.from('v1')));
		expect((await downloaded('/h.txt')).bytes.toString()).toBe('v1');
	});

	it('restores a File given by ID: files/restore takes a path, so the ID is looked up first; an unknown ID says why', async () => {
		for (const text of ['one', 'two']) {
			await run(emu, upload({ content: 'text', text, destination: 'path', filePath: '/byid/doc.txt', mode: 'overwrite' }));
		}
		const revisions = (await run(emu, { resource: 'file', operation: 'listRevisions', file: byPath('/byid/doc.txt'), limit: 10 })).items;
		const id = revisions[0].json.id as string;
		const oldest = revisions[1].json.rev as string;
		const byId = { __rl: true, mode: 'id', value: id.slice('id:'.length) };
		const { items, test } = await run(emu, { resource: 'file', operation: 'restore', file: byId, revision: oldest });
		expect(items[0].json).toMatchObject({ path_display: '/byid/doc.txt', content_hash: contentHash(Buffer.from('one')) });
		const restore = test.requests.find((request) => request.url.endsWith('/files/restore'));
		expect(JSON.parse(String(restore?.body))).toEqual({ path: '/byid/doc.txt', rev: oldest });
		expect((await downloaded('/byid/doc.txt')).bytes.toString()).toBe('one');

		emu.resetCalls();
		const unknown = await failure(run(emu, { resource: 'file', operation: 'restore', file: byPath('id:nothingHere123'), revision: oldest }));
		expect(unknown.message).toBe('The File "id:nothingHere123" is an ID Dropbox finds no file or folder for');
		expect(unknown.description).toContain('files/restore takes a path, not an ID');
		expect(emu.calls().byRoute['files/restore']).toBeUndefined();
	});

	it('refuses a revision that is not one before calling Dropbox', async () => {
		const error = await failure(run(emu, { resource: 'file', operation: 'restore', file: byPath('/h.txt'), revision: 'HEAD~1' }));
		expect(error.message).toBe('The Revision of item 0 "HEAD~1" is not a Dropbox revision');
		expect(emu.calls().total).toBe(0);
	});
});

describe('File → Upload when Dropbox answers incorrect_offset', () => {
	const MB4 = 4 * MIB;
	const data = randomBytes(5 * MB4 + 777);

	/** Appends bytes to a session straight at the emulator, as a lost-but-delivered earlier request would have. */
	async function appendBehindTheNodesBack(sessionId: string, offset: number, bytes: Buffer) {
		const response = await fetch(`${emu.url}/2/files/upload_session/append_v2`, {
			method: 'POST',
			headers: {
				Authorization: `Bearer ${TOKEN}`,
				'Content-Type': 'application/octet-stream',
				'Dropbox-API-Arg': JSON.stringify({ cursor: { session_id: sessionId, offset }, close: false }),
			},
			body: bytes,
		});
		expect(response.status).toBe(200);
	}

	/** The first append_v2 request's cursor, once: Dropbox gets `extra` bytes from its offset before it arrives. */
	function beforeFirstAppend(extra: number) {
		let done = false;
		return async (request: IHttpRequestOptions) => {
			if (done || !request.url.endsWith('/files/upload_session/append_v2')) return;
			done = true;
			const { cursor } = JSON.parse(String((request.headers as IDataObject)['Dropbox-API-Arg']));
			await appendBehindTheNodesBack(cursor.session_id, cursor.offset, data.subarray(cursor.offset, cursor.offset + extra));
		};
	}

	const parameters = upload({ destination: 'path', filePath: '/resumed.bin', options: { chunkSize: 4, parallelChunks: 1 } });

	it('resends only the missing tail of the chunk and the file is byte-identical', async () => {
		const { items } = await runWithBinary(parameters, data, 'resumed.bin', { intercept: beforeFirstAppend(1000) });
		expect(items[0].json).toMatchObject({ size: data.length, content_hash: contentHash(data) });
		// 1 start, 4 appends + 1 resend of the first one's tail, 1 finish
		expect(emu.calls().byRoute).toMatchObject({
			'files/upload_session/start': 1,
			'files/upload_session/append_v2': 4 + 1 + 1,
			'files/upload_session/finish': 1,
		});
		expect((await downloaded('/resumed.bin')).bytes.equals(data)).toBe(true);
	});

	it('skips ahead in the stream when Dropbox already holds more than the chunk', async () => {
		const { items } = await runWithBinary(parameters, data, 'resumed.bin', { intercept: beforeFirstAppend(MB4 + 2 * MIB) });
		expect(items[0].json).toMatchObject({ size: data.length, content_hash: contentHash(data) });
		expect((await downloaded('/resumed.bin')).bytes.equals(data)).toBe(true);
	});
});

describe('File → Download of files Dropbox cannot download directly', () => {
	it('exports a Paper doc in its default format, then as Markdown when asked', async () => {
		await emu.seedFile('/Plan.paper', '# Plan\n\n- ship it\n');
		const html = await downloaded('/Plan.paper');
		expect(html.binary).toMatchObject({ fileName: 'Plan.html', mimeType: 'text/html' });
		expect(html.bytes.toString()).toContain('ship it');
		expect(html.json).toMatchObject({ path_display: '/Plan.paper', export_metadata: { name: 'Plan.html' } });

		const markdown = await downloaded('/Plan.paper', { options: { exportFormat: 'markdown' } });
		expect(markdown.binary).toMatchObject({ fileName: 'Plan.md', mimeType: 'text/markdown' });
		expect(markdown.bytes.toString()).toBe('# Plan\n\n- ship it\n');
		expect(emu.calls().byRoute).toMatchObject({ 'files/download': 1, 'files/export': 2 });
	});

	it('names the format problem when the file cannot be exported that way', async () => {
		await emu.seedFile('/Plan.paper', '# Plan');
		const error = await failure(run(emu, download('/Plan.paper', { options: { exportFormat: 'xlsx' } })));
		expect(error.message).toBe('"/Plan.paper" cannot be exported as xlsx');
		expect(error.description).toBe('Set the Export Format option to one of: html, markdown.');

		await emu.seedFile('/plain.txt', 'text');
		const plain = await failure(run(emu, download('/plain.txt', { options: { exportFormat: 'pdf' } })));
		expect(plain.description).toContain('Default');
	});
});
