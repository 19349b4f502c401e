/** A streaming ZIP writer (stored entries, data descriptors) for files/download_zip. */
import { PassThrough, Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { BlobStore } from './store';
import type { Node } from './tree';

function dosTime(d: Date): [number, number] {
	const time = (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2);
	const date = ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
	return [time, date];
}

export function zipFolder(store: BlobStore, root: Node): Readable {
	const out = new PassThrough();
	const entries: { name: Buffer; crc: number; size: number; offset: number; dir: boolean }[] = [];
	let offset = 0;
	const [time, date] = dosTime(new Date());
	const write = (b: Buffer) => {
		offset += b.length;
		return out.write(b);
	};
	const list: { node: Node; rel: string }[] = [];
	const walk = (n: Node, rel: string) => {
		list.push({ node: n, rel });
		if (n.children) for (const c of n.children.values()) walk(c, rel + '/' + c.name);
	};
	walk(root, root.name);
	void (async () => {
		try {
			for (const { node, rel } of list) {
				const dir = node.tag === 'folder';
				const name = Buffer.from(dir ? rel + '/' : rel, 'utf8');
				const start = offset;
				const h = Buffer.alloc(30);
				h.writeUInt32LE(0x04034b50, 0);
				h.writeUInt16LE(20, 4);
				h.writeUInt16LE(0x0808, 6); // data descriptor + UTF-8 names
				h.writeUInt16LE(0, 8);
				h.writeUInt16LE(time, 10);
				h.writeUInt16LE(date, 12);
				h.writeUInt16LE(name.length, 26);
				write(Buffer.concat([h, name]));
				let crc = 0;
				let size = 0;
				if (!dir && node.file!.size > 0) {
					for await (const chunk of store.read(node.file!.blob)) {
						crc = crc32(chunk as Buffer, crc);
						size += (chunk as Buffer).length;
						if (!write(chunk as Buffer)) await new Promise((r) => out.once('drain', r));
					}
				}
				const dd = Buffer.alloc(16);
				dd.writeUInt32LE(0x08074b50, 0);
				dd.writeUInt32LE(crc >>> 0, 4);
				dd.writeUInt32LE(size, 8);
				dd.writeUInt32LE(size, 12);
				write(dd);
				entries.push({ name, crc, size, offset: start, dir });
			}
			const cdStart = offset;
			for (const e of entries) {
				const c = Buffer.alloc(46);
				c.writeUInt32LE(0x02014b50, 0);
				c.writeUInt16LE(20, 4);
				c.writeUInt16LE(20, 6);
				c.writeUInt16LE(0x0808, 8);
				c.writeUInt16LE(0, 10);
				c.writeUInt16LE(time, 12);
				c.writeUInt16LE(date, 14);
				c.writeUInt32LE(e.crc >>> 0, 16);
				c.writeUInt32LE(e.size, 20);
				c.writeUInt32LE(e.size, 24);
				c.writeUInt16LE(e.name.length, 28);
				c.writeUInt32LE(e.dir ? 0x10 : 0, 38);
				c.writeUInt32LE(e.offset, 42);
				write(Buffer.concat([c, e.name]));
			}
			const end = Buffer.alloc(22);
			end.writeUInt32LE(0x06054b50, 0);
			end.writeUInt16LE(entries.length, 8);
			end.writeUInt16LE(entries.length, 10);
			end.writeUInt32LE(offset - cdStart, 12);
			end.writeUInt32LE(cdStart, 16);
			out.end(end);
		} catch (e) {
			out.destroy(e as Error);
		}
	})();
	return out;
}
