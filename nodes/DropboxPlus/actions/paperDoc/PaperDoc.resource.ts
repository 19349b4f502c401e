import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as create from './create.operation';
import * as update from './update.operation';

export const operations: Record<string, Operation> = { create, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['paperDoc'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a Paper doc from Markdown, HTML or plain text',
				action: 'Create a paper doc',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Append, prepend or replace the content of a Paper doc',
				action: 'Update a paper doc',
			},
		],
		default: 'create',
	},
	...create.description,
	...update.description,
];
