import type { IBinaryData } from 'n8n-workflow';

import type { Emulator } from '../../sandbox/emulator';
import { encodePng } from '../../sandbox/emulator/images';
import { imageFacts } from '../support/imageFacts';
import { byPath, emulator, failure, run } from './run';

const items = (count: number) => Array.from({ length: count }, (_, index) => ({ json: { index } }));

describe('File → Get Thumbnail and Get Preview', () => {
	let emu: Emulator;
	const calls = (route: string) => emu.calls().byRoute[route] ?? 0;
	beforeAll(async () => {
		emu = await emulator();
		for (let i = 0; i < 30; i++) await emu.seedFile(`/Photos/p${i}.png`, encodePng({ width: 400 + i, height: 300 }, [i, 0, 0]));
		await emu.seedFile('/Photos/notes.txt', 'text');
		await emu.seedFile('/Docs/Letter.docx', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(20)]));
		await emu.seedFile('/Docs/sales.csv', 'a,b\n1,2\n');
	});
	afterAll(async () => await emu.close());
	beforeEach(() => emu.resetCalls());

	it('makes thumbnails of 30 items in two files/get_thumbnail_batch calls (25 + 5), each in its own binary field with the metadata as JSON', async () => {
		const { items: out, test } = await run(emu, (i) => ({ resource: 'file', operation: 'getThumbnail', file: byPath(`/Photos/p${i}.png`), binaryPropertyName: 'thumb', format: 'png', size: 'w128h128', options: {} }), { items: items(30) });
		expect(out).toHaveLength(30);
		expect([calls('files/get_thumbnail_batch'), emu.calls().total]).toEqual([2, 2]);
		const last = out[29];
		expect(last.pairedItem).toEqual({ item: 29 });
		expect(last.json).toMatchObject({ path_display: '/Photos/p29.png', name: 'p29.png' });
		expect(last.binary!.thumb).toMatchObject({ fileName: 'p29.png', mimeType: 'image/png' });
		expect(imageFacts(await test.readBinary(last.binary!.thumb as IBinaryData))).toEqual({ format: 'png', width: 128, height: 90 });
	});

	it('one item is one call too; JPEG by default, Resize Mode Original keeps the size', async () => {
		const { items: out, test } = await run(emu, { resource: 'file', operation: 'getThumbnail', file: byPath('/Photos/p0.png'), binaryPropertyName: 'data', format: 'jpeg', size: 'w64h64', options: { mode: 'original' } });
		expect(out[0].binary!.data).toMatchObject({ fileName: 'p0.jpg', mimeType: 'image/jpeg' });
		expect(imageFacts(await test.readBinary(out[0].binary!.data as IBinaryData))).toEqual({ format: 'jpeg', width: 400, height: 300 });
		expect(emu.calls().total).toBe(1);
	});

	it('with Continue On Fail, a file Dropbox makes no thumbnail of is its own error item naming the path and what is supported', async () => {
		const paths = ['/Photos/p1.png', '/Photos/notes.txt', '/Photos/none.png'];
		const { items: out } = await run(emu, (i) => ({ resource: 'file', operation: 'getThumbnail', file: byPath(paths[i]), binaryPropertyName: 'data', format: 'png', size: 'w32h32', options: {} }), { items: items(3), continueOnFail: true });
		expect(out[0].binary!.data).toMatchObject({ mimeType: 'image/png' });
		expect(out[1]).toMatchObject({ json: { tag: 'unsupported_extension', path: '/Photos/notes.txt', status: 409 }, pairedItem: { item: 1 } });
		expect(out[1].json.description).toContain('.jpg .jpeg .png .tiff .tif .gif .webp .ppm .bmp');
		expect(out[2].json).toMatchObject({ tag: 'path/not_found', path: '/Photos/none.png' });
		expect(emu.calls().total).toBe(1);
	});

	it('a bad Size from an expression stops the step before any call, naming the item and the field', async () => {
		const error = await failure(run(emu, { resource: 'file', operation: 'getThumbnail', file: byPath('/Photos/p1.png'), binaryPropertyName: 'data', format: 'png', size: '100x100', options: {} }));
		expect(error.message).toBe('The Size of item 0 "100x100" is not one Dropbox knows');
		expect(error.description).toContain('w256h256');
		expect(emu.calls().total).toBe(0);
	});

	it('previews a .docx as a PDF and a .csv as HTML, named after the document', async () => {
		const docx = await run(emu, { resource: 'file', operation: 'getPreview', file: byPath('/Docs/Letter.docx'), binaryPropertyName: 'preview' });
		expect(docx.items[0].json).toMatchObject({ path_display: '/Docs/Letter.docx' });
		expect(docx.items[0].binary!.preview).toMatchObject({ fileName: 'Letter.pdf', mimeType: 'application/pdf' });
		expect((await docx.test.readBinary(docx.items[0].binary!.preview as IBinaryData)).subarray(0, 5).toString()).toBe('%PDF-');
		const csv = await run(emu, { resource: 'file', operation: 'getPreview', file: byPath('/Docs/sales.csv'), binaryPropertyName: 'data' });
		expect(csv.items[0].binary!.data).toMatchObject({ fileName: 'sales.html', mimeType: 'text/html' });
		expect((await csv.test.readBinary(csv.items[0].binary!.data as IBinaryData)).toString()).toContain('<td>1</td><td>2</td>');
	});

	it('a file Dropbox cannot preview fails with the kinds it can', async () => {
		const error = await failure(run(emu, { resource: 'file', operation: 'getPreview', file: byPath('/Photos/notes.txt'), binaryPropertyName: 'data' }));
		expect(error.message).toBe('Dropbox: unsupported_extension at "/Photos/notes.txt"');
		expect(error.description).toContain('(as PDF) and .csv .ods .xls .xlsm .gsheet .xlsx (as HTML)');
	});
});

