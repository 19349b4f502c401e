import type { IHookFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { NamePattern } from './glob';

/** The contexts a trigger runs in: polling, webhook activation, webhook delivery. */
export type TriggerFunctions = IPollFunctions | IHookFunctions | IWebhookFunctions;

/** The contexts that start workflows, so can hold binary data. */
export type EmittingFunctions = IPollFunctions | IWebhookFunctions;

export type TriggerEvent = 'fileCreated' | 'fileUpdated' | 'fileDeleted' | 'folderCreated' | 'folderDeleted';

/** One entry of list_folder / list_folder/continue, as Dropbox sends it. */
export interface DropboxEntry {
	'.tag': 'file' | 'folder' | 'deleted';
	name: string;
	path_lower?: string;
	path_display?: string;
	id?: string;
	rev?: string;
	size?: number;
	content_hash?: string;
	client_modified?: string;
	server_modified?: string;
	[key: string]: unknown;
}

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
}
