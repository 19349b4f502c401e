import type { INodeExecutionData, INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { EXTENSION_LIST_HINT } from '../extensions';
import { SIMPLIFIED_FIELDS, simplifyMetadataItem } from '../simplify';
import { authenticationProperty, dropboxCredentials } from './authentication';
import { dropboxLocator } from './locatorFields';

export const triggerCredentials: INodeTypeDescription['credentials'] = dropboxCredentials;

/** The parameters the three triggers share: what to watch and what each item carries. */
export const watchProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Trigger On',
		name: 'events',
		type: 'multiOptions',
		options: [
			{ name: 'File Created', value: 'fileCreated', description: 'A new file, or one moved or renamed into the folder' },
			{ name: 'File Deleted', value: 'fileDeleted', description: 'A file deleted, or moved or renamed away' },
			{ name: 'File Updated', value: 'fileUpdated', description: 'A new revision of a file at the same path' },
			{ name: 'Folder Created', value: 'folderCreated', description: 'A new folder, or one moved or renamed into the folder' },
			{ name: 'Folder Deleted', value: 'folderDeleted', description: 'A folder deleted, or moved or renamed away' },
		],
		default: ['fileCreated', 'fileUpdated'],
		required: true,
		description: 'The changes that start the workflow, one item per change',
	},
	dropboxLocator('folder', {
		displayName: 'Folder',
		name: 'folder',
		default: { mode: 'path', value: '/' },
		description:
			'The folder to watch: pick it, or give its path ("/" is the root: with Include Subfolders on, the whole Dropbox), its ID or its Dropbox address',
	}),
	// Version 1 kept Include Subfolders off by default, and n8n does not save a default value:
	// a saved version-1 trigger keeps watching only the folder's direct content.
	{
		displayName: 'Include Subfolders',
		name: 'includeSubfolders',
		type: 'boolean',
		default: false,
		description: 'Whether changes anywhere below the folder count too, not only its direct content',
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Include Subfolders',
		name: 'includeSubfolders',
		type: 'boolean',
		default: true,
		description:
			'Whether changes anywhere below the folder count too (with Folder "/": the whole Dropbox); off: only files and folders directly in it',
		displayOptions: { hide: { '@version': [1] } },
	},
	// Default Now: what every trigger did before Start From existed, so saved triggers keep it
	{
		displayName: 'Start From',
		name: 'startFrom',
		type: 'options',
		options: [
			{
				name: 'A Date',
				value: 'date',
				description: 'First the files Dropbox received since Start Date (one item each, as created or updated), then every change',
			},
			{
				name: 'Everything in the Folder',
				value: 'everything',
				description: 'First every file and folder already there, as File Created / Folder Created (a first sync), then every change',
			},
			{ name: 'Now', value: 'now', description: 'Only changes made from activation on' },
		],
		default: 'now',
		description:
			'What the trigger reports first. Used once, when it starts watching this folder (first activation, or after Folder or Include Subfolders changed): changing it later reports nothing again. Events and filters apply; a large first report comes Max Changes per Run at a time. It comes with the first polls; with the Long-Poll Trigger at once on activation; with the Instant Trigger at the first Dropbox notification.',
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		required: true,
		placeholder: '2024-05-01T00:00:00Z',
		description:
			'Files Dropbox received (server_modified) at or after this moment are reported first. A date, an ISO text such as 2024-05-01T09:30:00Z, or an expression such as {{ $now.minus({ days: 7 }) }}; without a time zone it is UTC. Folders have no date in Dropbox: they are not reported.',
		displayOptions: { show: { startFrom: ['date'] } },
	},
	// Simplify: version 1 gave Dropbox's raw metadata (kept for saved triggers, off); 1.1 flattens it by default
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description: `Whether to return a simplified version of the response instead of the raw data (event, ${SIMPLIFIED_FIELDS})`,
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: `Whether to return a simplified version of the response instead of the raw data (event, ${SIMPLIFIED_FIELDS})`,
		displayOptions: { hide: { '@version': [1] } },
	},
	{
		displayName: 'Attach Content',
		name: 'attachContent',
		type: 'options',
		options: [
			{ name: 'None', value: 'none', description: 'Metadata only' },
			{ name: 'Binary', value: 'binary', description: 'Download each created or updated file into the binary property "data"' },
			{ name: 'Temporary Link', value: 'link', description: 'Add "temporary_link": a download address valid for 4 hours' },
		],
		default: 'none',
		description: 'What created and updated files carry besides their metadata',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'File Extensions',
				name: 'fileExtensions',
				type: 'string',
				default: '',
				placeholder: 'pdf, docx',
				description: `Only files with one of these extensions: ${EXTENSION_LIST_HINT}. Folder events are not affected.`,
			},
			{
				displayName: 'Name Pattern',
				name: 'namePattern',
				type: 'string',
				default: '',
				placeholder: 'invoice-*.pdf',
				description: 'Only names matching this pattern: * stands for any characters, ? for one; case ignored',
			},
		],
	},
	{
		displayName: 'Max Changes per Run',
		name: 'maxChangesPerRun',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10000 },
		default: 500,
		description:
			'At most this many changes are read, so at most this many items emitted, per run (a run also stops after about 30 s of reading and classifying); the rest come with the next run, from where this one stopped: none lost, none twice (the next poll; with the Long-Poll and Instant Triggers at once)',
	},
];

/** A trigger's items as its Simplify option asks: the event, then the same columns as List's items. */
export function simplifiedEvents(
	ctx: { getNodeParameter(name: string, fallback: unknown): unknown },
	items: INodeExecutionData[],
): INodeExecutionData[] {
	if (ctx.getNodeParameter('simplify', false) !== true) return items;
	return items.map((item) => ({ ...item, json: simplifyMetadataItem(item.json) }));
}
