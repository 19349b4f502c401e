import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { jsonItems, type ItemOutput } from '../types';
import { readRequestId, requestIdField } from './fields';

export const description: INodeProperties[] = [requestIdField('get')];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const id = readRequestId(this, itemIndex);
	return jsonItems(await dropboxRpc(this, 'file_requests/get', { id }, { path: id, itemIndex }));
}
