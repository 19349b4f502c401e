import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { jsonItems, type ItemOutput } from '../types';
import { deadlineFields, descriptionField, destinationField, readDeadline, readDestination, readTitle, show } from './fields';

export const description: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Invoices for March',
		description: 'The title people see on the request page',
		displayOptions: { show: show('create') },
	},
	destinationField('create'),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: show('create') },
		options: [
			...deadlineFields,
			descriptionField,
			{
				displayName: 'Open',
				name: 'open',
				type: 'boolean',
				default: true,
				description: 'Whether the request takes files at once; a closed one can be opened later with Update',
			},
		],
	},
];

/** file_requests/create: the request, with its ID and its https://www.dropbox.com/request/… address. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const title = readTitle(this, itemIndex, this.getNodeParameter('title', itemIndex, ''));
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const deadline = readDeadline(this, itemIndex, fields);
	const destination = await readDestination(this, 'destination', itemIndex, 'file_requests/create', 'Create File Request');
	const args: IDataObject = { title, destination };
	if (deadline) args.deadline = deadline;
	if (typeof fields.open === 'boolean') args.open = fields.open;
	if (typeof fields.description === 'string' && fields.description !== '') args.description = fields.description;
	return jsonItems(await dropboxRpc(this, 'file_requests/create', args, { path: destination, itemIndex }));
}
