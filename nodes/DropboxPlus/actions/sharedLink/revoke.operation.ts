import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { readSharedLinkUrl } from './linkInput';
import { jsonItems, type ItemOutput } from '../types';
import { sharedLinkUrlField } from './fields';

export const description: INodeProperties[] = [sharedLinkUrlField('revoke')];

/** Turns a shared link off for good. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const url = readSharedLinkUrl(this, itemIndex);
	await dropboxRpc(this, 'sharing/revoke_shared_link', { url }, { path: url, itemIndex });
	return jsonItems({ url, revoked: true });
}
