import { inflateRawSync } from 'node:zlib';

import type { Emulator } from '../../sandbox/emulator';
import { byPath, emulator, failure, run } from './run';

/** The files of a ZIP, read from its central directory and local headers (stored or deflated). */
function unzip(zip: Buffer): Map<string, Buffer> {
	const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
	if (eocd < 0) throw new Error('no end of central directory');
	const count = zip.readUInt16LE(eocd + 10);
	let at = zip.readUInt32LE(eocd + 16);
	const files = new Map<string, Buffer>();
	for (let i = 0; i < count; i++) {
		if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
		const method = zip.readUInt16LE(at + 10);
		const compressedSize = zip.readUInt32LE(at + 20);
		const nameLength = zip.readUInt16LE(at + 28);
		const extraLength = zip.readUInt16LE(at + 30);
		const commentLength = zip.readUInt16LE(at + 32);
		const localOffset = zip.readUInt32LE(at + 42);
		const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
		at += 46 + nameLength + extraLength + commentLength;
		if (name.endsWith('/')) continue;
		const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
		const data = zip.subarray(dataStart, dataStart + compressedSize);
		files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
	}
	return files;
}

describe('Folder → Download as ZIP', () => {
	let emu: Emulator;
	const photo = Buffer.alloc(300_000);
	for (let i = 0; i < photo.length; i++) photo[i] = (i * 13) & 0xff;
	beforeAll(async () => {
		emu = await emulator();
		await emu.seedFile('/Reports/q1.txt', 'first quarter');
		await emu.seedFile('/Reports/2024/photo.png', photo);
		await emu.seedFile('/Reports/Résumé ✓.md', '# héllo');
	});
	afterAll(async () => await emu.close());

	it('streams the folder into a binary field as <folder>.zip holding every file byte for byte', async () => {
		const { items, test } = await run(emu, {
			resource: 'folder',
			operation: 'downloadZip',
			folder: byPath('/Reports'),
			binaryPropertyName: 'archive',
		});
		expect(items).toHaveLength(1);
		const binary = items[0].binary!.archive;
		expect(binary.fileName).toBe('Reports.zip');
		expect(binary.mimeType).toBe('application/zip');
		expect(items[0].json).toMatchObject({ name: 'Reports', path_display: '/Reports' });
		const files = unzip(await test.readBinary(binary));
		expect([...files.keys()].sort()).toEqual(['Reports/2024/photo.png', 'Reports/Résumé ✓.md', 'Reports/q1.txt']);
		expect(files.get('Reports/q1.txt')!.toString()).toBe('first quarter');
		expect(files.get('Reports/2024/photo.png')!.equals(photo)).toBe(true);
		expect(files.get('Reports/Résumé ✓.md')!.toString()).toBe('# héllo');
	});

	it('refuses the root folder before any call', async () => {
		emu.resetCalls();
		const error = await failure(run(emu, { resource: 'folder', operation: 'downloadZip', folder: byPath('/') }));
		expect(error.message).toContain('The Folder "/" is the root folder');
		expect(emu.calls().total).toBe(0);
	});

	it('a folder of 10,000 entries (9,999 files and the folder itself) fails with too_many_files', async () => {
		await fetch(`${emu.url}/__admin/seed`, { method: 'POST', body: JSON.stringify({ generate: { folder: '/Many', count: 9999 } }) });
		const error = await failure(run(emu, { resource: 'folder', operation: 'downloadZip', folder: byPath('/Many') }));
		expect(error.message).toContain('too_many_files');
		expect(error.context).toMatchObject({ dropboxTag: 'too_many_files', dropboxPath: '/Many' });
	});

	it('a file instead of a folder fails with Dropbox\'s tag', async () => {
		const error = await failure(run(emu, { resource: 'folder', operation: 'downloadZip', folder: byPath('/Reports/q1.txt') }));
		expect(error.message).toContain('path/not_folder');
	});
});
