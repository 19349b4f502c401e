import type { INodeProperties } from 'n8n-workflow';

type LocatorKind = 'file' | 'folder';

const PATH_PLACEHOLDER: Record<LocatorKind, string> = {
	file: '/Reports/q1.pdf',
	folder: '/Reports',
};

/**
 * A file or folder field: pick it from a searchable list, or give a path, an ID or the
 * address of the Dropbox web page. Every mode accepts expressions such as
 * {{ $json.path_display }}.
 */
export function dropboxLocator(
	kind: LocatorKind,
	field: Pick<INodeProperties, 'displayName' | 'name'> & Partial<INodeProperties>,
): INodeProperties {
	return {
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			kind === 'file'
				? 'The file: pick it, or give its path (e.g. {{ $json.path_display }}), its ID or its Dropbox address'
				: 'The folder: pick it, or give its path ("/" is the root), its ID or its Dropbox address',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: kind === 'file' ? 'Select a file...' : 'Select a folder...',
				typeOptions: {
					searchListMethod: kind === 'file' ? 'searchFiles' : 'searchFolders',
					searchable: true,
				},
			},
			{
				displayName: 'By Path',
				name: 'path',
				type: 'string',
				placeholder: PATH_PLACEHOLDER[kind],
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'id:a4ayc_80_OEAAAAAAAAAXw',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^(id:)?[A-Za-z0-9_-]+$', errorMessage: 'Not a Dropbox ID (id:…)' },
					},
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: `https://www.dropbox.com/home${PATH_PLACEHOLDER[kind]}`,
			},
		],
		...field,
	} as INodeProperties;
}
