import { dropboxRpc } from '../transport';
import { listFolderPages, MAX_LIST_PAGE } from '../listFolder';
import { attempt } from './attempt';
import type { DropboxEntry } from '../dropboxEntry';
import type { TriggerFunctions, WatchSettings } from './types';

export type ChangeRead =
	/** `more`: Dropbox has changes after `cursor` this read left for the next one. */
	| { reset: false; entries: DropboxEntry[]; cursor: string; more: boolean }
	| { reset: true };



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
 * Its pages hold about Max Changes per Run entries (Dropbox keeps the page size in the cursor),
 * so a run can stop at that count on a page boundary.
 */
export async function latestCursor(ctx: TriggerFunctions, settings: WatchSettings): Promise<string> {
	const args = { ...listArguments(settings, true), limit: Math.min(settings.maxChanges, MAX_LIST_PAGE) };
	const answer = await dropboxRpc<{ cursor: string }>(ctx, 'files/list_folder/get_latest_cursor', args, {
		path: settings.folder || '/',
	});
	return answer.cursor;
}

/**
 * The changes after `cursor`, page by page, bounded: stops once Dropbox has no more, once
 * `maxEntries` were read, or once `deadline` (epoch ms) has passed, with the cursor after the
 * last page kept; the next read continues from there, so nothing is lost or read twice.
 * A page that would take the read past `maxEntries` is left whole for the next read (a
 * cursor marks only page boundaries), unless it is the first: a read always moves on.
 * A folder with nothing new costs one call whatever its size.
 * A `reset` answer (the cursor expired) is returned, not thrown.
 */
export async function readChanges(
	ctx: TriggerFunctions,
	cursor: string,
	bounds: { deadline: number; maxEntries: number },
): Promise<ChangeRead> {
	const entries: DropboxEntry[] = [];
	let position = cursor;
	const pages = listFolderPages(ctx, { cursor });
	for (;;) {
		const answer = await attempt(pages.next());
		if (!answer.ok) {
			if (answer.tag === 'reset') return { reset: true };
			throw answer.error;
		}
		if (answer.value.done) return { reset: false, entries, cursor: position, more: false };
		const page = answer.value.value;
		if (entries.length > 0 && entries.length + page.entries.length > bounds.maxEntries) {
			return { reset: false, entries, cursor: position, more: true };
		}
		entries.push(...page.entries);
		position = page.cursor ?? position;
		if (!page.hasMore) return { reset: false, entries, cursor: position, more: false };
		if (entries.length >= bounds.maxEntries || Date.now() >= bounds.deadline) {
			return { reset: false, entries, cursor: position, more: true };
		}
	}
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
