import { createHash } from 'node:crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { mapLimited } from '../pool';
import { deletedKind, fileChange } from './classify';
import { attachContent } from './content';
import type { DropboxEntry } from '../dropboxEntry';
import type { EmittingFunctions, TriggerEvent, WatchSettings } from './types';

/**
 * Classification calls (one small answer each) run this many at a time: a burst of changes costs
 * a call per file, so their number bounds how fast a burst is reported.
 */
const CLASSIFY_CALLS = 8;
/** Content (downloads, temporary links) runs this many at a time: downloads hold memory. */
const CONTENT_CALLS = 4;

function extensionOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

function nameMatches(settings: WatchSettings, entry: DropboxEntry): boolean {
	return settings.namePattern?.test(entry.name) ?? true;
}

/** The extension filter concerns files only: folder events pass it. */
function extensionMatches(settings: WatchSettings, name: string): boolean {
	return settings.extensions.length === 0 || settings.extensions.includes(extensionOf(name));
}

/** The event an entry stands for, or undefined when the user did not ask for it. */
async function eventOf(ctx: EmittingFunctions, settings: WatchSettings, entry: DropboxEntry): Promise<TriggerEvent | undefined> {
	const { events } = settings;
	if (!nameMatches(settings, entry)) return undefined;
	if (entry['.tag'] === 'folder') return events.has('folderCreated') ? 'folderCreated' : undefined;
	const fileWanted = extensionMatches(settings, entry.name);
	if (entry['.tag'] === 'file') {
		if (!fileWanted || !(events.has('fileCreated') || events.has('fileUpdated'))) return undefined;
		const event = await fileChange(ctx, entry);
		return events.has(event) ? event : undefined;
	}
	const wantFile = fileWanted && events.has('fileDeleted');
	const wantFolder = events.has('folderDeleted');
	if (!wantFile && !wantFolder) return undefined;
	const kind = await deletedKind(ctx, entry);
	if (kind === 'file') return wantFile ? 'fileDeleted' : undefined;
	return wantFolder ? 'folderDeleted' : undefined;
}

/**
 * What an entry already in the folder stands for in Start From's first report ("Everything in
 * the Folder"): created, when the user asked for that event and the filters pass. No call.
 */
function existingEventOf(settings: WatchSettings, entry: DropboxEntry): TriggerEvent | undefined {
	if (!nameMatches(settings, entry)) return undefined;
	if (entry['.tag'] === 'folder') return settings.events.has('folderCreated') ? 'folderCreated' : undefined;
	if (entry['.tag'] !== 'file' || !extensionMatches(settings, entry.name)) return undefined;
	return settings.events.has('fileCreated') ? 'fileCreated' : undefined;
}

/**
 * Whether a file may become an item once classified (created or updated): the filters pass and
 * one of the two events is chosen. No call; eventOf decides.
 */
export function fileMayMatch(settings: WatchSettings, entry: DropboxEntry): boolean {
	const { events } = settings;
	return entry['.tag'] === 'file' && nameMatches(settings, entry) && extensionMatches(settings, entry.name) && (events.has('fileCreated') || events.has('fileUpdated'));
}

/** Whether an entry already in the folder is reported by "Everything in the Folder". */
export function existingMatches(settings: WatchSettings, entry: DropboxEntry): boolean {
	return existingEventOf(settings, entry) !== undefined;
}

/**
 * A change's stable identity: the same for every read of the same change (by another process,
 * or again after a cursor rolled back), different for different changes, so n8n's Remove
 * Duplicates node (on `eventId`) can drop repeats. From the event, the entry's ID (its path
 * when Dropbox gives none: deletions) and its revision (files only). 32 hex digits.
 * A file revision is one change whether it is told as created or updated: both share an
 * identity (that of "created"), so the same revision read by Start From's first report (as
 * created) and again by the change feed (maybe as updated), or classified again after its
 * history grew, keeps its eventId.
 */
export function eventIdOf(event: TriggerEvent, entry: DropboxEntry): string {
	const kind = event === 'fileUpdated' ? 'fileCreated' : event;
	const parts = [kind, entry.id ?? entry.path_lower ?? entry.path_display?.toLowerCase() ?? entry.name, entry.rev ?? ''];
	return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
}

async function itemFor(ctx: EmittingFunctions, settings: WatchSettings, entry: DropboxEntry, event: TriggerEvent | undefined): Promise<INodeExecutionData | undefined> {
	if (!event) return undefined;
	const json: IDataObject = { event, eventId: eventIdOf(event, entry), ...entry };
	if (event === 'fileCreated' || event === 'fileUpdated') return await attachContent(ctx, settings, entry, json);
	return { json };
}

/** The items a batch of changed entries becomes: classified, filtered, with content if asked. */
export async function changesToItems(
	ctx: EmittingFunctions,
	settings: WatchSettings,
	entries: DropboxEntry[],
): Promise<INodeExecutionData[]> {
	const events = await mapLimited(entries, CLASSIFY_CALLS, async (entry) => await eventOf(ctx, settings, entry));
	const items = await mapLimited(entries, CONTENT_CALLS, async (entry, index) => await itemFor(ctx, settings, entry, events[index]));
	return items.filter((item): item is INodeExecutionData => item !== undefined);
}

/** The items entries already in the folder become in "Everything in the Folder": each one created. */
export async function existingToItems(
	ctx: EmittingFunctions,
	settings: WatchSettings,
	entries: DropboxEntry[],
): Promise<INodeExecutionData[]> {
	const items = await mapLimited(entries, CONTENT_CALLS, async (entry) => await itemFor(ctx, settings, entry, existingEventOf(settings, entry)));
	return items.filter((item): item is INodeExecutionData => item !== undefined);
}

/**
 * Manual test: the newest files (or folders, if only folder events are chosen) of the
 * folder's first listing page, shaped like real events and marked `sample: true`.
 */
export async function sampleItems(
	ctx: EmittingFunctions,
	settings: WatchSettings,
	entries: DropboxEntry[],
	count: number,
): Promise<INodeExecutionData[]> {
	const chosen = [...settings.events];
	const event = chosen.find((candidate) => candidate.startsWith('file')) ?? chosen[0];
	const kind = event.startsWith('file') ? 'file' : 'folder';
	const newest = entries
		.filter((entry) => entry['.tag'] === kind && nameMatches(settings, entry))
		.filter((entry) => kind === 'folder' || extensionMatches(settings, entry.name))
		.sort((a, b) => String(b.server_modified ?? '').localeCompare(String(a.server_modified ?? '')))
		.slice(0, count);
	return await mapLimited(newest, CONTENT_CALLS, async (entry) => {
		const json: IDataObject = { event, eventId: eventIdOf(event, entry), sample: true, ...entry };
		return kind === 'file' ? await attachContent(ctx, settings, entry, json) : { json };
	});
}
