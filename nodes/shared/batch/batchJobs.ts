import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { dropboxErrorInfo, dropboxRpc, pause } from '../transport';
import { dropboxErrorParts, dropboxErrorTags } from '../transport/errors';
import type { Outcome } from '../outcome';
import { wholeNumberIn } from '../wholeNumber';
import { pollUntilDone, type PollPolicy } from './jobPolling';

/**
 * Many items, few calls: copy, move, delete and folder creation send up to Batch Size
 * entries in one `*_batch` request, wait for Dropbox's job with bounded polling, and give
 * every entry's result back to its own input item, in input order.
 */

type Dict = Record<string, unknown>;

/** How one Dropbox change is done alone and in a batch. */
export interface BatchRoutes {
	/** One entry alone, e.g. `files/copy_v2`: answers `{metadata}`. */
	single: string;
	/** Many entries, e.g. `files/copy_batch_v2`. */
	launch: string;
	/** The job status, e.g. `files/copy_batch/check_v2`. */
	check: string;
	/** The request body of a batch from its entries and the arguments they share. */
	launchArgs(entries: IDataObject[], shared: IDataObject): IDataObject;
	/** A successful entry of the batch result → the metadata a single call returns. */
	successOf(entry: Dict): IDataObject;
	/** A failed entry → the error union a single call answers with HTTP 409. */
	failureOf(entry: Dict): unknown;
	/**
	 * The batch route answers its entries at once (`{entries}`, no job) and there is no route for
	 * one entry (files/lock_file_batch and its kin): Batch Size 1 sends batches of one.
	 */
	batchOnly?: boolean;
}

/** One input item's change: its own arguments, the batch-level arguments, and its path for messages. */
export interface BatchEntry {
	itemIndex: number;
	args: IDataObject;
	/** Arguments Dropbox takes per batch, not per entry (autorename…): entries batch only with equal ones. */
	shared: IDataObject;
	/** Named in error messages. */
	path: string;
	/** Where a copy or move goes: named instead of `path` when Dropbox refuses the destination. */
	destination?: string;
}

/** Dropbox takes at most this many entries per copy, move or delete batch. */
export const MAX_BATCH_SIZE = 1000;

/** Dropbox's batch jobs: checked at once, then after 200 ms growing to 2 s; given up after 10 minutes. */
export const BATCH_JOB_POLL: PollPolicy = { initialIntervalMs: 200, maxIntervalMs: 2_000, timeoutMs: 10 * 60_000 };

/** Rounds of resubmitting entries that met `too_many_write_operations`, and the first wait. */
export const WRITE_CONTENTION = { rounds: 5, firstDelayMs: 1_000 };


/** Splits a list into runs of at most `size`, keeping the order. */
export function chunk<T>(list: T[], size: number): T[][] {
	const runs: T[][] = [];
	for (let start = 0; start < list.length; start += size) runs.push(list.slice(start, start + size));
	return runs;
}

/** Entries that may share one batch request (equal batch-level arguments), in input order. */
export function groupByShared(entries: BatchEntry[]): BatchEntry[][] {
	const groups = new Map<string, BatchEntry[]>();
	for (const entry of entries) {
		const key = JSON.stringify(entry.shared);
		const group = groups.get(key);
		if (group) group.push(entry);
		else groups.set(key, [entry]);
	}
	return [...groups.values()];
}

/** The "Batch Size" option, checked: 1..1000, 1 meaning one call per item. */
export function readBatchSize(ctx: IExecuteFunctions): number | NodeOperationError {
	const raw = ctx.getNodeParameter('options.batchSize', 0, MAX_BATCH_SIZE) as unknown;
	const size = wholeNumberIn(raw, 1, MAX_BATCH_SIZE);
	if (size !== undefined) return size;
	return new NodeOperationError(ctx.getNode(), `The Batch Size "${String(raw)}" is not a whole number from 1 to ${MAX_BATCH_SIZE}`, {
		itemIndex: 0,
		description: `Set Batch Size to a number from 1 (one call per item) to ${MAX_BATCH_SIZE} (the most Dropbox takes in one call).`,
	});
}

