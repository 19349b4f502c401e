import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { jsonItems, type ItemOutput } from '../types';

export const description: INodeProperties[] = [];

/** users.stone SpaceUsage: IndividualSpaceAllocation or TeamSpaceAllocation. */
interface SpaceUsage {
	used: number;
	allocation: {
		'.tag': 'individual' | 'team' | 'other';
		allocated?: number;
		used?: number;
		user_within_team_space_allocated?: number;
		user_within_team_space_limit_type?: { '.tag': string };
		user_within_team_space_used_cached?: number;
	};
}

const percent = (part: number, whole: number | undefined): number | null =>
	whole ? Math.round((part / whole) * 10000) / 100 : null;

/**
 * Space used and allocated, flattened so a workflow can compare numbers directly.
 *
 * usedPercent is the share of the limit that applies to this account: for an individual
 * account `used` of `allocated`; for a team member with a limit of its own
 * (`user_within_team_space_allocated` > 0: "0 means that no restriction is imposed on the
 * user's quota within its team") the member's `used` of that limit; for a member without one,
 * the team's `used` of the team's `allocated`, the only limit the member can meet.
 * usedPercentOf says which of the three it is.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const usage = await dropboxRpc<SpaceUsage>(this, 'users/get_space_usage', undefined, { itemIndex });
	const allocation = usage.allocation ?? { '.tag': 'other' };
	const allocated = allocation.allocated;
	const result: IDataObject = {
		used: usage.used,
		allocationType: allocation['.tag'],
		allocated: allocated ?? null,
		usedPercent: null,
		usedPercentOf: null,
	};
	if (allocation['.tag'] === 'team') {
		const teamUsed = allocation.used ?? null;
		const memberAllocated = allocation.user_within_team_space_allocated ?? 0;
		result.teamUsed = teamUsed;
		result.memberAllocated = memberAllocated;
		result.memberLimitType = allocation.user_within_team_space_limit_type?.['.tag'] ?? null;
		if (memberAllocated > 0) {
			result.usedPercent = percent(usage.used, memberAllocated);
			result.usedPercentOf = 'member';
		} else if (teamUsed !== null) {
			result.usedPercent = percent(teamUsed, allocated);
			result.usedPercentOf = result.usedPercent === null ? null : 'team';
		}
	} else if (allocation['.tag'] === 'individual') {
		result.usedPercent = percent(usage.used, allocated);
		result.usedPercentOf = result.usedPercent === null ? null : 'individual';
	}
	return jsonItems(result);
}
