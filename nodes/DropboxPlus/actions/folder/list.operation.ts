import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { resolveLocator } from '../../../shared/locator';
import { listFolderPages, MAX_LIST_PAGE } from '../../../shared/listFolder';
import { collectPages, readLimit } from '../../../shared/paging';
import type { DropboxEntry } from '../../../shared/dropboxEntry';
import { SIMPLIFIED_FIELDS, simplifyEntry } from '../../../shared/simplify';
import { addTags, taggablePath } from '../../../shared/tags';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { listingFields } from '../listing.descriptions';
import { jsonItems, type ItemOutput } from '../types';

const show = { resource: ['folder'], operation: ['list'] };

/** Dropbox's largest list_folder page. */
export const MAX_PAGE_SIZE = MAX_LIST_PAGE;

export const description: INodeProperties[] = [
	dropboxLocator('folder', {
		displayName: 'Folder',
		name: 'folder',
		description: 'The folder to list: pick it, or give its path ("/" is the root), its ID or its Dropbox address',
		displayOptions: { show },
	}),
	{
		displayName: 'Recursive',
		name: 'recursive',
		type: 'boolean',
		default: false,
		description: 'Whether to list the contents of all subfolders too',
		displayOptions: { show },
	},
	{
		displayName: 'Type',
		name: 'entryType',
		type: 'options',
		options: [
			{ name: 'Files and Folders', value: 'all' },
			{ name: 'Files Only', value: 'file' },
			{ name: 'Folders Only', value: 'folder' },
		],
		default: 'all',
		description:
			'Which entries to return. Deleted entries (see Include Deleted) are always returned: Dropbox does not say whether they were files or folders.',
		displayOptions: { show },
	},
	...listingFields('folder', 'list', {
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
				displayName: 'Include Deleted',
				name: 'includeDeleted',
				type: 'boolean',
				default: false,
				description: 'Whether to also return entries that were deleted (type "deleted")',
			},
			{
				displayName: 'Include Mounted Folders',
				name: 'includeMountedFolders',
				type: 'boolean',
				default: true,
				description: 'Whether to list shared folders mounted in this Dropbox, and the app folder',
			},
			{
				displayName: 'Include Non-Downloadable Files',
				name: 'includeNonDownloadableFiles',
				type: 'boolean',
				default: true,
				description: 'Whether to return files that cannot be downloaded directly, such as Google Docs',
			},
			{
				displayName: 'Include Tags',
				name: 'includeTags',
				type: 'boolean',
				default: false,
				description: 'Whether to add each entry\'s Dropbox tags (tags: a list; null for a deleted entry), read with one files/tags/get per 100 entries',
			},
		],
	},
];

/** A recursive listing starts with the listed folder itself: not one of its contents. */
function isListedFolder(entry: DropboxEntry, path: string): boolean {
	if (entry['.tag'] !== 'folder') return false;
	return path.startsWith('id:') ? entry.id === path : entry.path_lower === path.toLowerCase();
}

/** The "List Files" step: one item per entry, across as many pages as the limit needs. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const path = resolveLocator(this, 'folder', itemIndex, 'Folder', { allowRoot: true });
	const recursive = this.getNodeParameter('recursive', itemIndex, false) as boolean;
	const entryType = this.getNodeParameter('entryType', itemIndex, 'all') as 'all' | 'file' | 'folder';
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const limit = readLimit(this, itemIndex);
	const call = { path: path || '/', itemIndex };

	const entries = await collectPages<DropboxEntry>(
		limit,
		listFolderPages(
			this,
			{
				args: {
					path,
					recursive,
					include_deleted: options.includeDeleted === true,
					include_mounted_folders: options.includeMountedFolders !== false,
					include_non_downloadable_files: options.includeNonDownloadableFiles !== false,
					limit: Math.min(limit, MAX_PAGE_SIZE),
				},
			},
			call,
		),
		(entry) => {
			if (recursive && path !== '' && isListedFolder(entry, path)) return undefined;
			if (entryType !== 'all' && entry['.tag'] !== 'deleted' && entry['.tag'] !== entryType) return undefined;
			return simplify ? simplifyEntry(entry) : entry;
		},
	);
	if (options.includeTags === true) await addTags(this, entries, taggablePath, call);
	return jsonItems(entries);
}
