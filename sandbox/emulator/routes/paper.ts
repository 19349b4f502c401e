/**
 * files/paper/create and files/paper/update (files.stone; upload style on the api host): a Paper
 * doc is a non-downloadable `.paper` file exported through files/export. Its stored bytes are
 * the doc's Markdown source, which files/export returns as Markdown and wraps for HTML:
 * markdown and plain_text content is kept as sent, html content is turned into text (tags out,
 * headings as "#", paragraphs and line breaks as new lines, entities decoded). Errors:
 * PaperCreateError (invalid_file_extension unless the path ends in .paper, invalid_path when it
 * cannot be written there, content_malformed for bytes that are not UTF-8) and PaperUpdateError
 * (path LookupError — a folder not_file, a file that is no Paper doc unsupported_content_type —,
 * revision_mismatch, doc_archived for a doc seeded archived, doc_deleted for the ID of a deleted
 * doc, doc_length_exceeded over 16 MiB of content, the emulator's own bound). A name taken at
 * create gets a new one ("Doc (1).paper", the answer's result_path). Not emulated:
 * email_unverified, paper_disabled, insufficient_permissions, image_size_exceeded.
 */
import { routeError, type Json } from '../errors';
import { ContentHasher } from '../hash';
import { HttpError, readBody } from '../http';
import { lookupNode, under } from '../paths';
import { tagOf } from './arguments';
import { exportInfoFor } from '../seeding';
import { type Node } from '../tree';
import type { Ctx } from './types';
import { prepareWrite, WriteFail } from './writeTarget';

/** The most bytes one Paper import takes here (the emulator's bound; the spec names doc_length_exceeded without a number). */
const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** HTML → the Markdown source kept for the doc: enough for headings, paragraphs and text. */
function htmlToMarkdown(html: string): string {
	return html
		.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
		.replace(/<h([1-6])[^>]*>/gi, (_, level: string) => '\n' + '#'.repeat(Number(level)) + ' ')
		.replace(/<li[^>]*>/gi, '\n- ')
		.replace(/<br\s*\/?>|<\/(p|div|h[1-6]|li|ul|ol|tr)>/gi, '\n')
		.replace(/<[^>]*>/g, '')
		.replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (whole, name: string) =>
			name[0] === '#' ? String.fromCodePoint(parseInt(name.slice(name[1] === 'x' || name[1] === 'X' ? 2 : 1), name[1] === 'x' || name[1] === 'X' ? 16 : 10)) : (ENTITIES[name.toLowerCase()] ?? whole),
		)
		.replace(/\n{3,}/g, '\n\n')
		.trim() + '\n';
}

/** The request body, read before anything is answered; over the emulator's bound, doc_length_exceeded. */
async function importBody(ctx: Ctx): Promise<Buffer> {
	try {
		return await readBody(ctx.req, MAX_IMPORT_BYTES);
	} catch (e) {
		if (e instanceof HttpError) throw routeError({ '.tag': 'doc_length_exceeded' });
		throw e;
	}
}

/** The imported content as the doc's Markdown source; content_malformed when it is not UTF-8 text. */
function importedText(ctx: Ctx, body: Buffer): string {
	const text = body.toString('utf8');
	if (!Buffer.from(text, 'utf8').equals(body)) throw routeError({ '.tag': 'content_malformed' });
	const format = tagOf(ctx.arg.import_format);
	return format === 'html' ? htmlToMarkdown(text) : text;
}

function stored(ctx: Ctx, text: string): { blob: string; size: number; contentHash: string } {
	const bytes = Buffer.from(text, 'utf8');
	const hasher = new ContentHasher();
	hasher.update(bytes);
	return { blob: ctx.st.store.writeBuffer(bytes), size: bytes.length, contentHash: hasher.digest() };
}

export async function paperCreate(ctx: Ctx): Promise<Json> {
	const body = await importBody(ctx);
	const path = ctx.arg.path as string;
	if (!/\.paper$/i.test(path)) throw routeError({ '.tag': 'invalid_file_extension' });
	const text = importedText(ctx, body);
	let target;
	try {
		target = prepareWrite(ctx, path, { autorename: true, isFolder: false });
	} catch (e) {
		if (e instanceof WriteFail) throw routeError({ '.tag': 'invalid_path' });
		throw e;
	}
	const node = ctx.ns!.writeFile(target.parent, target.name, { ...stored(ctx, text), exportInfo: exportInfoFor(path), paper: { revision: 1 } });
	ctx.ns!.notify();
	return {
		url: `https://www.dropbox.com/scl/fi/${node.id.slice(3)}/${encodeURIComponent(node.name)}?dl=0`,
		result_path: node.pathDisplay,
		file_id: node.id,
		paper_revision: 1,
	};
}

/** The Paper doc paper/update names: doc_deleted for the ID of a deleted doc, else a LookupError under `path`. */
function paperDoc(ctx: Ctx, path: string): Node {
	const id = /^id:[^/]+$/.test(path) ? path : undefined;
	if (id && !ctx.ns!.byId.has(id) && ctx.ns!.historyById.get(id)?.some((rev) => rev.paper)) throw routeError({ '.tag': 'doc_deleted' });
	const node = lookupNode(ctx, path, under('path'));
	if (node.tag !== 'file') throw routeError(under('path')({ '.tag': 'not_file' }));
	if (!node.file!.paper) throw routeError(under('path')({ '.tag': 'unsupported_content_type' }));
	return node;
}

export async function paperUpdate(ctx: Ctx): Promise<Json> {
	const body = await importBody(ctx);
	const node = paperDoc(ctx, ctx.arg.path as string);
	const doc = node.file!;
	const state = doc.paper!;
	if (state.archived) throw routeError({ '.tag': 'doc_archived' });
	const policy = tagOf(ctx.arg.doc_update_policy);
	if (policy === 'update' && ctx.arg.paper_revision !== state.revision) throw routeError({ '.tag': 'revision_mismatch' });
	const text = importedText(ctx, body);
	const before = (await ctx.st.store.readAll(doc.blob)).toString('utf8');
	const joined = (first: string, second: string) => (first === '' || first.endsWith('\n') ? first + second : `${first}\n${second}`);
	const after = policy === 'append' ? joined(before, text) : policy === 'prepend' ? joined(text, before) : text;
	const revision = state.revision + 1;
	ctx.ns!.writeFile(node.parent!, node.name, { ...stored(ctx, after), exportInfo: doc.exportInfo, paper: { revision } }, node);
	ctx.ns!.notify();
	return { paper_revision: revision };
}
