import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { filesModifiedBetween, latestCursor, readChanges } from './changes';
import { backlogFor, isListingPosition, positionOf, takeBacklog } from './backlog';
import { changesToItems } from './events';
import { watchKey } from './settings';
import { readState, writeState } from './state';
import type { EmittingFunctions, TriggerFunctions, WatchSettings } from './types';

/**
 * How long one run may read changes when n8n gives no budget (the Instant Trigger; polls in
 * n8n 1.x, which has no getPollBudgetMs): the rest follows in the next run.
 */
export const DEFAULT_READ_MS = 30_000;

/**
 * Starts watching from now: stores the latest cursor for the folder (one call); returns when
 * "now" was. The first time this folder is watched (the stored watch key differs) by an active
 * trigger, it also stores the backlog Start From asks for (backlog.ts), which the next runs of
 * takeChanges report before the changes after that cursor: the cursor is taken first, so
 * nothing changed while the backlog is listed is lost. A manual run (the editor's test) never
 * gets a backlog: it starts from now, as before Start From existed.
 */
export async function baseline(ctx: TriggerFunctions, settings: WatchSettings, staticData: IDataObject): Promise<number> {
	const state = readState(staticData);
	const first = state.watch !== watchKey(settings) && ctx.getMode() !== 'manual';
	const checkedAt = Date.now();
	const cursor = await latestCursor(ctx, settings);
	const backlog = first ? backlogFor(settings.startFrom) : undefined;
	writeState(staticData, { ...state, cursor, watch: watchKey(settings), checkedAt, backlog });
	return checkedAt;
}

/** The stored position to look up in deliveries.cursorAfter: the change cursor, or the backlog's listing position. */
export function storedPosition(staticData: IDataObject): string {
	return positionOf(readState(staticData));
}

/**
 * The changes since the stored cursor as items, moving the cursor only once they are built
 * (n8n saves static data only when the run returns). No cursor yet, or one for another
 * folder: takes a baseline; with Start From = Now that reports nothing, else the same run goes
 * on with the backlog. While a backlog is stored, a run reports its next share, then, once it
 * is complete and the bounds allow, the changes after the cursor.
 * An expired cursor (`reset`): takes a new baseline and reports the files changed since the
 * last check from a listing, saying so in the log, instead of reporting the whole folder as new.
 * `from` overrides the stored position (storedPosition; a concurrent delivery already moved
 * past it): a change cursor, or a listing position. `from`/`to` returned: the positions
 * before and after this run, to record with deliveries.recordStep.
 * Bounded: reads at most Max Changes per Run changes and stops at the first page boundary after
 * `deadline` (default: DEFAULT_READ_MS from now), each page's changes classified (and their
 * content attached) before the next page is read; `more` says changes were left for the next run.
 */
export async function takeChanges(
	ctx: EmittingFunctions,
	settings: WatchSettings,
	staticData: IDataObject,
	options: { deadline?: number; from?: string } = {},
): Promise<{ items: INodeExecutionData[]; from?: string; to?: string; more?: boolean }> {
	let from = options.from;
	const stored = readState(staticData);
	if (!stored.cursor || stored.watch !== watchKey(settings)) {
		await baseline(ctx, settings, staticData);
		if (!readState(staticData).backlog) return { items: [] };
		// A position from before this start belongs to what was watched before
		from = undefined;
	}
	const state = readState(staticData);
	from ??= positionOf(state);
	const readStartedAt = Date.now();
	const bounds = { deadline: options.deadline ?? readStartedAt + DEFAULT_READ_MS, maxEntries: settings.maxChanges };
	const items: INodeExecutionData[] = [];
	let cursor = from;
	if (state.backlog && isListingPosition(from)) {
		const backlog = await takeBacklog(ctx, settings, staticData, from, bounds);
		if (!backlog.done || backlog.read >= bounds.maxEntries || Date.now() >= bounds.deadline) {
			return { items: backlog.items, from, to: backlog.to, more: true };
		}
		items.push(...backlog.items);
		cursor = backlog.to;
		bounds.maxEntries -= backlog.read;
	} else if (state.backlog) {
		// This process already completed the backlog and read on: the stored copy is stale
		writeState(staticData, { ...state, backlog: undefined });
	}
	const read = await readChanges(ctx, cursor, bounds, async (entries) => await changesToItems(ctx, settings, entries));
	if (read.reset) {
		const recovered = await recoverFromReset(ctx, settings, staticData, readState(staticData).checkedAt);
		return { items: [...items, ...recovered.items] };
	}
	// A change the backlog just listed in this same run (same revision: same eventId) is emitted once
	const listed = new Set(items.map((item) => item.json.eventId));
	items.push(...read.items.filter((item) => !listed.has(item.json.eventId)));
	// A read that left changes for the next run keeps the earlier check time: should Dropbox expire the
	// cursor before they are read, the reset recovery then still finds them (at worst reporting some again)
	const checkedAt = readState(staticData).checkedAt;
	writeState(staticData, { ...readState(staticData), cursor: read.cursor, checkedAt: read.more ? checkedAt : readStartedAt });
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
