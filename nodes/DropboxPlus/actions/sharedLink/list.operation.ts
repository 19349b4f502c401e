import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { resolveLocator } from '../../../shared/locator';
import { collectPages, pagesOf, readLimit, type Page } from '../../../shared/paging';
import { listingFields } from '../listing.descriptions';
import { jsonItems, type ItemOutput } from '../types';
import { fileOrFolderLocator } from './fields';

const show = { resource: ['sharedLink'], operation: ['list'] };

export const description: INodeProperties[] = [
	{
		displayName: 'List Links Of',
		name: 'scope',
		type: 'options',
		options: [
			{ name: 'All Files and Folders', value: 'all' },
			{ name: 'One File or Folder', value: 'path' },
		],
		default: 'all',
		description: 'Whether to list every shared link of the account or those of one file or folder',
		displayOptions: { show },
	},
	fileOrFolderLocator({
		displayName: 'File or Folder',
		name: 'path',
		displayOptions: { show: { ...show, scope: ['path'] } },
	}),
	{
		displayName: 'Direct Links Only',
		name: 'directOnly',
		type: 'boolean',
		default: false,
		description: 'Whether to leave out links to folders that contain the file or folder',
		displayOptions: { show: { ...show, scope: ['path'] } },
	},
	...listingFields('sharedLink', 'list', {}),
];

interface LinksPage {
	links: IDataObject[];
	has_more: boolean;
	cursor?: string;
}

/** Shared links, one item each, following Dropbox's cursor until the limit. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const scope = this.getNodeParameter('scope', itemIndex, 'all') as string;
	const args: IDataObject = {};
	let path: string | undefined;
	if (scope === 'path') {
		path = resolveLocator(this, 'path', itemIndex, 'File or Folder');
		args.path = path;
		args.direct_only = this.getNodeParameter('directOnly', itemIndex, false) as boolean;
	}
	const limit = readLimit(this, itemIndex);
	const toPage = (page: LinksPage): Page<IDataObject> => ({
		entries: page.links,
		cursor: page.cursor,
		hasMore: page.has_more,
	});
	return jsonItems(await collectPages<IDataObject>(
		limit,
		pagesOf(
			async () => toPage(await dropboxRpc<LinksPage>(this, 'sharing/list_shared_links', args, { path, itemIndex })),
			async (cursor) =>
				toPage(await dropboxRpc<LinksPage>(this, 'sharing/list_shared_links', { ...args, cursor }, { path, itemIndex })),
		),
		(link) => link,
	));
}
