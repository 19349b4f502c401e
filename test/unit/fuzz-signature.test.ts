import { createHmac } from 'node:crypto';

import fc from 'fast-check';

import { isDropboxSignature } from '../../nodes/shared/watch/signature';

/**
 * Property-based tests of the Instant Trigger's webhook signature check: it accepts exactly
 * the HMAC-SHA256 of the raw body keyed with the app secret, and nothing else.
 */
const NUM_RUNS = Number(process.env.NUM_RUNS ?? 1000);

const hmac = (body: Uint8Array, secret: string) => createHmac('sha256', secret).update(body).digest('hex');
const bodies = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }).map((text) => Buffer.from(text)));
const secrets = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
const hex64 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 });

describe('webhook signature check (property-based)', () => {
	it('accepts the right HMAC of any body under any secret (hex in either case)', () => {
		fc.assert(
			fc.property(bodies, secrets, (bytes, secret) => {
				const body = Buffer.from(bytes);
				const signature = hmac(body, secret);
				expect(isDropboxSignature(body, signature, secret)).toBe(true);
				expect(isDropboxSignature(body, signature.toUpperCase(), secret)).toBe(true);
			}),
			{ numRuns: NUM_RUNS },
		);
	});

	it('rejects every other signature: random, one character changed, cut, extended, padded, or of another body or key', () => {
		fc.assert(
			fc.property(bodies, secrets, fc.nat(63), hex64, fc.string({ unit: 'binary', maxLength: 80 }), bodies, secrets, (bytes, secret, position, random, junk, otherBytes, otherSecret) => {
				const body = Buffer.from(bytes);
				const right = hmac(body, secret);
				const changed = right.slice(0, position) + (right[position] === '0' ? '1' : '0') + right.slice(position + 1);
				const candidates = [
					random,
					junk,
					changed,
					right.slice(0, position),
					`${right}0`,
					` ${right}`,
					`${right} `,
					`sha256=${right}`,
					'',
					hmac(Buffer.from(otherBytes), secret),
					hmac(body, otherSecret),
				];
				for (const signature of candidates) {
					expect(isDropboxSignature(body, signature, secret)).toBe(signature.toLowerCase() === right);
				}
			}),
			{ numRuns: NUM_RUNS },
		);
	});

	it('rejects anything when the body is not the raw bytes, the header is not text, or no secret is set', () => {
		fc.assert(
			fc.property(fc.anything({ maxDepth: 1 }), fc.anything({ maxDepth: 1 }), bodies, (body, signature, bytes) => {
				fc.pre(!Buffer.isBuffer(body));
				expect(isDropboxSignature(body, hmac(Buffer.from(bytes), 's'), 's')).toBe(false);
				if (typeof signature !== 'string') expect(isDropboxSignature(Buffer.from(bytes), signature, 's')).toBe(false);
				expect(isDropboxSignature(Buffer.from(bytes), hmac(Buffer.from(bytes), ''), '')).toBe(false);
			}),
			{ numRuns: NUM_RUNS },
		);
	});
});
