import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxErrorInfo, dropboxRpc } from '../../../shared/transport';
import { resolveLocator } from '../../helpers/locator';
import { readLinkSettings } from '../../helpers/sharedLinks';
import type { ItemOutput } from '../types';
import { fileOrFolderLocator } from './fields';

const show = { resource: ['sharedLink'], operation: ['create'] };

export const description: INodeProperties[] = [
	fileOrFolderLocator({ displayName: 'File or Folder', name: 'path', displayOptions: { show } }),
	{
		displayName: 'If a Link Exists',
		name: 'ifExists',
		type: 'options',
		options: [
			{
				name: 'Return Existing',
				value: 'returnExisting',
				description: 'Return the link that already exists, unchanged',
			},
			{
				name: 'Update Its Settings',
				value: 'update',
				description: 'Apply the settings below to the existing link and return it',
			},
			{ name: 'Error', value: 'error', description: 'Fail the item' },
		],
		default: 'returnExisting',
		description: 'What to do when the file or folder already has a shared link',
		displayOptions: { show },
	},
	{
		displayName: 'Settings',
		name: 'settings',
		type: 'collection',
		placeholder: 'Add setting',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Access Level',
				name: 'access',
				type: 'options',
				options: [
					{ name: 'Viewer', value: 'viewer', description: 'People with the link can only view' },
					{ name: 'Editor', value: 'editor', description: 'People with the link can edit (where Dropbox allows it)' },
				],
				default: 'viewer',
			},
			{
				displayName: 'Allow Download',
				name: 'allowDownload',
				type: 'boolean',
				default: true,
				description: 'Whether people with the link may download the file (turning it off needs a paid plan)',
			},
			{
				displayName: 'Audience',
				name: 'audience',
				type: 'options',
				options: [
					{ name: 'Public', value: 'public', description: 'Anyone with the link' },
					{ name: 'Team', value: 'team', description: 'Only members of your team' },
					{ name: 'No One', value: 'no_one', description: 'Only people already invited to the file or folder' },
				],
				default: 'public',
			},
			{
				displayName: 'Expires',
				name: 'expires',
				type: 'dateTime',
				default: '',
				description: 'When the link stops working (needs a paid plan); a date or time without a time zone is read as UTC',
			},
			{
				displayName: 'Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'A password people must enter to open the link (needs a paid plan)',
			},
		],
	},
];

interface ListedLinks {
	links: IDataObject[];
}

/** The link that already exists for exactly this path. */
async function existingLink(ctx: IExecuteFunctions, path: string, itemIndex: number): Promise<IDataObject | undefined> {
	const { links } = await dropboxRpc<ListedLinks>(
		ctx,
		'sharing/list_shared_links',
		{ path, direct_only: true },
		{ path, itemIndex },
	);
	return links[0];
}

/** Creates a shared link; when one exists, returns it, updates it or fails, as the user chose. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const path = resolveLocator(this, 'path', itemIndex, 'File or Folder');
	const ifExists = this.getNodeParameter('ifExists', itemIndex, 'returnExisting') as string;
	const settings = readLinkSettings(this, itemIndex);
	// A failure is the transport's NodeApiError (tag, path, hint): passed on as is
	const created = await dropboxRpc(this, 'sharing/create_shared_link_with_settings', { path, settings }, { path, itemIndex }).then(
		(link) => ({ link }),
		(error: unknown) => ({ error }),
	);
	if ('link' in created) return created.link;
	const info = dropboxErrorInfo(created.error);
	const exists = info?.dropboxTag.startsWith('shared_link_already_exists') ?? false;
	if (!exists || ifExists === 'error') throw created.error;
	// Dropbox usually names the existing link in the error; older answers leave it out
	const named = (info?.dropboxError?.shared_link_already_exists as IDataObject | undefined)?.metadata as IDataObject | undefined;
	const link = named ?? (await existingLink(this, path, itemIndex));
	if (!link) throw created.error;
	if (ifExists === 'returnExisting' || Object.keys(settings).length === 0) return link;
	return await dropboxRpc(this, 'sharing/modify_shared_link_settings', { url: link.url, settings }, { path, itemIndex });
}
