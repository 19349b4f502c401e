import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../nodes/DropboxPlus/actions/router';
import { startEmulator, type Emulator } from '../../sandbox/emulator';
import { createExecuteContext, type TestContext } from '../support/executeContext';

export const TOKEN = 'test-token';

export async function emulator(): Promise<Emulator> {
	return await startEmulator({ port: 0, accessToken: TOKEN });
}

/** A locator value "By Path". */
export const byPath = (value: string) => ({ __rl: true, mode: 'path', value });

/** Runs one node operation against the emulator, the way n8n would: through the router. */
export async function run(
	emu: Emulator,
	parameters: IDataObject | ((itemIndex: number) => IDataObject),
	options: { items?: INodeExecutionData[]; continueOnFail?: boolean } = {},
): Promise<{ items: INodeExecutionData[]; test: TestContext }> {
	const withAuth = (p: IDataObject): IDataObject => ({ authentication: 'oAuth2', ...p });
	const test = await createExecuteContext({
		emulatorUrl: emu.url,
		accessToken: TOKEN,
		parameters: typeof parameters === 'function' ? (i) => withAuth(parameters(i)) : withAuth(parameters),
		...options,
	});
	const [items] = await route.call(test.ctx);
	return { items, test };
}

/** The promise's rejection, to assert on (fails the test if it resolves). */
export async function failure(promise: Promise<unknown>): Promise<Error & { description?: string; context?: IDataObject }> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected a failure');
}
