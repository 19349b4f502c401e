/** Seeding files and folders straight into a namespace (admin `POST /__admin/seed`, `emu.seedFile`, `emu.seedFolder`). */
import { truncateSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { ContentHasher, zeroContentHash } from './hash';
import type { State } from './state';
import { ExportInfo, Namespace, PaperState } from './tree';

/** A failure with the admin API's status for it (400 bad input, 409 conflict); seeding throws it, admin answers it. */
export class AdminError extends Error {
	constructor(public status: number, msg: string) {
		super(msg);
	}
}

/** Generates `size` deterministic bytes (pattern seeded by `seed`) as a stream. */
export function generatedStream(size: number, seed = 0): Readable {
	const block = Buffer.alloc(1024 * 1024);
	for (let i = 0; i < block.length; i++) block[i] = (i * 31 + seed * 7 + (i >> 10)) & 0xff;
	let left = size;
	return new Readable({
		read() {
			if (left <= 0) {
				this.push(null);
				return;
			}
			const n = Math.min(left, block.length);
			left -= n;
			this.push(n === block.length ? Buffer.from(block) : block.subarray(0, n));
		},
	});
}

export interface SeedFileOptions {
	clientModified?: string;
	/** make the file non-downloadable (is_downloadable false), exportable as this format via files/export */
	exportAs?: string;
	exportOptions?: string[];
	/** false forces a downloadable file even for `.paper` */
	exportable?: boolean;
	/** a Paper doc archived in Paper: paper/update answers doc_archived */
	paperArchived?: boolean;
}

/** Paper docs (`.paper`) are non-downloadable by default: export_as html, options html + markdown. */
export function exportInfoFor(path: string, o: SeedFileOptions = {}): ExportInfo | undefined {
	if (o.exportable === false) return undefined;
	if (o.exportAs) return { exportAs: o.exportAs, exportOptions: o.exportOptions ?? [o.exportAs] };
	if (/\.paper$/i.test(path)) return { exportAs: 'html', exportOptions: o.exportOptions ?? ['html', 'markdown'] };
	return undefined;
}

/** A `.paper` doc (not forced downloadable) starts at paper_revision 1. */
export function paperStateFor(path: string, o: SeedFileOptions = {}): PaperState | undefined {
	if (o.exportable === false || !/\.paper$/i.test(path)) return undefined;
	return o.paperArchived ? { revision: 1, archived: true } : { revision: 1 };
}

/** Writes a file into a namespace from a buffer or a generated stream (admin seeding). */
export async function seedFile(st: State, ns: Namespace, path: string, src: Buffer | { size: number; seed?: number; sparse?: boolean }, opts: SeedFileOptions | string = {}) {
	const o: SeedFileOptions = typeof opts === 'string' ? { clientModified: opts } : opts;
	const clientModified = o.clientModified;
	const hasher = new ContentHasher();
	let blob: string;
	let size: number;
	let sparseHash: string | undefined;
	if (!Buffer.isBuffer(src) && src.sparse) {
		// zero bytes in a sparse file: any size (e.g. 25 GiB for download_zip too_large) at no disk or time cost
		blob = st.store.newPath();
		writeFileSync(blob, Buffer.alloc(0));
		truncateSync(blob, src.size);
		size = src.size;
		sparseHash = zeroContentHash(size);
	} else if (Buffer.isBuffer(src)) {
		hasher.update(src);
		blob = st.store.writeBuffer(src);
		size = src.length;
	} else {
		const got = await st.store.receive(generatedStream(src.size, src.seed), { limit: Number.MAX_SAFE_INTEGER, hasher });
		blob = got.blob;
		size = got.size;
	}
	if (!path.startsWith('/') || path.endsWith('/')) throw new AdminError(400, `bad path ${path}`);
	const lower = path.toLowerCase();
	const parentLower = lower.slice(0, lower.lastIndexOf('/'));
	const parent = ns.ensureFolders(parentLower, path.slice(0, path.lastIndexOf('/')));
	if (parent.tag === 'file') throw new AdminError(409, `a file blocks ${path}`);
	const name = path.slice(path.lastIndexOf('/') + 1);
	const existing = parent.children!.get(name.toLowerCase());
	if (existing && existing.tag === 'folder') throw new AdminError(409, `a folder exists at ${path}`);
	return ns.writeFile(parent, existing?.name ?? name, { blob, size, contentHash: sparseHash ?? hasher.digest(), clientModified, exportInfo: exportInfoFor(path, o), paper: paperStateFor(path, o) }, existing);
}

export function seedFolder(ns: Namespace, path: string) {
	const p = ns.ensureFolders(path.toLowerCase(), path);
	if (p.tag === 'file') throw new AdminError(409, `a file exists at ${path}`);
	return p;
}
