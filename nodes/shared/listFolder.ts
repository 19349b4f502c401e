import type { DropboxEntry } from './dropboxEntry';
import { pagesOf, type Page } from './paging';
import { dropboxRpc, type CallOptions, type DropboxFunctions } from './transport';

/** Dropbox's largest list_folder page. */
export const MAX_LIST_PAGE = 2000;

interface ListFolderAnswer {
	entries: DropboxEntry[];
	cursor: string;
	has_more: boolean;
}

const toPage = (answer: ListFolderAnswer): Page<DropboxEntry> => ({
	entries: answer.entries,
	cursor: answer.cursor,
	hasMore: answer.has_more,
});

/**
 * The one list_folder paging iterator, for List Files, Get by Name and the triggers: the pages
 * of `files/list_folder` with `args`, or of `list_folder/continue` from a stored `cursor`, then
 * `list_folder/continue` while Dropbox has more. Lazy: stop iterating and no further page is
 * requested. Errors (such as a `reset` cursor) are thrown by the iteration step that met them.
 */
export function listFolderPages(
	ctx: DropboxFunctions,
	start: { args: object } | { cursor: string },
	call: CallOptions = {},
): AsyncGenerator<Page<DropboxEntry>, void, undefined> {
	const next = async (cursor: string) => toPage(await dropboxRpc<ListFolderAnswer>(ctx, 'files/list_folder/continue', { cursor }, call));
	const first =
		'args' in start
			? async () => toPage(await dropboxRpc<ListFolderAnswer>(ctx, 'files/list_folder', start.args, call))
			: async () => await next(start.cursor);
	return pagesOf(first, next);
}
