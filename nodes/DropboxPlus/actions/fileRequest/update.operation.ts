import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../../../shared/fieldChecks';
import { dropboxRpc } from '../../../shared/transport';
import { jsonItems, type ItemOutput } from '../types';
import { deadlineFields, descriptionField, destinationField, readDeadline, readDestination, readRequestId, readTitle, requestIdField, show } from './fields';

export const description: INodeProperties[] = [
	requestIdField('update'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: show('update') },
		options: [
			...deadlineFields,
			descriptionField,
			{ ...destinationField('update', { required: false }), displayOptions: undefined },
			{
				displayName: 'Open',
				name: 'open',
				type: 'boolean',
				default: true,
				description: 'Whether the request takes files: off closes it (only closed requests can be deleted), on opens it again',
			},
			{
				displayName: 'Remove Deadline',
				name: 'removeDeadline',
				type: 'boolean',
				default: false,
				description: 'Whether to clear the deadline, so the request takes files until it is closed',
			},
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: '',
				description: 'The new title people see on the request page',
			},
		],
	},
];

/** file_requests/update: only the fields given change (UpdateFileRequestArgs); the request as it is now. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const id = readRequestId(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const args: IDataObject = { id };
	if (fields.title !== undefined) args.title = readTitle(this, itemIndex, fields.title);
	const deadline = readDeadline(this, itemIndex, fields);
	if (fields.removeDeadline === true) {
		if (deadline) {
			throw fieldError(this, itemIndex, 'Remove Deadline', 'is on while a Deadline is set', 'Turn Remove Deadline off to change the deadline, or remove the Deadline field to clear it.');
		}
		args.deadline = { '.tag': 'update' };
	} else if (deadline) {
		args.deadline = { '.tag': 'update', update: deadline };
	}
	if (typeof fields.open === 'boolean') args.open = fields.open;
	if (typeof fields.description === 'string') args.description = fields.description;
	if (fields.destination !== undefined) {
		args.destination = await readDestination(this, 'updateFields.destination', itemIndex, 'file_requests/update', 'Update File Request');
	}
	return jsonItems(await dropboxRpc(this, 'file_requests/update', args, { path: id, itemIndex }));
}
