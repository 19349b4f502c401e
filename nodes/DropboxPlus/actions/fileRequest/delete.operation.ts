import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { allOrNothingBatches } from '../shared/allOrNothingBatch';
import { jsonItems, type BatchOperation, type ItemOutcome } from '../types';
import { readRequestId, requestIdField } from './fields';

/** How many IDs one file_requests/delete carries (the spec sets no limit; this keeps a request small). */
export const IDS_PER_DELETE = 100;

export const remove: BatchOperation = {
	description: [requestIdField('delete')],
	/**
	 * Many items' requests in one file_requests/delete per 100. Dropbox deletes only closed
	 * requests, and one open or unknown ID fails the whole call: that batch's IDs are then sent
	 * one by one, so only the item at fault gets the error.
	 */
	async executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemOutcome[]> {
		return await allOrNothingBatches<string, IDataObject>(this, itemIndexes, {
			perCall: IDS_PER_DELETE,
			read(itemIndex) {
				return readRequestId(this, itemIndex);
			},
			async call(ids, one) {
				const answer = await dropboxRpc<{ file_requests: IDataObject[] }>(this, 'file_requests/delete', { ids }, one ? { path: one.value, itemIndex: one.itemIndex } : {});
				const byId = new Map(answer.file_requests.map((request) => [request.id, request]));
				return ids.map((id) => byId.get(id) ?? { id });
			},
			output: (id, request) => ({ output: jsonItems({ ...request, id, deleted: true }) }),
		});
	},
};
