import type { HttpFailure } from '../../nodes/shared/transport/httpFailure';
import { readHttpFailure } from '../../nodes/shared/transport/httpFailure';
import {
	DEFAULT_RETRY_POLICY,
	decideRetry,
	isWriteContention,
	retryAfterMs,
	type RetryPolicy,
} from '../../nodes/shared/transport/retry';
import { dropboxError, httpError, networkError } from './helpers/fakes';

const policy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 60_000, defaultRateLimitDelayMs: 5_000 };
const low = () => 0;
const high = () => 0.999999;
const mid = () => 0.5;

async function failureOf(error: unknown): Promise<HttpFailure> {
	return await readHttpFailure(error);
}

const rateLimitedJson = (retryAfter: number, header?: string) =>
	httpError(
		429,
		dropboxError({ reason: { '.tag': 'too_many_requests' }, retry_after: retryAfter }),
		header ? { 'Retry-After': header } : {},
	);

describe('retry policy: what is retried', () => {
	it('uses sensible defaults: 6 attempts (10 when Dropbox asks to slow down), 5 s for a 429 without Retry-After, 60 s cap', () => {
		expect(DEFAULT_RETRY_POLICY).toEqual({ ...policy, maxRateLimitAttempts: 10 });
	});

	it('gives 429 and write contention their own, larger budget when the policy sets one', async () => {
		const generous: RetryPolicy = { ...policy, maxRateLimitAttempts: 10 };
		const limited = await failureOf(rateLimitedJson(1));
		expect(decideRetry(limited, 9, generous, low).retry).toBe(true);
		expect(decideRetry(limited, 10, generous, low)).toEqual({ retry: false });
		const broken = await failureOf(httpError(500, 'x'));
		expect(decideRetry(broken, 6, generous, low)).toEqual({ retry: false });
	});

	it('429 too_many_requests (JSON) is retried as rate limiting', async () => {
		expect(decideRetry(await failureOf(rateLimitedJson(2)), 1, policy, low)).toEqual({
			retry: true,
			reason: 'rate_limited',
			delayMs: 2000,
		});
	});

	it('429 too_many_write_operations is retried as write contention', async () => {
		const failure = await failureOf(
			httpError(429, dropboxError({ reason: { '.tag': 'too_many_write_operations' }, retry_after: 1 }), { 'Retry-After': '1' }),
		);
		expect(isWriteContention(failure)).toBe(true);
		expect(decideRetry(failure, 1, policy, low)).toMatchObject({ retry: true, reason: 'write_contention' });
	});

	it('429 as plain text with Retry-After is retried', async () => {
		const failure = await failureOf(httpError(429, 'Too Many Requests', { 'Retry-After': '7' }));
		expect(decideRetry(failure, 1, policy, low)).toEqual({ retry: true, reason: 'rate_limited', delayMs: 7000 });
	});

	it.each([
		['directly', { '.tag': 'too_many_write_operations' }],
		['under an upload write failure', { '.tag': 'path', reason: { '.tag': 'too_many_write_operations' }, upload_session_id: 's' }],
		['under a finish lookup', { '.tag': 'path', path: { '.tag': 'too_many_write_operations' } }],
	])('409 too_many_write_operations (%s) is retried as write contention', async (_where, error) => {
		const failure = await failureOf(httpError(409, dropboxError(error)));
		expect(isWriteContention(failure)).toBe(true);
		expect(decideRetry(failure, 1, policy, low)).toMatchObject({ retry: true, reason: 'write_contention' });
	});

	it.each([500, 502, 503, 504, 507])('HTTP %i is retried as a server error', async (status) => {
		expect(decideRetry(await failureOf(httpError(status, 'oops')), 1, policy, low)).toMatchObject({
			retry: true,
			reason: 'server_error',
		});
	});

	it.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN', 'EPIPE'])('network error %s is retried', async (code) => {
		expect(decideRetry(await failureOf(networkError(code, 'boom')), 1, policy, low)).toMatchObject({
			retry: true,
			reason: 'network',
		});
	});

	it('"socket hang up" without a code is a connection reset, retried', async () => {
		expect(decideRetry(await failureOf(new Error('socket hang up')), 1, policy, low)).toMatchObject({ retry: true, reason: 'network' });
	});

	it('401 expired_access_token is retried once, at once (n8n refreshed the token), and not a second time', async () => {
		const failure = await failureOf(httpError(401, dropboxError({ '.tag': 'expired_access_token' })));
		expect(decideRetry(failure, 1, policy, low)).toEqual({ retry: true, reason: 'expired_token', delayMs: 0 });
		expect(decideRetry(failure, 2, policy, low)).toEqual({ retry: false });
	});
});

