import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { filesModifiedBetween, latestCursor, readChanges } from './changes';
import { changesToItems } from './events';
import { watchKey } from './settings';
import { readState, writeState } from './state';
import type { EmittingFunctions, TriggerFunctions, WatchSettings } from './types';

/**
 * How long one run may read changes when n8n gives no budget (the Instant Trigger; polls in
 * n8n 1.x, which has no getPollBudgetMs): the rest follows in the next run.
 */
export const DEFAULT_READ_MS = 30_000;

/** Starts watching from now: stores the latest cursor for the folder. One call. Returns when "now" was. */
export async function baseline(ctx: TriggerFunctions, settings: WatchSettings, staticData: IDataObject): Promise<number> {
	const checkedAt = Date.now();
	const cursor = await latestCursor(ctx, settings);
	writeState(staticData, { ...readState(staticData), cursor, watch: watchKey(settings), checkedAt });
	return checkedAt;
}

/**
 * The changes since the stored cursor as items, moving the cursor only once they are built
 * (n8n saves static data only when the run returns). No cursor yet, or one for another
 * folder: takes a baseline and reports nothing. An expired cursor (`reset`): takes a new
 * baseline and says so in the log instead of reporting the whole folder as new.
 * `from` overrides the stored cursor (a concurrent delivery already moved past it).
 * Bounded: reads at most Max Changes per Run changes and stops reading at `deadline`
 * (default: DEFAULT_READ_MS from now); `more` says changes were left for the next run.
 */
export async function takeChanges(
	ctx: EmittingFunctions,
	settings: WatchSettings,
	staticData: IDataObject,
	options: { deadline?: number; from?: string } = {},
): Promise<{ items: INodeExecutionData[]; from?: string; to?: string; more?: boolean }> {
	const state = readState(staticData);
	if (!state.cursor || state.watch !== watchKey(settings)) {
		await baseline(ctx, settings, staticData);
		return { items: [] };
	}
	const from = options.from ?? state.cursor;
	const readStartedAt = Date.now();
	const deadline = options.deadline ?? readStartedAt + DEFAULT_READ_MS;
	const read = await readChanges(ctx, from, { deadline, maxEntries: settings.maxChanges });
	if (read.reset) return await recoverFromReset(ctx, settings, staticData, state.checkedAt);
	const items = await changesToItems(ctx, settings, read.entries);
	// A read that left changes for the next run keeps the earlier check time: should Dropbox expire the
	// cursor before they are read, the reset recovery then still finds them (at worst reporting some again)
	writeState(staticData, { ...state, cursor: read.cursor, checkedAt: read.more ? state.checkedAt : readStartedAt });
	return { items, from, to: read.cursor, more: read.more };
}

/**
 * Dropbox expired the cursor (`reset`). Rather than report the whole folder as new, or
 * nothing at all: take a new cursor, then report the files Dropbox modified between the last
 * check and that new cursor, from one listing; later changes come through the new cursor.
 * Deletions in that window cannot be recovered (a listing has no trace of them).
 */
async function recoverFromReset(
	ctx: EmittingFunctions,
	settings: WatchSettings,
	staticData: IDataObject,
	lastCheck: number | undefined,
): Promise<{ items: INodeExecutionData[] }> {
	const node = ctx.getNode().name;
	const now = await baseline(ctx, settings, staticData);
	if (lastCheck === undefined) {
		ctx.logger.warn(`Dropbox expired the change cursor of "${node}" (reset): watching again from now.`);
		return { items: [] };
	}
	const changed = await filesModifiedBetween(ctx, settings, lastCheck, now);
	ctx.logger.warn(
		`Dropbox expired the change cursor of "${node}" (reset): watching again from now; ${changed.length} file(s) changed since the last check are reported from a fresh listing. Deletions made in between cannot be reported.`,
	);
	return { items: await changesToItems(ctx, settings, changed) };
}
