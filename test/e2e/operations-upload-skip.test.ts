/**
 * File → Upload with If Unchanged "Skip" (issue 19), from the BUILT package in real n8n against
 * the emulator: files fetched by an HTTP Request node into n8n's filesystem binary store are
 * uploaded, then uploaded again unchanged (the emulator receives 0 file bytes), then a mixed
 * batch (unchanged, changed, new) sends only the changed and new files.
 */
import { HARNESS_TIMEOUT_MS, startHarness, workflow, type Harness } from './harness';
import { callDelta, codeItems, dropbox } from './support/operations';
import { MiB, serveSources, sourceHashes, type SourceFile } from './support/reliability';

const SOURCES: SourceFile[] = [
	{ index: 1, name: 'a.bin', size: MiB },
	{ index: 2, name: 'b.bin', size: MiB + 17 },
	{ index: 3, name: 'c.bin', size: 9 * MiB + 5 },
	{ index: 4, name: 'd.bin', size: 300 },
	// the changed b.bin (same size, other bytes) and a new file
	{ index: 12, name: 'b.bin', size: MiB + 17 },
	{ index: 5, name: 'e.bin', size: 2 * MiB },
];
const source = (index: number) => SOURCES.find((s) => s.index === index)!;

describe('Upload If Unchanged: Skip in real n8n', () => {
	let h: Harness;
	let credId: string;
	let sources: Awaited<ReturnType<typeof serveSources>>;

	beforeAll(async () => {
		h = await startHarness();
		credId = await h.importApiCredential();
		sources = await serveSources(SOURCES);
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await sources?.close();
		await h?.stop();
	});

	/** Fetches each source into n8n's binary store and uploads it to /Sync/<name> with If Unchanged Skip and Simplify; the counted calls and bytes. */
	async function sync(indexes: number[]) {
		const wf = workflow(`skip unchanged ${indexes.join(',')}`, [
			codeItems(
				'Files',
				indexes.map((index) => ({ json: { url: `${sources.url}/file/${index}`, name: source(index).name } })),
			),
			{
				name: 'Fetch',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: { method: 'GET', url: '={{ $json.url }}', options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } } },
			},
			dropbox('Upload', credId, {
				resource: 'file',
				operation: 'upload',
				destination: 'path',
				filePath: "=/Sync/{{ $('Files').item.json.name }}",
				content: 'binary',
				binaryPropertyName: 'data',
				mode: 'overwrite',
				simplify: true,
				options: { ifUnchanged: 'skip' },
			}),
		]);
		const before = await h.emulator.calls();
		const run = await h.n8n.runWorkflow(wf);
		const after = await h.emulator.calls();
		const calls = Object.fromEntries(Object.entries(callDelta(before.byRoute, after.byRoute)).filter(([route]) => route.startsWith('files/')));
		return { run, calls, bytes: after.uploadedBytes - before.uploadedBytes };
	}

	it('uploads new files, sends 0 bytes when they are uploaded again unchanged, then only the changed and new files of a mixed batch', async () => {
		const first = await sync([1, 2, 3, 4]);
		expect(first.run.items('Fetch')[2].binary!.data.id).toMatch(/^filesystem/);
		expect(first.run.json('Upload').map((j) => [j.path_display, j.unchanged, j.content_hash])).toEqual(
			[1, 2, 3, 4].map((i) => [`/Sync/${source(i).name}`, false, sourceHashes(i, source(i).size).contentHash]),
		);
		expect(first.bytes).toBe(MiB + MiB + 17 + 9 * MiB + 5 + 300);
		// the four paths found missing with one listing of /Sync (it does not exist yet)
		expect(first.calls['files/list_folder']).toBe(1);
		expect(first.calls['files/get_metadata']).toBeUndefined();

		const again = await sync([1, 2, 3, 4]);
		expect(again.bytes).toBe(0);
		expect(again.calls).toEqual({ 'files/list_folder': 1 });
		const unchanged = again.run.json('Upload');
		expect(unchanged.map((j) => [j.path_display, j.unchanged, j.type, j.size])).toEqual(
			[1, 2, 3, 4].map((i) => [`/Sync/${source(i).name}`, true, 'file', source(i).size]),
		);
		// Simplify keeps the mark beside the simplified columns
		expect(Object.keys(unchanged[0]).sort()).toEqual(
			['name', 'path_display', 'path_lower', 'path', 'type', 'size', 'client_modified', 'server_modified', 'content_hash', 'id', 'rev', 'extension', 'category', 'unchanged'].sort(),
		);
		expect(unchanged.map((j) => j.rev)).toEqual(first.run.json('Upload').map((j) => j.rev));

		// a.bin and c.bin unchanged, b.bin changed (index 12), d.bin unchanged, e.bin new
		const mixed = await sync([1, 12, 3, 4, 5]);
		expect(mixed.run.json('Upload').map((j) => [j.path_display, j.unchanged])).toEqual([
			['/Sync/a.bin', true],
			['/Sync/b.bin', false],
			['/Sync/c.bin', true],
			['/Sync/d.bin', true],
			['/Sync/e.bin', false],
		]);
		expect(mixed.bytes).toBe(MiB + 17 + 2 * MiB);
		// one listing, then the two files into sessions committed by one finish_batch_v2
		expect(mixed.calls).toEqual({ 'files/list_folder': 1, 'files/upload_session/start': 2, 'files/upload_session/finish_batch_v2': 1 });
		const stored = await h.emulator.files();
		expect(stored.find((f) => f.path_display === '/Sync/b.bin')!.content_hash).toBe(sourceHashes(12, source(12).size).contentHash);
	}, 300_000);

	it('one item alone: one get_metadata, nothing sent when unchanged', async () => {
		const { calls, bytes, run } = await sync([4]);
		expect(run.json('Upload')[0]).toMatchObject({ path_display: '/Sync/d.bin', unchanged: true });
		expect(calls).toEqual({ 'files/get_metadata': 1 });
		expect(bytes).toBe(0);
	}, 300_000);
});
