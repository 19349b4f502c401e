/**
 * files/get_preview (download; PreviewArg), as files.stone describes it: "PDF previews are
 * generated for files with the following extensions: .ai, .doc, .docm, .docx, .eps, .gdoc,
 * .gslides, .odp, .odt, .pps, .ppsm, .ppsx, .ppt, .pptm, .pptx, .rtf. HTML previews are generated
 * for .csv, .ods, .xls, .xlsm, .gsheet, .xlsx. Other formats will return an unsupported extension
 * error." The answer is the file's FileMetadata in Dropbox-API-Result and the preview as the body,
 * with Content-Type application/pdf or text/html. The emulator does not render documents: a PDF
 * preview is a valid one-page PDF naming the file; a CSV's HTML preview is its table, other
 * spreadsheets' a page naming the file. unsupported_content: an Office Open XML or OpenDocument
 * file that is not a ZIP archive, or a CSV that is not UTF-8 text.
 */
import { Readable } from 'node:stream';
import { routeError } from '../errors';
import { lookupNode, under } from '../paths';
import { fileMeta, nodeMeta, untagged } from '../tree';
import type { Ctx, DownloadResult } from './types';

export const PDF_PREVIEW_EXTENSIONS = ['ai', 'doc', 'docm', 'docx', 'eps', 'gdoc', 'gslides', 'odp', 'odt', 'pps', 'ppsm', 'ppsx', 'ppt', 'pptm', 'pptx', 'rtf'];
export const HTML_PREVIEW_EXTENSIONS = ['csv', 'ods', 'xls', 'xlsm', 'gsheet', 'xlsx'];
/** Formats stored as a ZIP archive (Office Open XML, OpenDocument): anything else under their names is unsupported_content. */
const ZIP_FORMATS = ['docm', 'docx', 'odp', 'odt', 'ppsm', 'ppsx', 'pptm', 'pptx', 'ods', 'xlsm', 'xlsx'];
/** A CSV's preview shows its first 1 MiB (the emulator's bound). */
const CSV_PREVIEW_BYTES = 1024 * 1024;

/** A one-page PDF 1.4 showing `lines` in Helvetica (Latin-1; other characters as "?"). */
export function pdfWithText(lines: string[]): Buffer {
	const text = lines
		.map((line, i) => `BT /F1 14 Tf 72 ${720 - i * 22} Td (${line.replace(/[^\x20-\x7e\xa0-\xff]/g, '?').replace(/[\\()]/g, '\\$&')}) Tj ET`)
		.join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
		`<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
	];
	let pdf = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(Buffer.byteLength(pdf, 'latin1'));
		pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(pdf, 'latin1');
	pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
	pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(pdf, 'latin1');
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The rows of a CSV (RFC 4180: quoted fields, doubled quotes, line breaks in quotes). */
function csvRows(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') field += text[i++];
			else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			rows.push([...row, field]);
			row = [];
			field = '';
		} else field += c;
	}
	if (field !== '' || row.length > 0) rows.push([...row, field]);
	return rows;
}

function htmlPage(name: string, body: string): Buffer {
	return Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(name)}</title></head><body>${body}</body></html>`, 'utf8');
}

export async function getPreview(ctx: Ctx): Promise<DownloadResult> {
	const path = ctx.arg.path as string;
	const wrap = under('path');
	let node;
	let rev;
	if (path.startsWith('rev:')) {
		rev = ctx.ns!.revs.get(path.slice(4));
		if (!rev) throw routeError(wrap({ '.tag': 'not_found' }));
		node = ctx.ns!.byId.get(rev.id);
	} else {
		node = lookupNode(ctx, path, wrap);
		if (node.tag !== 'file') throw routeError(wrap({ '.tag': 'not_file' }));
		rev = node.file!;
		// the deprecated `rev` field picks an earlier revision of the same file
		if (typeof ctx.arg.rev === 'string') {
			rev = ctx.ns!.revs.get(ctx.arg.rev);
			if (!rev || rev.id !== node.id) throw routeError(wrap({ '.tag': 'not_found' }));
		}
	}
	const dot = rev.name.lastIndexOf('.');
	const extension = dot > 0 ? rev.name.slice(dot + 1).toLowerCase() : '';
	const pdf = PDF_PREVIEW_EXTENSIONS.includes(extension);
	if (!pdf && !HTML_PREVIEW_EXTENSIONS.includes(extension)) throw routeError({ '.tag': 'unsupported_extension' });
	const zip = Buffer.from('PK\x03\x04', 'latin1');
	if (ZIP_FORMATS.includes(extension) && !(await ctx.st.store.head(rev.blob, 4)).equals(zip)) throw routeError({ '.tag': 'unsupported_content' });
	let body: Buffer;
	if (pdf) body = pdfWithText([rev.name, `Preview of ${rev.size} bytes`]);
	else if (extension === 'csv') {
		let text;
		try {
			// a character cut at the 1 MiB bound is not an error (stream: true)
			text = new TextDecoder('utf-8', { fatal: true }).decode(await ctx.st.store.head(rev.blob, CSV_PREVIEW_BYTES), { stream: rev.size > CSV_PREVIEW_BYTES });
		} catch {
			throw routeError({ '.tag': 'unsupported_content' });
		}
		const rows = csvRows(text).map((cells) => `<tr>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`);
		body = htmlPage(rev.name, `<table>${rows.join('')}</table>`);
	} else body = htmlPage(rev.name, `<h1>${escapeHtml(rev.name)}</h1>`);
	const meta = node && node.file === rev ? untagged(nodeMeta(node)) : untagged(fileMeta(rev));
	return { meta, stream: Readable.from([body]), contentType: pdf ? 'application/pdf' : 'text/html; charset=utf-8', etag: rev.rev };
}
