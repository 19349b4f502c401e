/**
 * The package as a user's n8n sees it: installed as a community package, listed in the editor
 * with its icons, no load errors; the Dropbox Plus node runs with both credentials.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { HARNESS_TIMEOUT_MS, NODE_PREFIX, REPO_ROOT, startHarness, workflow, type Harness, type N8nServer } from './harness';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};
/** node names from package.json's "n8n.nodes" (dist/nodes/X/Foo.node.js → foo) */
const expectedNodes = pkg.n8n.nodes.map((f) => {
	const base = path.basename(f, '.node.js');
	return `${NODE_PREFIX}.${base[0].toLowerCase()}${base.slice(1)}`;
});

describe('the package in real n8n', () => {
	let h: Harness;
	let server: N8nServer;

	beforeAll(async () => {
		h = await startHarness();
		server = await h.n8n.start();
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it('lists every node of package.json with its icons, and nothing logs a load error', async () => {
		const types = await server.nodeTypes();
		for (const name of expectedNodes) {
			const node = types.find((t) => t.name === name);
			expect(node).toBeDefined();
			expect(node!.iconUrl).toEqual({ light: expect.stringMatching(/\.svg$/), dark: expect.stringMatching(/\.svg$/) });
			const icon = await fetch(`${server.url}/${node!.iconUrl.light}`);
			expect(icon.status).toBe(200);
			expect(icon.headers.get('content-type')).toMatch(/svg/);
		}
		expect(server.packageLoadErrors()).toEqual([]);
	});

	it('lists both credentials with their icons', async () => {
		const creds = await server.credentialTypes();
		for (const name of ['dropboxPlusApi', 'dropboxPlusOAuth2Api']) {
			const cred = creds.find((c) => c.name === name);
			expect(cred).toBeDefined();
			expect(cred!.iconUrl).toEqual({ light: expect.stringMatching(/\.svg$/), dark: expect.stringMatching(/\.svg$/) });
		}
		const oauth = creds.find((c) => c.name === 'dropboxPlusOAuth2Api')!;
		expect(oauth.extends).toEqual(['oAuth2Api']);
	});

	it('"Test connection" succeeds for the refresh-token credential', async () => {
		// (an OAuth2 credential's token data never reaches the editor, so n8n tests it by "Connect" instead)
		const id = await h.importApiCredential({ name: 'test connection api' });
		const stored = await server.api('GET', `/rest/credentials/${id}?includeData=true`);
		const result = await server.api('POST', '/rest/credentials/test', {
			credentials: { id, name: stored.name, type: 'dropboxPlusApi', data: stored.data },
		});
		expect(result).toEqual({ status: 'OK', message: result.message });
	});
});

describe('the Dropbox Plus node in real n8n', () => {
	let h: Harness;
	let accountId: string;

	beforeAll(async () => {
		h = await startHarness();
		accountId = (await h.emulator.admin('GET', 'info')).defaultAccountId;
		await h.emulator.seed({
			folders: ['/Reports'],
			files: [
				{ path: '/Reports/q1.csv', content: 'month,revenue\njan,10\n' },
				{ path: '/Reports/notes.txt', content: 'hello from the emulator' },
			],
		});
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	const dropbox = (name: string, auth: 'oAuth2' | 'refreshToken', credId: string, parameters: Record<string, unknown>) => ({
		name,
		type: `${NODE_PREFIX}.dropboxPlus`,
		typeVersion: 1,
		parameters: { authentication: auth, ...parameters },
		credentials: { [auth === 'oAuth2' ? 'dropboxPlusOAuth2Api' : 'dropboxPlusApi']: credId },
	});

	it.each(['oAuth2', 'refreshToken'] as const)('Account → Get Current Account with %s', async (auth) => {
		const credId = auth === 'oAuth2' ? await h.importOAuth2Credential() : await h.importApiCredential();
		const run = await h.n8n.runWorkflow(
			workflow(`account ${auth}`, [
				dropbox('Dropbox', auth, credId, { resource: 'account', operation: 'getCurrentAccount' }),
			]),
		);
		expect(run.json('Dropbox')).toEqual([expect.objectContaining({ account_id: accountId })]);
	});

	it('Folder → List returns the seeded files', async () => {
		const credId = await h.importApiCredential();
		const run = await h.n8n.runWorkflow(
			workflow('list folder', [
				dropbox('Dropbox', 'refreshToken', credId, {
					resource: 'folder',
					operation: 'list',
					folder: { __rl: true, mode: 'path', value: '/Reports' },
				}),
			]),
		);
		const names = run.json('Dropbox').map((e) => e.name).sort();
		expect(names).toEqual(['notes.txt', 'q1.csv']);
	});
});
