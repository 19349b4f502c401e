/**
 * Credentials under stress in real n8n (issue 9): an access token that expires in the middle of
 * an upload session, a revoked refresh token, a missing scope, a suspended account — and no secret in anything n8n
 * shows or writes (execution data, stdout/stderr, its log file, its database, thrown errors).
 * Every token and the app secret are recognisable strings, searched for at the end.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	HARNESS_TIMEOUT_MS,
	NODE_PREFIX,
	oauth2Credential,
	startHarness,
	waitFor,
	workflow,
	type Execution,
	type Harness,
	type NodeSpec,
} from './harness';
import { MiB, filesUnder, findSecrets, serveSources, sourceHashes } from './support/reliability';

const APP_SECRET = 'APPSECRET-e2e-7f3a9c1d5b';
const START_TOKEN = 'STARTTOKEN-e2e-2b8e6f0a4c';
const byPath = (value: string) => ({ __rl: true, mode: 'path', value });

type Cred = { dropboxPlusApi: string } | { dropboxPlusOAuth2Api: string };

function dropbox(name: string, parameters: Record<string, unknown>, credentials: Cred): NodeSpec {
	const authentication = 'dropboxPlusApi' in credentials ? 'refreshToken' : 'oAuth2';
	return { name, type: `${NODE_PREFIX}.dropboxPlus`, parameters: { authentication, ...parameters }, credentials };
}

const accountNode = (credentials: Cred) => dropbox('Dropbox', { resource: 'account', operation: 'getCurrentAccount' }, credentials);

describe('reliability in real n8n: tokens, scopes and secrets', () => {
	let h: Harness;
	const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-log-'));
	const logFile = path.join(logDir, 'n8n.log');
	/** every secret value this file gives to or gets from n8n */
	const secrets: Record<string, string> = { appSecret: APP_SECRET, startToken: START_TOKEN };
	/** everything n8n showed: execution JSON, its output, thrown errors */
	const outputs: Record<string, string> = {};
	let tokenNo = 0;

	/** A token with a recognisable access token (and a refresh token), remembered as secrets. */
	async function issue(o: { scopes?: string[]; ttlSeconds?: number } = {}) {
		const n = ++tokenNo;
		const t = await h.emulator.issueToken({ refreshToken: true, ...o, ...{ token: `ACCESSTOKEN-e2e-${n}-c4d9a2` } } as never);
		secrets[`accessToken${n}`] = t.access_token;
		secrets[`refreshToken${n}`] = t.refresh_token!;
		return t;
	}

	async function oauth2(o: { scopes?: string[]; ttlSeconds?: number } = {}): Promise<string> {
		const t = await issue(o);
		const base = await oauth2Credential(h.emulator);
		// the harness issued its own token for the template: use ours
		const data = base.data as Record<string, any>;
		data.scope = t.scopes.join(' ');
		data.oauthTokenData = { ...data.oauthTokenData, access_token: t.access_token, refresh_token: t.refresh_token, scope: t.scopes.join(' '), expires_in: t.expires_in ?? 14400 };
		return await h.n8n.importCredential(base);
	}

	async function refreshTokenCredential(refreshToken: string): Promise<string> {
		return await h.n8n.importCredential({
			name: `Dropbox Plus API ${tokenNo}`,
			type: 'dropboxPlusApi',
			data: { clientId: h.emulator.appKey, clientSecret: APP_SECRET, refreshToken, accessToken: '', pathRoot: 'home' },
		});
	}

	/** Runs a workflow that must fail; keeps what n8n showed for the secrets search. */
	async function runFailing(label: string, nodes: NodeSpec[], { thrown: alsoThrown = false } = {}): Promise<Execution> {
		const run = await h.n8n.runWorkflow(workflow(label, nodes), { allowFailure: true });
		outputs[`${label}: execution JSON`] = JSON.stringify(run.raw);
		outputs[`${label}: n8n output`] = run.output;
		// the same run as a test sees it when it does not expect the failure: the thrown error
		if (alsoThrown) {
			const thrown = await h.n8n.runWorkflow(workflow(`${label} (thrown)`, nodes)).then(
				() => undefined,
				(e: Error) => e,
			);
			expect(thrown).toBeInstanceOf(Error);
			outputs[`${label}: thrown error`] = `${thrown!.message}\n${thrown!.stack}`;
		}
		expect(run.status).toBe('error');
		return run;
	}

	beforeAll(async () => {
		h = await startHarness({
			emulator: { appSecret: APP_SECRET, accessToken: START_TOKEN },
			n8n: { env: { N8N_LOG_OUTPUT: 'console,file', N8N_LOG_FILE_LOCATION: logFile } },
		});
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
		fs.rmSync(logDir, { recursive: true, force: true });
	});

	/**
	 * Uploads a 40 MiB file (start, 9 appends, finish in 4 MiB chunks; `options` of the upload) with
	 * `credentials`, every call slowed a little, and expires every access token once the session
	 * has taken two appends: the upload must complete. Returns the emulator's calls and how many
	 * appends had been made when the tokens expired.
	 */
	async function uploadThroughExpiry(label: string, index: number, credentials: Cred, fileName: string, options: Record<string, unknown> = {}) {
		const size = 40 * MiB + 5;
		const sources = await serveSources([{ index, name: 'long upload.bin', size }]);
		const filePath = `/Long/${fileName} 😀.bin`;
		try {
			const id = await h.n8n.importWorkflow(
				workflow(label, [
					{
						name: 'Fetch',
						type: 'n8n-nodes-base.httpRequest',
						typeVersion: 4.2,
						parameters: { method: 'GET', url: `${sources.url}/file/${index}`, options: { response: { response: { responseFormat: 'file' } } } },
					},
					dropbox('Upload', { resource: 'file', operation: 'upload', destination: 'path', filePath, content: 'binary', binaryPropertyName: 'data', mode: 'add', options: { chunkSize: 4, ...options } }, credentials),
				]),
			);
			await h.emulator.admin('POST', 'calls/reset');
			// slow every call a little so the session is long enough to expire the token inside it
			await h.emulator.admin('POST', 'faults', { latencyMs: 250, replace: true });
			const running = h.n8n.execute(id, { timeoutMs: 120_000 });
			let appendsAtExpiry = -1;
			try {
				// expire every access token once the session has started and taken two appends
				await waitFor(
					'the upload session to be under way',
					async () => {
						const calls = await h.emulator.calls();
						const appends = calls.byRoute['files/upload_session/append_v2'] ?? 0;
						if (appends < 2) return false;
						await h.emulator.expireTokens();
						appendsAtExpiry = appends;
						return true;
					},
					{ timeoutMs: 90_000, intervalMs: 20 },
				);
			} finally {
				const run = await running;
				await h.emulator.admin('POST', 'faults', { replace: true });
				const [uploaded] = run.json('Upload');
				expect(uploaded).toMatchObject({ path_display: filePath, size, content_hash: sourceHashes(index, size).contentHash });
			}
			const calls = await h.emulator.calls();
			expect(appendsAtExpiry).toBeGreaterThanOrEqual(2);
			expect(appendsAtExpiry).toBeLessThan(10);
			expect(calls.byRoute['files/upload_session/start']).toBe(1);
			expect(calls.byRoute['files/upload_session/finish']).toBe(1);
			// one file, no second copy of it
			expect((await h.emulator.files()).filter((e) => e['.tag'] === 'file' && String(e.path_display).startsWith(`/Long/${fileName}`)).map((e) => e.path_display)).toEqual([filePath]);
			return calls;
		} finally {
			await sources.close();
		}
	}

	it('OAuth2: the access token expires in the middle of an upload session; n8n refreshes it, the upload completes and the new token is stored', async () => {
		const credId = await oauth2();
		const before = (await h.n8n.credentialData(credId)).oauthTokenData;
		const calls = await uploadThroughExpiry('token expires mid-session', 900, { dropboxPlusOAuth2Api: credId }, 'long upload');
		// n8n renewed the token once (one refresh grant) …
		expect(calls.byRoute['oauth2/token']).toBe(1);
		// … and stored it: the credential now holds a new, working access token and the same refresh token
		const after = (await h.n8n.credentialData(credId)).oauthTokenData;
		secrets.refreshedAccessToken = after.access_token;
		expect(after.access_token).not.toBe(before.access_token);
		expect(after.refresh_token).toBe(before.refresh_token);
		await expect(h.emulator.rpc('users/get_current_account', null, after.access_token)).resolves.toMatchObject({ account_id: expect.any(String) });
	}, 180_000);

	it('Refresh Token credential, read once per step and handed to n8n with each request: the access token expires mid-session; n8n refreshes it into the held credential, the upload completes with two grants in all', async () => {
		const t = await issue();
		const credId = await refreshTokenCredential(t.refresh_token!);
		// one chunk at a time: one call meets the expired token
		const calls = await uploadThroughExpiry('held credential expires mid-session', 901, { dropboxPlusApi: credId }, 'held credential', { parallelChunks: 1 });
		// one grant for the empty access token at the first call, one after the expiry: the later calls
		// carry the renewed token from the held credential (were it not renewed there, each would need a grant)
		expect(calls.byRoute['oauth2/token']).toBe(2);
		const stored = await h.n8n.credentialData(credId);
		secrets.heldRefreshedAccessToken = String(stored.accessToken);
		await expect(h.emulator.rpc('users/get_current_account', null, String(stored.accessToken))).resolves.toMatchObject({ account_id: expect.any(String) });
	}, 180_000);

	it('a revoked refresh token (Refresh Token credential): stops with "create a new refresh token"', async () => {
		const t = await issue();
		await h.emulator.rpc('auth/token/revoke', null, t.access_token);
		const credId = await refreshTokenCredential(t.refresh_token!);
		const run = await runFailing('revoked refresh token', [accountNode({ dropboxPlusApi: credId })], { thrown: true });
		const error = run.nodeError('Dropbox')!;
		expect(`${error.message} ${error.description ?? ''}`).toMatch(
			/Dropbox refused the refresh token \(invalid_grant\).*Create a new refresh token and paste it into the Dropbox Plus Refresh Token API credential/,
		);
	}, 120_000);

	it('a revoked token (OAuth2 credential): stops with "reconnect"', async () => {
		const credId = await oauth2();
		// revoke the token this credential holds (and with it its refresh token)
		await h.emulator.rpc('auth/token/revoke', null, secrets[`accessToken${tokenNo}`]);
		const run = await runFailing('revoked OAuth2 token', [accountNode({ dropboxPlusOAuth2Api: credId })]);
		const error = run.nodeError('Dropbox')!;
		const shown = `${error.message} — ${error.description ?? ''}`;
		console.log(`revoked OAuth2 token, as n8n stores the error: ${shown}`);
		expect(error.message).toMatch(/needs to be reconnected/);
		expect(error.description).toMatch(/open the credential in n8n and click "Reconnect"/);
	}, 120_000);

	it('a missing scope: stops with "enable <scope> in the App Console", nothing written', async () => {
		const credId = await oauth2({ scopes: ['account_info.read', 'files.metadata.read', 'files.content.read'] });
		const run = await runFailing('missing scope', [
			dropbox('Dropbox', { resource: 'file', operation: 'upload', destination: 'path', filePath: '/Scoped/note.txt', content: 'text', text: 'hello', mode: 'add', options: {} }, { dropboxPlusOAuth2Api: credId }),
		], { thrown: true });
		const error = run.nodeError('Dropbox')!;
		expect(error.message).toBe('The Dropbox app lacks the permission "files.content.write"');
		expect(error.description).toMatch(/Enable "files\.content\.write" in the Dropbox App Console .*then reconnect the credential/);
		expect((await h.emulator.files()).some((e) => e.path_display === '/Scoped/note.txt')).toBe(false);
	}, 120_000);

	it('a suspended account: stops with "contact Dropbox support", after a bounded number of calls (OAuth2 and Refresh Token credentials)', async () => {
		const oauth2Id = await oauth2();
		const refreshId = await refreshTokenCredential((await issue()).refresh_token!);
		await h.emulator.admin('POST', 'accounts/suspend', { suspended: true });
		try {
			// n8n renews the token once on the 401 and sends the call once more; the node itself never retries
			const cases = [
				['OAuth2', { dropboxPlusOAuth2Api: oauth2Id }, { 'users/get_current_account': 2, 'oauth2/token': 1 }],
				// this credential starts without an access token: one grant to get the first, one more on the 401
				['Refresh Token', { dropboxPlusApi: refreshId }, { 'users/get_current_account': 2, 'oauth2/token': 2 }],
			] as const;
			for (const [label, credentials, expected] of cases) {
				await h.emulator.admin('POST', 'calls/reset');
				const run = await runFailing(`suspended account (${label})`, [accountNode(credentials)]);
				const error = run.nodeError('Dropbox')!;
				console.log(`suspended account (${label}), as n8n shows it: ${error.message} — ${error.description ?? ''}`);
				expect(error.message).toBe('The Dropbox account is suspended');
				expect(error.description).toMatch(/^Dropbox has disabled this account; this is not a problem with n8n or with the credential, and reconnecting it does not help\. The account owner must contact Dropbox support .*a team admin must reactivate the member.* then run the workflow again\.$/);
				const calls = await h.emulator.calls();
				console.log(`suspended account (${label}), calls: ${JSON.stringify(calls.byRoute)}`);
				expect(calls.byRoute).toEqual(expected);
			}
		} finally {
			await h.emulator.admin('POST', 'accounts/suspend', { suspended: false });
		}
		// reactivated: the same credential works again
		const run = await h.n8n.runWorkflow(workflow('reactivated account', [accountNode({ dropboxPlusOAuth2Api: oauth2Id })]));
		expect(run.json('Dropbox')[0]).toMatchObject({ account_id: expect.any(String) });
	}, 120_000);

	it('more failures with recognisable secrets: an unknown access token, a 409, a connection reset on every call', async () => {
		const credId = await oauth2();
		await runFailing('not found', [dropbox('Dropbox', { resource: 'file', operation: 'get', file: byPath('/nowhere/missing.txt'), options: {} }, { dropboxPlusOAuth2Api: credId })]);
		await h.emulator.admin('POST', 'faults', { resetRate: 1, routes: ['users/get_current_account'], replace: true });
		try {
			await runFailing('resets', [accountNode({ dropboxPlusOAuth2Api: credId })]);
		} finally {
			await h.emulator.admin('POST', 'faults', { replace: true });
		}
		const bogus = await h.n8n.importCredential({
			...(await oauth2Credential(h.emulator)),
			name: 'bogus token',
			data: {
				...(await oauth2Credential(h.emulator)).data,
				clientSecret: APP_SECRET,
				oauthTokenData: { access_token: 'ACCESSTOKEN-e2e-bogus-91e0', token_type: 'bearer', refresh_token: 'REFRESHTOKEN-e2e-bogus-5d1f' },
			},
		});
		secrets.bogusAccessToken = 'ACCESSTOKEN-e2e-bogus-91e0';
		secrets.bogusRefreshToken = 'REFRESHTOKEN-e2e-bogus-5d1f';
		const run = await runFailing('unknown token', [accountNode({ dropboxPlusOAuth2Api: bogus })]);
		expect(run.nodeError('Dropbox')).toBeDefined();
	}, 240_000);

	it('no access token, refresh token or app secret in any execution, output, thrown error, log file or database of n8n', () => {
		expect(Object.keys(outputs).length).toBeGreaterThanOrEqual(12);
		expect(fs.existsSync(logFile)).toBe(true);
		const log = fs.readFileSync(logFile, 'utf8');
		expect(log.length).toBeGreaterThan(0);
		const stored = Object.fromEntries(
			// everything n8n keeps in its user folder (database, binary data, logs) — except the harness's own
			// import files, which hold the plain credentials n8n was given
			filesUnder(h.n8n.userFolder, (f) => f.includes(`${path.sep}import${path.sep}`)).map((f) => [f, fs.readFileSync(f)]),
		);
		expect(Object.keys(stored).some((f) => f.endsWith('.sqlite'))).toBe(true);
		// the secrets are real: n8n was given (or made) each of them
		expect(Object.values(secrets).every((s) => typeof s === 'string' && s.length >= 10)).toBe(true);
		expect(findSecrets(secrets, { ...outputs, 'n8n log file': log, ...stored })).toEqual([]);
	});
});
