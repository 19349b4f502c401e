/**
 * The credential a context's calls share (nodes/shared/transport/heldCredentials.ts): read once
 * per context and minute, handed to n8n with each refresh-token request so n8n does not read
 * and decrypt it again for every call.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { dropboxRpc } from '../../nodes/shared/transport';
import { heldCredential, HOLD_MS } from '../../nodes/shared/transport/heldCredentials';
import { fakeContext, NODE } from './helpers/fakes';

const API = { id: 'cred-7', name: 'Dropbox headless' };

function contextWith(authentication: string) {
	const fake = fakeContext([], { authentication, credentials: { clientId: 'key', refreshToken: 'r', accessToken: 'old', pathRoot: 'home' } });
	const node = { ...NODE, credentials: { dropboxPlusApi: API, dropboxPlusOAuth2Api: { id: 'cred-8', name: 'Dropbox OAuth2' } } };
	(fake.ctx as unknown as { getNode: () => typeof node }).getNode = () => node;
	fake.getCredentials.mockImplementation(async () => ({ clientId: 'key', refreshToken: 'r', accessToken: 'old', pathRoot: 'home' }));
	return fake;
}

const signingOf = (request: jest.Mock, call: number) => (request.mock.calls[call] as unknown[])[2] as { credentialsDecrypted: { id: string; name: string; type: string; data: IDataObject } } | undefined;

describe('the credential held for a context', () => {
	it('refresh token: twenty calls read the credential once and hand it to n8n, with the node\'s reference, as one object', async () => {
		const { ctx, request, getCredentials } = contextWith('refreshToken');
		for (let i = 0; i < 20; i++) await dropboxRpc(ctx, 'users/get_current_account');
		expect(getCredentials).toHaveBeenCalledTimes(1);
		expect(request).toHaveBeenCalledTimes(20);
		const first = signingOf(request, 0)!;
		expect(first.credentialsDecrypted).toMatchObject({ ...API, type: 'dropboxPlusApi', data: { refreshToken: 'r' } });
		expect(signingOf(request, 19)!.credentialsDecrypted.data).toBe(first.credentialsDecrypted.data);
	});

	it('a token n8n refreshed into the held credential is what the next calls carry', async () => {
		const { ctx, request } = contextWith('refreshToken');
		// n8n's preAuthentication writes the new token into the object it was handed
		request.mockImplementationOnce(async (_type: string, _options: unknown, signing: { credentialsDecrypted: { data: IDataObject } }) => {
			Object.assign(signing.credentialsDecrypted.data, { accessToken: 'fresh' });
			return {};
		});
		await dropboxRpc(ctx, 'users/get_current_account');
		await dropboxRpc(ctx, 'users/get_current_account');
		expect(signingOf(request, 1)!.credentialsDecrypted.data.accessToken).toBe('fresh');
	});

	it('is read again after a minute: a long-lived trigger sees an edited credential', async () => {
		const { ctx, getCredentials } = contextWith('refreshToken');
		const start = Date.now();
		await heldCredential(ctx as IExecuteFunctions, 'dropboxPlusApi', start);
		await heldCredential(ctx as IExecuteFunctions, 'dropboxPlusApi', start + HOLD_MS - 1);
		expect(getCredentials).toHaveBeenCalledTimes(1);
		await heldCredential(ctx as IExecuteFunctions, 'dropboxPlusApi', start + HOLD_MS);
		expect(getCredentials).toHaveBeenCalledTimes(2);
	});

	it('a failed read is not held: the next call reads again', async () => {
		const { ctx, getCredentials } = contextWith('refreshToken');
		getCredentials.mockImplementationOnce(async () => {
			throw new Error('credential not found');
		});
		await expect(heldCredential(ctx as IExecuteFunctions, 'dropboxPlusApi')).rejects.toThrow('credential not found');
		await expect(heldCredential(ctx as IExecuteFunctions, 'dropboxPlusApi')).resolves.toMatchObject({ refreshToken: 'r' });
		expect(getCredentials).toHaveBeenCalledTimes(2);
	});

	it('OAuth2: n8n reads the credential itself for every request, so nothing is handed over', async () => {
		const { ctx, request } = contextWith('oAuth2');
		await dropboxRpc(ctx, 'users/get_current_account');
		expect(signingOf(request, 0)).toBeUndefined();
	});

	it('a node with no reference to the credential (n8n then reads it as usual): nothing is handed over', async () => {
		const { ctx, request } = fakeContext([], { authentication: 'refreshToken' });
		await dropboxRpc(ctx, 'users/get_current_account');
		expect(signingOf(request, 0)).toBeUndefined();
	});
});