/** The error of a failed batch entry (or job), worded and tagged exactly like the same failure of a single call. */
export function entryError(
	ctx: IExecuteFunctions,
	route: string,
	failure: unknown,
	call: { path?: string; itemIndex?: number },
): NodeApiError {
	const json = { error: failure, error_summary: `${dropboxErrorTags(failure).join('/')}/` };
	const parts = dropboxErrorParts({ status: 409, headers: {}, json, text: JSON.stringify(json) }, { route, ...call });
	const error = new NodeApiError(ctx.getNode(), parts.response, parts.options);
	error.message = parts.options.message;
	Object.assign(error.context, parts.context);
	return error;
}

/** The path a failure is about: the destination when Dropbox refused it (RelocationError `to`), else the entry's path. */
function pathOf(entry: BatchEntry, tags: string[]): string {
	return tags[0] === 'to' && entry.destination !== undefined ? entry.destination : entry.path;
}

/** The union a 409 answer's tag chain stands for (`to/conflict/file`), enough to word the message again. */
function unionOfTags(tags: string[]): Dict {
	const union: Dict = { '.tag': tags[tags.length - 1] };
	return tags.slice(0, -1).reduceRight<Dict>((inner, tag) => ({ '.tag': tag, [tag]: inner }), union);
}

function isWriteContention(failure: unknown): boolean {
	return dropboxErrorTags(failure).includes('too_many_write_operations');
}

type JobAnswer = { entries: Dict[] } | { failed: unknown };

/** Waits for an async job: growing intervals, bounded total time. */
async function pollJob(ctx: IExecuteFunctions, routes: BatchRoutes, jobId: string, itemIndex: number): Promise<JobAnswer> {
	const status = await pollUntilDone(async () => {
		const answer = await dropboxRpc<Dict>(ctx, routes.check, { async_job_id: jobId }, { itemIndex });
		return answer['.tag'] === 'in_progress' ? undefined : answer;
	}, BATCH_JOB_POLL, async (ms) => await pause(ctx, ms, { route: routes.check, itemIndex }));
	if (status === undefined) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Dropbox's batch job did not finish within ${BATCH_JOB_POLL.timeoutMs / 1000} s (${routes.launch})`,
			{
				itemIndex,
				description: `Dropbox may still complete it (job ${jobId}). Check the result in Dropbox before running again, or lower the Batch Size.`,
			},
		);
	}
	return answerOf(ctx, routes.check, status, itemIndex);
}

function answerOf(ctx: IExecuteFunctions, route: string, answer: Dict, itemIndex: number): JobAnswer {
	if (answer['.tag'] === 'complete' && Array.isArray(answer.entries)) return { entries: answer.entries as Dict[] };
	// a synchronous batch result (LockFileBatchResult): the entries, no tag
	if (answer['.tag'] === undefined && Array.isArray(answer.entries)) return { entries: answer.entries as Dict[] };
	if (answer['.tag'] === 'failed') return { failed: answer.failed };
	throw new NodeOperationError(ctx.getNode(), `Dropbox answered ${route} with "${String(answer['.tag'])}", which this node does not know`, {
		itemIndex,
		description: 'Run again; if it persists, report it with the workflow.',
	});
}

type EntryResult = { success: IDataObject } | { failure: unknown; route: string };

