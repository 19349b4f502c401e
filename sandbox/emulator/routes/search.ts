/** files/search_v2 and files/search/continue_v2: filename matching, filters, ordering, pages. */
import { randomBytes } from 'node:crypto';
import { badRequest, Json, routeError } from '../errors';
import { checkPathArg, lookupNode, under } from '../paths';
import { deletedMeta, nodeMeta } from '../tree';
import { optBool, optInt, reqStr, unionTag } from './arguments';
import type { Ctx } from './types';

const CATEGORIES: Record<string, string[]> = {
	image: ['jpg', 'jpeg', 'png', 'gif', 'bmp', 'tif', 'tiff', 'heic', 'webp', 'svg', 'raw', 'psd', 'ico'],
	document: ['doc', 'docx', 'docm', 'odt', 'rtf', 'txt', 'md', 'pages', 'wpd', 'tex'],
	pdf: ['pdf'],
	spreadsheet: ['xls', 'xlsx', 'xlsm', 'ods', 'csv', 'tsv', 'numbers'],
	presentation: ['ppt', 'pptx', 'pptm', 'odp', 'key'],
	audio: ['mp3', 'wav', 'aac', 'm4a', 'flac', 'ogg', 'wma', 'aiff'],
	video: ['mp4', 'mov', 'avi', 'mkv', 'wmv', 'webm', 'm4v', 'flv', 'mpeg', 'mpg'],
	paper: ['paper'],
};
const extOf = (name: string): string => {
	const i = name.lastIndexOf('.');
	return i > 0 ? name.slice(i + 1).toLowerCase() : '';
};
function categoryOf(name: string, isFolder: boolean): string {
	if (isFolder) return 'folder';
	const e = extOf(name);
	for (const [c, exts] of Object.entries(CATEGORIES)) if (exts.includes(e)) return c;
	return 'others';
}

export function searchV2(ctx: Ctx): Json {
	const a = ctx.arg;
	const query = reqStr(ctx, a.query, 'query');
	if (query.length > 1000) throw badRequest(ctx.route, 'request body: query: length more than 1000');
	const o = (a.options ?? {}) as Record<string, unknown>;
	const maxResults = optInt(ctx, o.max_results, 'options.max_results', 100, 1, 1000);
	const orderBy = unionTag(ctx, o.order_by, 'options.order_by', ['relevance', 'last_modified_time'], 'relevance');
	const fileStatus = unionTag(ctx, o.file_status, 'options.file_status', ['active', 'deleted'], 'active');
	const filenameOnly = optBool(ctx, o.filename_only, 'options.filename_only', false);
	const exts = Array.isArray(o.file_extensions) ? (o.file_extensions as string[]).map((x) => x.toLowerCase().replace(/^\./, '')) : null;
	const cats = Array.isArray(o.file_categories) ? (o.file_categories as unknown[]).map((c) => unionTag(ctx, c, 'options.file_categories', [...Object.keys(CATEGORIES), 'folder', 'others'], 'others')) : null;
	// SearchOptions: file_extensions and file_categories are "only supported for active file search"
	if (fileStatus === 'deleted' && (exts || cats)) {
		const field = exts ? 'file_extensions' : 'file_categories';
		throw routeError({ '.tag': 'invalid_argument', invalid_argument: `${field} is only supported for active file search` });
	}
	const ns = ctx.ns!;
	// in a shared folder's namespace the search covers that folder only
	let scope = ctx.mount?.pathLower ?? '';
	if (o.path !== undefined && o.path !== null) {
		const p = checkPathArg(ctx, o.path, 'options.path', 'list');
		const n = lookupNode(ctx, p, under('path'), { allowRoot: true });
		if (n.tag !== 'folder') throw routeError({ '.tag': 'path', path: { '.tag': 'not_folder' } });
		scope = n.pathLower;
	}
	const tokens = query.toLowerCase().split(/\s+/).filter(Boolean);
	if (tokens.length === 0) throw routeError({ '.tag': 'invalid_argument', invalid_argument: 'query is empty' });
	const scored: { score: number; mtime: string; meta: Json; name: string }[] = [];
	const consider = (name: string, pathLower: string, isFolder: boolean, meta: () => Json, mtime: string, contentMatch?: () => boolean) => {
		if (scope && !pathLower.startsWith(scope + '/')) return;
		if (exts && (isFolder || !exts.includes(extOf(name)))) return;
		if (cats && !cats.includes(categoryOf(name, isFolder))) return;
		const lname = name.toLowerCase();
		let score = 0;
		for (const t of tokens) {
			if (lname === t) score += 100;
			else if (lname.startsWith(t)) score += 50;
			else if (lname.split(/[\s._\-()]+/).some((w) => w.startsWith(t))) score += 30;
			else if (!filenameOnly && contentMatch?.()) score += 1;
			else return;
		}
		scored.push({ score, mtime, meta: meta(), name: lname });
	};
	if (fileStatus === 'active') {
		for (const n of ns.byPath.values()) {
			if (n === ns.root) continue;
			consider(n.name, n.pathLower, n.tag === 'folder', () => nodeMeta(n), n.file?.serverModified ?? '');
		}
	} else {
		for (const d of ns.deleted.values()) consider(d.name, d.pathLower, d.isFolder, () => deletedMeta(d), d.when);
	}
	if (orderBy === 'relevance') scored.sort((x, y) => y.score - x.score || x.name.localeCompare(y.name));
	else scored.sort((x, y) => (y.mtime > x.mtime ? 1 : y.mtime < x.mtime ? -1 : 0));
	const matches = scored.slice(0, 10000).map((s) => ({ metadata: { '.tag': 'metadata', metadata: s.meta }, match_type: { '.tag': 'filename' } }));
	return searchPage(ctx, matches, 0, maxResults, undefined);
}

function searchPage(ctx: Ctx, matches: Json[], pos: number, pageSize: number, key: string | undefined): Json {
	const page = matches.slice(pos, pos + pageSize);
	const next = pos + page.length;
	if (next < matches.length) {
		const k = key ?? randomBytes(12).toString('base64url');
		ctx.st.searches.set(k, { matches, pos: next, pageSize });
		if (ctx.st.searches.size > 200) ctx.st.searches.delete(ctx.st.searches.keys().next().value!);
		return { matches: page, has_more: true, cursor: 'SRC' + k + '.' + next };
	}
	if (key) ctx.st.searches.delete(key);
	return { matches: page, has_more: false };
}

export function searchContinue(ctx: Ctx): Json {
	const c = reqStr(ctx, ctx.arg.cursor, 'cursor');
	const m = /^SRC([A-Za-z0-9_-]+)\.(\d+)$/.exec(c);
	const s = m ? ctx.st.searches.get(m[1]) : undefined;
	if (!m || !s) throw routeError({ '.tag': 'internal_error' });
	return searchPage(ctx, s.matches, Number(m[2]), s.pageSize, m[1]);
}
