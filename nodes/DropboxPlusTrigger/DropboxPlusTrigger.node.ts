import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { searchFolders } from '../shared/listSearch';
import { firstListingPage } from '../shared/watch/changes';
import { triggerCredentials, watchProperties } from '../shared/descriptions/watchFields';
import { sampleItems } from '../shared/watch/events';
import { readSettings } from '../shared/watch/settings';
import { DEFAULT_READ_MS, takeChanges } from '../shared/watch/watch';

/** Manual runs show this many recent entries. */
const SAMPLE_SIZE = 5;

/** Share of n8n's poll budget spent reading changes; the rest is left for classifying them. */
const READ_BUDGET_SHARE = 0.5;

export class DropboxPlusTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dropbox Plus Trigger',
		name: 'dropboxPlusTrigger',
		icon: { light: 'file:../../icons/dropboxPlus.svg', dark: 'file:../../icons/dropboxPlus.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}}',
		description: 'Starts the workflow when files or folders change in Dropbox, checked on a schedule',
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
			const items = await sampleItems(this, settings, await firstListingPage(this, settings), SAMPLE_SIZE);
			return items.length > 0 ? [items] : null;
		}
		// n8n 1.x has no poll budget: the same bound as the Instant Trigger's, never none
		const readMs = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() * READ_BUDGET_SHARE : DEFAULT_READ_MS;
		const { items } = await takeChanges(this, settings, this.getWorkflowStaticData('node'), { deadline: Date.now() + readMs });
		return items.length > 0 ? [items] : null;
	}
}
