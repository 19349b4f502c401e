import type { IDataObject } from 'n8n-workflow';

import { dropboxRpc, isRouteError, type CallOptions, type DropboxFunctions } from './transport';

/**
 * Reading tags (files/tags/get of files.stone: GetTagsArg is a list of paths, GetTagsResult one
 * PathToTags per path, in order): for Tag → Get and for List's and Search's Include Tags.
 */

/** How many paths one files/tags/get carries (the spec sets no limit; this keeps a request small). */
export const PATHS_PER_GET = 100;

interface PathToTags {
	path: string;
	tags: Array<{ '.tag': string; tag_text?: string }>;
}

const tagTexts = (entry: PathToTags | undefined): string[] =>
	(entry?.tags ?? []).flatMap((tag) => (typeof tag.tag_text === 'string' ? [tag.tag_text] : []));

/** One files/tags/get for `paths`: each path's tags, in the order asked. */
export async function getTags(ctx: DropboxFunctions, paths: string[], call: CallOptions = {}): Promise<string[][]> {
	const answer = await dropboxRpc<{ paths_to_tags?: PathToTags[] }>(ctx, 'files/tags/get', { paths }, call);
	const entries = answer.paths_to_tags ?? [];
	return paths.map((_, index) => tagTexts(entries[index]));
}

/**
 * The tags of `paths` (one call), or null for a path that has nothing there any more: Dropbox
 * fails a whole call when one path has nothing there, so that call's paths are then asked one
 * by one. Any other failure is thrown.
 */
async function tagsOrNull(ctx: DropboxFunctions, paths: string[], call: CallOptions): Promise<Array<string[] | null>> {
	const answer = await getTags(ctx, paths, call).then(
		(tags) => ({ tags }),
		(error: unknown) => ({ error }),
	);
	if ('tags' in answer) return answer.tags;
	// the transport's NodeApiError (tag, path, hint), as it is
	// a route error (409) names one of the paths: each may then be asked alone
	if (!isRouteError(answer.error)) throw answer.error;
	if (paths.length === 1) return [null];
	const alone: Array<string[] | null> = [];
	for (const path of paths) alone.push(...(await tagsOrNull(ctx, [path], { ...call, path })));
	return alone;
}

/** The path of a Dropbox entry (its metadata, or a simplified item) to read its tags at; undefined for a deleted entry, which has none. */
export function taggablePath(entry: IDataObject): string | undefined {
	if (entry['.tag'] === 'deleted' || entry.type === 'deleted') return undefined;
	const path = entry.path_lower ?? entry.path_display;
	return typeof path === 'string' ? path : undefined;
}

/**
 * Sets `tags` on every listed item (List, Search: Include Tags): one files/tags/get per 100 paths.
 * `pathOf` gives an item's path, or undefined for an entry that has no tags to read (a deleted
 * one). An item whose tags cannot be read (deleted, or deleted since it was listed) gets
 * `tags: null`.
 */
export async function addTags(ctx: DropboxFunctions, items: IDataObject[], pathOf: (item: IDataObject) => string | undefined, call: CallOptions): Promise<void> {
	const asked: Array<{ item: IDataObject; path: string }> = [];
	for (const item of items) {
		const path = pathOf(item);
		if (path === undefined) item.tags = null;
		else asked.push({ item, path });
	}
	for (let start = 0; start < asked.length; start += PATHS_PER_GET) {
		const batch = asked.slice(start, start + PATHS_PER_GET);
		const tags = await tagsOrNull(ctx, batch.map((entry) => entry.path), call);
		batch.forEach((entry, index) => (entry.item.tags = tags[index]));
	}
}
