import { createHash } from 'node:crypto';
import { startEmulator, Emulator } from '../../sandbox/emulator';
import { sdk } from './helpers';

/** Independent implementation of Dropbox's content_hash, straight from the documented algorithm. */
function referenceHash(data: Buffer): string {
	const BLOCK = 4 * 1024 * 1024;
	const digests: Buffer[] = [];
	for (let off = 0; off < data.length; off += BLOCK) digests.push(createHash('sha256').update(data.subarray(off, off + BLOCK)).digest());
	return createHash('sha256').update(Buffer.concat(digests)).digest('hex');
}

describe('content_hash golden vectors', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ accessToken: 'tok' });
	});
	afterAll(() => emu.close());

	const MiB4 = 4 * 1024 * 1024;
	const cases: [string, Buffer, (h: string) => void][] = [
		['empty', Buffer.alloc(0), (h) => expect(h).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')],
		['"A"', Buffer.from('A'), (h) => expect(h.startsWith('1cd6ef71') && h.endsWith('5e42')).toBe(true)],
		['4 MiB of "A"', Buffer.alloc(MiB4, 'A'), (h) => expect(h.startsWith('d4d63bac') && h.endsWith('efa3')).toBe(true)],
		['4 MiB + 1 byte', Buffer.alloc(MiB4 + 1, 'A'), (h) => expect(h).toBe(referenceHash(Buffer.alloc(MiB4 + 1, 'A')))],
	];

	test.each(cases)('%s: reference algorithm and emulator agree', async (name, data, check) => {
		const ref = referenceHash(data);
		check(ref);
		const dbx = sdk(emu.url, 'tok');
		const up = await dbx.filesUpload({ path: `/hash/${name.replace(/\W/g, '_')}.bin`, contents: data, content_hash: ref });
		expect(up.result.content_hash).toBe(ref);
		expect(up.result.size).toBe(data.length);
		const meta = await dbx.filesGetMetadata({ path: up.result.id });
		expect((meta.result as { content_hash: string }).content_hash).toBe(ref);
	});

	test('4 MiB + 1 differs from 4 MiB and from a plain sha256', () => {
		const h = referenceHash(Buffer.alloc(MiB4 + 1, 'A'));
		expect(h).not.toBe(referenceHash(Buffer.alloc(MiB4, 'A')));
		expect(h).not.toBe(createHash('sha256').update(Buffer.alloc(MiB4 + 1, 'A')).digest('hex'));
	});
});
