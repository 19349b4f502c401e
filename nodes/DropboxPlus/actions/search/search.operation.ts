import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { resolveLocator } from '../../../shared/locator';
import { collectPages, pagesOf, readLimit, type Page } from '../../../shared/paging';
import type { DropboxEntry } from '../../../shared/dropboxEntry';
import { SIMPLIFIED_FIELDS, simplifyEntry } from '../../../shared/simplify';
import { addTags, taggablePath } from '../../../shared/tags';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { EXTENSION_LIST_HINT, parseExtensionList } from '../../../shared/extensions';
import { fieldError } from '../../../shared/fieldChecks';
import { listingFields } from '../listing.descriptions';
import { jsonItems, type ItemOutput } from '../types';

const show = { resource: ['search'], operation: ['search'] };

/** Dropbox's limits for search_v2. */
export const MAX_QUERY_LENGTH = 1000;
export const MAX_PAGE_SIZE = 1000;

export const description: INodeProperties[] = [
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'invoice 2024',
		hint: 'Dropbox search cannot find by tag. To find items by tag: Folder → List with Include Tags, then a Filter node on tags.',
		description:
			"The words to look for (up to 1,000 characters). Every word must match a name, a path or, if enabled, the content. Not tags: Dropbox's search_v2 has no tag filter.",
		displayOptions: { show },
	},
	dropboxLocator('folder', {
		displayName: 'Search In',
		name: 'folder',
		default: { mode: 'path', value: '/' },
		description: 'The folder to search, with its subfolders: pick it, or give its path ("/" searches everything)',
		displayOptions: { show },
	}),
	...listingFields('search', 'search', {
		simplify: SIMPLIFIED_FIELDS,
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Categories',
				name: 'categories',
				type: 'multiOptions',
				options: [
					{ name: 'Audio', value: 'audio' },
					{ name: 'Document', value: 'document' },
					{ name: 'Folder', value: 'folder' },
					{ name: 'Image', value: 'image' },
					{ name: 'Other', value: 'others' },
					{ name: 'Paper', value: 'paper' },
					{ name: 'PDF', value: 'pdf' },
					{ name: 'Presentation', value: 'presentation' },
					{ name: 'Spreadsheet', value: 'spreadsheet' },
					{ name: 'Video', value: 'video' },
				],
				default: [],
				description: 'Only return these kinds of entries; choose Folder alone to search folders. Active files only: Dropbox does not filter deleted ones by category.',
			},
			{
				displayName: 'File Extensions',
				name: 'fileExtensions',
				type: 'string',
				default: '',
				placeholder: 'pdf, docx',
				description: `Only files with one of these extensions are returned: ${EXTENSION_LIST_HINT}. Active files only: Dropbox does not filter deleted ones by extension.`,
			},
			{
				displayName: 'File Status',
				name: 'fileStatus',
				type: 'options',
				options: [
					{ name: 'Active', value: 'active' },
					{ name: 'Deleted', value: 'deleted' },
				],
				default: 'active',
				description: 'Whether to search existing files or deleted ones. Deleted cannot be combined with File Extensions or Categories.',
			},
			{
				displayName: 'Include Tags',
				name: 'includeTags',
				type: 'boolean',
				default: false,
				description:
					"Whether to add each match's Dropbox tags (tags: a list; null for a deleted file), read with one files/tags/get per 100 matches. Search itself cannot find by tag.",
			},
			{
				displayName: 'Match',
				name: 'match',
				type: 'options',
				options: [
					{ name: 'File Names Only', value: 'filename' },
					{ name: 'File Names and Content', value: 'content' },
				],
				default: 'filename',
				description: 'Where the query may match. Content search needs a Dropbox plan that includes it.',
			},
			{
				displayName: 'Order By',
				name: 'orderBy',
				type: 'options',
				options: [
					{ name: 'Relevance', value: 'relevance' },
					{ name: 'Last Modified', value: 'last_modified_time' },
				],
				default: 'relevance',
			},
		],
	},
];

interface SearchMatch extends IDataObject {
	metadata: { '.tag': 'metadata'; metadata: DropboxEntry };
}

interface SearchPage {
	matches: SearchMatch[];
	has_more: boolean;
	cursor?: string;
}

const toPage = (page: SearchPage): Page<SearchMatch> => ({
	entries: page.matches,
	cursor: page.cursor,
	hasMore: page.has_more,
});

function readQuery(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('query', itemIndex, '') as unknown;
	const query = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (query === '') {
		throw new NodeOperationError(ctx.getNode(), 'The Query is empty', {
			itemIndex,
			description: 'Enter the words to search for, or an expression that gives them.',
		});
	}
	if (query.length > MAX_QUERY_LENGTH) {
		throw new NodeOperationError(ctx.getNode(), `The Query is ${query.length} characters long`, {
			itemIndex,
			description: `Dropbox accepts at most ${MAX_QUERY_LENGTH} characters: shorten it.`,
		});
	}
	return query;
}

/** Search names (and optionally content), one item per match, across as many pages as the limit needs. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const query = readQuery(this, itemIndex);
	const path = resolveLocator(this, 'folder', itemIndex, 'Search In', { allowRoot: true });
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const limit = readLimit(this, itemIndex);

	const searchOptions: IDataObject = {
		max_results: Math.min(limit, MAX_PAGE_SIZE),
		filename_only: options.match !== 'content',
		file_status: (options.fileStatus as string) || 'active',
		order_by: (options.orderBy as string) || 'relevance',
	};
	if (path !== '') searchOptions.path = path;
	const extensionList = parseExtensionList(options.fileExtensions);
	if ('invalid' in extensionList) {
		throw fieldError(this, itemIndex, 'File Extensions option', `holds "${extensionList.invalid}", which is not a file extension`, `List extensions ${EXTENSION_LIST_HINT}, without paths or wildcards.`);
	}
	const { extensions } = extensionList;
	if (extensions.length) searchOptions.file_extensions = extensions;
	const categories = (options.categories as string[] | undefined) ?? [];
	if (categories.length) searchOptions.file_categories = categories;
	// SearchOptions: file_extensions and file_categories are "only supported for active file search"
	if (searchOptions.file_status === 'deleted' && (extensions.length || categories.length)) {
		const field = extensions.length ? 'File Extensions' : 'Categories';
		throw new NodeOperationError(this.getNode(), `The ${field} option cannot be combined with File Status "Deleted"`, {
			itemIndex,
			description: `Dropbox filters by extension and category only among active files. Remove ${field} to search deleted files, or set File Status to Active.`,
		});
	}

	const call = { path: path || '/', itemIndex };
	const matches = await collectPages<SearchMatch>(
		limit,
		pagesOf(
			async () => toPage(await dropboxRpc<SearchPage>(this, 'files/search_v2', { query, options: searchOptions }, call)),
			async (cursor) => toPage(await dropboxRpc<SearchPage>(this, 'files/search/continue_v2', { cursor }, call)),
		),
		(match) => (simplify ? simplifyEntry(match.metadata.metadata) : match),
	);
	if (options.includeTags === true) {
		await addTags(this, matches, (match) => taggablePath(simplify ? match : (match as SearchMatch).metadata.metadata), call);
	}
	return jsonItems(matches);
}
