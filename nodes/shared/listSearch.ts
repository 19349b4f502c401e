import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import type { DropboxEntry } from './dropboxEntry';
import { dropboxRpc } from './transport';

interface ListPage {
	entries: DropboxEntry[];
	cursor: string;
	has_more: boolean;
}

interface SearchPage {
	matches: Array<{ metadata: { metadata: DropboxEntry } }>;
	cursor?: string;
	has_more: boolean;
}

const PAGE_SIZE = 100;

function toResult(entry: DropboxEntry): INodeListSearchItems {
	const path = entry.path_display ?? entry.name;
	return { name: path, value: path, url: `https://www.dropbox.com/home${encodeURI(path)}` };
}

/**
 * Browses Dropbox for a picker: without a filter, the whole tree page by page
 * (list_folder, recursive); with one, Dropbox's search on names. Paginated by cursor.
 */
async function browse(
	ctx: ILoadOptionsFunctions,
	kind: 'file' | 'folder' | 'any',
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	let entries: DropboxEntry[];
	let next: string | undefined;
	if (filter) {
		const page = paginationToken
			? await dropboxRpc<SearchPage>(ctx, 'files/search/continue_v2', { cursor: paginationToken })
			: await dropboxRpc<SearchPage>(ctx, 'files/search_v2', {
					query: filter,
					options: {
						max_results: PAGE_SIZE,
						filename_only: true,
						...(kind === 'folder' ? { file_categories: ['folder'] } : {}),
					},
				});
		entries = page.matches.map((match) => match.metadata.metadata);
		next = page.has_more ? page.cursor : undefined;
	} else {
		const page = paginationToken
			? await dropboxRpc<ListPage>(ctx, 'files/list_folder/continue', { cursor: paginationToken })
			: await dropboxRpc<ListPage>(ctx, 'files/list_folder', { path: '', recursive: true, limit: PAGE_SIZE });
		entries = page.entries;
		next = page.has_more ? page.cursor : undefined;
	}
	const results = entries
		.filter((entry) => (kind === 'any' ? entry['.tag'] !== 'deleted' : entry['.tag'] === kind))
		.map(toResult);
	if (kind === 'folder' && !paginationToken && !filter) results.unshift({ name: '/ (root)', value: '/' });
	return { results, paginationToken: next };
}

export async function searchFiles(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await browse(this, 'file', filter, paginationToken);
}

export async function searchFolders(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await browse(this, 'folder', filter, paginationToken);
}

/** Files and folders alike, for fields that take either (shared links). */
export async function searchEntries(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await browse(this, 'any', filter, paginationToken);
}
