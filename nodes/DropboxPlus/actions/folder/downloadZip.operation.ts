import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxDownload } from '../../../shared/transport';
import { resolveLocator } from '../../../shared/locator';
import { baseName } from '../../../shared/paths';
import { requireBinaryPropertyName, storeDownload } from '../../../shared/content/binaryOutput';
import type { DropboxEntry } from '../../../shared/dropboxEntry';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import type { ItemOutput } from '../types';

const show = { resource: ['folder'], operation: ['downloadZip'] };

export const description: INodeProperties[] = [
	dropboxLocator('folder', {
		displayName: 'Folder',
		name: 'folder',
		description:
			'The folder to download as one ZIP file. Dropbox allows at most 20 GB (4 GB per file) and fewer than 10,000 entries per ZIP (files and folders, this one included), and not the root folder.',
		displayOptions: { show },
	}),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the ZIP file in',
		description: 'The ZIP file is named after the folder, e.g. Reports.zip',
		displayOptions: { show },
	},
];

/** The whole folder as a ZIP, streamed from Dropbox into n8n's binary store. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const path = resolveLocator(this, 'folder', itemIndex, 'Folder');
	const binaryPropertyName = requireBinaryPropertyName(this, itemIndex);
	const { result, stream } = await dropboxDownload<{ metadata: DropboxEntry }>(
		this,
		'files/download_zip',
		{ path },
		{ path, itemIndex },
	);
	const folderName = result.metadata?.name || baseName(path) || 'folder';
	const binary = await storeDownload(this, stream, `${folderName}.zip`, 'application/zip');
	return [{ json: { ...result.metadata }, binary: { [binaryPropertyName]: binary } }];
}
