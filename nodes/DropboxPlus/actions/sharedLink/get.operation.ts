import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { readSharedLinkUrl } from './linkInput';
import { jsonItems, type ItemOutput } from '../types';
import { linkPasswordField, sharedLinkUrlField } from './fields';

export const description: INodeProperties[] = [sharedLinkUrlField('get'), linkPasswordField('get')];

/** What a shared link points at and its settings. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const url = readSharedLinkUrl(this, itemIndex);
	const linkPassword = this.getNodeParameter('linkPassword', itemIndex, '') as string;
	const args: IDataObject = { url };
	if (linkPassword) args.link_password = linkPassword;
	return jsonItems(await dropboxRpc(this, 'sharing/get_shared_link_metadata', args, { path: url, itemIndex }));
}
