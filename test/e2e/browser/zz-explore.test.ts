import * as fs from 'node:fs';
import { HARNESS_TIMEOUT_MS, startHarness, type Harness } from '../harness';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sandbox = require('../../../scripts/sandbox.js');
let h: Harness;
beforeAll(async () => {
	h = await startHarness();
	await h.emulator.seed(sandbox.demoDropbox());
	await h.importApiCredential({ id: sandbox.CREDENTIAL_ID, name: sandbox.CREDENTIAL_NAME });
	const s = await h.n8n.start({ owner: false });
	const t = await h.emulator.issueToken({ refreshToken: true });
	fs.writeFileSync('/tmp/explore.json', JSON.stringify({ url: s.url, emu: h.emulator.url, port: h.emulator.port, appKey: h.emulator.appKey, appSecret: h.emulator.appSecret, refresh: t.refresh_token }));
}, HARNESS_TIMEOUT_MS);
afterAll(async () => await h?.stop());
it('waits', async () => { await new Promise((r) => setTimeout(r, 50 * 60_000)); }, 60 * 60_000);
