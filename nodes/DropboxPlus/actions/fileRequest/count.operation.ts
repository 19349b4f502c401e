import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { jsonItems, type ItemOutput } from '../types';

export const description: INodeProperties[] = [];

/** How many file requests the account has, open and closed. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const answer = await dropboxRpc<{ file_request_count: number }>(this, 'file_requests/count', undefined, { itemIndex });
	return jsonItems({ count: answer.file_request_count });
}
