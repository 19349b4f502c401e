import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { resolveLocator } from '../../../shared/locator';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { jsonItems, type ItemOutput } from '../types';

export const description: INodeProperties[] = [
	dropboxLocator('file', {
		displayName: 'File',
		name: 'file',
		displayOptions: { show: { resource: ['file'], operation: ['getTemporaryLink'] } },
	}),
];

/** A direct download link to the file, valid for four hours, plus its metadata. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const path = resolveLocator(this, 'file', itemIndex, 'File', { allowRevision: true });
	const { link, metadata } = await dropboxRpc<{ link: string; metadata: IDataObject }>(
		this,
		'files/get_temporary_link',
		{ path },
		{ path, itemIndex },
	);
	return jsonItems({ link, expiresInSeconds: 4 * 3600, metadata });
}
