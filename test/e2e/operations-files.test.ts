/**
 * Every File operation of the Dropbox Plus node, run from the BUILT package in real n8n against
 * the emulator (issues 4, 5, 6), asserting what a user sees: the items, n8n's binary store
 * (filesystem mode) and the bytes in Dropbox. Many steps share one workflow: one `n8n execute`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { HARNESS_TIMEOUT_MS, startHarness, workflow, type Harness } from './harness';
import { byPath, callDelta, codeItems, dropbox, getWithCa, inlineBinary, serveFixed } from './support/operations';
import { MiB, fileHashes, serveSources, sourceHashes } from './support/reliability';


const HELLO = 'Hello from a Code node 😀 — ünïcødé';
const BIG = { index: 4242, name: 'big.bin', size: 20 * MiB };
const PDF = '%PDF-1.4\n% e2e report\n';

describe('File operations in real n8n', () => {
	let h: Harness;
	let credId: string;

	beforeAll(async () => {
		h = await startHarness();
		credId = await h.importApiCredential();
		await h.emulator.seed({
			folders: ['/Files', '/Batch', '/Copies', '/Moved'],
			files: [
				{ path: '/Files/report.pdf', content: PDF },
				{ path: '/Files/Plan.paper', content: '# Plan ✓\n\n- ship it\n' },
				{ path: '/Files/Deep/Sub/Report Q1.PDF', content: 'quarter one' },
				{ path: '/Rev/doc.txt', content: 'version 1' },
				{ path: '/Rev/empty.txt', content: '' },
				{ path: '/Batch/a.txt', content: 'A' },
				{ path: '/Batch/b 😀.txt', content: 'B' },
				{ path: '/Batch/c 日本.txt', content: 'C' },
			],
		});
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it(
		'uploads binary from a Code node, text, and a 20 MiB file from an HTTP Request in 4 MiB chunks; downloads into the binary store',
		async () => {
			const sources = await serveSources([BIG]);
			try {
				const wf = workflow('files: upload and download', [
					codeItems('Make file', [{ json: { note: 'from code' }, binary: { data: inlineBinary(HELLO, 'hello 😀.txt', 'text/plain') } }]),
					dropbox('Upload binary', credId, {
						resource: 'file',
						operation: 'upload',
						destination: 'folder',
						folder: byPath('/Files'),
						fileName: '={{ $binary.data.fileName }}',
						content: 'binary',
						binaryPropertyName: 'data',
						options: {},
					}),
					dropbox('Upload text', credId, {
						resource: 'file',
						operation: 'upload',
						destination: 'path',
						filePath: '/Files/notes ✓ 日本語.txt',
						content: 'text',
						text: '=Saved after {{ $json.name }}',
						options: {},
					}),
					{
						name: 'Fetch big file',
						type: 'n8n-nodes-base.httpRequest',
						typeVersion: 4.2,
						parameters: {
							method: 'GET',
							url: `${sources.url}/file/${BIG.index}`,
							options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
						},
					},
					dropbox('Upload big', credId, {
						resource: 'file',
						operation: 'upload',
						destination: 'path',
						filePath: `/Files/${BIG.name}`,
						content: 'binary',
						binaryPropertyName: 'data',
						options: { chunkSize: 4 },
					}),
					dropbox('Download big', credId, { resource: 'file', operation: 'download', file: byPath('={{ $json.path_display }}'), binaryPropertyName: 'data', options: {} }),
					dropbox('Download hello', credId, { resource: 'file', operation: 'download', file: byPath('/Files/hello 😀.txt'), binaryPropertyName: 'file', options: {} }),
					dropbox('Download pdf', credId, { resource: 'file', operation: 'download', file: byPath('/Files/report.pdf'), binaryPropertyName: 'data', options: {} }),
					dropbox('Export paper', credId, { resource: 'file', operation: 'download', file: byPath('/Files/Plan.paper'), binaryPropertyName: 'data', options: { exportFormat: 'markdown' } }),
				]);
				const id = await h.n8n.importWorkflow(wf);
				const before = (await h.emulator.calls()).byRoute;
				const run = await h.n8n.execute(id);
				const calls = callDelta(before, (await h.emulator.calls()).byRoute);

				// binary from a previous node (inline base64 from a Code node)
				const hello = run.json('Upload binary')[0];
				expect(hello).toMatchObject({ name: 'hello 😀.txt', path_display: '/Files/hello 😀.txt', size: Buffer.byteLength(HELLO) });
				expect((await h.emulator.download('/Files/hello 😀.txt')).toString('utf8')).toBe(HELLO);
				// text content, with an expression on the previous step's output
				const text = run.json('Upload text')[0];
				expect(text.path_display).toBe('/Files/notes ✓ 日本語.txt');
				expect((await h.emulator.download('/Files/notes ✓ 日本語.txt')).toString('utf8')).toBe('Saved after hello 😀.txt');

				// 20 MiB from n8n's filesystem binary store, through an upload session in 4 MiB chunks
				const fetched = run.items('Fetch big file')[0].binary!.data;
				expect(fetched.id).toMatch(/^filesystem/);
				const want = sourceHashes(BIG.index, BIG.size);
				const big = run.json('Upload big')[0];
				expect(big).toMatchObject({ path_display: `/Files/${BIG.name}`, size: BIG.size, content_hash: want.contentHash });
				const stored = (await h.emulator.files()).find((f) => f.path_display === `/Files/${BIG.name}`)!;
				expect(stored.content_hash).toBe(want.contentHash);
				expect(calls['files/upload_session/start']).toBe(1);
				// a concurrent session: start without data, 20 MiB in five 4 MiB appends (the last closes it), finish without data
				expect(calls['files/upload_session/append_v2']).toBe(5);
				expect(calls['files/upload_session/finish']).toBe(1);
				expect(calls['files/upload']).toBe(2); // the two small files: one request each
				expect(calls['files/download']).toBe(3);

				// downloads: n8n's binary store holds the bytes, with name and MIME type
				const bigRef = run.items('Download big')[0].binary!.data;
				expect(bigRef).toMatchObject({ fileName: BIG.name, mimeType: 'application/octet-stream' });
				expect(bigRef.id).toMatch(/^filesystem/);
				const bigFile = storedBinary(h.n8n.dotN8n, bigRef.id as string);
				expect(await fileHashes(bigFile)).toEqual({ size: BIG.size, sha256: want.sha256, contentHash: want.contentHash });
				expect(run.json('Download big')[0]).toMatchObject({ name: BIG.name, content_hash: want.contentHash });

				const helloItem = run.items('Download hello')[0];
				expect(helloItem.binary!.file).toMatchObject({ fileName: 'hello 😀.txt', mimeType: 'text/plain', fileExtension: 'txt' });
				expect((await run.binary('Download hello', 0, 'file')).toString('utf8')).toBe(HELLO);
				expect(helloItem.json).toMatchObject({ name: 'hello 😀.txt', path_display: '/Files/hello 😀.txt' });

				const pdf = run.items('Download pdf')[0];
				expect(pdf.binary!.data).toMatchObject({ fileName: 'report.pdf', mimeType: 'application/pdf' });
				expect((await run.binary('Download pdf')).toString('utf8')).toBe(PDF);
				// a Paper doc cannot be downloaded: it is exported, in the format asked for
				const paper = run.items('Export paper')[0];
				expect(paper.binary!.data).toMatchObject({ fileName: 'Plan.md' });
				expect((await run.binary('Export paper')).toString('utf8')).toBe('# Plan ✓\n\n- ship it\n');
				expect(calls['files/export']).toBe(1);
				for (const node of ['Upload binary', 'Upload text', 'Upload big', 'Download big', 'Download hello', 'Download pdf', 'Export paper']) {
					expect([node, run.items(node).map((i) => i.pairedItem)]).toEqual([node, [{ item: 0 }]]);
				}
			} finally {
				await sources.close();
			}
		},
		180_000,
	);

	it('get (by path, ID and URL), get by name, save URL, temporary link, list revisions, restore, download of a revision and of an empty file', async () => {
		const page = `<html><body>Saved by Dropbox ✓ ${Date.now()}</body></html>`;
		const web = await serveFixed({ '/pages/readme.html': { body: page, type: 'text/html' } });
		try {
			const wf = workflow('files: metadata and revisions', [
				dropbox('Get', credId, { resource: 'file', operation: 'get', file: byPath('/Rev/doc.txt'), includeMediaInfo: false }),
				dropbox('Get by ID', credId, { resource: 'file', operation: 'get', file: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }),
				dropbox('Get by URL', credId, { resource: 'file', operation: 'get', file: { __rl: true, mode: 'url', value: 'https://www.dropbox.com/home/Rev?preview=doc.txt' } }),
				dropbox('Overwrite', credId, {
					resource: 'file',
					operation: 'upload',
					destination: 'path',
					filePath: '/Rev/doc.txt',
					content: 'text',
					text: 'version 2',
					mode: 'overwrite',
					options: {},
				}),
				dropbox('List revisions', credId, { resource: 'file', operation: 'listRevisions', file: byPath('/Rev/doc.txt'), revisionMode: 'path', limit: 10 }),
				dropbox(
					'Restore',
					credId,
					{ resource: 'file', operation: 'restore', file: byPath('/Rev/doc.txt'), revision: "={{ $('Get').first().json.rev }}" },
					{ executeOnce: true },
				),
				dropbox('Get by name', credId, {
					resource: 'file',
					operation: 'getByName',
					folder: byPath('/Files'),
					fileName: 'report q1.pdf',
					recursive: true,
					returnMatches: 'all',
					ifNotFound: 'error',
				}),
				dropbox('Temporary link', credId, { resource: 'file', operation: 'getTemporaryLink', file: byPath('={{ $json.path_display }}') }),
				dropbox('Save URL', credId, { resource: 'file', operation: 'saveUrl', url: `${web.url}/pages/readme.html`, path: '/Saved/readme 😀.html', options: { timeout: 60 } }),
				dropbox('Download a revision', credId, {
					resource: 'file',
					operation: 'download',
					file: byPath('/Rev/doc.txt'),
					binaryPropertyName: 'data',
					options: { revision: "={{ $('Overwrite').first().json.rev }}" },
				}),
				dropbox('Download empty', credId, { resource: 'file', operation: 'download', file: byPath('/Rev/empty.txt'), binaryPropertyName: 'data', options: {} }),
			]);
			const run = await h.n8n.runWorkflow(wf);

			const got = run.json('Get')[0];
			expect(got).toMatchObject({ '.tag': 'file', name: 'doc.txt', path_display: '/Rev/doc.txt', size: 9 });
			expect(got.id).toMatch(/^id:/);
			expect(run.json('Get by ID')[0]).toMatchObject({ id: got.id, rev: got.rev, path_display: '/Rev/doc.txt' });
			expect(run.json('Get by URL')[0]).toMatchObject({ id: got.id, path_display: '/Rev/doc.txt' });

			const v2 = run.json('Overwrite')[0];
			expect(v2.rev).not.toBe(got.rev);
			const revisions = run.json('List revisions');
			expect(revisions.map((r) => r.rev)).toEqual([v2.rev, got.rev]); // newest first, one item per revision
			expect(revisions[0]).toMatchObject({ is_deleted: false, path_display: '/Rev/doc.txt' });

			const restored = run.json('Restore');
			expect(restored).toHaveLength(1);
			expect(restored[0]).toMatchObject({ path_display: '/Rev/doc.txt', size: 9 });
			expect((await h.emulator.download('/Rev/doc.txt')).toString('utf8')).toBe('version 1');

			// case-insensitive, in a subfolder
			expect(run.json('Get by name')).toEqual([expect.objectContaining({ path_display: '/Files/Deep/Sub/Report Q1.PDF' })]);

			const link = run.json('Temporary link')[0];
			expect(link).toMatchObject({ expiresInSeconds: 14400, metadata: expect.objectContaining({ name: 'Report Q1.PDF' }) });
			const fetched = await getWithCa(link.link, h.emulator.caFile);
			expect([fetched.status, fetched.body.toString('utf8')]).toEqual([200, 'quarter one']);

			// Dropbox (the emulator) fetched the URL itself: n8n's routing preload played no part
			const saved = run.json('Save URL')[0];
			expect(saved).toMatchObject({ name: 'readme 😀.html', path_display: '/Saved/readme 😀.html', size: Buffer.byteLength(page) });
			expect((await h.emulator.download('/Saved/readme 😀.html')).toString('utf8')).toBe(page);
			expect(web.hits()).toEqual(['/pages/readme.html']);

			// an older revision's bytes, and an empty file (0 bytes in the binary store)
			expect((await run.binary('Download a revision')).toString('utf8')).toBe('version 2');
			expect(run.json('Download a revision')[0].rev).toBe(v2.rev);
			expect(run.items('Download empty')[0].binary!.data).toMatchObject({ fileName: 'empty.txt', mimeType: 'text/plain' });
			expect((await run.binary('Download empty')).length).toBe(0);
		} finally {
			await web.close();
		}
	}, 120_000);

	it('copy, move and delete of three items go to Dropbox as one *_batch call each, paired in order', async () => {
		const wf = workflow('files: batches', [
			codeItems('Names', [{ json: { name: 'a.txt' } }, { json: { name: 'b 😀.txt' } }, { json: { name: 'c 日本.txt' } }]),
			dropbox('Copy', credId, { resource: 'file', operation: 'copy', file: byPath('=/Batch/{{ $json.name }}'), destination: 'folder', destinationFolder: byPath('/Copies'), options: {} }),
			dropbox('Move', credId, {
				resource: 'file',
				operation: 'move',
				file: byPath('={{ $json.path_display }}'),
				destination: 'path',
				destinationPath: "=/Moved/moved {{ $('Names').item.json.name }}",
				options: {},
			}),
			dropbox('Delete', credId, { resource: 'file', operation: 'delete', file: byPath('={{ $json.path_display }}'), options: {} }),
		]);
		const id = await h.n8n.importWorkflow(wf);
		const before = (await h.emulator.calls()).byRoute;
		const run = await h.n8n.execute(id);
		const calls = callDelta(before, (await h.emulator.calls()).byRoute);

		const names = ['a.txt', 'b 😀.txt', 'c 日本.txt'];
		expect(run.json('Copy').map((j) => j.path_display)).toEqual(names.map((n) => `/Copies/${n}`));
		expect(run.json('Move').map((j) => j.path_display)).toEqual(names.map((n) => `/Moved/moved ${n}`));
		expect(run.json('Delete').map((j) => j.path_display)).toEqual(names.map((n) => `/Moved/moved ${n}`));
		for (const node of ['Copy', 'Move', 'Delete']) {
			expect([node, run.items(node).map((i) => i.pairedItem)]).toEqual([node, [{ item: 0 }, { item: 1 }, { item: 2 }]]);
		}
		expect(calls['files/copy_batch_v2']).toBe(1);
		expect(calls['files/move_batch_v2']).toBe(1);
		expect(calls['files/delete_batch']).toBe(1);
		for (const single of ['files/copy_v2', 'files/move_v2', 'files/delete_v2']) expect([single, calls[single]]).toEqual([single, undefined]);

		const paths = (await h.emulator.files()).map((f) => f.path_display as string);
		for (const n of names) {
			expect(paths).toContain(`/Batch/${n}`);
			expect(paths).not.toContain(`/Copies/${n}`);
			expect(paths).not.toContain(`/Moved/moved ${n}`);
		}
		expect((await h.emulator.download('/Batch/b 😀.txt')).toString('utf8')).toBe('B');
	}, 120_000);

	it('uploads 30 items in parallel into upload sessions committed by one finish_batch_v2 call, each result paired to its item', async () => {
		const texts = Array.from({ length: 30 }, (_, i) => `file ${i} ✓ ${'x'.repeat(i * 100)}`);
		const wf = workflow('files: many uploads', [
			codeItems('Files', texts.map((text, i) => ({ json: { i }, binary: { data: inlineBinary(text, `f${i}.txt`, 'text/plain') } }))),
			dropbox('Upload many', credId, {
				resource: 'file',
				operation: 'upload',
				destination: 'path',
				filePath: '=/Many/f{{ $json.i }} 😀.txt',
				content: 'binary',
				binaryPropertyName: 'data',
				options: {},
			}),
		]);
		const before = (await h.emulator.calls()).byRoute;
		const run = await h.n8n.runWorkflow(wf);
		const calls = callDelta(before, (await h.emulator.calls()).byRoute);

		const out = run.json('Upload many');
		expect(out.map((j) => j.path_display)).toEqual(texts.map((_, i) => `/Many/f${i} 😀.txt`));
		expect(out.map((j) => j.size)).toEqual(texts.map((t) => Buffer.byteLength(t)));
		expect(run.items('Upload many').map((item) => item.pairedItem)).toEqual(texts.map((_, i) => ({ item: i })));
		expect(calls).toEqual({ 'files/upload_session/start': 30, 'files/upload_session/finish_batch_v2': 1 });
		expect((await h.emulator.download('/Many/f29 😀.txt')).toString('utf8')).toBe(texts[29]);
	}, 120_000);

	it('Continue On Fail: a malformed path, a missing file and a failed Save URL become error items; the good items succeed, paired to their inputs', async () => {
		const inputs = ['/Files/report.pdf', '/Files/../report.pdf', '/Missing/none.txt', '/Rev/doc.txt'];
		const wf = workflow('files: continue on fail', [
			codeItems('Paths', inputs.map((p) => ({ json: { path: p } }))),
			dropbox('Get', credId, { resource: 'file', operation: 'get', file: byPath('={{ $json.path }}') }, { onError: 'continueRegularOutput' }),
			dropbox(
				'Copy',
				credId,
				{ resource: 'file', operation: 'copy', file: byPath("={{ $('Paths').item.json.path }}"), destination: 'folder', destinationFolder: byPath('/COF'), options: {} },
				{ onError: 'continueRegularOutput' },
			),
			dropbox(
				'Save URL',
				credId,
				{ resource: 'file', operation: 'saveUrl', url: 'http://127.0.0.1:1/nothing.txt', path: '/COF/nothing.txt', options: { timeout: 30 } },
				{ onError: 'continueRegularOutput', executeOnce: true },
			),
		]);
		const run = await h.n8n.runWorkflow(wf);
		expect(run.status).toBe('success');
		// a Dropbox job that failed (Save URL could not fetch): tagged like any Dropbox refusal
		expect(run.items('Save URL')).toEqual([
			{
				json: expect.objectContaining({ error: expect.stringMatching(/could not download the URL/), tag: 'download_failed', path: '/COF/nothing.txt' }),
				pairedItem: { item: 0 },
			},
		]);
		for (const node of ['Get', 'Copy']) {
			const items = run.items(node);
			expect([node, items.map((i) => i.pairedItem)]).toEqual([node, [{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]]);
			// the malformed path: refused before any call (no Dropbox tag), naming the path and the fix
			expect(items[1].json.error).toMatch(/"\/Files\/\.\.\/report\.pdf".*"\.\." segment/);
			expect(items[1].json.description).toMatch(/full path/);
			expect(items[1].json.tag).toBeUndefined();
			// the missing file: Dropbox's tag and the path
			expect(items[2].json).toMatchObject({
				error: expect.stringMatching(/not_found at "\/Missing\/none\.txt"/),
				description: expect.stringMatching(/^Nothing exists at "\/Missing\/none\.txt"/),
				tag: node === 'Get' ? 'path/not_found' : 'from_lookup/not_found',
				path: '/Missing/none.txt',
				status: 409,
			});
		}
		expect(run.json('Get')[0]).toMatchObject({ path_display: '/Files/report.pdf' });
		expect(run.json('Get')[3]).toMatchObject({ path_display: '/Rev/doc.txt' });
		expect(run.json('Copy')[0]).toMatchObject({ path_display: '/COF/report.pdf' });
		expect(run.json('Copy')[3]).toMatchObject({ path_display: '/COF/doc.txt' });
		const paths = (await h.emulator.files()).map((f) => f.path_display as string);
		expect(paths.filter((p) => p.startsWith('/COF/')).sort()).toEqual(['/COF/doc.txt', '/COF/report.pdf']);
	}, 120_000);

	it('without Continue On Fail, a missing file stops the workflow with the Dropbox error, the path and what to do', async () => {
		const run = await h.n8n.runWorkflow(
			workflow('files: a failing step', [
				codeItems('Paths', [{ json: { path: '/Rev/doc.txt' } }, { json: { path: '/Missing/none 😀.txt' } }]),
				dropbox('Get', credId, { resource: 'file', operation: 'get', file: byPath('={{ $json.path }}') }),
			]),
			{ allowFailure: true },
		);
		expect(run.status).toBe('error');
		const error = run.nodeError('Get')!;
		expect(error.message).toMatch(/path\/not_found at "\/Missing\/none 😀\.txt"/);
		expect(error.description).toMatch(/^Nothing exists at "\/Missing\/none 😀\.txt"/);
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '409', context: expect.objectContaining({ itemIndex: 1, dropboxTag: 'path/not_found' }) });
		// the first item's result never reaches a next step: the run stopped at this node
		expect(run.lastNodeExecuted).toBe('Get');
	}, 60_000);
});

/** The file behind a filesystem-mode binary id. */
function storedBinary(dotN8n: string, id: string): string {
	const rel = id.slice(id.indexOf(':') + 1);
	const hit = [path.join(dotN8n, 'binaryData', rel), path.join(dotN8n, 'storage', rel), path.join(dotN8n, rel)].find((c) => fs.existsSync(c));
	if (!hit) throw new Error(`binary ${id} not found under ${dotN8n}`);
	return hit;
}
