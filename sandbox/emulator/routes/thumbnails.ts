/**
 * files/get_thumbnail_v2 (download; ThumbnailV2Arg, a path or a shared link) and
 * files/get_thumbnail_batch (RPC on the content host; at most 25 ThumbnailArg entries, base64
 * thumbnails in the JSON answer), as files.stone describes them: thumbnails of jpg, jpeg, png,
 * tiff, tif, gif, webp, ppm and bmp files of at most 20 MB, in the asked format (jpeg, png, webp),
 * size and mode. Videos are not in the spec's list, so they get unsupported_extension, like
 * every other extension. The thumbnail has the size Dropbox would give it (the source's size read
 * from its header), in one flat colour (sandbox/emulator/images.ts); a file whose bytes are no
 * image is unsupported_image, an image whose header is cut or says 0 × 0 a conversion_error.
 */
import { Readable } from 'node:stream';
import { routeError, type Json } from '../errors';
import { encodeJpeg, encodePng, encodeWebp, imageSize, type ImageSize, type Rgb } from '../images';
import { lookupNode, under, type Wrap } from '../paths';
import { fileMeta, nodeMeta, untagged, type FileRev } from '../tree';
import { tagOf } from './arguments';
import { linkedFile } from './sharing';
import type { Ctx, DownloadResult } from './types';

/** The extensions the spec's routes name ("jpg, jpeg, png, tiff, tif, gif, webp, ppm and bmp"). */
export const THUMBNAIL_EXTENSIONS = ['jpg', 'jpeg', 'png', 'tiff', 'tif', 'gif', 'webp', 'ppm', 'bmp'];
/** "Photos that are larger than 20MB in size won't be converted to a thumbnail": unsupported_image. */
export const THUMBNAIL_MAX_BYTES = 20 * 1024 * 1024;
/** The most entries one get_thumbnail_batch takes ("up to 25 thumbnails in a single batch"); more is too_many_files. */
export const THUMBNAIL_BATCH_MAX = 25;
/** Mode `original` keeps the source's size; above this many pixels the emulator answers conversion_error (its own bound). */
const ORIGINAL_MAX_PIXELS = 4096 * 4096;
/** The first bytes read for the header (a JPEG's EXIF block can put its size marker far in). */
const HEAD_BYTES = 256 * 1024;

const SIZES: Record<string, ImageSize> = {
	w32h32: { width: 32, height: 32 },
	w64h64: { width: 64, height: 64 },
	w128h128: { width: 128, height: 128 },
	w256h256: { width: 256, height: 256 },
	w480h320: { width: 480, height: 320 },
	w640h480: { width: 640, height: 480 },
	w960h640: { width: 960, height: 640 },
	w1024h768: { width: 1024, height: 768 },
	w2048h1536: { width: 2048, height: 1536 },
	w3200h2400: { width: 3200, height: 2400 },
};

const ENCODERS: Record<string, (size: ImageSize, colour: Rgb) => Buffer> = { jpeg: encodeJpeg, png: encodePng, webp: encodeWebp };

/** A ThumbnailError / ThumbnailV2Error value, thrown on the way and answered as 409 or as a batch entry's failure. */
class ThumbnailFailure {
	constructor(readonly error: Json) {}
}
const fail = (tag: string): never => {
	throw new ThumbnailFailure({ '.tag': tag });
};

/** The thumbnail's size: the source scaled down (never up) to fit, or to cover, the asked box or its transpose. */
export function thumbnailSize(source: ImageSize, size: string, mode: string): ImageSize {
	if (mode === 'original') return source;
	let box = SIZES[size];
	// bestfit and fitone_bestfit turn the box to the image's orientation
	if (mode !== 'strict' && source.height > source.width !== box.height > box.width) box = { width: box.height, height: box.width };
	const ratios = [box.width / source.width, box.height / source.height];
	const scale = Math.min(1, mode === 'fitone_bestfit' ? Math.max(...ratios) : Math.min(...ratios));
	return { width: Math.max(1, Math.round(source.width * scale)), height: Math.max(1, Math.round(source.height * scale)) };
}

