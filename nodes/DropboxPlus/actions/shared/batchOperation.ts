import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readBatchSize, runBatched, stoppedAt, MAX_BATCH_SIZE, type BatchEntry, type BatchRoutes } from '../../../shared/batch/batchJobs';
import type { Outcome } from '../../../shared/outcome';
import { itemOutcome, type BatchOperation, type ItemOutcome } from '../types';

/** What a batchable operation says about its items; `batchOperation` does the rest. */
export interface BatchPlan<Plan> {
	routes: BatchRoutes;
	/** Reads and checks one item's fields, without any call; throws a NodeOperationError naming item, field and fix. */
	validate(this: IExecuteFunctions, itemIndex: number): Plan;
	/** The item's Dropbox entry; may look something up first (e.g. the name behind an ID). */
	entryOf(this: IExecuteFunctions, plan: Plan, itemIndex: number): BatchEntry | Promise<BatchEntry>;
	/**
	 * A second change for an item whose first one succeeded (e.g. the second move of a case-only
	 * rename); these go to Dropbox batched like the first ones, and their outcomes replace the items'.
	 */
	followUp?(this: IExecuteFunctions, plan: Plan, output: IDataObject, itemIndex: number): BatchEntry | undefined;
	/** Turns an item's outcome into its final one (e.g. an existing folder instead of a conflict). */
	settle?(this: IExecuteFunctions, outcome: Outcome, plan: Plan, itemIndex: number): Promise<Outcome>;
}

/** The "Batch Size" option, shared by every batchable operation. */
/**
 * The one Batch Size option of every batched operation (copy, move, delete, create folder,
 * upload), read by `readBatchSize`. `purpose` says what one request carries and what 1 means.
 */
export function batchSizeOption(
	purpose = `How many items to send to Dropbox in one request (at most ${MAX_BATCH_SIZE}). 1 sends one request per item.`,
): INodeProperties {
	return {
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE },
		default: MAX_BATCH_SIZE,
		description: `${purpose} One value for the whole step: it is read from the first item, so an expression here uses the first item's value`,
	};
}

/**
 * A BatchOperation: every item is checked before any call (a bad item becomes that item's
 * error, the others still run), then the items go to Dropbox in batches, and each gets its
 * own outcome back, in input order. Without Continue On Fail the first failure stops the
 * step: a bad item or a failed lookup before anything is sent, a failed change before any
 * further call or batch; the error says which items Dropbox had already done.
 */
export function batchOperation<Plan>(description: INodeProperties[], plan: BatchPlan<Plan>): BatchOperation {
	return {
		description,
		async executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemOutcome[]> {
			const batchSize = readBatchSize(this);
			if (batchSize instanceof Error) return itemIndexes.map(() => ({ error: batchSize }));
			const keepGoing = this.continueOnFail();
			const outcomes = new Map<number, Outcome>();
			const plans = new Map<number, Plan>();
			for (const itemIndex of itemIndexes) {
				try {
					plans.set(itemIndex, plan.validate.call(this, itemIndex));
				} catch (error) {
					outcomes.set(itemIndex, { error: error as Error });
				}
			}
			// Without Continue On Fail a bad item stops the step before anything is sent
			const invalid = itemIndexes.find((itemIndex) => outcomes.has(itemIndex));
			if (invalid !== undefined && !keepGoing) throw (outcomes.get(invalid) as { error: Error }).error;
			const entries: BatchEntry[] = [];
			for (const [itemIndex, itemPlan] of plans) {
				try {
					entries.push(await plan.entryOf.call(this, itemPlan, itemIndex));
				} catch (error) {
					// A lookup (e.g. the name behind an ID) only reads: nothing is changed yet
					if (!keepGoing) throw stoppedAt(this, error as Error, itemIndex, { done: [], notSent: itemIndexes.filter((index) => index !== itemIndex) });
					outcomes.set(itemIndex, { error: error as Error });
				}
			}
			const settle = plan.settle;
			const settleEntry = settle ? async (outcome: Outcome, entry: BatchEntry) => await settle.call(this, outcome, plans.get(entry.itemIndex) as Plan, entry.itemIndex) : undefined;
			const results = await runBatched(this, plan.routes, entries, batchSize, { settle: settleEntry, stopAtFailure: !keepGoing });
			if (plan.followUp) {
				const followUps: BatchEntry[] = [];
				for (const [itemIndex, outcome] of results) {
					const next = 'output' in outcome ? plan.followUp.call(this, plans.get(itemIndex) as Plan, outcome.output, itemIndex) : undefined;
					if (next) followUps.push(next);
				}
				// every second step is sent, even after a failure: a first step done must not be left half-way
				for (const [itemIndex, outcome] of await runBatched(this, plan.routes, followUps, batchSize, { settle: settleEntry })) results.set(itemIndex, outcome);
			}
			for (const [itemIndex, outcome] of results) outcomes.set(itemIndex, outcome);
			if (!keepGoing) {
				const failed = itemIndexes.filter((itemIndex) => 'error' in (outcomes.get(itemIndex) ?? {}));
				if (failed.length > 0) {
					const first = failed[0];
					throw stoppedAt(this, (outcomes.get(first) as { error: Error }).error, first, {
						done: itemIndexes.filter((itemIndex) => 'output' in (outcomes.get(itemIndex) ?? {})),
						alsoFailed: failed.slice(1),
						notSent: itemIndexes.filter((itemIndex) => !outcomes.has(itemIndex)),
					});
				}
			}
			return itemIndexes.map((itemIndex): ItemOutcome => itemOutcome(outcomes.get(itemIndex) as Outcome));
		},
	};
}
