import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { jsonItems, type ItemOutput } from '../types';
import { readTaggedReference, readTags, taggedItemField, taggedPath, tagsField } from './fields';

export const description: INodeProperties[] = [taggedItemField('add'), tagsField('add')];

/** One files/tags/add per tag (Dropbox adds one tag per call); a tag the item already has is kept as it is. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const reference = readTaggedReference(this, itemIndex);
	const tags = readTags(this, itemIndex);
	const path = await taggedPath(this, reference, 'files/tags/add', 'Add Tags', itemIndex);
	for (const tag of tags) await dropboxRpc(this, 'files/tags/add', { path, tag_text: tag }, { path, itemIndex });
	return jsonItems({ path, added: tags });
}
