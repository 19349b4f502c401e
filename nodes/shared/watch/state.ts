import type { IDataObject } from 'n8n-workflow';

/**
 * What a trigger keeps between runs, all in the workflow's static data (saved with the
 * workflow, so it survives restarts and is shared by main and workers): the cursor, what
 * it covers, and for the instant trigger the Dropbox account it listens for. O(1) in size.
 */
export interface TriggerState {
	cursor?: string;
	watch?: string;
	accountId?: string;
	/** When the cursor was last taken or read (epoch ms): what a `reset` recovers from. */
	checkedAt?: number;
}

export function readState(staticData: IDataObject): TriggerState {
	return {
		cursor: typeof staticData.cursor === 'string' ? staticData.cursor : undefined,
		watch: typeof staticData.watch === 'string' ? staticData.watch : undefined,
		accountId: typeof staticData.accountId === 'string' ? staticData.accountId : undefined,
		checkedAt: typeof staticData.checkedAt === 'number' ? staticData.checkedAt : undefined,
	};
}

export function writeState(staticData: IDataObject, state: TriggerState): void {
	for (const key of ['cursor', 'watch', 'accountId', 'checkedAt'] as const) {
		if (state[key] === undefined) delete staticData[key];
		else staticData[key] = state[key];
	}
}
