/** Accounts, apps, access/refresh tokens, scopes. */
import { randomBytes } from 'node:crypto';
import type { Json } from './errors';
import { authError, badRequest } from './errors';
import { Namespace, type Node } from './tree';

export const ALL_SCOPES = [
	'account_info.read',
	'files.metadata.read',
	'files.metadata.write',
	'files.content.read',
	'files.content.write',
	'sharing.read',
	'sharing.write',
	'file_requests.read',
	'file_requests.write',
];

export interface Account {
	accountId: string;
	email: string;
	givenName: string;
	surname: string;
	country: string;
	allocated: number;
	/** account_type: basic accounts cannot set link expiry or passwords (settings_error/not_authorized) */
	accountType: 'basic' | 'pro' | 'business';
	/** home namespace (the user's own files) */
	ns: Namespace;
	/** team member: the team space root namespace (root_info .tag team), its team */
	team?: { id: string; name: string; rootNs: Namespace; memberId: string };
	/** team member: its own limit within the team's space (user_within_team_space_allocated; 0 or absent = none) */
	memberSpaceLimit?: number;
	/** team member: MemberSpaceLimitType of that limit (default stop_sync when a limit is set, else off) */
	memberSpaceLimitType?: 'off' | 'alert_only' | 'stop_sync';
	/** suspended by Dropbox (or, for a team member, by a team admin): API calls answer 401 user_suspended */
	suspended?: boolean;
}

export interface AccessToken {
	token: string;
	accountId: string;
	scopes: string[];
	expiresAt: number | null; // ms epoch, null = never
	refreshToken?: string;
	appKey?: string;
	revoked?: boolean;
}

export interface RefreshToken {
	token: string;
	accountId: string;
	scopes: string[];
	appKey: string;
	revoked?: boolean;
}

export interface App {
	key: string;
	secret: string;
	webhookUrl?: string;
}

let nsCounter = 1000000 + Math.floor(Math.random() * 1000000);

/** users_common.AccountId: String(min_length=40, max_length=40), "dbid:" and 35 characters. */
export function newAccountId(): string {
	return 'dbid:AA' + randomBytes(27).toString('base64url').slice(0, 33);
}

/** Keeps new namespace ids clear of one that already exists (a namespace loaded from a state file). */
export function reserveNamespaceId(id: string): void {
	nsCounter = Math.max(nsCounter, Number(id) || 0);
}

export function newNamespace(): Namespace {
	return new Namespace(String(++nsCounter));
}

export const randomToken = (prefix: string): string => prefix + randomBytes(36).toString('base64url');

export function accountJson(a: Account): Record<string, Json> {
	const display = `${a.givenName} ${a.surname}`.trim();
	return {
		account_id: a.accountId,
		name: {
			given_name: a.givenName,
			surname: a.surname,
			familiar_name: a.givenName,
			display_name: display,
			abbreviated_name: (a.givenName[0] ?? '') + (a.surname[0] ?? ''),
		},
		email: a.email,
		email_verified: true,
		disabled: false,
		country: a.country,
		locale: 'en',
		referral_link: 'https://www.dropbox.com/referrals/AAAemulator',
		is_paired: false,
		account_type: { '.tag': a.accountType },
		root_info: rootInfo(a),
		...(a.team
			? {
				team: {
					id: a.team.id, name: a.team.name,
					sharing_policies: {
						shared_folder_member_policy: { '.tag': 'anyone' }, shared_folder_join_policy: { '.tag': 'from_anyone' },
						shared_link_create_policy: { '.tag': 'default_public' }, group_creation_policy: { '.tag': 'admins_only' },
					},
					office_addin_policy: { '.tag': 'disabled' },
				},
				team_member_id: a.team.memberId,
			}
			: {}),
	};
}

/** RootInfo: `user` (root = home) or, for a team space member, `team` (root = the team space). */
export function rootInfo(a: Account): Record<string, Json> {
	if (a.team) return { '.tag': 'team', root_namespace_id: a.team.rootNs.id, home_namespace_id: a.ns.id, home_path: `/${a.givenName} ${a.surname}`.trim() };
	return { '.tag': 'user', root_namespace_id: a.ns.id, home_namespace_id: a.ns.id };
}

/** Parses `Authorization: Bearer <t>` (or the `authorization` query parameter). */
export function bearerOf(route: string, header: string | undefined, query: URLSearchParams): string {
	let h = header;
	if (!h && query.has('authorization')) h = query.get('authorization')!;
	if (!h) throw badRequest(route, 'Must provide HTTP header "Authorization" or URL parameter "authorization".');
	const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
	if (!m) {
		throw badRequest(route, `Invalid authorization value in HTTP header "Authorization": ${JSON.stringify(h.slice(0, 40))}.  Expecting "Bearer <oauth2-access-token>".`);
	}
	return m[1];
}

/** A valid, unexpired token of a suspended account answers `user_suspended`, whatever the scope. */
export function checkToken(t: AccessToken | undefined, requiredScope: string | null, account?: Account, now = Date.now()): AccessToken {
	if (!t || t.revoked) throw authError('invalid_access_token');
	if (t.expiresAt !== null && now >= t.expiresAt) throw authError('expired_access_token');
	if (account?.suspended) throw authError('user_suspended');
	if (requiredScope && !t.scopes.includes(requiredScope)) {
		throw authError('missing_scope', { required_scope: requiredScope });
	}
	return t;
}

/** A namespace an account can reach, and where paths start in it. */
export interface ReachableNamespace {
	ns: Namespace;
	/** a shared (team) folder mounted in `ns`: its own namespace id names it, and paths start in it */
	mount?: Node;
}

/**
 * The namespace behind a namespace id, when the account can reach it: its home, its team space
 * root, or a team folder mounted at that root (named by its `shared_folder_id`, which is its
 * namespace id). For `Dropbox-API-Path-Root: {".tag": "namespace_id"}` and `ns:<id>/path`.
 */
export function reachableNamespace(account: Account, id: string): ReachableNamespace | undefined {
	if (id === account.ns.id) return { ns: account.ns };
	const root = account.team?.rootNs;
	if (!root) return undefined;
	if (id === root.id) return { ns: root };
	for (const child of root.root.children!.values()) {
		if (child.alive && child.mount?.sharedFolderId === id) return { ns: root, mount: child };
	}
	return undefined;
}
