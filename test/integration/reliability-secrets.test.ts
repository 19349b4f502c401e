import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../nodes/DropboxPlus/actions/router';
import { clock } from '../../nodes/shared/transport';
import type { Emulator } from '../../sandbox/emulator';
import { createExecuteContext } from '../support/executeContext';
import { byPath, emulator } from './run';

/**
 * No access token, refresh token or app secret ever appears in an error: failing operations
 * run with recognisable secret values, and every message, description, serialisation, stack
 * and continue-on-fail error item is searched for them.
 */
const ACCESS_TOKEN = 'sl.u.AccessTokenSECRET1234567890abcdefghijklmnop';
const REFRESH_TOKEN = 'RefreshTokenSECRET-0987654321-zyxwvut';
const APP_SECRET = 'AppSecretSECRET-qwertyuiop';
const SECRETS = [ACCESS_TOKEN, REFRESH_TOKEN, APP_SECRET, 'AccessTokenSECRET', 'RefreshTokenSECRET', 'AppSecretSECRET'];

let emu: Emulator;
const realSleep = clock.sleep;
beforeAll(async () => {
	emu = await emulator();
	clock.sleep = async () => {};
});
afterAll(async () => {
	clock.sleep = realSleep;
	await emu.close();
});

function everythingIn(error: unknown): string {
	const e = error as Error & { description?: unknown; context?: unknown; cause?: unknown };
	let json = '';
	try {
		json = JSON.stringify(error);
	} catch {
		json = '';
	}
	return [e.message, String(e.description ?? ''), e.stack ?? '', json, JSON.stringify(e.context ?? {}), String(e), JSON.stringify(Object.getOwnPropertyNames(e).map((key) => [key, String((e as unknown as IDataObject)[key])]))].join('\n');
}

const FAILING: Array<[string, IDataObject, (emu: Emulator) => void]> = [
	['an unknown token (401)', { resource: 'file', operation: 'get', file: byPath('/nothing.txt') }, () => {}],
	['a path that does not exist (409)', { resource: 'file', operation: 'get', file: byPath('/nothing.txt') }, (e) => e.issueToken({ token: ACCESS_TOKEN, ttlSeconds: null })],
	['Dropbox failing every call (500)', { resource: 'folder', operation: 'list', folder: byPath(''), returnAll: true, options: {} }, (e) => {
		e.issueToken({ token: ACCESS_TOKEN, ttlSeconds: null });
		e.setFaults({ rate500: 1 });
	}],
	['connections reset on every call', { resource: 'file', operation: 'upload', destination: 'path', filePath: '/a.txt', content: 'text', text: 'x', mode: 'add', options: {} }, (e) => {
		e.issueToken({ token: ACCESS_TOKEN, ttlSeconds: null });
		e.setFaults({ resetRate: 1 });
	}],
	['an expired token', { resource: 'file', operation: 'get', file: byPath('/nothing.txt') }, (e) => {
		e.issueToken({ token: ACCESS_TOKEN, ttlSeconds: null });
		e.expireTokens();
	}],
	['a one-off 500, then nothing there (409)', { resource: 'file', operation: 'getTemporaryLink', file: byPath('/x.txt') }, (e) => {
		e.issueToken({ token: ACCESS_TOKEN, ttlSeconds: null });
		e.setFaults({ script: [{ route: 'files/get_temporary_link', kind: '500', count: 1 }] });
	}],
];

describe('secrets never appear in errors', () => {
	beforeEach(() => {
		emu.reset();
		emu.setFaults({ rate429: 0, rate500: 0, rate503: 0, resetRate: 0 });
	});

	it.each(FAILING)('%s: not in the thrown error, nor in continue-on-fail error items', async (_what, parameters, arrange) => {
		arrange(emu);
		const items: INodeExecutionData[] = [{ json: {} }, { json: {} }];
		const credentials = { pathRoot: 'home', accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN, clientSecret: APP_SECRET, appSecret: APP_SECRET };
		const make = async (continueOnFail: boolean) =>
			await createExecuteContext({ emulatorUrl: emu.url, accessToken: ACCESS_TOKEN, parameters: { authentication: 'oAuth2', ...parameters }, items, continueOnFail, credentials });

		let thrown: unknown;
		try {
			await route.call((await make(false)).ctx);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeDefined();
		const text = everythingIn(thrown);
		for (const secret of SECRETS) expect(text).not.toContain(secret);

		const [out] = await route.call((await make(true)).ctx);
		expect(out).toHaveLength(2);
		const serialised = JSON.stringify(out);
		expect(serialised).toContain('"error"');
		for (const secret of SECRETS) expect(serialised).not.toContain(secret);
	});
});
