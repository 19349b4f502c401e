/** files/download, files/export, files/download_zip, files/get_temporary_link and the temporary links' bytes. */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Json, routeError } from '../errors';
import { ContentHasher } from '../hash';
import { sendText } from '../http';
import { checkPathArg, lookupNode, under } from '../paths';
import { sendDownload } from '../sendDownload';
import { fileMeta, Node, nodeMeta, untagged } from '../tree';
import { zipFolder } from '../zip';
import { reqStr } from './arguments';
import type { Ctx, DownloadResult, EndpointHandler } from './types';

/** files/download_zip refuses folders over 20 GB, files over 4 GB (binary GB, like Dropbox quotas) and over 10,000 entries */
export const ZIP_MAX_BYTES = 20 * 1024 ** 3;
export const ZIP_MAX_FILE_BYTES = 4 * 1024 ** 3;
/** files/download_zip refuses a folder of this many entries or more (the folder itself counted) */
export const ZIP_MAX_ENTRIES = 10_000;

function fileForRead(ctx: Ctx, pathArg: unknown): { meta: Record<string, Json>; blob: string; size: number; etag: string } {
	const p = checkPathArg(ctx, pathArg, 'path', 'read');
	const wrap = under('path');
	if (p.startsWith('rev:')) {
		const r = ctx.ns!.revs.get(p.slice(4));
		if (!r) throw routeError(wrap({ '.tag': 'not_found' }));
		return { meta: untagged(fileMeta(r)), blob: r.blob, size: r.size, etag: r.rev };
	}
	const n = lookupNode(ctx, p, wrap);
	if (n.tag !== 'file') throw routeError(wrap({ '.tag': 'not_file' }));
	// non-downloadable (Paper docs, …): DownloadError / GetTemporaryLinkError unsupported_file → use files/export
	if (n.file!.exportInfo) throw routeError({ '.tag': 'unsupported_file' });
	return { meta: untagged(nodeMeta(n)), blob: n.file!.blob, size: n.file!.size, etag: n.file!.rev };
}

const EXPORT_EXT: Record<string, string> = { html: '.html', markdown: '.md', plain_text: '.txt', txt: '.txt', pdf: '.pdf', docx: '.docx', xlsx: '.xlsx', pptx: '.pptx' };

export async function exportFile(ctx: Ctx): Promise<DownloadResult> {
	const a = ctx.arg;
	const p = checkPathArg(ctx, a.path, 'path', 'read');
	const wrap = under('path');
	let rev;
	let n: Node | undefined;
	if (p.startsWith('rev:')) {
		rev = ctx.ns!.revs.get(p.slice(4));
		if (!rev) throw routeError(wrap({ '.tag': 'not_found' }));
	} else {
		n = lookupNode(ctx, p, wrap);
		if (n.tag !== 'file') throw routeError(wrap({ '.tag': 'not_file' }));
		rev = n.file!;
	}
	const info = rev.exportInfo;
	if (!info) throw routeError({ '.tag': 'non_exportable' });
	let format = info.exportAs;
	if (a.export_format !== undefined && a.export_format !== null) {
		format = reqStr(ctx, a.export_format, 'export_format');
		if (format !== info.exportAs && !info.exportOptions.includes(format)) throw routeError({ '.tag': 'invalid_export_format' });
	}
	// the stored bytes are the document's source (markdown for Paper docs); html wraps them
	let bytes = await ctx.st.store.readAll(rev.blob);
	if (format === 'html' && /\.paper$/i.test(rev.name)) {
		const esc = bytes.toString('utf8').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
		bytes = Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${rev.name.replace(/\.paper$/i, '').replace(/[<&>]/g, '')}</title></head><body><pre>${esc}</pre></body></html>`);
	}
	const h = new ContentHasher();
	h.update(bytes);
	const dot = rev.name.lastIndexOf('.');
	const stem = dot > 0 ? rev.name.slice(0, dot) : rev.name;
	const exportMeta: Record<string, Json> = { name: stem + (EXPORT_EXT[format] ?? '.' + format), size: bytes.length, export_hash: h.digest() };
	if (/\.paper$/i.test(rev.name)) exportMeta.paper_revision = rev.paper?.revision ?? 1;
	const fileMetadata = n ? untagged(nodeMeta(n)) : untagged(fileMeta(rev));
	return { meta: { export_metadata: exportMeta, file_metadata: fileMetadata }, stream: Readable.from([bytes]), etag: rev.rev };
}

export function download(ctx: Ctx): DownloadResult {
	const f = fileForRead(ctx, ctx.arg.path);
	return { meta: f.meta, blob: { path: f.blob, size: f.size }, etag: f.etag };
}

export function downloadZip(ctx: Ctx): DownloadResult {
	const p = checkPathArg(ctx, ctx.arg.path, 'path', 'read');
	const n = lookupNode(ctx, p, under('path'), { allowRoot: false });
	if (n.tag !== 'folder') throw routeError({ '.tag': 'path', path: { '.tag': 'not_folder' } });
	const count = ctx.ns!.countSubtree(n);
	// DownloadZipError.too_many_files: 10,000 entries or more, the folder itself counted
	if (count >= ZIP_MAX_ENTRIES) throw routeError({ '.tag': 'too_many_files' });
	// 20 GB cap on the folder's total size, computed from metadata (Dropbox: "The folder or a file is too large")
	const sz = ctx.ns!.subtreeBytes(n);
	if (sz.total > ZIP_MAX_BYTES || sz.largest > ZIP_MAX_FILE_BYTES) throw routeError({ '.tag': 'too_large' });
	return { meta: { metadata: untagged(nodeMeta(n)) }, stream: zipFolder(ctx.st.store, n), contentType: 'application/zip' };
}

export function getTemporaryLink(ctx: Ctx): Json {
	const f = fileForRead(ctx, ctx.arg.path);
	const token = randomBytes(18).toString('base64url');
	ctx.st.tempLinks.set(token, { blob: f.blob, size: f.size, name: String(f.meta.name), expires: Date.now() + 4 * 3600 * 1000 });
	return { metadata: f.meta, link: `${ctx.st.baseUrl}/__content/temp/${token}/${encodeURIComponent(String(f.meta.name))}` };
}

/** GET /__content/temp/<token>/<name>: the bytes behind a temporary link (no auth). */
export const serveTempLink: EndpointHandler = (st, req, res, url) => {
	const m = /^\/__content\/temp\/([A-Za-z0-9_-]+)/.exec(url.pathname);
	const t = m ? st.tempLinks.get(m[1]) : undefined;
	if (!t || t.expires < Date.now()) return sendText(res, 410, 'This link has expired or does not exist.');
	const ctx = { st, route: 'temp', arg: null, req, res } as Ctx;
	sendDownload(ctx, { meta: { name: t.name, size: t.size }, blob: { path: t.blob, size: t.size } });
};
