/**
 * files/tags/add, files/tags/remove, files/tags/get (files.stone): user-generated tags kept on each
 * file or folder, lowercased ("automatically converted to lowercase letters"), at most 20 per item
 * (tags/add: "No more than 20 tags can be added to a given item"). The arguments' types (Path,
 * TagText: 1–32 characters of [\w]+) are checked against the spec before a handler runs.
 */
import { routeError, type Json } from '../errors';
import { lookupNode, under } from '../paths';
import type { Node } from '../tree';
import type { Ctx } from './types';

/** The most tags one item carries (route tags/add of files.stone). */
export const MAX_TAGS_PER_ITEM = 20;

/** The item at a tag route's `path`; BaseTagError.path (a LookupError) when there is none. */
function taggedItem(ctx: Ctx, path: string): Node {
	return lookupNode(ctx, path, under('path'));
}

export function addTag(ctx: Ctx): Json {
	const node = taggedItem(ctx, ctx.arg.path as string);
	const tag = (ctx.arg.tag_text as string).toLowerCase();
	const tags = node.tags ?? [];
	if (tags.includes(tag)) return null;
	if (tags.length >= MAX_TAGS_PER_ITEM) throw routeError({ '.tag': 'too_many_tags' });
	node.tags = [...tags, tag];
	return null;
}

export function removeTag(ctx: Ctx): Json {
	const node = taggedItem(ctx, ctx.arg.path as string);
	const tag = (ctx.arg.tag_text as string).toLowerCase();
	const tags = node.tags ?? [];
	if (!tags.includes(tag)) throw routeError({ '.tag': 'tag_not_present' });
	node.tags = tags.filter((t) => t !== tag);
	return null;
}

/** One PathToTags per path, in the order asked; one path with nothing there fails the whole call (BaseTagError). */
export function getTags(ctx: Ctx): Json {
	const paths = ctx.arg.paths as string[];
	return {
		paths_to_tags: paths.map((path) => ({
			path,
			tags: (taggedItem(ctx, path).tags ?? []).map((tag_text) => ({ '.tag': 'user_generated_tag', tag_text })),
		})),
	};
}
