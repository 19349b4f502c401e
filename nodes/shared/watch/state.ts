import type { IDataObject } from 'n8n-workflow';

/**
 * The first report Start From asked for, while it is being made: a listing of the folder read a
 * run at a time. `cursor`: the listing's position, absent before its first page.
 */
export interface Backlog {
	mode: 'date' | 'everything';
	/** Mode `date`: files Dropbox received from this moment on (epoch ms). */
	since?: number;
	cursor?: string;
}

/**
 * What a trigger keeps between runs, all in the workflow's static data (saved with the
 * workflow, so it survives restarts and is shared by main and workers): the cursor, what
 * it covers, and for the instant trigger the Dropbox account it listens for. O(1) in size.
 */
export interface TriggerState {
	cursor?: string;
	/**
	 * What the cursor covers (watchKey). The Instant Trigger keeps it when unpublished: it is also
	 * what tells that Start From was already applied to this folder.
	 */
	watch?: string;
	accountId?: string;
	/** When the cursor was last taken or read (epoch ms): what a `reset` recovers from. */
	checkedAt?: number;
	/** Start From's first report, until it is complete; the change cursor waits meanwhile. */
	backlog?: Backlog;
}

function backlogOf(raw: unknown): Backlog | undefined {
	if (!raw || typeof raw !== 'object') return undefined;
	const { mode, since, cursor } = raw as IDataObject;
	if (mode !== 'date' && mode !== 'everything') return undefined;
	if (mode === 'date' && typeof since !== 'number') return undefined;
	return { mode, since: mode === 'date' ? (since as number) : undefined, cursor: typeof cursor === 'string' ? cursor : undefined };
}

export function readState(staticData: IDataObject): TriggerState {
	return {
		cursor: typeof staticData.cursor === 'string' ? staticData.cursor : undefined,
		watch: typeof staticData.watch === 'string' ? staticData.watch : undefined,
		accountId: typeof staticData.accountId === 'string' ? staticData.accountId : undefined,
		checkedAt: typeof staticData.checkedAt === 'number' ? staticData.checkedAt : undefined,
		backlog: backlogOf(staticData.backlog),
	};
}

export function writeState(staticData: IDataObject, state: TriggerState): void {
	for (const key of ['cursor', 'watch', 'accountId', 'checkedAt'] as const) {
		if (state[key] === undefined) delete staticData[key];
		else staticData[key] = state[key];
	}
	if (state.backlog === undefined) delete staticData.backlog;
	else {
		const { mode, since, cursor } = state.backlog;
		staticData.backlog = { mode, ...(since === undefined ? {} : { since }), ...(cursor === undefined ? {} : { cursor }) };
	}
}
