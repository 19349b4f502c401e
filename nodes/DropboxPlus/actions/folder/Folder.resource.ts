import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as downloadZip from './downloadZip.operation';
import * as get from './get.operation';
import * as list from './list.operation';

export const operations: Record<string, Operation> = { downloadZip, list, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['folder'] } },
		options: [
			{
				name: 'Download as ZIP',
				value: 'downloadZip',
				description: 'Download a whole folder as one ZIP file (up to 20 GB and 10,000 files)',
				action: 'Download a folder as ZIP',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a folder\'s metadata by path or ID',
				action: 'Get a folder',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List the files and folders in a folder, optionally with its subfolders',
				action: 'List a folder',
			},
		],
		default: 'get',
	},
	...get.description,
	...downloadZip.description,
	...list.description,
];
