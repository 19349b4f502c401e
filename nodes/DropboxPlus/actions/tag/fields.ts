import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../../../shared/fieldChecks';
import { resolveLocator } from '../../../shared/locator';
import { pathForPathOnlyRoute } from '../../../shared/pathOnly';
import { fileOrFolderLocator } from '../sharedLink/fields';

/** The most tags Dropbox keeps on one item (files/tags/add in files.stone). */
export const MAX_TAGS_PER_ITEM = 20;
/** TagText of files.stone: 1 to 32 characters, each a letter, digit or underscore. */
const TAG_TEXT = /^\w{1,32}$/;

/** The File or Folder field of one Tag operation. */
export function taggedItemField(operation: string): INodeProperties {
	return fileOrFolderLocator({
		displayName: 'File or Folder',
		name: 'path',
		displayOptions: { show: { resource: ['tag'], operation: [operation] } },
	});
}

/** The Tags field of Add and Remove. */
export function tagsField(operation: 'add' | 'remove'): INodeProperties {
	return {
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'invoice, paid_2026',
		description:
			operation === 'add'
				? 'The tags to add, separated by commas. A tag is 1 to 32 letters, digits or underscores; Dropbox stores it in lowercase, and keeps at most 20 on one item. A leading "#" is dropped.'
				: 'The tags to remove, separated by commas (any case; a leading "#" is dropped)',
		displayOptions: { show: { resource: ['tag'], operation: [operation] } },
	};
}

/**
 * The tags of a Tags field, checked before any call: split at commas, a leading "#" dropped,
 * lowercased (as Dropbox stores them) and without repeats; each one as TagText allows.
 */
export function readTags(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const raw = ctx.getNodeParameter('tags', itemIndex, '') as unknown;
	const text = Array.isArray(raw) ? raw.map(String).join(',') : typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
	const tags: string[] = [];
	for (const part of text.split(',')) {
		const tag = part.trim().replace(/^#/, '').toLowerCase();
		if (tag === '') continue;
		if (!TAG_TEXT.test(tag)) {
			const problem = tag.length > 32 ? `has the tag "${tag}", longer than 32 characters` : `has the tag "${tag}", which has characters a tag cannot have`;
			throw fieldError(ctx, itemIndex, 'Tags', problem, 'A Dropbox tag is 1 to 32 letters, digits or underscores (no spaces or dashes: use an underscore, such as paid_2026). Separate tags with commas.');
		}
		if (!tags.includes(tag)) tags.push(tag);
	}
	if (tags.length === 0) {
		throw fieldError(ctx, itemIndex, 'Tags', 'is empty', 'Give one or more tags separated by commas, such as invoice, paid_2026.');
	}
	if (tags.length > MAX_TAGS_PER_ITEM) {
		throw fieldError(ctx, itemIndex, 'Tags', `has ${tags.length} tags`, `Dropbox keeps at most ${MAX_TAGS_PER_ITEM} tags on one item: give ${MAX_TAGS_PER_ITEM} or fewer.`);
	}
	return tags;
}

/** The File or Folder field, checked before any call (the root has no tags). */
export function readTaggedReference(ctx: IExecuteFunctions, itemIndex: number): string {
	return resolveLocator(ctx, 'path', itemIndex, 'File or Folder');
}

/** The tag routes take a path only (Path in files.stone): an ID is looked up first, `ns:` refused. */
export async function taggedPath(ctx: IExecuteFunctions, reference: string, route: string, operation: string, itemIndex: number): Promise<string> {
	return await pathForPathOnlyRoute(ctx, reference, { route, operation, field: 'File or Folder', itemIndex, allowNamespace: false });
}
