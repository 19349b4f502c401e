/** Dropbox path arguments: validation (400 for pattern mismatches, 409 malformed_path) and resolution. */
import { reachableNamespace } from './auth';
import { badRequest, Json, routeError } from './errors';
import type { Ctx } from './routes/types';
import { Namespace, Node } from './tree';

/** Wraps an inner LookupError/WriteError union value into the route's error union. */
export type Wrap = (inner: Json) => Json;
export const under = (member: string): Wrap => (inner) => ({ '.tag': member, [member]: inner });

export interface Resolved {
	ns: Namespace;
	lower: string;
	display: string;
	node?: Node;
	/** the path is the root of where paths start ("" or "/"; a mounted folder's own path for a shared-folder namespace) */
	isRoot: boolean;
}

/**
 * Makes paths start in the namespace `id` names, if the caller's account can reach it (its home,
 * its team space root, or a team folder by its shared_folder_id); false otherwise. For
 * `Dropbox-API-Path-Root: {".tag": "namespace_id", "namespace_id": id}`.
 */
export function enterNamespace(ctx: Ctx, id: string): boolean {
	const r = reachableNamespace(ctx.account!, id);
	if (!r) return false;
	ctx.ns = r.ns;
	ctx.mount = r.mount;
	return true;
}

const PATTERNS: Record<string, RegExp> = {
	// files/get_metadata: no root
	read: /^(\/[\s\S]*|id:.*|rev:[0-9a-f]{9,}|ns:[0-9]+(\/.*)?)$/,
	// list_folder: "" allowed
	list: /^((\/[\s\S]*)?|id:.*|ns:[0-9]+(\/.*)?)$/,
	write: /^(\/[\s\S]*|ns:[0-9]+(\/.*)?|id:.*)$/,
	relocation: /^(\/[\s\S]*|id:.*|ns:[0-9]+(\/.*)?)$/,
};

/**
 * Path aliases of files.stone whose pattern is quoted in the 400 as the spec writes it:
 * `WritePath` (files/restore: a path or `ns:`, never `id:`) and `Path` (files/save_url: a path only).
 */
export const SPEC_PATH_PATTERNS = {
	writePath: '(/(.|[\\r\\n])*)|(ns:[0-9]+(/(.|[\\r\\n])*)?)',
	path: '/(.|[\\r\\n])*',
} as const;
const SPEC_REGEXPS: Record<keyof typeof SPEC_PATH_PATTERNS, RegExp> = {
	writePath: new RegExp(`^(?:${SPEC_PATH_PATTERNS.writePath})$`),
	path: new RegExp(`^(?:${SPEC_PATH_PATTERNS.path})$`),
};

/** Checks type and pattern like Dropbox's argument validation (400 on failure). */
export function checkPathArg(ctx: Ctx, value: unknown, field: string, kind: keyof typeof PATTERNS | keyof typeof SPEC_PATH_PATTERNS, where = 'request body'): string {
	if (value === undefined) throw badRequest(ctx.route, `${where}: missing required field '${field}'`);
	if (typeof value !== 'string') throw badRequest(ctx.route, `${where}: ${field}: expected string, got ${value === null ? 'null' : typeof value}`);
	const spec = kind === 'writePath' || kind === 'path';
	const re = spec ? SPEC_REGEXPS[kind] : PATTERNS[kind];
	if (!re.test(value)) {
		const shown = spec ? SPEC_PATH_PATTERNS[kind] : PATTERNS[kind].source.slice(1, -1);
		throw badRequest(ctx.route, `${where}: ${field}: '${value}' did not match pattern '${shown}'`);
	}
	return value;
}

function malformed(wrap: Wrap): never {
	throw routeError(wrap({ '.tag': 'malformed_path' }));
}

/** Validates a "/a/b" style path; returns [lower, display] ("" for the root). */
export function normalize(p: string, wrap: Wrap): [string, string] {
	if (p === '' || p === '/') return ['', ''];
	if (!p.startsWith('/')) malformed(wrap);
	if (p.endsWith('/')) malformed(wrap);
	const parts = p.slice(1).split('/');
	for (const part of parts) {
		if (part === '' || part === '.' || part === '..' || /\s$/.test(part) || part.length > 255 || /[\x00-\x1f\\]/.test(part)) malformed(wrap);
	}
	return [p.toLowerCase(), p];
}

/** Resolves a path argument (plain, id:, ns:) in the caller's namespace. Does not require existence. */
export function resolvePath(ctx: Ctx, p: string, wrap: Wrap): Resolved {
	let ns = ctx.ns!;
	if (p.startsWith('id:')) {
		const slash = p.indexOf('/');
		const id = slash < 0 ? p : p.slice(0, slash);
		const rest = slash < 0 ? '' : p.slice(slash);
		const node = ns.byId.get(id);
		if (!node) throw routeError(wrap({ '.tag': 'not_found' }));
		const [rl, rd] = normalize(rest, wrap);
		const lower = node.pathLower + rl;
		const display = node.pathDisplay + rd;
		return { ns, lower, display, node: ns.get(lower), isRoot: lower === '' };
	}
	let mount = ctx.mount;
	if (p.startsWith('ns:')) {
		const m = /^ns:([0-9]+)(\/.*)?$/.exec(p)!;
		const reached = reachableNamespace(ctx.account!, m[1]);
		if (!reached) throw routeError(wrap({ '.tag': 'not_found' }));
		ns = reached.ns;
		mount = reached.mount;
		p = m[2] ?? '';
	}
	const [l, d] = normalize(p, wrap);
	// in a shared folder's namespace, "/x" is "<the folder>/x"
	const lower = mount ? mount.pathLower + l : l;
	const display = mount ? mount.pathDisplay + d : d;
	return { ns, lower, display, node: ns.get(lower), isRoot: l === '' };
}

/** Resolves and requires an existing node. */
export function lookupNode(ctx: Ctx, p: string, wrap: Wrap, opts: { allowRoot?: boolean } = {}): Node {
	const r = resolvePath(ctx, p, wrap);
	if (!r.node || (!opts.allowRoot && r.isRoot)) throw routeError(wrap({ '.tag': 'not_found' }));
	return r.node;
}

/** Finds a free name "name (1).ext", "name (2).ext", … in a folder. */
export function autorenamed(parent: Node, name: string, isFolder: boolean): string {
	const dot = isFolder ? -1 : name.lastIndexOf('.');
	const stem = dot > 0 ? name.slice(0, dot) : name;
	const ext = dot > 0 ? name.slice(dot) : '';
	for (let i = 1; ; i++) {
		const candidate = `${stem} (${i})${ext}`;
		if (!parent.children!.has(candidate.toLowerCase())) return candidate;
	}
}

/**
 * Paths of a result seen from a shared folder's namespace: `path_lower` / `path_display` under the
 * mounted folder lose its prefix (`/marketing/plan.txt` → `/plan.txt`), as Dropbox answers paths
 * relative to the namespace the Path-Root header names. Other values are left as they are.
 */
export function rebasePaths(value: Json, mount: Node): Json {
	const prefix = mount.pathLower;
	const rebase = (path: string): string => (path.toLowerCase().startsWith(prefix + '/') ? path.slice(prefix.length) : path);
	const walk = (v: Json): Json => {
		if (Array.isArray(v)) return v.map(walk);
		if (v === null || typeof v !== 'object') return v;
		const out: Record<string, Json> = {};
		for (const [k, x] of Object.entries(v)) out[k] = (k === 'path_lower' || k === 'path_display') && typeof x === 'string' ? rebase(x) : walk(x as Json);
		return out;
	};
	return walk(value);
}
