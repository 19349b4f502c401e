import {
	NodeConnectionTypes,
	NodeOperationError,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { searchFolders } from '../shared/listSearch';
import { firstListingPage } from '../shared/watch/changes';
import { simplifiedEvents, triggerCredentials, watchProperties } from '../shared/descriptions/watchFields';
import { sampleItems } from '../shared/watch/events';
import { cursorAfter, exclusive, forget, nodeKey, recordStep } from '../shared/watch/deliveries';
import { readSettings } from '../shared/watch/settings';
import type { WatchSettings } from '../shared/watch/types';
import { DEFAULT_READ_MS, storedPosition, takeChanges } from '../shared/watch/watch';


type SimplifyContext = Parameters<typeof simplifiedEvents>[0];
/** Manual runs show this many recent entries. */
const SAMPLE_SIZE = 5;

/**
 * Share of n8n's poll budget a poll may read and classify for: it stops at the first page boundary
 * after it; the rest is margin for that last page.
 */
const READ_BUDGET_SHARE = 0.5;

/**
 * Why "Fetch Test Event" found nothing, said in the editor's terms: what was looked at (the
 * folder, with or without its subfolders), what the sample looks for, and what to change.
 */
export function emptySampleExplained(settings: WatchSettings, listed: number): { message: string; description: string } {
	const folder = settings.folder === '' ? '/' : settings.folder;
	const where = settings.recursive ? `"${folder}" or its subfolders` : `"${folder}" (its direct content only: Include Subfolders is off)`;
	const kind = [...settings.events].some((event) => event.startsWith('file')) ? 'file' : 'folder';
	const filters: string[] = [];
	if (kind === 'file' && settings.extensions.length > 0) filters.push(`File Extensions "${settings.extensions.join(', ')}"`);
	if (settings.namePattern) filters.push(`Name Pattern "${settings.namePattern.source}"`);
	const message = `No ${kind} found to show as a test event: none in ${where}${filters.length > 0 ? ` matches ${filters.join(' and ')}` : ''}`;
	const active = settings.startFrom.mode === 'now' ? 'reports changes from now on' : 'first reports what Start From asks for, then every change';
	const hints = [
		`Fetch Test Event shows up to ${SAMPLE_SIZE} of the newest ${kind}s already there (${listed} ${listed === 1 ? 'entry' : 'entries'} looked at); the active trigger ${active}.`,
	];
	if (!settings.recursive) hints.push('Turn on Include Subfolders to look below the folder too.');
	if (filters.length > 0) hints.push('Loosen the filters.');
	hints.push(`Or add a ${kind} there and fetch again.`);
	return { message, description: hints.join(' ') };
}

export class DropboxPlusTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dropbox Plus Trigger',
		name: 'dropboxPlusTrigger',
		icon: { light: 'file:../../icons/dropboxPlusTrigger.svg', dark: 'file:../../icons/dropboxPlusTrigger.dark.svg' },
		group: ['trigger'],
		// 1.1: Include Subfolders on by default (version 1 keeps it off)
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["events"].join(", ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}}',
		// n8n lists this node and the action node as one "Dropbox Plus" entry, with this description
		description:
			'Upload, download, list, share and search Dropbox files and folders, or start a workflow when they change (checked on a schedule)',
		defaults: { name: 'Dropbox Plus Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: triggerCredentials,
		// A copy: n8n adds 'Poll Times' to a polling node's own array, which must not reach the Instant Trigger
		properties: [...watchProperties],
	};

	methods = {
		listSearch: { searchFolders },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readSettings(this);
		if (this.getMode() === 'manual') {
			const entries = await firstListingPage(this, settings);
			const items = await sampleItems(this, settings, entries, SAMPLE_SIZE);
			if (items.length > 0) return [simplifiedEvents(this as SimplifyContext, items)];
			const { message, description } = emptySampleExplained(settings, entries.length);
			throw new NodeOperationError(this.getNode(), message, { description });
		}
		// n8n 1.x has no poll budget: the same bound as the Instant Trigger's, never none. n8n 2 gives 5 minutes
		// whatever the interval: capped, so a poll fits the shortest interval n8n offers (every minute)
		const pollBudgetMs = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : undefined;
		const readMs = Math.min(pollBudgetMs === undefined ? DEFAULT_READ_MS : pollBudgetMs * READ_BUDGET_SHARE, DEFAULT_READ_MS);
		const startedAt = Date.now();
		const key = nodeKey(this);
		// n8n's cron starts a poll even while the previous one of this node still runs: that one reads the changes
		const poll = await exclusive(key, async () => {
			const staticData = this.getWorkflowStaticData('node');
			const taken = await takeChanges(this, settings, staticData, { deadline: Date.now() + readMs, from: cursorAfter(key, storedPosition(staticData)) });
			// Remembered in this process: a stale copy of the static data saved back later cannot roll the cursor back.
			// Not when the poll outran n8n's budget: n8n may abandon it, saving nothing, and the next poll must read these again
			const inTime = pollBudgetMs === undefined || Date.now() - startedAt < pollBudgetMs;
			if (taken.from && taken.to) {
				if (inTime) recordStep(key, taken.from, taken.to);
			} else forget(key);
			return taken.items;
		});
		if (!poll.ran) {
			this.logger.debug(`Dropbox Plus Trigger "${this.getNode().name}": the previous poll still runs, this one reads nothing`);
			return null;
		}
		return poll.value.length > 0 ? [simplifiedEvents(this as SimplifyContext, poll.value)] : null;
	}
}
