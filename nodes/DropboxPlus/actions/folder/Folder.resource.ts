import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as get from './get.operation';

export const operations: Record<string, Operation> = { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['folder'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a folder\'s metadata by path or ID',
				action: 'Get a folder',
			},
		],
		default: 'get',
	},
	...get.description,
];
