import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { latestCursor, readChanges } from './changes';
import { changesToItems } from './events';
import { watchKey } from './settings';
import { readState, writeState } from './state';
import type { EmittingFunctions, TriggerFunctions, WatchSettings } from './types';

/** Starts watching from now: stores the latest cursor for the folder. One call. */
export async function baseline(ctx: TriggerFunctions, settings: WatchSettings, staticData: IDataObject): Promise<void> {
	const cursor = await latestCursor(ctx, settings);
	writeState(staticData, { ...readState(staticData), cursor, watch: watchKey(settings) });
}

/**
 * The changes since the stored cursor as items, moving the cursor only once they are built
 * (n8n saves static data only when the run returns). No cursor yet, or one for another
 * folder: takes a baseline and reports nothing. An expired cursor (`reset`): takes a new
 * baseline and says so in the log instead of reporting the whole folder as new.
 * `from` overrides the stored cursor (a concurrent delivery already moved past it).
 */
export async function takeChanges(
	ctx: EmittingFunctions,
	settings: WatchSettings,
	staticData: IDataObject,
	options: { deadline?: number; from?: string } = {},
): Promise<{ items: INodeExecutionData[]; from?: string; to?: string }> {
	const state = readState(staticData);
	if (!state.cursor || state.watch !== watchKey(settings)) {
		await baseline(ctx, settings, staticData);
		return { items: [] };
	}
	const from = options.from ?? state.cursor;
	const read = await readChanges(ctx, from, options.deadline);
	if (read.reset) {
		ctx.logger.warn(
			`Dropbox expired the change cursor of "${ctx.getNode().name}" (reset): watching again from now. Changes made since the last check are not reported.`,
		);
		await baseline(ctx, settings, staticData);
		return { items: [] };
	}
	const items = await changesToItems(ctx, settings, read.entries);
	writeState(staticData, { ...state, cursor: read.cursor });
	return { items, from, to: read.cursor };
}
