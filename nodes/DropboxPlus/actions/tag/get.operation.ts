import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { failedForOnePath, getTags, PATHS_PER_GET } from '../../../shared/tags';
import { inInputOrder, jsonItems, type BatchOperation, type ItemOutcome } from '../types';
import { readTaggedReference, taggedItemField, taggedPath } from './fields';

export const get: BatchOperation = {
	description: [taggedItemField('get')],
	/**
	 * Every item's field is checked first (a bad one stops the step before any call, or with
	 * Continue On Fail becomes that item's error); then one files/tags/get per 100 paths. Dropbox
	 * fails the whole call when one path has nothing there: that batch's paths are then asked one
	 * by one, so only the item at fault gets the error.
	 */
	async executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemOutcome[]> {
		const keepGoing = this.continueOnFail();
		const outcomes = new Map<number, ItemOutcome>();
		const failed = (itemIndex: number, error: unknown): boolean => {
			outcomes.set(itemIndex, { error: error as Error });
			return !keepGoing;
		};
		const references = new Map<number, string>();
		for (const itemIndex of itemIndexes) {
			const read = settled(() => readTaggedReference(this, itemIndex));
			if ('value' in read) references.set(itemIndex, read.value);
			else if (failed(itemIndex, read.error)) return inInputOrder(itemIndexes, outcomes);
		}
		const asked: Array<{ itemIndex: number; path: string }> = [];
		for (const [itemIndex, reference] of references) {
			const looked = await settledAsync(async () => await taggedPath(this, reference, 'files/tags/get', 'Get Tags', itemIndex));
			if ('value' in looked) asked.push({ itemIndex, path: looked.value });
			else if (failed(itemIndex, looked.error)) return inInputOrder(itemIndexes, outcomes);
		}
		const output = (path: string, tags: string[]): ItemOutcome => ({ output: jsonItems({ path, tags } as IDataObject) });
		for (let start = 0; start < asked.length; start += PATHS_PER_GET) {
			const batch = asked.slice(start, start + PATHS_PER_GET);
			const answer = await settledAsync(async () => await getTags(this, batch.map((entry) => entry.path), batch.length === 1 ? batch[0] : {}));
			if ('value' in answer) {
				batch.forEach((entry, index) => outcomes.set(entry.itemIndex, output(entry.path, answer.value[index])));
				continue;
			}
			// a route error (409) names one path of the batch: ask each path alone; other failures are every item's
			if (batch.length === 1 || !failedForOnePath(answer.error)) {
				for (const entry of batch) outcomes.set(entry.itemIndex, { error: answer.error as Error });
				if (!keepGoing) return inInputOrder(itemIndexes, outcomes);
				continue;
			}
			for (const entry of batch) {
				const alone = await settledAsync(async () => await getTags(this, [entry.path], entry));
				if ('value' in alone) outcomes.set(entry.itemIndex, output(entry.path, alone.value[0]));
				else if (failed(entry.itemIndex, alone.error)) return inInputOrder(itemIndexes, outcomes);
			}
		}
		return inInputOrder(itemIndexes, outcomes);
	},
};

type Settled<T> = { value: T } | { error: unknown };

function settled<T>(run: () => T): Settled<T> {
	try {
		return { value: run() };
	} catch (error) {
		return { error };
	}
}

async function settledAsync<T>(run: () => Promise<T>): Promise<Settled<T>> {
	return await run().then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
}
