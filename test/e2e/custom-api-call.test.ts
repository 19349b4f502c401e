/**
 * The escape hatch (issue 19): n8n's own HTTP Request node with a Dropbox Plus credential
 * (Authentication: Predefined Credential Type) calls any Dropbox route — RPC routes with and
 * without a body, a content route with its arguments in Dropbox-API-Arg — with either credential,
 * against the strict emulator (a request Dropbox would refuse fails the test). The Refresh Token
 * credential adds its Space (Dropbox-API-Path-Root) by itself; n8n signs OAuth2 credentials
 * without their own code, so with OAuth2 the header is set on the node, as the README says.
 */
import { HARNESS_TIMEOUT_MS, oauth2Credential, startHarness, workflow, type Harness, type NodeSpec } from './harness';
import { byPath, dropbox } from './support/operations';

type CredentialType = 'dropboxPlusApi' | 'dropboxPlusOAuth2Api';

/** An HTTP Request node (4.2) signed by a Dropbox Plus credential: headers, a JSON body, a file answer as the editor sets them. */
function dropboxHttp(
	name: string,
	credentialType: CredentialType,
	credentialId: string,
	request: { url: string; body?: unknown; headers?: Record<string, string>; file?: boolean },
): NodeSpec {
	const headers = Object.entries(request.headers ?? {}).map(([headerName, value]) => ({ name: headerName, value }));
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: request.url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: credentialType,
			...(headers.length ? { sendHeaders: true, headerParameters: { parameters: headers } } : {}),
			...(request.body === undefined ? {} : { sendBody: true, specifyBody: 'json', jsonBody: JSON.stringify(request.body) }),
			options: request.file ? { response: { response: { responseFormat: 'file' } } } : {},
		},
		credentials: { [credentialType]: credentialId },
	};
}

const RPC = 'https://api.dropboxapi.com/2';
const CONTENT = 'https://content.dropboxapi.com/2';
const names = (json: Record<string, any>) => (json.entries as Array<{ name: string }>).map((entry) => entry.name).sort();

describe('Custom API call: the HTTP Request node with a Dropbox Plus credential, in real n8n', () => {
	let h: Harness;
	let accountId: string;
	const credentials: Array<[CredentialType, string]> = [];

	beforeAll(async () => {
		h = await startHarness();
		accountId = (await h.emulator.admin('GET', 'info')).defaultAccountId;
		await h.emulator.seed({ folders: ['/Reports'], files: [{ path: '/Reports/q1 😀.txt', content: 'first quarter: 42' }, { path: '/Reports/q2.txt', content: 'second' }] });
		credentials.push(['dropboxPlusApi', await h.importApiCredential()], ['dropboxPlusOAuth2Api', await h.importOAuth2Credential()]);
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await h?.stop();
	});

	it.each([0, 1])('calls users/get_current_account (no body), files/list_folder (JSON body) and files/download (Dropbox-API-Arg, file answer) with credential %#', async (index) => {
		const [type, id] = credentials[index];
		const run = await h.n8n.runWorkflow(
			workflow(`custom API call with ${type}`, [
				dropboxHttp('Account', type, id, { url: `${RPC}/users/get_current_account` }),
				dropboxHttp('List', type, id, { url: `${RPC}/files/list_folder`, body: { path: '/Reports' } }),
				// a header is plain text, so a non-ASCII path is written with \u escapes, as Dropbox requires
				dropboxHttp('Download', type, id, { url: `${CONTENT}/files/download`, headers: { 'Dropbox-API-Arg': '{"path":"/Reports/q1 \\ud83d\\ude00.txt"}' }, file: true }),
			]),
		);
		expect(run.json('Account')[0]).toMatchObject({ account_id: accountId, email: 'sandbox@example.com' });
		expect(names(run.json('List')[0])).toEqual(['q1 😀.txt', 'q2.txt']);
		expect((await run.binary('Download')).toString('utf8')).toBe('first quarter: 42');
	});

	it('in a team space: the Refresh Token credential sends its Space itself (and the Dropbox Plus node still works with it); with OAuth2 the Dropbox-API-Path-Root header set on the node does it', async () => {
		const member = await h.emulator.admin('POST', 'accounts', { team: { name: 'Plus Team' }, teamFolders: ['Team Docs'], email: 'member@example.com' });
		const rootNs = member.root_info.root_namespace_id as string;
		await h.emulator.seed({ accountId: member.account_id, files: [{ path: '/home note.txt', content: 'mine' }] });
		const space = { pathRoot: 'root', namespaceId: rootNs };
		const refresh = await h.emulator.issueToken({ refreshToken: true, accountId: member.account_id } as never);
		const apiId = await h.n8n.importCredential({
			name: 'Dropbox Plus API (team space)',
			type: 'dropboxPlusApi',
			data: { clientId: h.emulator.appKey, clientSecret: h.emulator.appSecret, refreshToken: refresh.refresh_token, accessToken: '', ...space },
		});
		const oauth = await oauth2Credential(h.emulator, { name: 'Dropbox Plus OAuth2 (team space)', data: space });
		const token = await h.emulator.issueToken({ refreshToken: true, accountId: member.account_id } as never);
		Object.assign(oauth.data.oauthTokenData as object, { access_token: token.access_token, refresh_token: token.refresh_token, account_id: member.account_id });
		const oauthId = await h.n8n.importCredential(oauth);
		const listRoot = { url: `${RPC}/files/list_folder`, body: { path: '' } };
		const run = await h.n8n.runWorkflow(
			workflow('custom API call in a team space', [
				dropboxHttp('Refresh Token', 'dropboxPlusApi', apiId, listRoot),
				dropboxHttp('OAuth2 without header', 'dropboxPlusOAuth2Api', oauthId, listRoot),
				dropboxHttp('OAuth2 with header', 'dropboxPlusOAuth2Api', oauthId, { ...listRoot, headers: { 'Dropbox-API-Path-Root': `{".tag":"root","root":"${rootNs}"}` } }),
				dropboxHttp('Refresh Token, header on the node', 'dropboxPlusApi', apiId, { ...listRoot, headers: { 'Dropbox-API-Path-Root': '{".tag":"home"}' } }),
				{ ...dropbox('Dropbox Plus List', apiId, { resource: 'folder', operation: 'list', folder: byPath('/'), returnAll: true }), executeOnce: true },
			]),
		);
		expect(names(run.json('Refresh Token')[0])).toEqual(['Team Docs']);
		expect(names(run.json('OAuth2 without header')[0])).toEqual(['home note.txt']);
		expect(names(run.json('OAuth2 with header')[0])).toEqual(['Team Docs']);
		// a path root the node names wins over the credential's
		expect(names(run.json('Refresh Token, header on the node')[0])).toEqual(['home note.txt']);
		expect(run.json('Dropbox Plus List').map((entry) => entry.name)).toEqual(['Team Docs']);
	});
});
