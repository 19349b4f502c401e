import type { INodeProperties } from 'n8n-workflow';

import { dropboxLocator } from '../../../shared/descriptions/locatorFields';

/** A shared-link field (Get, Revoke, Download File from Link). */
export function sharedLinkUrlField(operation: string): INodeProperties {
	return {
		displayName: 'Shared Link',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://www.dropbox.com/scl/fi/abc123/report.pdf?rlkey=xyz&dl=0',
		description: 'The shared link, for example the link field of a Create or List step\'s result',
		displayOptions: { show: { resource: ['sharedLink'], operation: [operation] } },
	};
}

/** The password of a password-protected link. */
export function linkPasswordField(operation: string): INodeProperties {
	return {
		displayName: 'Link Password',
		name: 'linkPassword',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'Only for a link protected by a password',
		displayOptions: { show: { resource: ['sharedLink'], operation: [operation] } },
	};
}

/** A file-or-folder locator whose list mode offers both files and folders. */
export function fileOrFolderLocator(field: Parameters<typeof dropboxLocator>[1]): INodeProperties {
	const locator = dropboxLocator('file', {
		description: 'The file or folder: pick it, or give its path (e.g. {{ $json.path_display }}), its ID or its Dropbox address',
		...field,
	});
	return {
		...locator,
		modes: locator.modes?.map((mode) =>
			mode.name === 'list'
				? {
						...mode,
						placeholder: 'Select a file or folder...',
						typeOptions: { ...mode.typeOptions, searchListMethod: 'searchEntries' },
					}
				: mode,
		),
	};
}
