import { createHmac } from 'node:crypto';

import fc from 'fast-check';

import { globMatcher, matchCounted } from '../../nodes/shared/watch/glob';
import { isDropboxSignature } from '../../nodes/shared/watch/signature';

/** The matcher the triggers used before issue 16: a regular expression, exponential on some patterns. The reference semantics. */
function regexGlob(pattern: string): RegExp {
	let source = '';
	for (const character of pattern) {
		if (character === '*') source += '.*';
		else if (character === '?') source += '.';
		else source += character.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
	}
	return new RegExp(`^${source}$`, 'i');
}

describe('name patterns', () => {
	it('matches * and ? against whole names, ignoring case, with regex characters taken literally', () => {
		const pattern = globMatcher('Invoice-??.(final)*.pdf');
		expect(pattern.test('invoice-07.(final) v2.PDF')).toBe(true);
		expect(pattern.test('invoice-7.(final).pdf')).toBe(false);
		expect(pattern.test('invoice-07.final.pdf')).toBe(false);
		expect(pattern.test('old-invoice-07.(final).pdf')).toBe(false);
	});

	it('answers adversarial patterns on 255-character names at once: at most (name + 1) × (pattern + 1) steps', () => {
		const cases: Array<[string, string, boolean]> = [
			['*a*a*a*a*b', 'a'.repeat(200), false],
			['*a*a*a*a*a*b', 'a'.repeat(255), false],
			[`${'*a'.repeat(40)}*b`, 'a'.repeat(255), false],
			[`${'*?'.repeat(60)}x`, 'y'.repeat(255), false],
			['*a*a*a*a*b', `${'A'.repeat(254)}b`, true],
			[`${'*a'.repeat(40)}*b`, `${'a'.repeat(254)}B`, true],
		];
		const started = performance.now();
		for (const [pattern, name, expected] of cases) {
			const meter = { steps: 0 };
			const matched = matchCounted(pattern, name, meter);
			expect(matched).toBe(expected);
			expect(meter.steps).toBeLessThanOrEqual((name.length + 1) * (pattern.length + 1));
			expect(globMatcher(pattern).test(name)).toBe(matched);
		}
		// generous: the regular expression took ~18 s on the first case alone, minutes on the second
		expect(performance.now() - started).toBeLessThan(200);
	});

	it('agrees with the regular expression it replaced on small patterns and names (case, ?, *, regex characters, non-ASCII, line breaks)', () => {
		const alphabet = fc.constantFrom('a', 'A', 'b', 'B', '*', '?', '.', '(', '[', ']', '\\', '^', '$', '|', '+', 'é', 'É', 'ß', 'ı', 'K', 'ſ', '\u212a', '😀', '\n', '\u2028', ' ');
		const text = (max: number) => fc.array(alphabet, { maxLength: max }).map((parts) => parts.join(''));
		fc.assert(
			fc.property(text(8), text(10), (pattern, name) => {
				expect(globMatcher(pattern).test(name)).toBe(regexGlob(pattern).test(name));
			}),
			{ numRuns: 5000 },
		);
	});
});

describe('X-Dropbox-Signature', () => {
	const body = Buffer.from('{"list_folder":{"accounts":["dbid:A"]}}');
	const good = createHmac('sha256', 'secret').update(body).digest('hex');

	it('accepts the hex HMAC-SHA256 of the raw body, upper or lower case', () => {
		expect(isDropboxSignature(body, good, 'secret')).toBe(true);
		expect(isDropboxSignature(body, good.toUpperCase(), 'secret')).toBe(true);
	});

	it('refuses a changed body, another secret, a truncated or missing signature, or an empty secret', () => {
		expect(isDropboxSignature(Buffer.from(`${body} `), good, 'secret')).toBe(false);
		expect(isDropboxSignature(body, good, 'other')).toBe(false);
		expect(isDropboxSignature(body, good.slice(0, 62), 'secret')).toBe(false);
		expect(isDropboxSignature(body, undefined, 'secret')).toBe(false);
		expect(isDropboxSignature(body, createHmac('sha256', '').update(body).digest('hex'), '')).toBe(false);
		expect(isDropboxSignature(undefined, good, 'secret')).toBe(false);
	});
});
