import type { INodeExecutionData } from 'n8n-workflow';

import { dropboxRpc } from '../transport';
import { listFolderPages, MAX_LIST_PAGE } from '../listFolder';
import { attempt } from './attempt';
import type { DropboxEntry } from '../dropboxEntry';
import type { Page } from '../paging';
import type { TriggerFunctions, WatchSettings } from './types';

export type ChangeRead =
	/**
	 * `items`: what the pages read became; `read`: the entries kept from them; `more`: Dropbox has
	 * changes after `cursor` this read left for the next one.
	 */
	| { reset: false; items: INodeExecutionData[]; read: number; cursor: string; more: boolean }
	| { reset: true };

/** What a page's kept entries become, in order: classified, filtered, with content (events.ts). */
export type PageBuilder = (entries: DropboxEntry[]) => Promise<INodeExecutionData[]>;

/**
 * Entries per page where each entry may cost a call to classify it (events.ts): a change cursor,
 * a listing of the files since a date. A run stops on a page boundary once its deadline passed,
 * so small pages keep it close to the deadline, and let a long-poll emit the first items of a
 * burst soon after Dropbox has them. A page costs one call: 1% more calls than the entries' own.
 */
export const CLASSIFIED_PAGE = 100;

function listArguments(settings: WatchSettings, includeDeleted: boolean) {
	return {
		path: settings.folder,
		recursive: settings.recursive,
		include_deleted: includeDeleted,
		include_mounted_folders: true,
		include_non_downloadable_files: true,
	};
}

/**
 * A cursor that points at "now": changes after it are what the trigger reports. One call.
 * Its pages hold about Max Changes per Run entries, at most CLASSIFIED_PAGE (Dropbox keeps the page
 * size in the cursor), so a run can stop at that count, or at its deadline, on a page boundary.
 */
export async function latestCursor(ctx: TriggerFunctions, settings: WatchSettings): Promise<string> {
	const args = { ...listArguments(settings, true), limit: Math.min(settings.maxChanges, CLASSIFIED_PAGE) };
	const answer = await dropboxRpc<{ cursor: string }>(ctx, 'files/list_folder/get_latest_cursor', args, {
		path: settings.folder || '/',
	});
	return answer.cursor;
}

interface ReadBounds {
	/** Epoch ms. */
	deadline: number;
	maxEntries: number;
}

/**
 * Pages read and built within bounds, each page's kept entries built into items before the next
 * page is asked for: stops once Dropbox has no more, once `maxEntries` entries were kept, or once
 * `deadline` has passed after a page was built (so classifying a burst of changes, a call per
 * entry, is bounded too), with the cursor after the last page read kept; the next read continues
 * from there, so nothing is lost or read twice. A page that would take the read past
 * `maxEntries` is left whole for the next read (a cursor marks only page boundaries), unless
 * nothing was kept yet: a read always moves on. `start`: the position before the first page.
 * A `reset` answer (the cursor expired) is returned, not thrown.
 */
async function readPages(
	pages: AsyncGenerator<Page<DropboxEntry>, void, undefined>,
	start: string,
	bounds: ReadBounds,
	keep: (entry: DropboxEntry) => boolean,
	build: PageBuilder,
): Promise<ChangeRead> {
	const items: INodeExecutionData[] = [];
	let read = 0;
	let position = start;
	const result = (more: boolean): ChangeRead => ({ reset: false, items, read, cursor: position, more });
	for (;;) {
		const answer = await attempt(pages.next());
		if (!answer.ok) {
			if (answer.tag === 'reset') return { reset: true };
			throw answer.error;
		}
		if (answer.value.done) return result(false);
		const page = answer.value.value;
		const kept = page.entries.filter(keep);
		if (read > 0 && read + kept.length > bounds.maxEntries) return result(true);
		items.push(...(await build(kept)));
		read += kept.length;
		position = page.cursor ?? position;
		if (!page.hasMore) return result(false);
		if (read >= bounds.maxEntries || Date.now() >= bounds.deadline) return result(true);
	}
}

/**
 * The changes after `cursor`, page by page, built by `build`, bounded as readPages says. A folder
 * with nothing new costs one call whatever its size.
 */
export async function readChanges(ctx: TriggerFunctions, cursor: string, bounds: ReadBounds, build: PageBuilder): Promise<ChangeRead> {
	return await readPages(listFolderPages(ctx, { cursor }), cursor, bounds, () => true, build);
}

/**
 * The folder's entries as they are now (no deleted ones) that `keep` accepts, built by `build`,
 * bounded like the changes: from the start (`cursor` undefined), or from where an earlier read
 * stopped. The listing's pages hold about Max Changes per Run entries, at most `pageSize`, so a
 * run can stop at that count.
 */
export async function readListing(
	ctx: TriggerFunctions,
	settings: WatchSettings,
	cursor: string | undefined,
	bounds: ReadBounds,
	keep: (entry: DropboxEntry) => boolean,
	build: PageBuilder,
	pageSize: number,
): Promise<ChangeRead> {
	const call = { path: settings.folder || '/' };
	const args = { ...listArguments(settings, false), limit: Math.min(settings.maxChanges, pageSize) };
	const pages = cursor === undefined ? listFolderPages(ctx, { args }, call) : listFolderPages(ctx, { cursor }, call);
	return await readPages(pages, cursor ?? '', bounds, keep, build);
}

/** The first page of the folder's listing: for samples, never paged further. */
export async function firstListingPage(ctx: TriggerFunctions, settings: WatchSettings): Promise<DropboxEntry[]> {
	const args = { ...listArguments(settings, false), limit: MAX_LIST_PAGE };
	const first = await listFolderPages(ctx, { args }, { path: settings.folder || '/' }).next();
	return first.done ? [] : first.value.entries;
}

/**
 * The files of the watched folder that Dropbox last modified surely after `since` and surely
 * before `until` (epoch ms), from a full listing: how changes are recovered after Dropbox
 * expired the cursor. `server_modified` has whole seconds, so a file changed within the same
 * second as either bound is left out rather than risk reporting it twice. Costs one call per
 * 2,000 entries, only on a reset.
 */
export async function filesModifiedBetween(
	ctx: TriggerFunctions,
	settings: WatchSettings,
	since: number,
	until: number,
): Promise<DropboxEntry[]> {
	const found: DropboxEntry[] = [];
	const args = { ...listArguments(settings, false), limit: MAX_LIST_PAGE };
	for await (const page of listFolderPages(ctx, { args }, { path: settings.folder || '/' })) {
		for (const entry of page.entries) {
			const modified = entry['.tag'] === 'file' ? Date.parse(String(entry.server_modified)) : NaN;
			if (modified >= since && modified + 1000 <= until) found.push(entry);
		}
	}
	return found;
}
