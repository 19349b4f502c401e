import { validateHeaderValue } from 'node:http';
import { Readable } from 'node:stream';

import fc from 'fast-check';
import { NodeApiError, type IExecuteFunctions } from 'n8n-workflow';

import { clock, dropboxRpc, dropboxUpload } from '../../nodes/shared/transport';
import { describeFailure, dropboxErrorParts } from '../../nodes/shared/transport/errors';
import { headerSafeJson } from '../../nodes/shared/transport/headerSafeJson';
import { readHttpFailure } from '../../nodes/shared/transport/httpFailure';
import { NODE } from './helpers/fakes';

/**
 * Property-based tests of the transport's pure parts: the Dropbox-API-Arg encoder and the
 * error translator. Run counts are kept moderate so the suite stays fast; raise NUM_RUNS to
 * search harder (e.g. NUM_RUNS=20000 npx jest fuzz-).
 */
const NUM_RUNS = Number(process.env.NUM_RUNS ?? 500);

/** Every Unicode code point (astral ones as surrogate pairs). */
const unicode = fc.string({ unit: 'binary', maxLength: 80 });
/** Any UTF-16 code unit, lone surrogates included (what a broken upstream can hand over). */
const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 40 });
const HEADER_SAFE = /^[\x20-\x7e]*$/;

describe('Dropbox-API-Arg encoder (property-based)', () => {
	it('round-trips every Unicode string, and the header is printable ASCII that Node accepts', () => {
		fc.assert(
			fc.property(fc.oneof(unicode, codeUnits), (text) => {
				const encoded = headerSafeJson(text);
				expect(encoded).toMatch(HEADER_SAFE);
				expect(() => validateHeaderValue('Dropbox-API-Arg', encoded)).not.toThrow();
				expect(JSON.parse(encoded)).toBe(text);
			}),
			{ numRuns: NUM_RUNS },
		);
	});

	it('round-trips objects of Unicode strings (keys too), as Dropbox arguments are', () => {
		const args = fc.dictionary(unicode, fc.oneof(unicode, fc.array(unicode, { maxLength: 4 }), fc.dictionary(unicode, unicode, { maxKeys: 3 })), {
			maxKeys: 6,
		});
		fc.assert(
			fc.property(args, (value) => {
				const encoded = headerSafeJson(value);
				expect(encoded).toMatch(HEADER_SAFE);
				expect(JSON.parse(encoded)).toEqual(value);
			}),
			{ numRuns: NUM_RUNS },
		);
	});

	it('means the same as plain JSON for any JSON value, in fewer than 13 bytes per character', () => {
		fc.assert(
			fc.property(fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 }), (value) => {
				const encoded = headerSafeJson(value);
				expect(encoded).toMatch(HEADER_SAFE);
				expect(JSON.parse(encoded)).toEqual(JSON.parse(JSON.stringify(value)));
				expect(encoded.length).toBeLessThanOrEqual(JSON.stringify(value).length * 12);
			}),
			{ numRuns: NUM_RUNS },
		);
	});

	it('writes an emoji as its two UTF-16 escapes, as Dropbox expects', () => {
		expect(headerSafeJson({ path: '/😀' })).toBe('{"path":"/\\ud83d\\ude00"}');
	});
});

// ---------------------------------------------------------------- error translator

