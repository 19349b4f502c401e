/**
 * Both credentials authenticate inside a real n8n, through n8n's own machinery (HTTP Request node
 * with a predefined credential type), against the emulator reached by the real Dropbox URLs.
 */
import { HARNESS_TIMEOUT_MS, httpRequestWithCredential, startHarness, workflow, type Harness } from './harness';

const ACCOUNT_URL = 'https://api.dropboxapi.com/2/users/get_current_account';
// the emulator's admin API shares its origin, so a workflow can expire tokens mid-run
const EXPIRE_URL = 'https://api.dropboxapi.com/__admin/expire-tokens';

const expireAllTokens = {
	name: 'Emulator: expire every access token',
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	parameters: { method: 'POST', url: EXPIRE_URL, options: {} },
};

describe('credentials in real n8n', () => {
	let h: Harness;
	let accountId: string;

	beforeAll(async () => {
		h = await startHarness();
		accountId = (await h.emulator.admin('GET', 'info')).defaultAccountId;
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it('Dropbox Plus API (refresh token): the first request fetches an access token, n8n stores it, the next run reuses it', async () => {
		const credId = await h.importApiCredential();
		const wf = workflow('account via refresh-token credential', [
			httpRequestWithCredential('Account', 'dropboxPlusApi', credId, { url: ACCOUNT_URL }),
		]);
		const before = await h.emulator.calls();
		const run = await h.n8n.runWorkflow(wf);
		expect(run.json('Account')[0]).toMatchObject({ account_id: accountId });

		const stored = await h.n8n.credentialData(credId);
		expect(stored.accessToken).toEqual(expect.any(String));
		expect(stored.accessToken.length).toBeGreaterThan(10);
		const afterFirst = await h.emulator.calls();
		expect(tokenCalls(afterFirst) - tokenCalls(before)).toBe(1);

		const again = await h.n8n.runWorkflow(wf);
		expect(again.json('Account')[0]).toMatchObject({ account_id: accountId });
		expect(tokenCalls(await h.emulator.calls())).toBe(tokenCalls(afterFirst));
	});

	it('Dropbox Plus API (refresh token): an access token that expires mid-workflow is renewed and the workflow succeeds', async () => {
		const credId = await h.importApiCredential();
		const run = await h.n8n.runWorkflow(
			workflow('refresh-token credential survives expiry', [
				httpRequestWithCredential('Before', 'dropboxPlusApi', credId, { url: ACCOUNT_URL }),
				expireAllTokens,
				httpRequestWithCredential('After', 'dropboxPlusApi', credId, { url: ACCOUNT_URL }),
			]),
		);
		expect(run.json('Before')[0]).toMatchObject({ account_id: accountId });
		expect(run.json('Emulator: expire every access token')[0].expired).toBeGreaterThan(0);
		expect(run.json('After')[0]).toMatchObject({ account_id: accountId });
	});

	it('Dropbox Plus OAuth2: authenticates with the token data n8n stored at "Connect"', async () => {
		const credId = await h.importOAuth2Credential();
		const run = await h.n8n.runWorkflow(
			workflow('account via OAuth2 credential', [
				httpRequestWithCredential('Account', 'dropboxPlusOAuth2Api', credId, { url: ACCOUNT_URL }),
			]),
		);
		expect(run.json('Account')[0]).toMatchObject({ account_id: accountId });
	});

	it('Dropbox Plus OAuth2: an access token expired mid-workflow is refreshed by n8n, stored, and used by the next run', async () => {
		const credId = await h.importOAuth2Credential();
		const original = (await h.n8n.credentialData(credId)).oauthTokenData;

		const run = await h.n8n.runWorkflow(
			workflow('OAuth2 credential survives expiry', [
				httpRequestWithCredential('Before', 'dropboxPlusOAuth2Api', credId, { url: ACCOUNT_URL }),
				expireAllTokens,
				httpRequestWithCredential('After', 'dropboxPlusOAuth2Api', credId, { url: ACCOUNT_URL }),
			]),
		);
		expect(run.json('Before')[0]).toMatchObject({ account_id: accountId });
		expect(run.json('After')[0]).toMatchObject({ account_id: accountId });

		const refreshed = (await h.n8n.credentialData(credId)).oauthTokenData;
		expect(refreshed.access_token).toEqual(expect.any(String));
		expect(refreshed.access_token).not.toBe(original.access_token);
		// Dropbox does not send a new refresh token on refresh: n8n must keep the old one
		expect(refreshed.refresh_token).toBe(original.refresh_token);

		const tokensBefore = tokenCalls(await h.emulator.calls());
		const next = await h.n8n.runWorkflow(
			workflow('OAuth2 next run', [
				httpRequestWithCredential('Account', 'dropboxPlusOAuth2Api', credId, { url: ACCOUNT_URL }),
			]),
		);
		expect(next.json('Account')[0]).toMatchObject({ account_id: accountId });
		expect(tokenCalls(await h.emulator.calls())).toBe(tokensBefore);
	});
});

function tokenCalls(calls: { byRoute: Record<string, number> }): number {
	return Object.entries(calls.byRoute)
		.filter(([route]) => /oauth2\/token/.test(route))
		.reduce((sum, [, n]) => sum + n, 0);
}
