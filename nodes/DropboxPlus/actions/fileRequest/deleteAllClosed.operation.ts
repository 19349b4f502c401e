import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { jsonItems, type ItemOutput } from '../types';

export const description: INodeProperties[] = [];

/** Deletes every closed file request of the account in one call: how many, and which. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const answer = await dropboxRpc<{ file_requests: IDataObject[] }>(this, 'file_requests/delete_all_closed', undefined, { itemIndex });
	return jsonItems({ deleted: answer.file_requests.length, fileRequests: answer.file_requests });
}
