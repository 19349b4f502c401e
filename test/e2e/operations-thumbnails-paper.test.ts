/**
 * File → Get Thumbnail and Get Preview, and the Paper Doc resource, run from the BUILT package in
 * real n8n against the emulator (issue 19): thumbnails of many items in one batch call, real
 * image bytes checked (signature, size), a non-image its own error item; PDF and HTML previews;
 * a Paper doc created, appended to, replaced, refused at a stale revision, and exported.
 */
import { encodeJpeg, encodePng } from '../../sandbox/emulator/images';
import { imageFacts } from '../support/imageFacts';
import { HARNESS_TIMEOUT_MS, startHarness, workflow, type Harness } from './harness';
import { byPath, callDelta, codeItems, dropbox } from './support/operations';

describe('Thumbnails, previews and Paper docs in real n8n', () => {
	let h: Harness;
	let credId: string;

	beforeAll(async () => {
		h = await startHarness();
		credId = await h.importApiCredential();
		const base64 = (bytes: Buffer) => bytes.toString('base64');
		await h.emulator.seed({
			folders: ['/Photos', '/Docs'],
			files: [
				{ path: '/Photos/beach.png', contentBase64: base64(encodePng({ width: 1200, height: 800 }, [30, 120, 200])) },
				{ path: '/Photos/portrait 😀.jpg', contentBase64: base64(encodeJpeg({ width: 600, height: 900 }, [200, 120, 30])) },
				{ path: '/Photos/notes.txt', content: 'not an image' },
				{ path: '/Docs/Letter.docx', contentBase64: base64(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(60)])) },
				{ path: '/Docs/sales.csv', content: 'region,total\nNorth,12\n' },
			],
		});
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it('thumbnails of three items in one batch call (PNG and JPEG bytes of the right size), a text file its own error item; PDF and HTML previews', async () => {
		const photos = ['/Photos/beach.png', '/Photos/portrait 😀.jpg', '/Photos/notes.txt'];
		const wf = workflow('thumbnails and previews', [
			codeItems('Photos', photos.map((path) => ({ json: { path } }))),
			dropbox('Thumbnails', credId, { resource: 'file', operation: 'getThumbnail', file: byPath('={{ $json.path }}'), binaryPropertyName: 'thumb', format: 'png', size: 'w256h256', options: {} }, { onError: 'continueRegularOutput' }),
			dropbox('JPEG thumbnail', credId, { resource: 'file', operation: 'getThumbnail', file: byPath('={{ $json.path_display }}'), binaryPropertyName: 'data', format: 'jpeg', size: 'w480h320', options: { mode: 'bestfit' } }, { executeOnce: true }),
			codeItems('Docs', ['/Docs/Letter.docx', '/Docs/sales.csv'].map((path) => ({ json: { path } }))),
			dropbox('Preview', credId, { resource: 'file', operation: 'getPreview', file: byPath('={{ $json.path }}'), binaryPropertyName: 'preview' }),
		]);
		const before = (await h.emulator.calls()).byRoute;
		const run = await h.n8n.runWorkflow(wf);
		const calls = callDelta(before, (await h.emulator.calls()).byRoute);

		expect(run.status).toBe('success');
		const thumbs = run.items('Thumbnails');
		expect(thumbs.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(thumbs[0].json).toMatchObject({ path_display: '/Photos/beach.png' });
		expect(thumbs[0].binary!.thumb).toMatchObject({ fileName: 'beach.png', mimeType: 'image/png' });
		expect(imageFacts(await run.binary('Thumbnails', 0, 'thumb'))).toEqual({ format: 'png', width: 256, height: 171 });
		expect(thumbs[1].binary!.thumb).toMatchObject({ fileName: 'portrait 😀.png' });
		expect(imageFacts(await run.binary('Thumbnails', 1, 'thumb'))).toEqual({ format: 'png', width: 171, height: 256 });
		expect(thumbs[2].json).toMatchObject({ tag: 'unsupported_extension', path: '/Photos/notes.txt', status: 409 });
		expect(String(thumbs[2].json.description)).toContain('.jpg .jpeg .png .tiff .tif .gif .webp .ppm .bmp');
		expect(run.items('JPEG thumbnail')[0].binary!.data).toMatchObject({ fileName: 'beach.jpg', mimeType: 'image/jpeg' });
		expect(imageFacts(await run.binary('JPEG thumbnail'))).toEqual({ format: 'jpeg', width: 480, height: 320 });

		const previews = run.items('Preview');
		expect(previews.map((item) => [item.json.path_display, item.binary!.preview.fileName, item.binary!.preview.mimeType])).toEqual([
			['/Docs/Letter.docx', 'Letter.pdf', 'application/pdf'],
			['/Docs/sales.csv', 'sales.html', 'text/html'],
		]);
		const pdf = await run.binary('Preview', 0, 'preview');
		expect([pdf.subarray(0, 5).toString('latin1'), pdf.toString('latin1').trimEnd().endsWith('%%EOF')]).toEqual(['%PDF-', true]);
		expect((await run.binary('Preview', 1, 'preview')).toString('utf8')).toContain('<tr><td>North</td><td>12</td></tr>');

		expect(Object.fromEntries(Object.entries(calls).filter(([route]) => route.startsWith('files/')))).toEqual({ 'files/get_thumbnail_batch': 2, 'files/get_preview': 2 });
	}, 300_000);

	it('a Paper doc from Markdown text: created, appended to, replaced; a stale revision is refused; Download exports what was written', async () => {
		const update = (name: string, parameters: Record<string, unknown>, extra = {}) =>
			dropbox(name, credId, { resource: 'paperDoc', operation: 'update', doc: byPath('/Paper/Weekly.paper'), content: 'text', importFormat: 'markdown', ...parameters }, { executeOnce: true, ...extra });
		const exportDoc = (name: string) =>
			dropbox(name, credId, { resource: 'file', operation: 'download', file: byPath('/Paper/Weekly.paper'), binaryPropertyName: 'data', options: { exportFormat: 'markdown' } }, { executeOnce: true });
		const wf = workflow('paper docs', [
			dropbox('Create', credId, { resource: 'paperDoc', operation: 'create', docPath: '/Paper/Weekly', content: 'text', text: '=# Week {{ 1 + 1 }}\n\n- planned\n', importFormat: 'markdown' }),
			update('Append', { doc: byPath('={{ $json.result_path }}'), policy: 'append', text: '- shipped\n' }),
			exportDoc('Export after append'),
			update('Replace', { policy: 'overwrite', text: '# Week 2\n\nAll done.\n' }),
			update('Stale update', { policy: 'update', paperRevision: 1, text: 'lost' }, { onError: 'continueRegularOutput' }),
			exportDoc('Export'),
		]);
		const run = await h.n8n.runWorkflow(wf);

		expect(run.status).toBe('success');
		expect(run.json('Create')[0]).toMatchObject({ result_path: '/Paper/Weekly.paper', paper_revision: 1, file_id: expect.stringMatching(/^id:/) });
		expect(run.json('Append')).toEqual([{ path: '/Paper/Weekly.paper', paper_revision: 2 }]);
		expect((await run.binary('Export after append')).toString('utf8')).toBe('# Week 2\n\n- planned\n- shipped\n');
		expect(run.json('Replace')).toEqual([{ path: '/Paper/Weekly.paper', paper_revision: 3 }]);
		expect(run.json('Stale update')[0]).toMatchObject({ tag: 'revision_mismatch', path: '/Paper/Weekly.paper', status: 409 });
		expect(String(run.json('Stale update')[0].description)).toContain('set Update Policy to Replace');
		const exported = run.items('Export')[0];
		expect(exported.binary!.data).toMatchObject({ fileName: 'Weekly.md' });
		expect(exported.json).toMatchObject({ export_metadata: { paper_revision: 3 } });
		expect((await run.binary('Export')).toString('utf8')).toBe('# Week 2\n\nAll done.\n');
	}, 300_000);
});