describe('retry policy: never retried', () => {
	it.each<[string, () => unknown]>([
		['400 plain text', () => httpError(400, 'Error in call to API function "files/upload": bad')],
		['403 no_permission', () => httpError(403, dropboxError({ '.tag': 'no_permission' }))],
		['409 path/not_found', () => httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } }))],
		['409 path/conflict/file', () => httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file' } } }))],
		['409 lookup_failed/incorrect_offset', () => httpError(409, dropboxError({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 1 } }))],
		['409 reset', () => httpError(409, dropboxError({ '.tag': 'reset' }))],
		['409 shared_link_already_exists', () => httpError(409, dropboxError({ '.tag': 'shared_link_already_exists' }))],
		['401 invalid_access_token', () => httpError(401, dropboxError({ '.tag': 'invalid_access_token' }))],
		['401 missing_scope', () => httpError(401, dropboxError({ '.tag': 'missing_scope', required_scope: 'files.content.write' }))],
		['401 user_suspended', () => httpError(401, dropboxError({ '.tag': 'user_suspended' }))],
		['401 route_access_denied', () => httpError(401, dropboxError({ '.tag': 'route_access_denied' }))],
		['422 invalid_root', () => httpError(422, dropboxError({ '.tag': 'invalid_root', invalid_root: { '.tag': 'team', root_namespace_id: '1' } }))],
		['404', () => httpError(404, 'Not Found')],
		['an unknown non-HTTP error', () => new TypeError('x is not a function')],
		['an unknown error code', () => Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' })],
	])('%s', async (_name, make) => {
		const failure = await failureOf(make());
		for (const attempt of [1, 2, 5]) {
			expect(decideRetry(failure, attempt, policy, low)).toEqual({ retry: false });
		}
	});
});

