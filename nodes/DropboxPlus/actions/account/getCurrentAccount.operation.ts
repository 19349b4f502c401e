import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import type { ItemOutput } from '../types';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	return await dropboxRpc(this, 'users/get_current_account', undefined, { itemIndex });
}
