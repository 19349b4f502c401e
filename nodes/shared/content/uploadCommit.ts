import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { dropboxRpc, pause } from '../transport';
import { dropboxErrorTags } from '../transport/errors';
import type { Outcome } from '../outcome';
import { entryError, WRITE_CONTENTION } from '../batch/batchJobs';
import { explainStaleRevision, mayBeSavedAlready, savedAlready, verifiedSave, type StagedUpload } from './uploadItem';

/**
 * Commits many closed upload sessions in one `upload_session/finish_batch_v2` call: Dropbox
 * takes the namespace's write lock once for all of them instead of once per file. Each
 * file's result goes back to its own item; entries refused for write contention are sent
 * again (bounded), and every saved file's content_hash is checked against the bytes sent.
 */

const ROUTE = 'files/upload_session/finish_batch_v2';

type Entry = Record<string, unknown>;

/** The outcome of one entry, from Dropbox's answer. */
async function settleEntry(ctx: IExecuteFunctions, staged: StagedUpload, entry: Entry, answerLost: boolean): Promise<Outcome> {
	const { itemIndex, plan, localHash, size } = staged;
	if (entry['.tag'] === 'success') {
		const metadata: IDataObject = { ...(entry as IDataObject) };
		delete metadata['.tag'];
		return { output: verifiedSave(ctx, itemIndex, plan, metadata, localHash, size) };
	}
	// The first attempt's answer was lost: Dropbox may have committed this file then, so the retry finds its session used up
	if (answerLost && mayBeSavedAlready(dropboxErrorTags(entry.failure))) {
		const saved = await savedAlready(ctx, itemIndex, plan.path, localHash);
		if (saved) return { output: saved };
	}
	const error = entryError(ctx, ROUTE, entry.failure, { path: plan.path, itemIndex });
	return { error: explainStaleRevision(plan, error) as Error };
}

/** One finish_batch_v2 call for `staged`: Dropbox's entries, in order, and whether an attempt's answer was lost. */
async function finishBatch(ctx: IExecuteFunctions, staged: StagedUpload[]): Promise<{ entries: Entry[]; answerLost: boolean }> {
	let answerLost = false;
	const answer = await dropboxRpc<{ entries?: Entry[] }>(
		ctx,
		ROUTE,
		{ entries: staged.map((s) => ({ cursor: { session_id: s.sessionId, offset: s.size }, commit: s.plan.commit })) },
		{ itemIndex: staged[0].itemIndex, onLostAnswer: () => (answerLost = true) },
	);
	const entries = Array.isArray(answer.entries) ? answer.entries : [];
	if (entries.length !== staged.length) {
		throw new NodeOperationError(ctx.getNode(), `Dropbox answered ${staged.length} uploads to commit with ${entries.length} results`, {
			itemIndex: staged[0].itemIndex,
			description: 'Nothing can be matched to its item safely. Check the files in Dropbox, then run again with Batch Size 1.',
		});
	}
	return { entries, answerLost };
}

/** Commits `staged` (at most 1,000), each item's outcome keyed by its index. */
export async function commitStaged(ctx: IExecuteFunctions, staged: StagedUpload[]): Promise<Map<number, Outcome>> {
	const outcomes = new Map<number, Outcome>();
	let pending = staged;
	for (let round = 1; pending.length > 0; round++) {
		let answer;
		try {
			answer = await finishBatch(ctx, pending);
		} catch (error) {
			for (const s of pending) outcomes.set(s.itemIndex, { error: error as Error });
			return outcomes;
		}
		const retry: StagedUpload[] = [];
		for (const [position, entry] of answer.entries.entries()) {
			const s = pending[position];
			const contended = entry['.tag'] !== 'success' && dropboxErrorTags(entry.failure).includes('too_many_write_operations');
			if (contended && round < WRITE_CONTENTION.rounds) retry.push(s);
			else outcomes.set(s.itemIndex, await settleEntry(ctx, s, entry, answer.answerLost));
		}
		if (retry.length > 0) {
			ctx.logger.debug(`Dropbox ${ROUTE}: ${retry.length} uploads met write contention, committing them again (round ${round})`);
			await pause(ctx, WRITE_CONTENTION.firstDelayMs * 2 ** (round - 1), { route: ROUTE, itemIndex: retry[0].itemIndex });
		}
		pending = retry;
	}
	return outcomes;
}
