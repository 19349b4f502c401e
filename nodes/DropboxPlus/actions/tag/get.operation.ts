import type { IExecuteFunctions } from 'n8n-workflow';

import { getTags, PATHS_PER_GET } from '../../../shared/tags';
import { allOrNothingBatches } from '../shared/allOrNothingBatch';
import { jsonItems, type BatchOperation, type ItemOutcome } from '../types';
import { readTaggedReference, taggedItemField, taggedPath } from './fields';

export const get: BatchOperation = {
	description: [taggedItemField('get')],
	/**
	 * One files/tags/get per 100 paths. Dropbox fails the whole call when one path has nothing
	 * there: that batch's paths are then asked one by one, so only the item at fault gets the error.
	 */
	async executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemOutcome[]> {
		return await allOrNothingBatches<string, string[]>(this, itemIndexes, {
			perCall: PATHS_PER_GET,
			read(itemIndex) {
				return readTaggedReference(this, itemIndex);
			},
			async resolve(reference, itemIndex) {
				return await taggedPath(this, reference, 'files/tags/get', 'Get Tags', itemIndex);
			},
			async call(paths, one) {
				return await getTags(this, paths, one ? { path: one.value, itemIndex: one.itemIndex } : {});
			},
			output: (path, tags) => ({ output: jsonItems({ path, tags }) }),
		});
	},
};
