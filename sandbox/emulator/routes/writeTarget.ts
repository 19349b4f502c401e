/** Where a write lands: the parent folder (created as needed) and the final name, or the WriteError why not. */
import type { Json } from '../errors';
import { autorenamed, resolvePath, Wrap } from '../paths';
import { baseName, Node, parentOf } from '../tree';
import type { Ctx } from './types';

/** Thrown by write helpers with a WriteError value; callers wrap it into their route's union. */
export class WriteFail {
	constructor(public err: Json) {}
}

/** Resolves the destination of a write: returns parent folder (created as needed) and final name. */
export function prepareWrite(ctx: Ctx, path: string, opts: { autorename: boolean; isFolder: boolean; replaceFile?: (existing: Node) => boolean }): { parent: Node; name: string; existing?: Node } {
	const wrapW: Wrap = (x) => x;
	let r;
	try {
		r = resolvePath(ctx, path, wrapW);
	} catch (e) {
		throw new WriteFail({ '.tag': 'malformed_path' });
	}
	if (r.isRoot) throw new WriteFail({ '.tag': 'disallowed_name' });
	const ns = r.ns;
	const parentLower = parentOf(r.lower);
	const parentDisplay = parentOf(r.display);
	let name = baseName(r.display);
	// ancestors
	const parent = ns.ensureFolders(parentLower, parentDisplay);
	if (parent.tag === 'file') throw new WriteFail({ '.tag': 'conflict', conflict: { '.tag': 'file_ancestor' } });
	const existing = parent.children!.get(name.toLowerCase());
	if (existing) {
		if (existing.tag === 'file' && !opts.isFolder && opts.replaceFile?.(existing)) return { parent, name: existing.name, existing };
		if (!opts.autorename) throw new WriteFail({ '.tag': 'conflict', conflict: { '.tag': existing.tag === 'file' ? 'file' : 'folder' } });
		name = autorenamed(parent, name, opts.isFolder);
	}
	return { parent, name };
}
