import type { IExecuteFunctions } from 'n8n-workflow';

import { isRouteError } from '../../../shared/transport';
import { inInputOrder, type ItemOutcome } from '../types';

/** How one operation sends its items to a route that takes many values and answers all or nothing. */
export interface AllOrNothingPlan<Value, Result> {
	/** How many values one call carries. */
	perCall: number;
	/** Reads and checks one item's fields, without any call; throws the field's error. */
	read(this: IExecuteFunctions, itemIndex: number): Value;
	/** Turns a checked value into what is sent (e.g. an ID looked up to its path); may call Dropbox. */
	resolve?(this: IExecuteFunctions, value: Value, itemIndex: number): Promise<Value>;
	/**
	 * One call for `values`, answering one result per value in order; `one` is set when the call
	 * carries a single item's value, so its errors name that item.
	 */
	call(this: IExecuteFunctions, values: Value[], one?: { value: Value; itemIndex: number }): Promise<Result[]>;
	output(value: Value, result: Result): ItemOutcome;
}

type Settled<T> = { value: T } | { error: unknown };

async function settled<T>(run: () => T | Promise<T>): Promise<Settled<T>> {
	try {
		return { value: await run() };
	} catch (error) {
		return { error };
	}
}

/**
 * For routes such as files/tags/get and file_requests/delete, which take a list and fail the
 * whole call when one value is at fault: every item's field is checked first (a bad one stops the
 * step before any call, or with Continue On Fail becomes that item's error), then one call per
 * `perCall` values. A route error (409) of a call with many values sends that call's values again
 * one by one, so only the item at fault gets the error; any other failure is every item's of the call.
 */
export async function allOrNothingBatches<Value, Result>(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
	plan: AllOrNothingPlan<Value, Result>,
): Promise<ItemOutcome[]> {
	const keepGoing = ctx.continueOnFail();
	const outcomes = new Map<number, ItemOutcome>();
	const failed = (itemIndex: number, error: unknown): boolean => {
		outcomes.set(itemIndex, { error: error as Error });
		return !keepGoing;
	};
	const read = new Map<number, Value>();
	for (const itemIndex of itemIndexes) {
		const checked = await settled(() => plan.read.call(ctx, itemIndex));
		if ('value' in checked) read.set(itemIndex, checked.value);
		else if (failed(itemIndex, checked.error)) return inInputOrder(itemIndexes, outcomes);
	}
	const asked: Array<{ itemIndex: number; value: Value }> = [];
	for (const [itemIndex, value] of read) {
		const resolve = plan.resolve;
		const resolved = resolve ? await settled(async () => await resolve.call(ctx, value, itemIndex)) : { value };
		if ('value' in resolved) asked.push({ itemIndex, value: resolved.value });
		else if (failed(itemIndex, resolved.error)) return inInputOrder(itemIndexes, outcomes);
	}
	const call = async (batch: typeof asked) =>
		await settled(async () => await plan.call.call(ctx, batch.map((entry) => entry.value), batch.length === 1 ? batch[0] : undefined));
	for (let start = 0; start < asked.length; start += plan.perCall) {
		const batch = asked.slice(start, start + plan.perCall);
		const answer = await call(batch);
		if ('value' in answer) {
			batch.forEach((entry, index) => outcomes.set(entry.itemIndex, plan.output(entry.value, answer.value[index])));
			continue;
		}
		if (batch.length === 1 || !isRouteError(answer.error)) {
			for (const entry of batch) outcomes.set(entry.itemIndex, { error: answer.error as Error });
			if (!keepGoing) return inInputOrder(itemIndexes, outcomes);
			continue;
		}
		for (const entry of batch) {
			const alone = await call([entry]);
			if ('value' in alone) outcomes.set(entry.itemIndex, plan.output(entry.value, alone.value[0]));
			else if (failed(entry.itemIndex, alone.error)) return inInputOrder(itemIndexes, outcomes);
		}
	}
	return inInputOrder(itemIndexes, outcomes);
}
