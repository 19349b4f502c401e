import { clock } from '../../shared/transport';

/** How Dropbox's async jobs are waited for: a growing interval, bounded in total. */
export interface PollPolicy {
	/** Give up after this long (ms). */
	timeoutMs: number;
	/** First wait (ms); each next wait is 1.5 times longer, up to maxIntervalMs. */
	initialIntervalMs: number;
	maxIntervalMs: number;
}

export const DEFAULT_POLL_POLICY: Omit<PollPolicy, 'timeoutMs'> = { initialIntervalMs: 250, maxIntervalMs: 5000 };

/** Indirection so tests can move time; waits go through the transport's `clock.sleep`. */
export const pollClock = {
	now: (): number => Date.now(),
};

/**
 * Calls `check` until it returns a value (not undefined) or the time is up; returns
 * undefined on timeout. The last wait is shortened so the total stays within the timeout.
 * Waits go through `wait` (the transport's `pause`, which ends at once when the user presses Stop).
 */
export async function pollUntilDone<T>(
	check: () => Promise<T | undefined>,
	policy: PollPolicy,
	wait: (ms: number) => Promise<void> = async (ms) => await clock.sleep(ms),
): Promise<T | undefined> {
	const deadline = pollClock.now() + policy.timeoutMs;
	let interval = policy.initialIntervalMs;
	for (;;) {
		const done = await check();
		if (done !== undefined) return done;
		const left = deadline - pollClock.now();
		if (left <= 0) return undefined;
		await wait(Math.min(interval, left));
		interval = Math.min(interval * 1.5, policy.maxIntervalMs);
	}
}
