import type { INodeProperties } from 'n8n-workflow';

import { FILE_REQUEST_FIELDS, SIMPLIFIED_FIELDS } from '../../shared/simplify';

/** The operations whose output Simplify flattens, by resource (List and Search have their own). */
export const SIMPLIFIED_OPERATIONS: Record<string, string[]> = {
	file: ['download', 'upload', 'get', 'copy', 'move'],
	folder: ['get', 'copy', 'move'],
	sharedLink: ['create'],
	fileRequest: ['create', 'get', 'list', 'update'],
};

export const SHARED_LINK_FIELDS = 'url, name, path_display, path_lower, id, type, expires, visibility, access_level, allow_download, requires_password';

/**
 * Simplify, for every operation that returns one file's, folder's or link's metadata. Version 1
 * of the node had no such option (raw output): a saved version-1 node keeps it off; new nodes
 * (1.1) have it on, as List and Search always had.
 */
export function simplifyProperties(): INodeProperties[] {
	return Object.entries(SIMPLIFIED_OPERATIONS).flatMap(([resource, operation]): INodeProperties[] => {
		const fields = resource === 'sharedLink' ? SHARED_LINK_FIELDS : resource === 'fileRequest' ? FILE_REQUEST_FIELDS : SIMPLIFIED_FIELDS;
		const description = `Whether to return a simplified version of the response instead of the raw data (${fields})`;
		return [
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: false,
				description,
				displayOptions: { show: { resource: [resource], operation, '@version': [1] } },
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description,
				displayOptions: { show: { resource: [resource], operation }, hide: { '@version': [1] } },
			},
		];
	});
}
