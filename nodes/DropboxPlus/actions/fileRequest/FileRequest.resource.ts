import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as count from './count.operation';
import * as create from './create.operation';
import { remove } from './delete.operation';
import * as deleteAllClosed from './deleteAllClosed.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as update from './update.operation';

export const operations: Record<string, Operation> = { count, create, delete: remove, deleteAllClosed, get, list, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['fileRequest'] } },
		options: [
			{
				name: 'Count',
				value: 'count',
				description: 'Count the file requests of the account, open and closed',
				action: 'Count file requests',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a page where anyone with its link can upload files into a folder',
				action: 'Create a file request',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete closed file requests (many items in one request)',
				action: 'Delete a file request',
			},
			{
				name: 'Delete All Closed',
				value: 'deleteAllClosed',
				description: 'Delete every closed file request of the account',
				action: 'Delete all closed file requests',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a file request by its ID',
				action: 'Get a file request',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List the file requests of the account, open and closed',
				action: 'List file requests',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the title, destination folder, deadline, description, or open or close it',
				action: 'Update a file request',
			},
		],
		default: 'create',
	},
	...count.description,
	...create.description,
	...remove.description,
	...deleteAllClosed.description,
	...get.description,
	...list.description,
	...update.description,
];
