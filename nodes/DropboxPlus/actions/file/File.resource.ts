import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as copy from './copy.operation';
import * as remove from './delete.operation';
import * as download from './download.operation';
import * as get from './get.operation';
import * as getByName from './getByName.operation';
import * as getLock from './getLock.operation';
import * as getPreview from './getPreview.operation';
import * as getThumbnail from './getThumbnail.operation';
import * as getTemporaryLink from './getTemporaryLink.operation';
import * as listRevisions from './listRevisions.operation';
import * as lock from './lock.operation';
import * as move from './move.operation';
import * as restore from './restore.operation';
import * as saveUrl from './saveUrl.operation';
import * as unlock from './unlock.operation';
import * as upload from './upload.operation';

export const operations: Record<string, Operation> = {
	saveUrl,
	get,
	copy,
	move,
	delete: remove,
	upload,
	download,
	getByName,
	getTemporaryLink,
	listRevisions,
	restore,
	lock,
	unlock,
	getLock,
	getThumbnail,
	getPreview,
};

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
				name: 'Download',
				value: 'download',
				description: 'Download a file (or export a Paper or Google doc) into a binary field',
				action: 'Download a file',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a file\'s metadata by path, ID or address',
				action: 'Get a file',
			},
			{
				name: 'Get by Name',
				value: 'getByName',
				description: 'Find a file by its exact name in a folder, optionally in its subfolders',
				action: 'Get a file by name',
			},
			{
				name: 'Get Lock State',
				value: 'getLock',
				description: 'Whether files are locked, by whom and since when (many items in one request)',
				action: 'Get the lock state of a file',
			},
			{
				name: 'Get Preview',
				value: 'getPreview',
				description: 'Get a PDF or HTML preview of an office document or spreadsheet into a binary field',
				action: 'Get a preview of a file',
			},
			{
				name: 'Get Temporary Link',
				value: 'getTemporaryLink',
				description: 'Get a direct download link to a file, valid for four hours',
				action: 'Get a temporary link to a file',
			},
			{
				name: 'Get Thumbnail',
				value: 'getThumbnail',
				description: 'Get a thumbnail of an image into a binary field (up to 25 items in one request)',
				action: 'Get a thumbnail of a file',
			},
			{
				name: 'List Revisions',
				value: 'listRevisions',
				description: 'List the earlier versions of a file',
				action: 'List revisions of a file',
			},
			{
				name: 'Lock',
				value: 'lock',
				description: 'Lock files so that only you can change them until they are unlocked (many items in one request)',
				action: 'Lock a file',
			},
			{
				name: 'Move or Rename',
				value: 'move',
				description: 'Move a file to another folder or path, or rename it',
				action: 'Move or rename a file',
			},
			{
				name: 'Restore Revision',
				value: 'restore',
				description: 'Bring back an earlier version of a file',
				action: 'Restore a file revision',
			},
			{
				name: 'Save URL',
				value: 'saveUrl',
				description: 'Have Dropbox download a web address into a file',
				action: 'Save a URL to a file',
			},
			{
				name: 'Unlock',
				value: 'unlock',
				description: 'Unlock files you locked (many items in one request)',
				action: 'Unlock a file',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Save a file of any size from a binary field or text (streamed, in chunks when large)',
				action: 'Upload a file',
			},
		],
		default: 'get',
	},
	...get.description,
	...saveUrl.description,
	...copy.description,
	...move.description,
	...remove.description,
	...upload.description,
	...download.description,
	...getByName.description,
	...getTemporaryLink.description,
	...listRevisions.description,
	...restore.description,
	...lock.description,
	...unlock.description,
	...getLock.description,
	...getThumbnail.description,
	...getPreview.description,
];
