/** sharing/* shared links: create, list, metadata, modify, revoke, get_shared_link_file, and the links' own pages (/scl/fi/…). */
import { randomBytes } from 'node:crypto';
import { badRequest, Json, routeError } from '../errors';
import { checkPathArg, lookupNode, under } from '../paths';
import type { SharedLink } from '../records';
import type { State } from '../state';
import type { Namespace, Node } from '../tree';
import { optBool, reqStr, tagOf } from './arguments';
import type { Ctx, DownloadResult, EndpointHandler } from './types';
import { sendText } from '../http';
import { sendDownload } from '../sendDownload';

/** The namespace a link's node lives in. */
function linkNs(st: State, l: SharedLink): Namespace {
	return (l.nsId ? st.namespaces.get(l.nsId) : undefined) ?? st.account(l.accountId).ns;
}

/** The link's audience (LinkAudience): from `audience`, else the deprecated `requested_visibility`. */
function audienceOf(l: SharedLink): string {
	const a = tagOf(l.settings.audience);
	if (a && a !== 'password') return a;
	const rv = tagOf(l.settings.requested_visibility);
	if (rv === 'team_only') return 'team';
	return 'public';
}

/**
 * LinkPermissions as the spec describes them: effective_audience is the LinkAudience; resolved_visibility
 * (ResolvedVisibility) is public / team_only / password / team_and_password / no_one, and
 * requested_visibility (RequestedVisibility: public, team_only, password) only when the audience maps to one.
 */
function linkPermissions(st: State, l: SharedLink): Json {
	const aud = audienceOf(l);
	const acc = st.accounts.get(l.accountId);
	const onTeam = !!acc?.team;
	const pw = !!l.password;
	let resolved: string | undefined;
	let requested: string | undefined;
	if (aud === 'no_one') resolved = 'no_one';
	else if (aud === 'team') {
		resolved = pw ? 'team_and_password' : 'team_only';
		requested = pw ? 'password' : 'team_only';
	} else if (aud === 'public') resolved = requested = pw ? 'password' : 'public';
	const p: Record<string, Json> = {
		can_revoke: true,
		visibility_policies: [],
		can_set_expiry: acc?.accountType !== 'basic',
		can_remove_expiry: true,
		allow_download: l.settings.allow_download !== false,
		can_allow_download: true,
		can_disallow_download: true,
		allow_comments: true,
		team_restricts_comments: false,
		effective_audience: { '.tag': aud },
		link_access_level: { '.tag': tagOf(l.settings.access) === 'editor' ? 'editor' : 'viewer' },
		audience_options: [
			{ audience: { '.tag': 'public' }, allowed: true },
			onTeam ? { audience: { '.tag': 'team' }, allowed: true } : { audience: { '.tag': 'team' }, allowed: false, disallowed_reason: { '.tag': 'user_not_on_team' } },
			{ audience: { '.tag': 'no_one' }, allowed: true },
		],
		can_set_password: acc?.accountType !== 'basic',
		can_remove_password: true,
		require_password: pw,
		can_use_extended_sharing_controls: acc?.accountType !== 'basic',
	};
	if (resolved) p.resolved_visibility = { '.tag': resolved };
	if (requested) p.requested_visibility = { '.tag': requested };
	return p;
}

function linkMeta(st: State, l: SharedLink, node?: Node): Json {
	const n = node ?? linkNs(st, l).byId.get(l.nodeId);
	const base: Record<string, Json> = {
		url: l.url,
		id: l.nodeId,
		name: n?.name ?? '',
		path_lower: n?.pathLower ?? l.pathLower,
		link_permissions: linkPermissions(st, l),
	};
	if (l.expires) base.expires = l.expires;
	if (n && n.tag === 'file') {
		const f = n.file!;
		return { '.tag': 'file', ...base, client_modified: f.clientModified, server_modified: f.serverModified, rev: f.rev, size: f.size };
	}
	return { '.tag': 'folder', ...base };
}

