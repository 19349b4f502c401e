import type { IExecuteFunctions } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { allOrNothingBatches } from '../shared/allOrNothingBatch';
import { jsonItems, type BatchOperation, type ItemOutcome } from '../types';
import { readTaggedReference, taggedItemField, taggedPath } from './fields';

/** How many paths one files/tags/get carries (the spec sets no limit; this keeps a request small). */
export const PATHS_PER_GET = 100;

interface PathToTags {
	path: string;
	tags: Array<{ '.tag': string; tag_text?: string }>;
}

const tagTexts = (entry: PathToTags | undefined): string[] =>
	(entry?.tags ?? []).flatMap((tag) => (typeof tag.tag_text === 'string' ? [tag.tag_text] : []));

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
				const answer = await dropboxRpc<{ paths_to_tags?: PathToTags[] }>(this, 'files/tags/get', { paths }, one ? { path: one.value, itemIndex: one.itemIndex } : {});
				const entries = answer.paths_to_tags ?? [];
				return paths.map((_, index) => tagTexts(entries[index]));
			},
			output: (path, tags) => ({ output: jsonItems({ path, tags }) }),
		});
	},
};
