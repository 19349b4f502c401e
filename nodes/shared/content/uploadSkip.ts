import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { ContentHasher, contentHash } from '../contentHash';
import { listFolderPages, MAX_LIST_PAGE } from '../listFolder';
import type { Outcome } from '../outcome';
import { forEachLimited } from '../pool';
import { dropboxErrorInfo, dropboxRpc } from '../transport';
import { itemSource, storeReadFailure, type UploadPlan } from './uploadItem';

/**
 * Upload's "If Unchanged: Skip": before any byte is sent, the entry at each such item's path is
 * looked up and, when it is a file, the item's bytes are hashed (streamed, constant memory) and
 * compared with its content_hash. An item whose bytes Dropbox already holds there is not sent:
 * it gets the existing file's metadata with `unchanged: true`. A missing file is uploaded as
 * usual; a folder at the path is the item's error.
 *
 * Lookups take the fewest calls: the items going to one folder (from LIST_FROM of them) are
 * found with one files/list_folder of that folder (more pages only while that stays cheaper
 * than asking item by item); the others with files/get_metadata each, Parallel Uploads at once.
 */

/** From how many items to one folder that folder is listed instead of asking for each item. */
export const LIST_FROM = 3;

/** An item to upload and its checked fields. */
export type PlannedItem = [itemIndex: number, plan: UploadPlan];

/** What is at an item's path: Dropbox's metadata of a file or folder, or undefined for nothing. */
type Found = IDataObject | undefined;

const isNotFound = (error: unknown) => dropboxErrorInfo(error)?.dropboxTag.startsWith('path/not_found') === true;

/** The folder part and the name of a path, or undefined when the path has no folder part (a bare `id:`). */
function splitPath(path: string): { folder: string; name: string } | undefined {
	const slash = path.lastIndexOf('/');
	if (slash === -1) return undefined;
	return { folder: path.slice(0, slash), name: path.slice(slash + 1).toLowerCase() };
}

/** Paths are case-insensitive; IDs and namespace references are not. */
const folderKey = (folder: string) => (folder.startsWith('/') ? folder.toLowerCase() : folder);

/**
 * Finds the items of one folder in its listing. Pages are read while Dropbox has more, at most
 * half as many as the items, so listing never costs more calls than asking item by item would;
 * an item not found once the listing is complete has nothing at its path. Returns what it found
 * (or knows to be missing); the rest is asked for item by item.
 */
async function findInFolder(ctx: IExecuteFunctions, folder: string, items: PlannedItem[]): Promise<Map<number, Found>> {
	const found = new Map<number, Found>();
	const wanted = new Map<string, number[]>();
	for (const [itemIndex, plan] of items) {
		const name = splitPath(plan.path)!.name;
		wanted.set(name, [...(wanted.get(name) ?? []), itemIndex]);
	}
	const missingAll = () => {
		for (const indexes of wanted.values()) for (const itemIndex of indexes) found.set(itemIndex, undefined);
	};
	let pagesLeft = Math.max(1, Math.floor(items.length / 2));
	try {
		const pages = listFolderPages(ctx, { args: { path: folder, limit: MAX_LIST_PAGE } }, { path: folder || '/', itemIndex: items[0][0] });
		for await (const page of pages) {
			for (const entry of page.entries) {
				const indexes = wanted.get(entry.name.toLowerCase());
				if (!indexes || entry['.tag'] === 'deleted') continue;
				for (const itemIndex of indexes) found.set(itemIndex, entry);
				wanted.delete(entry.name.toLowerCase());
			}
			if (!page.hasMore) missingAll();
			if (!page.hasMore || wanted.size === 0 || --pagesLeft === 0) break;
		}
	} catch (error) {
		// no such folder: nothing at any of its paths; any other failure: each item meets it by itself
		if (isNotFound(error)) missingAll();
	}
	return found;
}

/** The entry at one item's path: files/get_metadata. */
async function lookUp(ctx: IExecuteFunctions, [itemIndex, plan]: PlannedItem): Promise<Found> {
	const looked = await dropboxRpc(ctx, 'files/get_metadata', { path: plan.path }, { path: plan.path, itemIndex }).then(
		(metadata: IDataObject) => ({ metadata }),
		(error: unknown) => ({ error }),
	);
	if ('metadata' in looked) return looked.metadata;
	if (isNotFound(looked.error)) return undefined;
	// the transport's NodeApiError (tag, path, hint): the item's error as it is
	throw looked.error;
}

