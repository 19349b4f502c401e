import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import type { ItemOutput } from '../types';

export const description: INodeProperties[] = [];

interface SpaceUsage {
	used: number;
	allocation: { '.tag': 'individual' | 'team' | 'other'; allocated?: number; used?: number };
}

/** Space used and allocated, flattened so a workflow can compare numbers directly. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const usage = await dropboxRpc<SpaceUsage>(this, 'users/get_space_usage', undefined, { itemIndex });
	const allocated = usage.allocation?.allocated;
	const result: IDataObject = {
		used: usage.used,
		allocationType: usage.allocation?.['.tag'],
		allocated: allocated ?? null,
		usedPercent: allocated ? Math.round((usage.used / allocated) * 10000) / 100 : null,
	};
	if (usage.allocation?.['.tag'] === 'team') result.teamUsed = usage.allocation.used ?? null;
	return result;
}
