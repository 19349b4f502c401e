/** Upload sessions beyond 150 MiB in total, and the 150 MiB per-request limit. */
import { createHash } from 'node:crypto';
import { startEmulator, Emulator } from '../../sandbox/emulator';
import { sdk, sdkError } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */
jest.setTimeout(120_000);
const MiB = 1024 * 1024;
let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ accessToken: 'big' });
});
afterAll(() => emu.close());

function referenceHash(chunks: Buffer[]): string {
	// chunks are multiples of 4 MiB except the last, so each 4 MiB block lies inside one chunk
	const digests: Buffer[] = [];
	for (const c of chunks) for (let o = 0; o < c.length; o += 4 * MiB) digests.push(createHash('sha256').update(c.subarray(o, o + 4 * MiB)).digest());
	return createHash('sha256').update(Buffer.concat(digests)).digest('hex');
}

test('sequential session of 160 MiB + 1 byte: content_hash, size and ranged read-back', async () => {
	const dbx = sdk(emu.url, 'big');
	const chunk = (i: number) => Buffer.alloc(40 * MiB, i + 1);
	const tail = Buffer.from([7]);
	const sid = (await dbx.filesUploadSessionStart({ contents: chunk(0) } as any)).result.session_id;
	let offset = 40 * MiB;
	for (let i = 1; i < 4; i++) {
		await dbx.filesUploadSessionAppendV2({ cursor: { session_id: sid, offset }, contents: chunk(i) } as any);
		offset += 40 * MiB;
	}
	const m = (await dbx.filesUploadSessionFinish({ cursor: { session_id: sid, offset }, commit: { path: '/big/160.bin' }, contents: tail } as any)).result;
	expect(m.size).toBe(160 * MiB + 1);
	expect(m.content_hash).toBe(referenceHash([chunk(0), chunk(1), chunk(2), chunk(3), tail]));
	const r = await fetch(emu.url + '/2/files/download', { method: 'POST', headers: { Authorization: 'Bearer big', 'Dropbox-API-Arg': '{"path":"/big/160.bin"}', Range: `bytes=${120 * MiB - 2}-${120 * MiB + 1}` } });
	expect(r.status).toBe(206);
	expect([...new Uint8Array(await r.arrayBuffer())]).toEqual([3, 3, 4, 4]);
});

test('a single request over 150 MiB is refused (payload_too_large) and the session is unharmed', async () => {
	const dbx = sdk(emu.url, 'big');
	const sid = (await dbx.filesUploadSessionStart({ contents: Buffer.from('ab') } as any)).result.session_id;
	const e = await sdkError(dbx.filesUploadSessionAppendV2({ cursor: { session_id: sid, offset: 2 }, contents: Buffer.alloc(150 * MiB + 1) } as any));
	expect(e.status).toBe(409);
	expect(e.error.error['.tag']).toBe('payload_too_large');
	const m = (await dbx.filesUploadSessionFinish({ cursor: { session_id: sid, offset: 2 }, commit: { path: '/big/small.bin' } } as any)).result;
	expect(m.size).toBe(2);
	const e2 = await sdkError(dbx.filesUpload({ path: '/big/too-big.bin', contents: Buffer.alloc(150 * MiB + 1) }));
	expect(e2.error.error['.tag']).toBe('payload_too_large');
});
