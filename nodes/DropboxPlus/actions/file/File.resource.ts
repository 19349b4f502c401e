import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as get from './get.operation';
import * as saveUrl from './saveUrl.operation';

export const operations: Record<string, Operation> = { saveUrl, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a file\'s metadata by path, ID or address',
				action: 'Get a file',
			},
			{
				name: 'Save URL',
				value: 'saveUrl',
				description: 'Have Dropbox download a web address into a file',
				action: 'Save a URL to a file',
			},
		],
		default: 'get',
	},
	...get.description,
	...saveUrl.description,
];
