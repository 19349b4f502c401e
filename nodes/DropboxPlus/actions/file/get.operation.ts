import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { resolveLocator } from '../../../shared/locator';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { jsonItems, type ItemOutput } from '../types';

export const description: INodeProperties[] = [
	dropboxLocator('file', {
		displayName: 'File',
		name: 'file',
		displayOptions: { show: { resource: ['file'], operation: ['get'] } },
	}),
	{
		displayName: 'Include Media Info',
		name: 'includeMediaInfo',
		type: 'boolean',
		default: false,
		description: 'Whether to add photo and video details (dimensions, location, time taken)',
		displayOptions: { show: { resource: ['file'], operation: ['get'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const path = resolveLocator(this, 'file', itemIndex, 'File', { allowRevision: true });
	const includeMediaInfo = this.getNodeParameter('includeMediaInfo', itemIndex, false) as boolean;
	return jsonItems(await dropboxRpc(this, 'files/get_metadata', { path, include_media_info: includeMediaInfo }, { path, itemIndex }));
}
