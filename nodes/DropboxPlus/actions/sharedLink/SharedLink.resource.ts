import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as create from './create.operation';
import * as downloadFromLink from './downloadFromLink.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as revoke from './revoke.operation';

export const operations: Record<string, Operation> = { create, downloadFromLink, get, list, revoke };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sharedLink'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Share a file or folder by link',
				action: 'Create a shared link',
			},
			{
				name: 'Download File From Link',
				value: 'downloadFromLink',
				description: 'Download the file a shared link points at',
				action: 'Download a file from a shared link',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get what a shared link points at and its settings',
				action: 'Get a shared link',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List the shared links of the account or of one file or folder',
				action: 'List shared links',
			},
			{
				name: 'Revoke',
				value: 'revoke',
				description: 'Turn a shared link off',
				action: 'Revoke a shared link',
			},
		],
		default: 'create',
	},
	...create.description,
	...downloadFromLink.description,
	...get.description,
	...list.description,
	...revoke.description,
];