describe('Paper Doc → Create and Update', () => {
	let emu: Emulator;
	const calls = (route: string) => emu.calls().byRoute[route] ?? 0;
	const exported = async (path: string) => {
		const { items: out, test } = await run(emu, { resource: 'file', operation: 'download', file: byPath(path), binaryPropertyName: 'data', options: { exportFormat: 'markdown' } });
		return { text: (await test.readBinary(out[0].binary!.data as IBinaryData)).toString('utf8'), revision: (out[0].json.export_metadata as { paper_revision: number }).paper_revision };
	};
	beforeAll(async () => {
		emu = await emulator();
	});
	afterAll(async () => await emu.close());
	beforeEach(() => emu.resetCalls());

	it('creates a doc from Markdown text (".paper" added to the path), appends, replaces if unchanged; Download exports what was written', async () => {
		const { items: made } = await run(emu, { resource: 'paperDoc', operation: 'create', docPath: '/Reports/Week 1', content: 'text', text: '# Week 1\n', importFormat: 'markdown' });
		expect(made[0].json).toMatchObject({ result_path: '/Reports/Week 1.paper', paper_revision: 1 });
		const { items: appended } = await run(emu, { resource: 'paperDoc', operation: 'update', doc: byPath('/Reports/Week 1.paper'), policy: 'append', content: 'text', text: '- shipped\n', importFormat: 'markdown' });
		expect(appended[0].json).toEqual({ path: '/Reports/Week 1.paper', paper_revision: 2 });
		expect(await exported('/Reports/Week 1.paper')).toEqual({ text: '# Week 1\n- shipped\n', revision: 2 });
		const { items: replaced } = await run(emu, { resource: 'paperDoc', operation: 'update', doc: { __rl: true, mode: 'id', value: made[0].json.file_id }, policy: 'update', paperRevision: 2, content: 'text', text: 'new', importFormat: 'plain_text' });
		expect(replaced[0].json.paper_revision).toBe(3);
		expect((await exported('/Reports/Week 1.paper')).text).toBe('new');
	});

	it('Replace If Unchanged at an old revision fails with revision_mismatch and the fix', async () => {
		await run(emu, { resource: 'paperDoc', operation: 'create', docPath: '/Reports/Old.paper', content: 'text', text: 'a', importFormat: 'markdown' });
		await run(emu, { resource: 'paperDoc', operation: 'update', doc: byPath('/Reports/Old.paper'), policy: 'append', content: 'text', text: 'b', importFormat: 'markdown' });
		const error = await failure(run(emu, { resource: 'paperDoc', operation: 'update', doc: byPath('/Reports/Old.paper'), policy: 'update', paperRevision: 1, content: 'text', text: 'c', importFormat: 'markdown' }));
		expect(error.message).toBe('Dropbox: revision_mismatch at "/Reports/Old.paper"');
		expect(error.description).toContain('set Update Policy to Replace');
	});

	it('refuses, before any call, a path that is not a Paper doc, a missing revision, and an ID as the path of a new doc', async () => {
		const notPaper = await failure(run(emu, { resource: 'paperDoc', operation: 'update', doc: byPath('/Reports/notes.md'), policy: 'append', content: 'text', text: 'x', importFormat: 'markdown' }));
		expect(notPaper.message).toBe('The Paper Doc of item 0 "/Reports/notes.md" is not a Paper doc');
		const noRevision = await failure(run(emu, { resource: 'paperDoc', operation: 'update', doc: byPath('/Reports/Old.paper'), policy: 'update', paperRevision: 0, content: 'text', text: 'x', importFormat: 'markdown' }));
		expect(noRevision.message).toBe('The Paper Revision of item 0 "0" is not a doc revision');
		const id = await failure(run(emu, { resource: 'paperDoc', operation: 'create', docPath: 'id:abc', content: 'text', text: 'x', importFormat: 'markdown' }));
		expect(id.message).toBe('The Doc Path of item 0 "id:abc" is not the path of a new doc');
		expect(emu.calls().total).toBe(0);
	});

	it('an Append whose answer is lost is not sent again (the content would be added twice); a lost Replace is', async () => {
		await run(emu, { resource: 'paperDoc', operation: 'create', docPath: '/Reports/Lost.paper', content: 'text', text: 'start\n', importFormat: 'markdown' });
		emu.setFaults({ replace: true, script: [{ kind: 'drop_answer', route: 'files/paper/update' }] });
		const appendOnce = { resource: 'paperDoc', operation: 'update', doc: byPath('/Reports/Lost.paper'), policy: 'append', content: 'text', text: 'once\n', importFormat: 'markdown' };
		const error = await failure(run(emu, appendOnce));
		expect(error.message).toBe('The connection to Dropbox dropped before it answered, so it is unknown whether it added the content to /Reports/Lost.paper');
		expect(calls('files/paper/update')).toBe(1);
		expect(await exported('/Reports/Lost.paper')).toEqual({ text: 'start\nonce\n', revision: 2 });
		emu.resetCalls();
		emu.setFaults({ replace: true, script: [{ kind: 'drop_answer', route: 'files/paper/update' }] });
		const { items: replaced } = await run(emu, { ...appendOnce, policy: 'overwrite', text: 'only\n' });
		expect(replaced[0].json.paper_revision).toBe(4);
		expect(calls('files/paper/update')).toBe(2);
		expect((await exported('/Reports/Lost.paper')).text).toBe('only\n');
	});

	it('creates a doc from an HTML file in a binary field', async () => {
		const { items: made } = await run(emu, { resource: 'paperDoc', operation: 'create', docPath: '/Reports/From html.paper', content: 'binary', binaryPropertyName: 'data', importFormat: 'html' }, {
			items: [{ json: {}, binary: { data: { data: Buffer.from('<h2>Hi</h2><p>there</p>').toString('base64'), mimeType: 'text/html', fileName: 'x.html' } } }],
		});
		expect(made[0].json.result_path).toBe('/Reports/From html.paper');
		expect((await exported('/Reports/From html.paper')).text).toBe('## Hi\nthere\n');
	});
});