/** One batch request for entries sharing their batch-level arguments: a result per entry, in order. */
async function runJob(ctx: IExecuteFunctions, routes: BatchRoutes, entries: BatchEntry[]): Promise<EntryResult[]> {
	const itemIndex = entries[0].itemIndex;
	const launch = await dropboxRpc<Dict>(
		ctx,
		routes.launch,
		routes.launchArgs(
			entries.map((entry) => entry.args),
			entries[0].shared,
		),
		{ itemIndex },
	);
	const answer =
		launch['.tag'] === 'async_job_id'
			? await pollJob(ctx, routes, String(launch.async_job_id), itemIndex)
			: answerOf(ctx, routes.launch, launch, itemIndex);
	if ('failed' in answer) return entries.map(() => ({ failure: answer.failed, route: routes.check }));
	if (answer.entries.length !== entries.length) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Dropbox answered ${entries.length} batch entries with ${answer.entries.length} results`,
			{ itemIndex, description: 'Nothing can be matched to its item safely. Check the result in Dropbox, then run again with Batch Size 1.' },
		);
	}
	return answer.entries.map((entry) =>
		entry['.tag'] === 'success'
			? { success: routes.successOf(entry) }
			: { failure: routes.failureOf(entry) ?? entry, route: routes.launch },
	);
}

/**
 * Runs a run of at most Batch Size entries, resubmitting (bounded) the entries Dropbox
 * refused for write contention, and records each entry's outcome.
 */
async function runChunk(
	ctx: IExecuteFunctions,
	routes: BatchRoutes,
	entries: BatchEntry[],
	outcomes: Map<number, Outcome>,
): Promise<void> {
	let pending = entries;
	for (let round = 1; pending.length > 0; round++) {
		const lastRound = round >= WRITE_CONTENTION.rounds;
		let results;
		try {
			results = await runJob(ctx, routes, pending);
		} catch (error) {
			for (const entry of pending) outcomes.set(entry.itemIndex, { error: error as Error });
			return;
		}
		const retry: BatchEntry[] = [];
		results.forEach((result, position) => {
			const entry = pending[position];
			if ('success' in result) {
				outcomes.set(entry.itemIndex, { output: result.success });
			} else if (isWriteContention(result.failure) && !lastRound) {
				retry.push(entry);
			} else {
				const path = pathOf(entry, dropboxErrorTags(result.failure));
				const error = entryError(ctx, result.route, result.failure, { path, itemIndex: entry.itemIndex });
				outcomes.set(entry.itemIndex, { error });
			}
		});
		if (retry.length > 0) {
			ctx.logger.debug(`Dropbox ${routes.launch}: ${retry.length} entries met write contention, resubmitting (round ${round})`);
			await pause(ctx, WRITE_CONTENTION.firstDelayMs * 2 ** (round - 1), { route: routes.launch, itemIndex: pending[0].itemIndex });
		}
		pending = retry;
	}
}

async function runSingle(ctx: IExecuteFunctions, routes: BatchRoutes, entry: BatchEntry): Promise<Outcome> {
	try {
		const result = await dropboxRpc<Dict>(ctx, routes.single, { ...entry.args, ...entry.shared }, {
			path: entry.path,
			itemIndex: entry.itemIndex,
		});
		return { output: result.metadata as IDataObject };
	} catch (error) {
		const info = dropboxErrorInfo(error);
		const tags = info?.dropboxStatus === 409 ? info.dropboxTag.split('/') : [];
		const path = pathOf(entry, tags);
		if (path === entry.path) return { error: error as Error };
		return { error: entryError(ctx, routes.single, unionOfTags(tags), { path, itemIndex: entry.itemIndex }) };
	}
}

/** Item indexes as short text: runs of three or more as ranges ("0–2, 5, 7, 8"). */
export function itemList(indexes: number[]): string {
	const sorted = [...indexes].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let start = 0; start < sorted.length; ) {
		let end = start;
		while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
		if (end - start >= 2) parts.push(`${sorted[start]}–${sorted[end]}`);
		else for (let index = start; index <= end; index++) parts.push(String(sorted[index]));
		start = end + 1;
	}
	return parts.join(', ');
}

/** Where a step stopped at a failure: which items Dropbox had already done, which failed too, which were never sent. */
export interface StopReport {
	done: number[];
	alsoFailed?: number[];
	notSent: number[];
	/** How the items of `notSent` are named: "Not sent" (the default), or e.g. "Not saved" for uploads never committed. */
	notSentLabel?: string;
}

/**
 * The failure that stopped a step (Continue On Fail off), with what was already done: the
 * message stays the failure's own; the description adds which items Dropbox already changed
 * (nothing is undone), which failed too and which were never sent, so a rerun can be planned.
 * The same lists go in the error's context (`itemsDone`, `itemsFailed`, `itemsNotSent`).
 * A step of one item keeps its error as it is.
 */
export function stoppedAt(ctx: IExecuteFunctions, error: Error, itemIndex: number, report: StopReport): Error {
	// A step of one item has nothing else to tell
	if (report.done.length + (report.alsoFailed?.length ?? 0) + report.notSent.length === 0) return error;
	const stopped =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), error, { itemIndex });
	const lines = [`The step stopped at item ${itemIndex} (Continue On Fail is off).`];
	lines.push(
		report.done.length > 0
			? `Already done in Dropbox, and not undone: item${report.done.length > 1 ? 's' : ''} ${itemList(report.done)}.`
			: 'No other item was changed in Dropbox.',
	);
	const alsoFailed = (report.alsoFailed ?? []).filter((index) => index !== itemIndex);
	if (alsoFailed.length > 0) lines.push(`Also failed: item${alsoFailed.length > 1 ? 's' : ''} ${itemList(alsoFailed)}.`);
	if (report.notSent.length > 0) lines.push(`${report.notSentLabel ?? 'Not sent'}: item${report.notSent.length > 1 ? 's' : ''} ${itemList(report.notSent)}.`);
	lines.push('Item numbers count from 0. Turn on Continue On Fail to get one result per item instead.');
	const original = typeof stopped.description === 'string' && stopped.description !== '' ? `${stopped.description} ` : '';
	stopped.description = `${original}${lines.join(' ')}`;
	if (stopped.context.itemIndex === undefined) stopped.context.itemIndex = itemIndex;
	Object.assign(stopped.context, { itemsDone: report.done, itemsFailed: [itemIndex, ...alsoFailed], itemsNotSent: report.notSent });
	return stopped;
}

/** How `runBatched` treats outcomes as they come. */
export interface RunOptions {
	/** Turns an entry's outcome into its final one before it counts (e.g. an existing folder instead of a conflict). */
	settle?: (outcome: Outcome, entry: BatchEntry) => Promise<Outcome>;
	/**
	 * Stop at the first failure (Continue On Fail off): no further call, no further batch. Entries
	 * not sent get no outcome. With Batch Size 1 the entries after the failing one are not sent;
	 * with batching the entries of later batches are not (those of the same batch went together).
	 */
	stopAtFailure?: boolean;
}

/**
 * Every entry's outcome, keyed by item index: one call per entry when Batch Size is 1, else one
 * batch request per up to Batch Size entries. With `stopAtFailure`, only the entries sent have
 * an outcome.
 */
export async function runBatched(
	ctx: IExecuteFunctions,
	routes: BatchRoutes,
	entries: BatchEntry[],
	batchSize: number,
	options: RunOptions = {},
): Promise<Map<number, Outcome>> {
	const outcomes = new Map<number, Outcome>();
	/** Records the settled outcomes of entries just sent; true when the run must stop there. */
	const record = async (sent: BatchEntry[], raw: Map<number, Outcome>): Promise<boolean> => {
		let failed = false;
		for (const entry of sent) {
			const outcome = raw.get(entry.itemIndex) as Outcome;
			const settled = options.settle ? await options.settle(outcome, entry) : outcome;
			outcomes.set(entry.itemIndex, settled);
			if ('error' in settled) failed = true;
		}
		return failed && options.stopAtFailure === true;
	};
	if (batchSize === 1 && routes.batchOnly !== true) {
		for (const entry of entries) {
			const raw = new Map([[entry.itemIndex, await runSingle(ctx, routes, entry)]]);
			if (await record([entry], raw)) break;
		}
		return outcomes;
	}
	for (const group of groupByShared(entries)) {
		for (const run of chunk(group, batchSize)) {
			const raw = new Map<number, Outcome>();
			await runChunk(ctx, routes, run, raw);
			if (await record(run, raw)) return outcomes;
		}
	}
	return outcomes;
}