function findLink(ctx: Ctx, url: unknown): SharedLink {
	const u = reqStr(ctx, url, 'url');
	const m = /\/(?:scl\/fi|s)\/([A-Za-z0-9_-]+)/.exec(u);
	const l = m ? ctx.st.links.get(m[1]) : undefined;
	if (!l || l.accountId !== ctx.account!.accountId) throw routeError({ '.tag': 'shared_link_not_found' });
	const node = linkNs(ctx.st, l).byId.get(l.nodeId);
	if (!node) throw routeError({ '.tag': 'shared_link_not_found' });
	if (l.expires && l.expires < new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')) throw routeError({ '.tag': 'shared_link_not_found' });
	return l;
}

const AUDIENCES = ['public', 'team', 'no_one', 'password', 'members'];

/** SharedLinkSettings: 400 for shapes and formats, settings_error (invalid_settings / not_authorized) for values. */
function settingsOf(ctx: Ctx, s: unknown): { settings: Record<string, Json>; password?: string; expires?: string } {
	if (s === undefined || s === null) return { settings: {} };
	if (typeof s !== 'object' || Array.isArray(s)) throw badRequest(ctx.route, 'request body: settings: expected object');
	const o = s as Record<string, Json>;
	const invalid = () => routeError({ '.tag': 'settings_error', settings_error: { '.tag': 'invalid_settings' } });
	const notAuthorized = () => routeError({ '.tag': 'settings_error', settings_error: { '.tag': 'not_authorized' } });
	if (o.audience !== undefined && o.audience !== null) {
		const t = tagOf(o.audience);
		if (!t || !AUDIENCES.includes(t)) throw badRequest(ctx.route, `request body: settings: audience: unknown tag '${String(t)}'`);
	}
	if (o.requested_visibility !== undefined && o.requested_visibility !== null) {
		const t = tagOf(o.requested_visibility);
		if (!t || !['public', 'team_only', 'password'].includes(t)) throw badRequest(ctx.route, `request body: settings: requested_visibility: unknown tag '${String(t)}'`);
	}
	const wantsPassword = o.require_password === true || tagOf(o.requested_visibility) === 'password' || tagOf(o.audience) === 'password';
	if (wantsPassword && typeof o.link_password !== 'string') throw invalid();
	if (typeof o.link_password === 'string' && o.link_password.length === 0 && wantsPassword) throw invalid();
	let expires: string | undefined;
	if (o.expires !== undefined && o.expires !== null) {
		if (typeof o.expires !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(o.expires) || Number.isNaN(Date.parse(o.expires))) {
			throw badRequest(ctx.route, `request body: settings: expires: time data '${String(o.expires)}' does not match format '%Y-%m-%dT%H:%M:%SZ'`);
		}
		// "SharedLinkSettings.expires is set to the past" → invalid_settings
		if (Date.parse(o.expires) <= Date.now()) throw invalid();
		expires = o.expires;
	}
	// "basic users can only set RequestedVisibility.public … and cannot set SharedLinkSettings.expires"
	if (ctx.account?.accountType === 'basic') {
		if (expires || wantsPassword || tagOf(o.requested_visibility) === 'team_only') throw notAuthorized();
	}
	return { settings: o, password: wantsPassword ? (o.link_password as string) : undefined, expires };
}

export function createLink(ctx: Ctx): Json {
	const p = checkPathArg(ctx, ctx.arg.path, 'path', 'read');
	const node = lookupNode(ctx, p, under('path'));
	const { settings, password, expires } = settingsOf(ctx, ctx.arg.settings);
	for (const l of ctx.st.links.values()) {
		if (l.nodeId === node.id && l.accountId === ctx.account!.accountId && linkNs(ctx.st, l) === ctx.ns) {
			// "Existing link metadata will not be returned if custom settings were specified in the request
			// that could make the existing link incompatible with the requested settings": any setting given
			if (Object.keys(settings).length > 0) throw routeError({ '.tag': 'shared_link_already_exists' });
			throw routeError({ '.tag': 'shared_link_already_exists', shared_link_already_exists: { '.tag': 'metadata', metadata: linkMeta(ctx.st, l, node) } });
		}
	}
	const token = randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').toLowerCase();
	const l: SharedLink = {
		url: `${ctx.st.baseUrl}/scl/fi/${token}/${encodeURIComponent(node.name)}?rlkey=${randomBytes(8).toString('hex')}&dl=0`,
		token, accountId: ctx.account!.accountId, nodeId: node.id, nsId: ctx.ns!.id, pathLower: node.pathLower, settings, password, expires,
	};
	ctx.st.links.set(token, l);
	return linkMeta(ctx.st, l, node);
}

export function listLinks(ctx: Ctx): Json {
	const a = ctx.arg;
	const directOnly = optBool(ctx, a.direct_only, 'direct_only', false);
	let target: Node | undefined;
	if (a.path !== undefined && a.path !== null) {
		const p = checkPathArg(ctx, a.path, 'path', 'read');
		target = lookupNode(ctx, p, under('path'));
	}
	const all: SharedLink[] = [];
	for (const l of ctx.st.links.values()) {
		if (l.accountId !== ctx.account!.accountId) continue;
		const n = linkNs(ctx.st, l).byId.get(l.nodeId);
		if (!n) continue;
		if (target) {
			if (n === target) all.push(l);
			else if (!directOnly && n.tag === 'folder' && target.pathLower.startsWith(n.pathLower + '/')) all.push(l);
		} else all.push(l);
	}
	let start = 0;
	if (a.cursor !== undefined && a.cursor !== null) {
		const m = /^LNK(\d+)$/.exec(String(a.cursor));
		if (!m) throw routeError({ '.tag': 'reset' });
		start = Number(m[1]);
	}
	const page = all.slice(start, start + 200);
	const more = start + page.length < all.length;
	const out: Record<string, Json> = { links: page.map((l) => linkMeta(ctx.st, l)), has_more: more };
	if (more) out.cursor = 'LNK' + (start + page.length);
	return out;
}

export function getLinkMetadata(ctx: Ctx): Json {
	const l = findLink(ctx, ctx.arg.url);
	if (l.password && ctx.arg.link_password !== l.password) throw routeError({ '.tag': 'shared_link_access_denied' });
	const lns = linkNs(ctx.st, l);
	let node = lns.byId.get(l.nodeId)!;
	if (ctx.arg.path) {
		if (node.tag !== 'folder') throw routeError({ '.tag': 'shared_link_not_found' });
		const sub = lns.get(node.pathLower + String(ctx.arg.path).toLowerCase());
		if (!sub) throw routeError({ '.tag': 'shared_link_not_found' });
		node = sub;
	}
	return linkMeta(ctx.st, l, node);
}

export function revokeLink(ctx: Ctx): Json {
	const l = findLink(ctx, ctx.arg.url);
	ctx.st.links.delete(l.token);
	return null;
}

/** The link's access level (RequestedLinkAccessLevel as set at creation; viewer by default). */
const accessOf = (settings: Record<string, Json>): string => tagOf(settings.access) ?? 'viewer';

export function modifyLink(ctx: Ctx): Json {
	const l = findLink(ctx, ctx.arg.url);
	const { settings, password, expires } = settingsOf(ctx, ctx.arg.settings);
	// SharedLinkSettings.access: "modifying access level for an existing link is not supported". The spec
	// names no error for it: the emulator accepts the link's own level (no change) and refuses another
	// as settings_error/invalid_settings, the stricter reading for a client
	if (settings.access !== undefined && settings.access !== null) {
		if (accessOf(settings) !== accessOf(l.settings)) throw routeError({ '.tag': 'settings_error', settings_error: { '.tag': 'invalid_settings' } });
	}
	l.settings = { ...l.settings, ...settings };
	if (settings.require_password !== undefined || settings.requested_visibility !== undefined || settings.audience !== undefined) l.password = password ?? (settings.require_password === false ? undefined : l.password);
	if (expires) l.expires = expires;
	if (optBool(ctx, ctx.arg.remove_expiration, 'remove_expiration', false)) l.expires = undefined;
	return linkMeta(ctx.st, l);
}

/**
 * The file a shared link (and, for a folder's link, a path in it) points at; SharedLinkError's
 * shared_link_not_found, shared_link_access_denied (wrong password) or shared_link_is_directory.
 */
export function linkedFile(ctx: Ctx, url: unknown, path: unknown, password: unknown): { link: SharedLink; node: Node } {
	const l = findLink(ctx, url);
	if (l.password && password !== l.password) throw routeError({ '.tag': 'shared_link_access_denied' });
	const lns = linkNs(ctx.st, l);
	let node = lns.byId.get(l.nodeId)!;
	if (path) {
		const sub = node.tag === 'folder' ? lns.get(node.pathLower + String(path).toLowerCase()) : undefined;
		if (!sub) throw routeError({ '.tag': 'shared_link_not_found' });
		node = sub;
	}
	if (node.tag !== 'file') throw routeError({ '.tag': 'shared_link_is_directory' });
	return { link: l, node };
}

export function getLinkFile(ctx: Ctx): DownloadResult {
	const { link, node } = linkedFile(ctx, ctx.arg.url, ctx.arg.path, ctx.arg.link_password);
	return { meta: linkMeta(ctx.st, link, node), blob: { path: node.file!.blob, size: node.file!.size }, etag: node.file!.rev };
}

/** GET <link url> with dl=1: the file's bytes, like www.dropbox.com does. */
export const serveSharedLink: EndpointHandler = (st, req, res, url) => {
	const m = /^\/scl\/fi\/([A-Za-z0-9_-]+)/.exec(url.pathname);
	const l = m ? st.links.get(m[1]) : undefined;
	const acc = l ? st.accounts.get(l.accountId) : undefined;
	const node = l && acc ? linkNs(st, l).byId.get(l.nodeId) : undefined;
	if (!l || !node) return sendText(res, 404, 'Not Found');
	if (node.tag !== 'file') return sendText(res, 200, `Shared folder ${node.name}`);
	const ctx = { st, route: 'link', arg: null, req, res } as Ctx;
	sendDownload(ctx, { meta: linkMeta(st, l, node), blob: { path: node.file!.blob, size: node.file!.size } });
};
