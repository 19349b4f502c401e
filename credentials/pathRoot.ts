import type { INodeProperties } from 'n8n-workflow';

/**
 * The "space" setting shared by both credentials: which Dropbox namespace every path is
 * relative to. Home sends no `Dropbox-API-Path-Root` header (safe for App-folder apps).
 */
export const pathRootProperties: INodeProperties[] = [
	{
		displayName: 'Space',
		name: 'pathRoot',
		type: 'options',
		options: [
			{
				name: 'Home (Personal Space or Member Folder)',
				value: 'home',
				description: 'Paths start in your own Dropbox. Right for personal accounts and App-folder apps.',
			},
			{
				name: 'Team Space Root',
				value: 'root',
				description:
					'Paths start at the team space root, so team folders are reachable. Needs the Root Namespace ID.',
			},
			{
				name: 'Namespace ID',
				value: 'namespace',
				description: 'Paths start in one shared or team folder namespace',
			},
		],
		default: 'home',
		description:
			'Where paths such as /Reports start. Leave Home unless you work in a Dropbox team space.',
	},
	{
		displayName: 'Namespace ID',
		name: 'namespaceId',
		type: 'string',
		default: '',
		placeholder: '1234567890',
		required: true,
		description:
			'For Team Space Root: the root_namespace_id from the account (Dropbox Plus → Account → Get Current Account, root_info). For Namespace ID: the shared or team folder namespace.',
		displayOptions: { show: { pathRoot: ['root', 'namespace'] } },
	},
];
