import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as copy from './copy.operation';
import * as create from './create.operation';
import * as remove from './delete.operation';
import * as downloadZip from './downloadZip.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as move from './move.operation';

export const operations: Record<string, Operation> = { downloadZip, list, get, create, copy, move, delete: remove };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['folder'] } },
		options: [
			{
				name: 'Copy',
				value: 'copy',
				description: 'Copy a folder and everything in it',
				action: 'Copy a folder',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a folder (and any missing parents)',
				action: 'Create a folder',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a folder and everything in it',
				action: 'Delete a folder',
			},
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
			{
				name: 'Move or Rename',
				value: 'move',
				description: 'Move a folder to another place, or rename it',
				action: 'Move or rename a folder',
			},
		],
		default: 'get',
	},
	...get.description,
	...downloadZip.description,
	...list.description,
	...create.description,
	...copy.description,
	...move.description,
	...remove.description,
];
