import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as copy from './copy.operation';
import * as remove from './delete.operation';
import * as get from './get.operation';
import * as move from './move.operation';
import * as saveUrl from './saveUrl.operation';

export const operations: Record<string, Operation> = { saveUrl, get, copy, move, delete: remove };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		options: [
			{
				name: 'Copy',
				value: 'copy',
				description: 'Copy a file into a folder, under a new name, or to a full path',
				action: 'Copy a file',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a file, optionally only if it is still at a given revision',
				action: 'Delete a file',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a file\'s metadata by path, ID or address',
				action: 'Get a file',
			},
			{
				name: 'Move or Rename',
				value: 'move',
				description: 'Move a file to another folder or path, or rename it',
				action: 'Move or rename a file',
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
	...copy.description,
	...move.description,
	...remove.description,
];
