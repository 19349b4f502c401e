import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { listFolderPages, MAX_LIST_PAGE } from '../../../shared/listFolder';
import { checkFileName, required } from '../../../shared/fieldChecks';
import { resolveLocator } from '../../../shared/locator';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { jsonItems, type ItemOutput } from '../types';

const show = { resource: ['file'], operation: ['getByName'] };

export const description: INodeProperties[] = [
	dropboxLocator('folder', {
		displayName: 'Folder',
		name: 'folder',
		description: 'The folder to look in: pick it, or give its path ("/" is the root) or ID',
		displayOptions: { show },
	}),
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'report.pdf',
		description: 'The exact name of the file, extension included; upper and lower case count as the same, as in Dropbox',
		displayOptions: { show },
	},
	{
		displayName: 'Search Subfolders',
		name: 'recursive',
		type: 'boolean',
		default: false,
		description: 'Whether to look in every folder below the folder too',
		displayOptions: { show },
	},
	{
		displayName: 'Return',
		name: 'returnMatches',
		type: 'options',
		options: [
			{ name: 'First Match', value: 'first', description: 'One item: the first file found (stops looking there)' },
			{ name: 'All Matches', value: 'all', description: 'One item per file with that name (useful with Search Subfolders)' },
		],
		default: 'first',
		description: 'Which files to return when more than one has the name',
		displayOptions: { show },
	},
	{
		displayName: 'If Not Found',
		name: 'ifNotFound',
		type: 'options',
		options: [
			{ name: 'Error', value: 'error', description: 'Stop with an error saying nothing was found' },
			{ name: 'Return Nothing', value: 'nothing', description: 'Output no item and go on' },
		],
		default: 'error',
		description: 'What to do when no file has that name',
		displayOptions: { show },
	},
];

/** Finds files by exact name in a folder (and its subfolders), page by page. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const folder = resolveLocator(this, 'folder', itemIndex, 'Folder', { allowRoot: true });
	const name = required(this, itemIndex, 'File Name', checkFileName(this.getNodeParameter('fileName', itemIndex, '')));
	const recursive = this.getNodeParameter('recursive', itemIndex, false) as boolean;
	const firstOnly = this.getNodeParameter('returnMatches', itemIndex, 'first') !== 'all';
	const wanted = name.toLowerCase();
	const shownFolder = folder === '' ? '/' : folder;
	const call = { path: shownFolder, itemIndex };
	const matches: IDataObject[] = [];
	const pages = listFolderPages(
		this,
		{ args: { path: folder, recursive, include_non_downloadable_files: true, limit: MAX_LIST_PAGE } },
		call,
	);
	for await (const page of pages) {
		for (const entry of page.entries) {
			if (entry['.tag'] === 'file' && String(entry.name).toLowerCase() === wanted) {
				matches.push(entry);
				if (firstOnly) return jsonItems(entry);
			}
		}
	}
	if (matches.length === 0 && this.getNodeParameter('ifNotFound', itemIndex, 'error') === 'error') {
		throw new NodeOperationError(
			this.getNode(),
			`No file named "${name}" in "${shownFolder}"${recursive ? ' or its subfolders' : ''}`,
			{
				itemIndex,
				description: `Check the name and the folder${recursive ? '' : ', turn on Search Subfolders to look deeper'}, or set If Not Found to Return Nothing.`,
			},
		);
	}
	return jsonItems(matches);
}
