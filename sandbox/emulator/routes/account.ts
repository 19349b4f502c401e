/** users/get_current_account, users/get_space_usage, users/get_account and auth/token/revoke: the account behind a token. */
import { accountJson } from '../auth';
import { Json, routeError } from '../errors';
import { reqStr } from './arguments';
import type { Namespace } from '../tree';
import type { Ctx } from './types';

export function currentAccount(ctx: Ctx): Json {
	return accountJson(ctx.account!);
}

/**
 * SpaceUsage: `used` is the user's own usage (its home namespace). An individual account answers
 * IndividualSpaceAllocation; a team member TeamSpaceAllocation: the team's usage (every member's
 * home and the team space) and allocation (the member's `allocated`), the member's own limit
 * (`memberSpaceLimit`, 0 = none) and its type, and the member's usage again as `_used_cached`.
 */
export function spaceUsage(ctx: Ctx): Json {
	const acc = ctx.account!;
	const used = acc.ns.usedBytes;
	if (!acc.team) return { used, allocation: { '.tag': 'individual', allocated: acc.allocated } };
	const team = acc.team;
	const spaces = new Set<Namespace>([team.rootNs]);
	for (const a of ctx.st.accounts.values()) if (a.team && a.team.rootNs === team.rootNs) spaces.add(a.ns);
	let teamUsed = 0;
	for (const ns of spaces) teamUsed += ns.usedBytes;
	const limit = acc.memberSpaceLimit ?? 0;
	return {
		used,
		allocation: {
			'.tag': 'team',
			used: teamUsed,
			allocated: acc.allocated,
			user_within_team_space_allocated: limit,
			user_within_team_space_limit_type: { '.tag': limit > 0 ? (acc.memberSpaceLimitType ?? 'stop_sync') : 'off' },
			user_within_team_space_used_cached: used,
		},
	};
}

export function getAccount(ctx: Ctx): Json {
	const id = reqStr(ctx, ctx.arg.account_id, 'account_id');
	const a = ctx.st.accounts.get(id);
	if (!a) throw routeError({ '.tag': 'no_account' });
	const j = accountJson(a) as Record<string, Json>;
	return { account_id: j.account_id, name: j.name, email: j.email, email_verified: true, disabled: false, is_teammate: false };
}

export function revokeToken(ctx: Ctx): Json {
	const t = ctx.token!;
	t.revoked = true;
	if (t.refreshToken) {
		const r = ctx.st.refreshTokens.get(t.refreshToken);
		if (r) r.revoked = true;
		for (const o of ctx.st.tokens.values()) if (o.refreshToken === t.refreshToken) o.revoked = true;
	}
	return null;
}
