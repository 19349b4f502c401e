import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as search from './search.operation';

export const operations: Record<string, Operation> = { search };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['search'] } },
		options: [
			{
				name: 'Search',
				value: 'search',
				description: 'Find files and folders by name or content',
				action: 'Search files and folders',
			},
		],
		default: 'search',
	},
	...search.description,
];
