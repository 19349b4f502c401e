import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { checkRevision, required } from '../../../shared/fieldChecks';
import { resolveLocator } from '../../../shared/locator';
import { pathForPathOnlyRoute } from '../../../shared/pathOnly';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { jsonItems, type ItemOutput } from '../types';

const show = { resource: ['file'], operation: ['restore'] };

export const description: INodeProperties[] = [
	dropboxLocator('file', {
		displayName: 'File',
		name: 'file',
		description:
			'Where to restore the revision: usually the file\'s own path (it may have been deleted since). Dropbox restores to a path: a file given by ID is looked up first, so a deleted file needs its path.',
		displayOptions: { show },
	}),
	{
		displayName: 'Revision',
		name: 'revision',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'a1c10ce0dd78',
		description: 'The revision to bring back: the "rev" of an entry of List Revisions',
		displayOptions: { show },
	},
];

/** Makes an older revision the current content of the file again. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const reference = resolveLocator(this, 'file', itemIndex, 'File');
	const rev = required(this, itemIndex, 'Revision', checkRevision(this.getNodeParameter('revision', itemIndex, '')));
	// files/restore takes a path (WritePath), never id:: a File given by ID is looked up first
	const path = await pathForPathOnlyRoute(this, reference, { route: 'files/restore', operation: 'Restore Revision', field: 'File', itemIndex, allowNamespace: true });
	return jsonItems(await dropboxRpc(this, 'files/restore', { path, rev }, { path, itemIndex }));
}
