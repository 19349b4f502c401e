import { sleep, type IDataObject, type INodeExecutionData, type ITriggerFunctions } from 'n8n-workflow';

import { dropboxNotify } from '../transport';
import { attempt } from './attempt';
import { cursorAfter, forget, recordStep } from './deliveries';
import { watchKey } from './settings';
import { readState, writeState } from './state';
import type { WatchSettings } from './types';
import { baseline, storedPosition, takeChanges } from './watch';

/** The long-poll timeout Dropbox accepts, in seconds, and the one a new trigger asks for. */
export const MIN_LONGPOLL_SECONDS = 30;
export const MAX_LONGPOLL_SECONDS = 480;
export const DEFAULT_LONGPOLL_SECONDS = 480;

/** Dropbox adds up to 90 s at random to the timeout asked for, so the HTTP timeout must be longer. */
const DROPBOX_JITTER_MS = 90_000;
/** And some more for the answer to travel. */
const ANSWER_MARGIN_MS = 30_000;

/** Waits between reconnections after failures: doubling from the first, never above the last. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;

/**
 * How long one read may go on before its items are emitted (at the next page boundary): a burst
 * of changes is emitted a few seconds' work at a time, as it is classified, not all at the end.
 */
export const LONGPOLL_READ_MS = 5_000;

/** Failures in a row after which the trigger records a failed execution (once per streak): not for a blip. */
export const FAILURES_BEFORE_RECORDED = 5;

export interface LongpollAnswer {
	changes: boolean;
	/** Seconds Dropbox asks to wait before the next long-poll. */
	backoff?: number;
}

/** The wait before reconnecting after the `failures`-th failure in a row. */
export function retryDelayMs(failures: number): number {
	return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1), MAX_RETRY_MS);
}

/**
 * One long-poll on the cursor: whether Dropbox has changes after it, within `timeoutSeconds`
 * (plus Dropbox's jitter). An expired cursor (`reset`) counts as changes: the read that
 * follows meets `reset` too and recovers from it as every trigger does.
 */
export async function waitForChanges(
	ctx: ITriggerFunctions,
	cursor: string,
	timeoutSeconds: number,
	signal: AbortSignal,
): Promise<LongpollAnswer> {
	const answer = await attempt(
		dropboxNotify<LongpollAnswer>(
			ctx,
			'files/list_folder/longpoll',
			{ cursor, timeout: timeoutSeconds },
			{ timeoutMs: timeoutSeconds * 1000 + DROPBOX_JITTER_MS + ANSWER_MARGIN_MS, signal },
		),
	);
	if (answer.ok) return answer.value;
	if (answer.tag === 'reset') return { changes: true };
	throw answer.error;
}

/** Waits `ms`, or less when the signal ends the watch. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
	if (ms > 0 && !signal.aborted) await sleep(ms, signal).catch(() => undefined);
}

export interface LongpollWatch {
	settings: WatchSettings;
	/** Where the cursor lives: the workflow's static data, or a scratch object for a manual run. */
	staticData: IDataObject;
	/**
	 * Where this process remembers the positions the watch moved on from (deliveries.ts nodeKey), so
	 * a stale copy of the static data given to a later activation goes on where it stopped. None
	 * for a manual run: its scratch cursor can be the very string the published trigger stores.
	 */
	key?: string;
	timeoutSeconds: number;
	/** Ends the watch: the long-poll in flight is dropped, waits end, nothing more is emitted. */
	signal: AbortSignal;
	/** Called with the items of each read that found some, after the cursor moved past them. */
	emit(items: INodeExecutionData[]): void;
	/** Stop after the first emission (the editor's manual run). */
	once: boolean;
	/** Told of each failure and how many came in a row; false ends the watch. */
	failed(error: unknown, inARow: number): boolean;
}

/** Whether the stored cursor is one for these settings: if not, the next read takes a baseline. */
export function hasCursorFor(settings: WatchSettings, staticData: IDataObject): boolean {
	const state = readState(staticData);
	return state.cursor !== undefined && state.watch === watchKey(settings);
}

/**
 * A cursor for "now" unless one for these settings is stored: changes after it are reported. One
 * call, or none. A new cursor makes the positions remembered under `key` useless: forgotten.
 */
export async function ensureCursor(ctx: ITriggerFunctions, settings: WatchSettings, staticData: IDataObject, key?: string): Promise<void> {
	if (hasCursorFor(settings, staticData)) return;
	await baseline(ctx, settings, staticData);
	if (key !== undefined) forget(key);
}

/**
 * Watches by long-poll until the signal ends it: one read at once, then a long-poll open on
 * the cursor; when Dropbox says there are changes, reads them through the shared engine
 * (takeChanges: the cursor moves in `staticData` before the items are emitted, so n8n saves it
 * with the emission) and emits them; reads on at once while a read left changes behind; waits
 * as long as Dropbox's `backoff` asks before the next long-poll; after a failure, reconnects
 * after doubling waits. An idle folder costs one request per timeout period. Start From's
 * backlog, stored by the baseline, is read this way too: at once, a run at a time.
 * Each read starts where this process stopped (deliveries.cursorAfter), as the other triggers'
 * do, should the stored state be a stale copy.
 */
export async function watchByLongpoll(ctx: ITriggerFunctions, watch: LongpollWatch): Promise<void> {
	const { settings, staticData, signal } = watch;
	let inARow = 0;
	// Read first, then long-poll: what changed while the trigger was not running (an n8n restart),
	// or anything else the stored state says is still to report, comes at once
	let leftBehind = true;
	while (!signal.aborted) {
		try {
			let backoffMs = 0;
			const cursor = readState(staticData).cursor;
			if (!leftBehind && cursor !== undefined && hasCursorFor(settings, staticData)) {
				const answer = await waitForChanges(ctx, cursor, watch.timeoutSeconds, signal);
				backoffMs = (answer.backoff ?? 0) * 1000;
				if (!answer.changes) {
					inARow = 0;
					await pause(backoffMs, signal);
					continue;
				}
			}
			const before = readState(staticData);
			const from = watch.key === undefined ? undefined : cursorAfter(watch.key, storedPosition(staticData));
			const taken = await takeChanges(ctx, settings, staticData, { from, deadline: Date.now() + LONGPOLL_READ_MS });
			if (signal.aborted) {
				// Deactivated meanwhile: nothing is emitted, so the position goes back (the step is not remembered either)
				// for the next activation to read these
				writeState(staticData, before);
				return;
			}
			if (watch.key !== undefined) {
				// Remembered before the emission that saves it: a copy saved before this read goes on after it
				if (taken.from !== undefined && taken.to !== undefined) recordStep(watch.key, taken.from, taken.to);
				else forget(watch.key);
			}
			inARow = 0;
			leftBehind = taken.more === true;
			if (taken.items.length > 0) {
				watch.emit(taken.items);
				if (watch.once) return;
			}
			await pause(backoffMs, signal);
		} catch (error) {
			if (signal.aborted) return;
			inARow++;
			if (!watch.failed(error, inARow)) return;
			await pause(retryDelayMs(inARow), signal);
		}
	}
}
