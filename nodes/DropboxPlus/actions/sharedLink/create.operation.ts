import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { dropboxErrorInfo, dropboxRpc } from '../../../shared/transport';
import { resolveLocator } from '../../../shared/locator';
import { readLinkSettings } from './linkInput';
import { jsonItems, type ItemOutput } from '../types';
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
				description:
					'Apply the settings below to the existing link and return it. Its Access Level cannot change (Dropbox does not allow it): a different one fails the item.',
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
				description:
					'For a new link. Dropbox cannot change the access level of an existing link: with "Update Its Settings" a different level fails the item (revoke the link and create it again).',
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

/** The access level of an existing link, from its link_permissions (viewer, editor…), when Dropbox says. */
function accessLevelOf(link: IDataObject): string | undefined {
	const level = (link.link_permissions as IDataObject | undefined)?.link_access_level as IDataObject | undefined;
	return typeof level?.['.tag'] === 'string' ? level['.tag'] : undefined;
}

/**
 * The settings modify_shared_link_settings may take: all but `access` ("modifying access level
 * for an existing link is not supported", SharedLinkSettings in sharing.stone). A requested level
 * other than the link's own fails the item before any change.
 */
function settingsToModify(ctx: IExecuteFunctions, link: IDataObject, settings: IDataObject, path: string, itemIndex: number): IDataObject {
	const { access, ...rest } = settings;
	const current = accessLevelOf(link);
	if (access !== undefined && current !== undefined && access !== current) {
		throw new NodeOperationError(ctx.getNode(), `The existing shared link of "${path}" has Access Level ${current}, not ${String(access)}`, {
			itemIndex,
			description:
				'Dropbox cannot change the access level of an existing link. Remove Access Level from Settings to update the rest, or revoke the link (Shared Link → Revoke) and create it again.',
		});
	}
	return rest;
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
	if ('link' in created) return jsonItems(created.link);
	const info = dropboxErrorInfo(created.error);
	const exists = info?.dropboxTag.startsWith('shared_link_already_exists') ?? false;
	if (!exists || ifExists === 'error') throw created.error;
	// Dropbox names the existing link in the error only when no settings were sent ("Existing link
	// metadata will not be returned if custom settings were specified"): else it is listed
	const named = (info?.dropboxError?.shared_link_already_exists as IDataObject | undefined)?.metadata as IDataObject | undefined;
	const link = named ?? (await existingLink(this, path, itemIndex));
	if (!link) throw created.error;
	if (ifExists === 'returnExisting') return jsonItems(link);
	const changes = settingsToModify(this, link, settings, path, itemIndex);
	if (Object.keys(changes).length === 0) return jsonItems(link);
	return jsonItems(await dropboxRpc(this, 'sharing/modify_shared_link_settings', { url: link.url, settings: changes }, { path, itemIndex }));
}
