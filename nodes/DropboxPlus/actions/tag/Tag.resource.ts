import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as add from './add.operation';
import { get } from './get.operation';
import * as remove from './remove.operation';

export const operations: Record<string, Operation> = { add, remove, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['tag'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				description: 'Add one or more tags to a file or folder',
				action: 'Tag a file or folder',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get the tags of files and folders (many items in one request)',
				action: 'Get the tags of a file or folder',
			},
			{
				name: 'Remove',
				value: 'remove',
				description: 'Remove one or more tags from a file or folder',
				action: 'Untag a file or folder',
			},
		],
		default: 'add',
	},
	...add.description,
	...get.description,
	...remove.description,
];