describe('retry policy: how long it waits', () => {
	it('429: the JSON retry_after wins over the Retry-After header', async () => {
		expect(decideRetry(await failureOf(rateLimitedJson(3, '9')), 1, policy, low)).toMatchObject({ delayMs: 3000 });
	});

	it('429: the Retry-After header when the body has no retry_after', async () => {
		const failure = await failureOf(httpError(429, dropboxError({ reason: { '.tag': 'too_many_requests' } }), { 'Retry-After': '4' }));
		expect(retryAfterMs(failure)).toBe(4000);
		expect(decideRetry(failure, 1, policy, low)).toMatchObject({ delayMs: 4000 });
	});

	it('429: 5 s by default when neither says', async () => {
		expect(decideRetry(await failureOf(httpError(429, 'Too Many Requests')), 1, policy, high)).toEqual({
			retry: true,
			reason: 'rate_limited',
			delayMs: 5000,
		});
	});

	it('429: a non-numeric Retry-After falls back to the default', async () => {
		const failure = await failureOf(httpError(429, '', { 'Retry-After': 'soon' }));
		expect(decideRetry(failure, 1, policy, low)).toMatchObject({ delayMs: 5000 });
	});

	it('429: an empty Retry-After header falls back to the default (not to 0 s)', async () => {
		const failure = await failureOf(httpError(429, '', { 'Retry-After': ' ' }));
		expect(decideRetry(failure, 1, policy, low)).toMatchObject({ delayMs: 5000 });
	});

	it('429: the wait does not depend on random or on the attempt', async () => {
		const failure = await failureOf(rateLimitedJson(2));
		for (const attempt of [1, 3, 5]) {
			for (const random of [low, mid, high]) expect(decideRetry(failure, attempt, policy, random)).toMatchObject({ delayMs: 2000 });
		}
	});

	it('429: a huge retry_after is capped at maxDelayMs', async () => {
		expect(decideRetry(await failureOf(rateLimitedJson(3600, '3600')), 1, policy, low)).toMatchObject({ delayMs: 60_000 });
	});

	it('5xx and network errors: exponential backoff, jitter between half and all of each step', async () => {
		const failures = [await failureOf(httpError(503, 'x')), await failureOf(networkError())];
		for (const failure of failures) {
			const steps = [500, 1000, 2000, 4000, 8000];
			steps.forEach((step, index) => {
				const attempt = index + 1;
				expect(decideRetry(failure, attempt, policy, low)).toMatchObject({ delayMs: step / 2 });
				expect(decideRetry(failure, attempt, policy, mid)).toMatchObject({ delayMs: (step * 3) / 4 });
				expect(decideRetry(failure, attempt, policy, () => 1)).toMatchObject({ delayMs: step });
			});
		}
	});

	it('backoff stays within its bounds for any random value', async () => {
		const failure = await failureOf(httpError(500, 'x'));
		for (let attempt = 1; attempt < policy.maxAttempts; attempt++) {
			const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
			for (let i = 0; i <= 100; i++) {
				const decision = decideRetry(failure, attempt, policy, () => i / 100);
				if (!decision.retry) throw new Error('expected a retry');
				expect(decision.delayMs).toBeGreaterThanOrEqual(step / 2);
				expect(decision.delayMs).toBeLessThanOrEqual(step);
			}
		}
	});

	it('backoff is capped at maxDelayMs however many attempts', async () => {
		const failure = await failureOf(httpError(500, 'x'));
		const long: RetryPolicy = { ...policy, maxAttempts: 100 };
		expect(decideRetry(failure, 40, long, high)).toMatchObject({ delayMs: 60_000 });
		expect(decideRetry(failure, 40, long, low)).toMatchObject({ delayMs: 30_000 });
		const tight: RetryPolicy = { ...policy, maxAttempts: 100, maxDelayMs: 1500 };
		expect(decideRetry(failure, 10, tight, high)).toMatchObject({ delayMs: 1500 });
	});

	it('write contention: backoff, but at least what Dropbox asked, and capped', async () => {
		const noHint = await failureOf(httpError(409, dropboxError({ '.tag': 'too_many_write_operations' })));
		expect(decideRetry(noHint, 3, policy, low)).toMatchObject({ delayMs: 1000 });
		const asked = await failureOf(
			httpError(429, dropboxError({ reason: { '.tag': 'too_many_write_operations' }, retry_after: 5 })),
		);
		expect(decideRetry(asked, 1, policy, low)).toMatchObject({ delayMs: 5000 });
		const huge = await failureOf(httpError(429, dropboxError({ reason: { '.tag': 'too_many_write_operations' }, retry_after: 999 })));
		expect(decideRetry(huge, 1, policy, low)).toMatchObject({ delayMs: 60_000 });
	});

	it('uses Math.random when no random source is given, within the same bounds', async () => {
		const failure = await failureOf(httpError(502, 'x'));
		for (let i = 0; i < 50; i++) {
			const decision = decideRetry(failure, 2, policy);
			if (!decision.retry) throw new Error('expected a retry');
			expect(decision.delayMs).toBeGreaterThanOrEqual(500);
			expect(decision.delayMs).toBeLessThanOrEqual(1000);
		}
	});
});

describe('retry policy: when it gives up', () => {
	it.each<[string, () => unknown]>([
		['429', () => rateLimitedJson(1)],
		['409 too_many_write_operations', () => httpError(409, dropboxError({ '.tag': 'too_many_write_operations' }))],
		['503', () => httpError(503, 'x')],
		['ECONNRESET', () => networkError()],
	])('%s: retried up to maxAttempts in all, then not', async (_name, make) => {
		const failure = await failureOf(make());
		for (let attempt = 1; attempt < policy.maxAttempts; attempt++) expect(decideRetry(failure, attempt, policy, low).retry).toBe(true);
		expect(decideRetry(failure, policy.maxAttempts, policy, low)).toEqual({ retry: false });
		expect(decideRetry(failure, policy.maxAttempts + 1, policy, low)).toEqual({ retry: false });
	});

	it('maxAttempts 1 means never retry', async () => {
		expect(decideRetry(await failureOf(httpError(500, 'x')), 1, { ...policy, maxAttempts: 1 }, low)).toEqual({ retry: false });
	});

	it('an expired token is not retried when it is the last attempt', async () => {
		const failure = await failureOf(httpError(401, dropboxError({ '.tag': 'expired_access_token' })));
		expect(decideRetry(failure, 1, { ...policy, maxAttempts: 1 }, low)).toEqual({ retry: false });
	});
});
