import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { resolveLocator } from '../../../shared/locator';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { jsonItems, type ItemOutput } from '../types';

export const description: INodeProperties[] = [
	dropboxLocator('folder', {
		displayName: 'Folder',
		name: 'folder',
		displayOptions: { show: { resource: ['folder'], operation: ['get'] } },
	}),
];

/** A folder's metadata by path or ID ("Get Folder by ID"). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const path = resolveLocator(this, 'folder', itemIndex, 'Folder');
	return jsonItems(await dropboxRpc(this, 'files/get_metadata', { path }, { path, itemIndex }));
}
