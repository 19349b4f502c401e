import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { fieldError } from '../../../shared/fieldChecks';
import { resolveLocator } from '../../../shared/locator';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { wholeNumberIn } from '../../../shared/wholeNumber';
import { jsonItems, type ItemOutput } from '../types';

const show = { resource: ['file'], operation: ['listRevisions'] };

export const description: INodeProperties[] = [
	dropboxLocator('file', {
		displayName: 'File',
		name: 'file',
		displayOptions: { show },
	}),
	{
		displayName: 'Follow',
		name: 'revisionMode',
		type: 'options',
		options: [
			{ name: 'Path', value: 'path', description: 'Revisions of whatever file was saved at this path' },
			{ name: 'File ID', value: 'id', description: 'Revisions of this file wherever it was moved (give the File by ID)' },
		],
		default: 'path',
		description: 'Whether the history follows the path or the file itself',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show },
	},
];

interface Revisions {
	is_deleted: boolean;
	server_deleted?: string;
	entries: IDataObject[];
}

/** The file's revisions, newest first: one item per revision. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const path = resolveLocator(this, 'file', itemIndex, 'File');
	const mode = this.getNodeParameter('revisionMode', itemIndex, 'path') as string;
	if (mode === 'id' && !path.startsWith('id:')) {
		throw fieldError(this, itemIndex, 'File', `"${path}" is not a file ID`, 'With Follow set to File ID, give the File by ID (id:…), or set Follow to Path.');
	}
	const raw = this.getNodeParameter('limit', itemIndex, 50) as unknown;
	const limit = wholeNumberIn(raw, 1, 100);
	if (limit === undefined) {
		throw fieldError(this, itemIndex, 'Limit', `${String(raw)} is out of range`, 'Dropbox returns 1 to 100 revisions: use a whole number in that range.');
	}
	const result = await dropboxRpc<Revisions>(this, 'files/list_revisions', { path, mode, limit }, { path, itemIndex });
	const deleted: IDataObject = { is_deleted: result.is_deleted };
	if (result.server_deleted) deleted.server_deleted = result.server_deleted;
	return jsonItems(result.entries.map((entry) => ({ ...entry, ...deleted })));
}
