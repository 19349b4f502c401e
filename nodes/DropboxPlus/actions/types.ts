import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Outcome } from '../../shared/outcome';

/** What one input item produced: its output items (JSON, and binary where there is a file); the router pairs them. */
export type ItemOutput = INodeExecutionData[];

/** An operation that works one item at a time. */
export interface ItemOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput>;
}

/** Result for one input item of a batched operation: its output, or the error that item met. */
export type ItemOutcome = { output: ItemOutput } | { error: Error };

/**
 * An operation that sees all its items at once, because Dropbox does many in one call
 * (copy, move, delete, folder creation, upload commits). It returns one outcome per input
 * item, in input order.
 */
export interface BatchOperation {
	description: INodeProperties[];
	executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemOutcome[]>;
}

export type Operation = ItemOperation | BatchOperation;

export function isBatchOperation(operation: Operation): operation is BatchOperation {
	return 'executeBatch' in operation;
}

/** One output item per JSON object. */
export function jsonItems(json: IDataObject | IDataObject[]): INodeExecutionData[] {
	return (Array.isArray(json) ? json : [json]).map((entry) => ({ json: entry }));
}

/** A batch entry's outcome (Dropbox's metadata) as the item's outcome. */
export function itemOutcome(outcome: Outcome): ItemOutcome {
	return 'error' in outcome ? outcome : { output: jsonItems(outcome.output) };
}

/**
 * One outcome per item, in input order, for a batched operation that stops at its first failure
 * without Continue On Fail: an item never reached gets the error that stopped the step, so the
 * router reports that one.
 */
export function inInputOrder(itemIndexes: number[], outcomes: Map<number, ItemOutcome>): ItemOutcome[] {
	const stop = [...outcomes.values()].find((outcome) => 'error' in outcome);
	return itemIndexes.map((itemIndex) => outcomes.get(itemIndex) ?? (stop as ItemOutcome));
}
