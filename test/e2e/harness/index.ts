/**
 * End-to-end harness: a real n8n with this package installed, talking to the Dropbox emulator.
 *
 *   const h = await startHarness();                      // emulator + n8n (installs n8n once)
 *   const credId = await h.importApiCredential();        // dropboxPlusApi, tokens from the emulator
 *   const run = await h.n8n.runWorkflow(workflow(...));  // n8n execute --rawOutput
 *   expect(run.json('Dropbox')[0].name).toBe('a.txt');
 *   await h.stop();
 *
 * See test/e2e/README.md.
 */
import { startEmulator, type EmulatorHandle, type EmulatorStartOptions } from './emulator';
import { N8n, type CredentialJson, type N8nOptions } from './n8n';

export * from './emulator';
export * from './n8n';
export * from './workflow';
export { freePort, waitFor, REPO_ROOT, DROPBOX_HOSTS } from './util';

/** Generous time for beforeAll: the first run on a machine installs n8n (about 5 minutes). */
export const HARNESS_TIMEOUT_MS = 15 * 60_000;

export const API_CREDENTIAL_NAME = 'Dropbox Plus API (e2e)';
export const OAUTH2_CREDENTIAL_NAME = 'Dropbox Plus OAuth2 (e2e)';

export interface HarnessOptions {
	emulator?: EmulatorStartOptions;
	n8n?: N8nOptions;
}

export interface Harness {
	emulator: EmulatorHandle;
	n8n: N8n;
	/**
	 * A `dropboxPlusApi` credential (app key/secret + a refresh token the emulator issued).
	 * Returns its id. `data` overrides fields (e.g. { pathRoot: 'root', namespaceId: '…' }).
	 */
	importApiCredential(opts?: { id?: string; name?: string; data?: Record<string, unknown> }): Promise<string>;
	/**
	 * A `dropboxPlusOAuth2Api` credential as n8n stores it after the user clicked "Connect":
	 * oauthTokenData from the emulator (short-lived access token + refresh token). Returns its id.
	 */
	importOAuth2Credential(opts?: {
		id?: string;
		name?: string;
		data?: Record<string, unknown>;
		ttlSeconds?: number;
	}): Promise<string>;
	stop(): Promise<void>;
}

/** The `dropboxPlusApi` credential for an emulator: a fresh refresh token, no access token yet. */
export async function apiCredential(
	emulator: EmulatorHandle,
	opts: { id?: string; name?: string; data?: Record<string, unknown> } = {},
): Promise<CredentialJson> {
	const t = await emulator.issueToken({ refreshToken: true });
	return {
		id: opts.id,
		name: opts.name ?? API_CREDENTIAL_NAME,
		type: 'dropboxPlusApi',
		data: {
			clientId: emulator.appKey,
			clientSecret: emulator.appSecret,
			refreshToken: t.refresh_token,
			accessToken: '',
			pathRoot: 'home',
			...opts.data,
		},
	};
}

/** The `dropboxPlusOAuth2Api` credential for an emulator, as if connected through the browser. */
export async function oauth2Credential(
	emulator: EmulatorHandle,
	opts: { id?: string; name?: string; data?: Record<string, unknown>; ttlSeconds?: number } = {},
): Promise<CredentialJson> {
	const t = await emulator.issueToken({ refreshToken: true, ttlSeconds: opts.ttlSeconds });
	return {
		id: opts.id,
		name: opts.name ?? OAUTH2_CREDENTIAL_NAME,
		type: 'dropboxPlusOAuth2Api',
		data: {
			clientId: emulator.appKey,
			clientSecret: emulator.appSecret,
			grantType: 'authorizationCode',
			authUrl: 'https://www.dropbox.com/oauth2/authorize',
			accessTokenUrl: 'https://api.dropboxapi.com/oauth2/token',
			authQueryParameters: 'token_access_type=offline',
			authentication: 'body',
			scope: t.scopes.join(' '),
			pathRoot: 'home',
			oauthTokenData: {
				access_token: t.access_token,
				token_type: 'bearer',
				expires_in: t.expires_in ?? 14400,
				refresh_token: t.refresh_token,
				scope: t.scopes.join(' '),
				account_id: t.account_id,
				uid: t.account_id.replace(/^dbid:/, ''),
			},
			...opts.data,
		},
	};
}

/** Starts the emulator (HTTPS) and prepares an n8n instance routed to it. Call stop() in afterAll. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
	const emulator = await startEmulator(opts.emulator);
	let n8n: N8n;
	try {
		n8n = await N8n.create({ ...opts.n8n, env: { ...emulator.routingEnv(), ...opts.n8n?.env } });
	} catch (e) {
		await emulator.stop();
		throw e;
	}
	return {
		emulator,
		n8n,
		importApiCredential: async (o) => await n8n.importCredential(await apiCredential(emulator, o)),
		importOAuth2Credential: async (o) => await n8n.importCredential(await oauth2Credential(emulator, o)),
		stop: async () => {
			await n8n.stop();
			await emulator.stop();
		},
	};
}
