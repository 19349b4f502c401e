import { NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { CLASSIFIED_PAGE, readListing } from './changes';
import { MAX_LIST_PAGE } from '../listFolder';
import { changesToItems, existingMatches, existingToItems, fileMayMatch } from './events';
import { readState, writeState, type Backlog, type TriggerState } from './state';
import type { DropboxEntry, EmittingFunctions, StartFrom, WatchSettings } from './types';

/**
 * Start From's first report ("A Date", "Everything in the Folder"): the folder's listing as it
 * is, read a run at a time within Max Changes per Run and the read deadline, its position kept
 * in static data until it is complete. The change cursor is taken before the listing starts,
 * so a change made while the folder is listed is not lost: it comes from the change cursor
 * afterwards. Such a change may be reported twice (listed, then read as a change): with the
 * same eventId, the file's revision being the same (events.ts eventIdOf).
 */

const LISTING = 'listing:';
const LISTING_START = 'listing-start:';

/** The backlog Start From asks for; none for Now. */
export function backlogFor(startFrom: StartFrom): Backlog | undefined {
	if (startFrom.mode === 'now') return undefined;
	return startFrom.mode === 'date' ? { mode: 'date', since: startFrom.since } : { mode: 'everything' };
}

/**
 * Where the stored state stands, as one string: the change cursor, or, while the backlog is
 * being listed, its listing position. What deliveries.ts records steps between, so a stale
 * copy of the static data continues where this process stopped, in either phase.
 */
export function positionOf(state: TriggerState): string {
	if (!state.backlog) return state.cursor ?? '';
	return state.backlog.cursor === undefined ? `${LISTING_START}${state.cursor ?? ''}` : `${LISTING}${state.backlog.cursor}`;
}

export function isListingPosition(position: string): boolean {
	return position.startsWith(LISTING) || position.startsWith(LISTING_START);
}

/** The watched folder itself, which a recursive listing gives first: it is not "in" the folder. */
function isWatchedFolder(settings: WatchSettings, entry: DropboxEntry): boolean {
	return entry['.tag'] === 'folder' && (entry.id === settings.folder || entry.path_lower === settings.folder.toLowerCase());
}

/**
 * The entries the backlog reports. A date: files Dropbox received (server_modified) at or after
 * it, to the second: client_modified is what the uploading app says, often an old date for
 * a file new in Dropbox. Folders have no date in Dropbox, so a date reports files only.
 * Everything: each file and folder.
 */
function wanted(settings: WatchSettings, backlog: Backlog): (entry: DropboxEntry) => boolean {
	if (backlog.mode === 'everything') return (entry) => !isWatchedFolder(settings, entry) && existingMatches(settings, entry);
	const since = Math.floor((backlog.since ?? 0) / 1000) * 1000;
	return (entry) => fileMayMatch(settings, entry) && Date.parse(String(entry.server_modified)) >= since;
}

/**
 * One run's share of the backlog, from `position` (a listing position): its items (a date:
 * classified created or updated like any change; everything: created), the position after it
 * (the change cursor once the listing is complete) and how many entries it read. Saves its
 * progress in static data. A listing cursor Dropbox expired (`reset`) lists the folder again
 * from the start, saying so in the log: entries already reported come again, same eventId.
 */
export async function takeBacklog(
	ctx: EmittingFunctions,
	settings: WatchSettings,
	staticData: IDataObject,
	position: string,
	bounds: { deadline: number; maxEntries: number },
): Promise<{ items: INodeExecutionData[]; to: string; done: boolean; read: number }> {
	const state = readState(staticData);
	const backlog = state.backlog as Backlog;
	const keep = wanted(settings, backlog);
	const build = async (entries: DropboxEntry[]) =>
		backlog.mode === 'date' ? await changesToItems(ctx, settings, entries) : await existingToItems(ctx, settings, entries);
	// A date's files are classified, a call each; everything's entries are reported as they are
	const pageSize = backlog.mode === 'date' ? CLASSIFIED_PAGE : MAX_LIST_PAGE;
	const from = position.startsWith(LISTING) ? position.slice(LISTING.length) : undefined;
	let read = await readListing(ctx, settings, from, bounds, keep, build, pageSize);
	if (read.reset) {
		ctx.logger.warn(
			`Dropbox expired the listing cursor of "${ctx.getNode().name}" while it reported the folder's files (Start From): listing the folder again from the start; files already reported come again, with the same eventId.`,
		);
		read = await readListing(ctx, settings, undefined, bounds, keep, build, pageSize);
		if (read.reset) throw new NodeOperationError(ctx.getNode(), 'Dropbox refused a new listing of the watched folder (reset)');
	}
	const next: Backlog | undefined = read.more ? { ...backlog, cursor: read.cursor } : undefined;
	writeState(staticData, { ...state, backlog: next });
	return { items: read.items, to: next ? positionOf({ ...state, backlog: next }) : (state.cursor ?? ''), done: !read.more, read: read.read };
}
