import type { IHookFunctions, IPollFunctions, ITriggerFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { NamePattern } from './glob';

/** The contexts a trigger runs in: polling, webhook activation, webhook delivery, long-poll. */
export type TriggerFunctions = IPollFunctions | IHookFunctions | IWebhookFunctions | ITriggerFunctions;

/** The contexts that start workflows, so can hold binary data. */
export type EmittingFunctions = IPollFunctions | IWebhookFunctions | ITriggerFunctions;

/** The one entry type (nodes/shared/dropboxEntry.ts), here for the watch modules that name it from ./types. */
export type { DropboxEntry } from '../dropboxEntry';

export type TriggerEvent = 'fileCreated' | 'fileUpdated' | 'fileDeleted' | 'folderCreated' | 'folderDeleted';

/**
 * What the first run reports before following changes: nothing (`now`), the files Dropbox
 * received at or after `since` (epoch ms), or every file and folder already there.
 */
export type StartFrom = { mode: 'now' } | { mode: 'date'; since: number } | { mode: 'everything' };

/** What the user asked to watch, checked before any call. */
export interface WatchSettings {
	/** "" is the root. */
	folder: string;
	recursive: boolean;
	events: Set<TriggerEvent>;
	/** Lower case, without the dot; empty: every extension. */
	extensions: string[];
	namePattern?: NamePattern;
	attach: 'none' | 'binary' | 'link';
	/** At most this many changes are read (so emitted) per run; the rest follow from the saved cursor. */
	maxChanges: number;
	/** Used once, when the trigger starts watching this folder (see watchKey): never on a stored cursor. */
	startFrom: StartFrom;
}