/** The thumbnail of one stored revision, as its arguments ask (format, size, mode). */
async function thumbnailOf(ctx: Ctx, rev: FileRev, arg: Record<string, unknown>): Promise<Buffer> {
	const dot = rev.name.lastIndexOf('.');
	const extension = dot > 0 ? rev.name.slice(dot + 1).toLowerCase() : '';
	if (!THUMBNAIL_EXTENSIONS.includes(extension)) fail('unsupported_extension');
	if (rev.size > THUMBNAIL_MAX_BYTES) fail('unsupported_image');
	const read = imageSize(await ctx.st.store.head(rev.blob, HEAD_BYTES));
	if (read === 'not_image') fail('unsupported_image');
	if (read === 'broken') fail('conversion_error');
	const size = thumbnailSize(read as ImageSize, tagOf(arg.size) ?? 'w64h64', tagOf(arg.mode) ?? 'strict');
	if (size.width * size.height > ORIGINAL_MAX_PIXELS) fail('conversion_error');
	const colour = [0, 2, 4].map((at) => parseInt(rev.contentHash.slice(at, at + 2), 16)) as Rgb;
	return ENCODERS[tagOf(arg.format) ?? 'jpeg'](size, colour);
}

/** The revision a ReadPath names (a path, `id:`, `ns:` or `rev:`); LookupError under `path`. */
function revisionAt(ctx: Ctx, path: string, wrap: Wrap): { rev: FileRev; meta: Record<string, Json> } {
	if (path.startsWith('rev:')) {
		const rev = ctx.ns!.revs.get(path.slice(4));
		if (!rev) throw new ThumbnailFailure(wrap({ '.tag': 'not_found' }));
		return { rev, meta: untagged(fileMeta(rev)) };
	}
	let node;
	try {
		node = lookupNode(ctx, path, wrap);
	} catch (e) {
		const error = (e as { body?: { error?: Json } }).body?.error;
		if (error) throw new ThumbnailFailure(error);
		throw e;
	}
	if (node.tag !== 'file') throw new ThumbnailFailure(wrap({ '.tag': 'not_file' }));
	return { rev: node.file!, meta: untagged(nodeMeta(node)) };
}

/** A shared link's file (SharedLinkFileInfo): ThumbnailV2Error's not_found / access_denied when it cannot be read. */
function linkedRevision(ctx: Ctx, link: Record<string, unknown>): { rev: FileRev; linkMeta: Record<string, Json> } {
	let found;
	try {
		found = linkedFile(ctx, link.url, link.path, link.password);
	} catch (e) {
		const tag = tagOf((e as { body?: { error?: Json } }).body?.error);
		if (tag === 'shared_link_access_denied') fail('access_denied');
		if (tag === 'shared_link_is_directory') throw new ThumbnailFailure(under('path')({ '.tag': 'not_file' }));
		if (tag === 'shared_link_not_found') fail('not_found');
		throw e;
	}
	const rev = found.node.file!;
	const linkMeta: Record<string, Json> = { url: found.link.url, id: found.node.id, rev: rev.rev };
	if (found.link.accountId === ctx.account!.accountId) linkMeta.path = found.node.pathDisplay;
	return { rev, linkMeta };
}

function answered<T>(run: () => Promise<T>): Promise<T> {
	return run().catch((e: unknown) => {
		if (e instanceof ThumbnailFailure) throw routeError(e.error);
		throw e;
	});
}

export function getThumbnailV2(ctx: Ctx): Promise<DownloadResult> {
	return answered(async () => {
		const resource = ctx.arg.resource as Record<string, unknown>;
		if (resource['.tag'] === 'link') {
			const { rev, linkMeta } = linkedRevision(ctx, resource);
			return { meta: { link_metadata: linkMeta }, stream: Readable.from([await thumbnailOf(ctx, rev, ctx.arg)]), etag: rev.rev };
		}
		const { rev, meta } = revisionAt(ctx, resource.path as string, under('path'));
		return { meta: { file_metadata: meta }, stream: Readable.from([await thumbnailOf(ctx, rev, ctx.arg)]), etag: rev.rev };
	});
}

export async function getThumbnailBatch(ctx: Ctx): Promise<Json> {
	const entries = ctx.arg.entries as Array<Record<string, unknown>>;
	if (entries.length > THUMBNAIL_BATCH_MAX) throw routeError({ '.tag': 'too_many_files' });
	const out: Json[] = [];
	for (const entry of entries) {
		try {
			const { rev, meta } = revisionAt(ctx, entry.path as string, under('path'));
			const thumbnail = (await thumbnailOf(ctx, rev, entry)).toString('base64');
			out.push({ '.tag': 'success', metadata: meta, thumbnail });
		} catch (e) {
			if (!(e instanceof ThumbnailFailure)) throw e;
			out.push({ '.tag': 'failure', failure: e.error });
		}
	}
	return { entries: out };
}