const status = fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined });
const headerValue = fc.oneof(unicode, fc.array(unicode, { maxLength: 3 }), fc.integer(), fc.constant(undefined), fc.constant(null));
const headers = fc.oneof(
	fc.dictionary(fc.oneof(unicode, fc.constantFrom('Retry-After', 'retry-after', 'Content-Type')), headerValue, { maxKeys: 5 }),
	fc.constant(undefined),
	fc.constant(null),
	unicode,
);
/** Dropbox-looking JSON error bodies, with garbage in every member. */
const dropboxLikeJson = fc.record(
	{
		error_summary: fc.oneof(unicode, fc.integer(), fc.constant(null)),
		error: fc.oneof(
			fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 }),
			fc.record({ '.tag': fc.oneof(unicode, fc.constantFrom('path', 'missing_scope', 'expired_access_token', 'too_many_write_operations', 'reset')), reason: fc.jsonValue({ maxDepth: 2 }), retry_after: fc.oneof(fc.integer(), fc.double(), unicode), required_scope: fc.jsonValue({ maxDepth: 1 }), root_info: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }),
		),
		user_message: fc.jsonValue({ maxDepth: 2 }),
	},
	{ requiredKeys: [] },
);
const body = fc.oneof(
	fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 }),
	dropboxLikeJson,
	dropboxLikeJson.map((json) => JSON.stringify(json)),
	unicode,
	codeUnits,
	fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
	unicode.map((text) => Buffer.from(text)),
	fc.string({ minLength: 4000, maxLength: 9000 }),
	fc.constant(undefined),
	fc.constant(null),
);
/** Whatever an HTTP stack may throw: Axios-style, NodeApiError-style, network errors, and junk. */
const thrown = fc.oneof(
	fc.record({ response: fc.record({ status, headers, data: body }, { requiredKeys: [] }), message: fc.option(unicode), code: fc.option(unicode) }, { requiredKeys: [] }),
	fc.record({ response: fc.record({ statusCode: status, headers, body }, { requiredKeys: [] }) }, { requiredKeys: [] }),
	fc.record({ httpCode: fc.oneof(status.map(String), unicode, fc.constant(null)), context: fc.record({ data: body }, { requiredKeys: [] }), message: unicode }, { requiredKeys: [] }),
	fc.record({ code: fc.oneof(fc.constantFrom('ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'UND_ERR_SOCKET'), unicode), message: unicode }, { requiredKeys: [] }),
	fc.record({ cause: fc.record({ response: fc.record({ status, headers, data: body }, { requiredKeys: [] }) }, { requiredKeys: [] }) }),
	unicode.map((message) => new Error(message)),
	fc.anything({ maxDepth: 2, withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withTypedArray: true }),
);

const ROUTES = fc.constantFrom('files/upload', 'files/list_folder', 'users/get_current_account', 'files/upload_session/finish');

describe('error translator (property-based)', () => {
	it('readHttpFailure + describeFailure + dropboxErrorParts never throw and always give a message and a description', async () => {
		await fc.assert(
			fc.asyncProperty(thrown, ROUTES, fc.option(unicode, { nil: undefined }), fc.nat(9), async (error, route, path, attempts) => {
				const failure = await readHttpFailure(error);
				expect(typeof failure.text).toBe('string');
				expect(failure.text.length).toBeLessThanOrEqual(4001);
				const described = describeFailure(failure, { route, path, attempts });
				expect(described.message.trim()).not.toBe('');
				expect(described.description.trim()).not.toBe('');
				const parts = dropboxErrorParts(failure, { route, path, itemIndex: 0 });
				expect(parts.options.message).toBe(parts.response.message);
				expect(typeof parts.context.dropboxTag).toBe('string');
			}),
			{ numRuns: NUM_RUNS },
		);
	});

	it('reads streamed bodies too (a download that failed)', async () => {
		await fc.assert(
			fc.asyncProperty(status, fc.oneof(unicode, dropboxLikeJson.map((json) => JSON.stringify(json))), async (code, text) => {
				const failure = await readHttpFailure({ response: { status: code, headers: {}, data: Readable.from([Buffer.from(text)]) } });
				const { message } = describeFailure(failure, { route: 'files/download' });
				expect(message.trim()).not.toBe('');
			}),
			{ numRuns: 200 },
		);
	});

	describe('through the transport', () => {
		const realSleep = clock.sleep;
		beforeAll(() => {
			clock.sleep = async () => {};
		});
		afterAll(() => {
			clock.sleep = realSleep;
		});

		function alwaysFailing(error: unknown) {
			let calls = 0;
			const ctx = {
				getNode: () => NODE,
				getNodeParameter: (_name: string, _index: number, fallback?: unknown) => fallback,
				getCredentials: async () => ({ pathRoot: 'home' }),
				logger: { debug() {}, info() {}, warn() {}, error() {} },
				helpers: {
					httpRequestWithAuthentication: async () => {
						calls++;
						throw error;
					},
				},
			} as unknown as IExecuteFunctions;
			return { ctx, calls: () => calls };
		}

		it('any failure of any call ends as a NodeApiError with a message, after a bounded number of attempts', async () => {
			const retry = { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0, defaultRateLimitDelayMs: 0 };
			await fc.assert(
				fc.asyncProperty(thrown, fc.boolean(), fc.option(unicode, { nil: undefined }), async (error, upload, path) => {
					const { ctx, calls } = alwaysFailing(error);
					const call = upload
						? dropboxUpload(ctx, 'files/upload', { path: path ?? '/x' }, Buffer.from('x'), { path, itemIndex: 2, retry })
						: dropboxRpc(ctx, 'files/get_metadata', { path }, { path, itemIndex: 2, retry });
					const caught = await call.then(
						() => undefined,
						(thrownError: unknown) => thrownError,
					);
					expect(caught).toBeInstanceOf(NodeApiError);
					const apiError = caught as NodeApiError;
					expect(apiError.message.trim()).not.toBe('');
					expect(String(apiError.description ?? '').trim()).not.toBe('');
					expect(calls()).toBeGreaterThanOrEqual(1);
					expect(calls()).toBeLessThanOrEqual(retry.maxAttempts);
				}),
				{ numRuns: NUM_RUNS },
			);
		});
	});
});
