import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { resolveLocator } from '../../../shared/locator';
import { baseName } from '../../../shared/paths';
import { downloadedItem, requireBinaryPropertyName } from '../../../shared/content/binaryOutput';
import { downloadToBinary } from '../../../shared/content/download';
import type { DropboxEntry } from '../../../shared/dropboxEntry';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import type { ItemOutput } from '../types';
import { outputBinaryField } from '../shared/binaryFields';

const show = { resource: ['folder'], operation: ['downloadZip'] };

export const description: INodeProperties[] = [
	dropboxLocator('folder', {
		displayName: 'Folder',
		name: 'folder',
		description:
			'The folder to download as one ZIP file. Dropbox allows at most 20 GB (4 GB per file) and fewer than 10,000 entries per ZIP (files and folders, this one included), and not the root folder.',
		displayOptions: { show },
	}),
	outputBinaryField(show, 'ZIP file', 'The ZIP file is named after the folder, e.g. Reports.zip'),
];

/** The whole folder as a ZIP, streamed from Dropbox into n8n's binary store (not resumable: Dropbox makes the ZIP afresh for each request). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const path = resolveLocator(this, 'folder', itemIndex, 'Folder');
	const binaryPropertyName = requireBinaryPropertyName(this, itemIndex);
	const { result, binary } = await downloadToBinary<{ metadata: DropboxEntry }>(
		this,
		{ route: 'files/download_zip', args: { path }, path, itemIndex, resume: 'none' },
		(answer) => ({ fileName: `${answer.metadata?.name || baseName(path) || 'folder'}.zip`, mimeType: 'application/zip' }),
	);
	return [downloadedItem(this.getInputData()[itemIndex], { ...result.metadata }, binaryPropertyName, binary)];
}
