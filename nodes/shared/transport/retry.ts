import type { HttpFailure } from './httpFailure';

/**
 * When Dropbox may be asked again, and after how long. Pure: the transport supplies the
 * failure, the attempt number and a random source; tests supply their own.
 */
export interface RetryPolicy {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	/**
	 * Attempts in all when Dropbox asks us to slow down (429, write contention): Dropbox says
	 * how long to wait, so these get a larger budget than failures. Defaults to maxAttempts.
	 */
	maxRateLimitAttempts?: number;
	/** First backoff for 5xx, network errors and write-lock contention, in ms. */
	baseDelayMs: number;
	/** No single wait is longer than this, whatever Retry-After says. */
	maxDelayMs: number;
	/** Wait for a 429 that names no Retry-After. */
	defaultRateLimitDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 6,
	maxRateLimitAttempts: 10,
	baseDelayMs: 500,
	maxDelayMs: 60_000,
	defaultRateLimitDelayMs: 5_000,
};

export type RetryReason =
	| 'rate_limited'
	| 'write_contention'
	| 'server_error'
	| 'network'
	| 'expired_token';

export type RetryDecision = { retry: false } | { retry: true; delayMs: number; reason: RetryReason };

function errorTag(failure: HttpFailure): string | undefined {
	const error = failure.json?.error as Record<string, unknown> | undefined;
	if (error && typeof error === 'object') {
		const tag = error['.tag'];
		if (typeof tag === 'string') return tag;
		const reason = (error.reason as Record<string, unknown> | undefined)?.['.tag'];
		if (typeof reason === 'string') return reason;
	}
	return undefined;
}

/** The `too_many_write_operations` marker, wherever Dropbox nests it (429 and 409 bodies). */
export function isWriteContention(failure: HttpFailure): boolean {
	if (failure.status !== 429 && failure.status !== 409) return false;
	return /too_many_write_operations/.test(failure.text) || errorTag(failure) === 'too_many_write_operations';
}

/** Seconds Dropbox asked us to wait: JSON `error.retry_after`, else the `Retry-After` header. */
export function retryAfterMs(failure: HttpFailure): number | undefined {
	const fromJson = (failure.json?.error as Record<string, unknown> | undefined)?.retry_after;
	const header = failure.headers['retry-after']?.trim();
	const seconds = typeof fromJson === 'number' ? fromJson : header ? Number(header) : NaN;
	return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function backoff(policy: RetryPolicy, attempt: number, random: () => number): number {
	// "Full jitter": a random wait between half and all of the exponential step.
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(step / 2 + random() * (step / 2));
}

/**
 * @param attempt the number of the attempt that just failed, from 1
 */
export function decideRetry(
	failure: HttpFailure,
	attempt: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	random: () => number = Math.random,
): RetryDecision {
	const { status } = failure;
	const slowDown = status === 429 || isWriteContention(failure);
	const limit = slowDown ? (policy.maxRateLimitAttempts ?? policy.maxAttempts) : policy.maxAttempts;
	if (attempt >= limit) return { retry: false };
	if (status === undefined) {
		if (failure.networkCode === undefined) return { retry: false };
		return { retry: true, reason: 'network', delayMs: backoff(policy, attempt, random) };
	}
	if (isWriteContention(failure)) {
		const asked = retryAfterMs(failure);
		const delayMs = Math.min(policy.maxDelayMs, Math.max(asked ?? 0, backoff(policy, attempt, random)));
		return { retry: true, reason: 'write_contention', delayMs };
	}
	if (status === 429) {
		const delayMs = Math.min(policy.maxDelayMs, retryAfterMs(failure) ?? policy.defaultRateLimitDelayMs);
		return { retry: true, reason: 'rate_limited', delayMs };
	}
	if (status >= 500) {
		return { retry: true, reason: 'server_error', delayMs: backoff(policy, attempt, random) };
	}
	if (status === 401 && errorTag(failure) === 'expired_access_token' && attempt === 1) {
		// n8n refreshes the token when it sees the 401; one more try uses the new one.
		return { retry: true, reason: 'expired_token', delayMs: 0 };
	}
	return { retry: false };
}
