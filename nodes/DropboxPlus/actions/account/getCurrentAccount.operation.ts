import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { jsonItems, type ItemOutput } from '../types';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	return jsonItems(await dropboxRpc(this, 'users/get_current_account', undefined, { itemIndex }));
}
