import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxErrorInfo, dropboxRpc } from '../../../shared/transport';
import { jsonItems, type ItemOutput } from '../types';
import { readTaggedReference, readTags, taggedItemField, taggedPath, tagsField } from './fields';

export const description: INodeProperties[] = [
	taggedItemField('remove'),
	tagsField('remove'),
	{
		displayName: 'Ignore Missing Tags',
		name: 'ignoreMissing',
		type: 'boolean',
		default: false,
		description: 'Whether a tag the item does not have is skipped (listed under "notPresent") instead of failing the item',
		displayOptions: { show: { resource: ['tag'], operation: ['remove'] } },
	},
];

/** One files/tags/remove per tag; with Ignore Missing Tags, Dropbox's tag_not_present only lists the tag. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const reference = readTaggedReference(this, itemIndex);
	const tags = readTags(this, itemIndex);
	const ignoreMissing = this.getNodeParameter('ignoreMissing', itemIndex, false) === true;
	const path = await taggedPath(this, reference, 'files/tags/remove', 'Remove Tags', itemIndex);
	const removed: string[] = [];
	const notPresent: string[] = [];
	for (const tag of tags) {
		const failure = await dropboxRpc(this, 'files/tags/remove', { path, tag_text: tag }, { path, itemIndex }).then(
			() => undefined,
			(error: unknown) => error as Error,
		);
		if (failure === undefined) removed.push(tag);
		else if (ignoreMissing && dropboxErrorInfo(failure)?.dropboxTag === 'tag_not_present') notPresent.push(tag);
		else throw failure;
	}
	return jsonItems(ignoreMissing ? { path, removed, notPresent } : { path, removed });
}