/**
 * Whether the item's bytes are exactly those of `file`: read once through the content hasher,
 * stopping as soon as there are more bytes than the file has. An empty binary is never
 * unchanged: its upload reports the empty file.
 */
async function holdsSameBytes(ctx: IExecuteFunctions, [itemIndex, plan]: PlannedItem, file: IDataObject): Promise<boolean> {
	const size = file.size;
	if (typeof size !== 'number' || typeof file.content_hash !== 'string') return false;
	const text = ctx.getNodeParameter('content', itemIndex, 'binary') === 'text';
	const source = await itemSource(ctx, itemIndex, plan.path);
	if (Buffer.isBuffer(source)) return (text || source.length > 0) && source.length === size && contentHash(source) === file.content_hash;
	const hasher = new ContentHasher();
	let read = 0;
	try {
		// leaving the loop early ends the stream (n8n's store hands out a file descriptor or a socket)
		for await (const piece of source) {
			const bytes = piece instanceof Uint8Array ? piece : Buffer.from(String(piece));
			read += bytes.length;
			if (read > size) return false;
			hasher.update(bytes);
		}
	} catch (error) {
		// only the store's stream throws here
		throw storeReadFailure(ctx, itemIndex, plan.path)(error, read);
	}
	return read > 0 && read === size && hasher.digest() === file.content_hash;
}

function folderError(ctx: IExecuteFunctions, itemIndex: number, plan: UploadPlan, folder: IDataObject): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `A folder is at "${String(folder.path_display ?? plan.path)}", where item ${itemIndex}'s file would go`, {
		itemIndex,
		description: 'Upload never replaces a folder. Give another File Name or File Path, or move or delete the folder first.',
	});
}

/** The existing file's metadata as Upload returns a file (without the `.tag` of get_metadata), marked unchanged. */
function unchangedFile(file: IDataObject): IDataObject {
	const { '.tag': _tag, ...metadata } = file;
	return { ...metadata, unchanged: true };
}

/**
 * Settles (through `settle`) every item of `planned` with If Unchanged "Skip" whose bytes Dropbox
 * already holds at its path, or whose lookup failed, and returns the items still to upload, in
 * input order. Nothing is looked up once `stop()` is true (a failure without Continue On Fail).
 */
export async function settleUnchanged(
	ctx: IExecuteFunctions,
	planned: PlannedItem[],
	parallel: number,
	settle: (itemIndex: number, outcome: Outcome) => void,
	stop: () => boolean,
): Promise<PlannedItem[]> {
	const skipping = planned.filter(([, plan]) => plan.skipUnchanged);
	if (skipping.length === 0) return planned;
	const byFolder = new Map<string, { folder: string; items: PlannedItem[] }>();
	for (const item of skipping) {
		const parts = splitPath(item[1].path);
		if (!parts) continue;
		const group = byFolder.get(folderKey(parts.folder)) ?? { folder: parts.folder, items: [] };
		group.items.push(item);
		byFolder.set(folderKey(parts.folder), group);
	}
	const found = new Map<number, Found>();
	for (const { folder, items } of byFolder.values()) {
		if (items.length < LIST_FROM || stop()) continue;
		for (const [itemIndex, entry] of await findInFolder(ctx, folder, items)) found.set(itemIndex, entry);
	}
	const settled = new Set<number>();
	await forEachLimited(
		skipping,
		parallel,
		async (item) => {
			const [itemIndex, plan] = item;
			try {
				const entry = found.has(itemIndex) ? found.get(itemIndex) : await lookUp(ctx, item);
				if (entry?.['.tag'] === 'folder') throw folderError(ctx, itemIndex, plan, entry);
				if (entry && (await holdsSameBytes(ctx, item, entry))) {
					settle(itemIndex, { output: unchangedFile(entry) });
					settled.add(itemIndex);
				}
			} catch (error) {
				settle(itemIndex, { error: error as Error });
				settled.add(itemIndex);
			}
		},
		stop,
	);
	return planned.filter(([itemIndex]) => !settled.has(itemIndex));
}
