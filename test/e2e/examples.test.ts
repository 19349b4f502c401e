/**
 * The example workflows of examples/ (imported by `npm start`) work in real n8n against the
 * sandbox's demo Dropbox: what a new user sees when they press "Execute workflow".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { HARNESS_TIMEOUT_MS, NODE_PREFIX, REPO_ROOT, startHarness, workflow, type Harness, type WorkflowJson } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sandbox = require('../../scripts/sandbox.js') as {
	demoDropbox(): { folders: string[]; files: Array<{ path: string; content?: string; contentBase64?: string }> };
	CREDENTIAL_ID: string;
	CREDENTIAL_NAME: string;
};

const example = (file: string): WorkflowJson =>
	JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8')) as WorkflowJson;

describe('example workflows (npm start) in real n8n', () => {
	let h: Harness;
	const demo = sandbox.demoDropbox();

	beforeAll(async () => {
		h = await startHarness();
		await h.emulator.seed(demo);
		await h.importApiCredential({ id: sandbox.CREDENTIAL_ID, name: sandbox.CREDENTIAL_NAME });
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it('every example references only the sandbox credential and nodes that n8n knows', () => {
		for (const file of fs.readdirSync(path.join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.json'))) {
			const wf = example(file);
			for (const node of wf.nodes) {
				for (const ref of Object.values((node.credentials ?? {}) as Record<string, { id: string }>)) {
					expect({ file, node: node.name, credential: ref.id }).toEqual({ file, node: node.name, credential: sandbox.CREDENTIAL_ID });
				}
			}
		}
	});

	it('"upload a file and share a link" uploads to /Documents and returns a shared link', async () => {
		const run = await h.n8n.runWorkflow(example('01-upload-and-share.json'));
		const uploaded = run.json('Upload a text file')[0];
		expect(uploaded.path_display).toMatch(/^\/Documents\/hello-\d{8}-\d{6}\.txt$/);
		const bytes = (await h.emulator.download(uploaded.path_display)).toString('utf8');
		expect(bytes).toMatch(/^Hello from n8n! Uploaded at /);
		const link = run.json('Share a link to it')[0];
		expect(link.url).toEqual(expect.stringMatching(/^https:\/\//));
	});

	it('"list a folder and download its files" downloads every file of /Reports into n8n\'s binary store', async () => {
		const run = await h.n8n.runWorkflow(example('02-list-and-download.json'));
		const listed = run.json('List /Reports').map((e) => e.path).sort();
		const expected = demo.files.filter((f) => f.path.startsWith('/Reports/'));
		expect(listed).toEqual(expected.map((f) => f.path).sort());
		const items = run.items('Download each file');
		expect(items).toHaveLength(expected.length);
		for (let i = 0; i < items.length; i++) {
			const seeded = expected.find((f) => f.path === run.json('List /Reports')[i].path)!;
			expect(items[i].binary?.data?.id).toMatch(/^filesystem/); // stored on disk, as production instances do
			expect((await run.binary('Download each file', i)).toString('utf8')).toBe(seeded.content);
		}
	});

	it('"who am I and how much space is used" returns the account and its usage', async () => {
		const run = await h.n8n.runWorkflow(example('04-account-and-space.json'));
		expect(run.json('Get current account')[0].account_id).toMatch(/^dbid:/);
		expect(run.json('Get space usage')[0]).toHaveProperty('used');
	});

	it('an example also runs from the editor ("Execute workflow" on a started n8n)', async () => {
		const id = await h.n8n.importWorkflow(example('04-account-and-space.json'));
		const server = await h.n8n.start();
		try {
			const run = await server.runManually(id);
			expect(run.status).toBe('success');
			expect(run.json('Get current account')[0].account_id).toMatch(/^dbid:/);
		} finally {
			await h.n8n.stopServer();
		}
	});

	it(
		'"copy every new PDF to /Archive", once published, copies a PDF added to /Inbox',
		async () => {
			const wf = example('03-archive-new-pdfs.json');
			const id = await h.n8n.importWorkflow(wf);
			const server = await h.n8n.start();
			try {
				await server.activate(id);
				// n8n polls once at activation: the trigger stores its cursor; a PDF (and a non-PDF) arrive after it
				await server.waitForStaticData(id);
				await h.emulator.seed({
					files: [
						{ path: '/Inbox/new-order.pdf', content: '%PDF-1.4 order' },
						{ path: '/Inbox/ignore-me.txt', content: 'not a pdf' },
					],
				});
				const [execution] = await server.waitForExecutions(id, 1, 150_000);
				expect(execution.status).toBe('success');
				const paths = (await h.emulator.files()).map((f) => f.path_display);
				expect(paths).toContain('/Archive/new-order.pdf');
				expect(paths).not.toContain('/Archive/ignore-me.txt');
			} finally {
				await h.n8n.stopServer();
			}
		},
		240_000,
	);

	it('the README\'s first workflow works as written: List /Reports → Download {{ $json.path_display }} → Upload to /Archive with a blank File Name', async () => {
		// new nodes (1.1): Simplify on; n8n saves only what was changed from the defaults
		const dropbox = (name: string, parameters: Record<string, unknown>) => ({
			name,
			type: `${NODE_PREFIX}.dropboxPlus`,
			typeVersion: 1.1,
			parameters: { authentication: 'refreshToken', ...parameters },
			credentials: { dropboxPlusApi: { id: sandbox.CREDENTIAL_ID, name: sandbox.CREDENTIAL_NAME } },
		});
		const run = await h.n8n.runWorkflow(
			workflow('README: first workflow', [
				dropbox('List a folder', { resource: 'folder', operation: 'list', folder: { __rl: true, mode: 'list', value: '/Reports' } }),
				dropbox('Download a file', { resource: 'file', operation: 'download', file: { __rl: true, mode: 'path', value: '={{ $json.path_display }}' } }),
				dropbox('Upload a file', { resource: 'file', operation: 'upload', folder: { __rl: true, mode: 'list', value: '/Archive' } }),
			]),
		);
		const reports = demo.files.filter((f) => f.path.startsWith('/Reports/')).map((f) => f.path.replace('/Reports/', '/Archive/'));
		expect(run.json('Upload a file').map((item) => item.path_display).sort()).toEqual(reports.sort());
		for (const path of reports) {
			expect((await h.emulator.download(path)).toString('utf8')).toBe(demo.files.find((f) => f.path === path.replace('/Archive/', '/Reports/'))!.content);
		}
	});

	it('example 3\'s note says what "Execute workflow" really does: it copies the newest PDF in /Inbox, it is no dry run', async () => {
		const wf = example('03-archive-new-pdfs.json');
		const note = String(wf.nodes.find((n) => n.type === 'n8n-nodes-base.stickyNote')!.parameters.content);
		expect(note).toMatch(/not a dry run/);
		expect(note).not.toMatch(/shows a sample/);
		// the way it gives to put a PDF in /Inbox starts from a PDF the sandbox really has
		const suggested = note.match(/`(\/Documents\/[^`]+\.pdf)`/)?.[1];
		expect(demo.files.map((f) => f.path)).toContain(suggested);
		const id = await h.n8n.importWorkflow(wf);
		const server = await h.n8n.start();
		try {
			const run = await server.runManually(id);
			expect(run.status).toBe('success');
			const copied = run.json('Copy to /Archive')[0].path_display as string;
			expect(copied).toMatch(/^\/Archive\/(Contract-draft|new-order)( \(\d+\))?\.pdf$/);
			expect((await h.emulator.files()).map((f) => f.path_display)).toContain(copied);
		} finally {
			await h.n8n.stopServer();
		}
	}, 240_000);
});
