import fc from 'fast-check';

import { checkPath, decodeUrlPath, MAX_NAME_LENGTH, pathFromDropboxUrl, type PathRules } from '../../nodes/shared/paths';

/**
 * Property-based tests of path validation: whatever a user types or an expression produces,
 * checkPath never throws, lets through only paths Dropbox accepts (DROPBOX-API.md, Paths),
 * and is idempotent on what it lets through.
 */
const NUM_RUNS = Number(process.env.NUM_RUNS ?? 1000);

const RULES: PathRules[] = [{}, { allowRoot: true }, { allowRevision: true }, { allowRoot: true, allowRevision: true }];

/** Pieces that make paths interesting: separators, dots, spaces, controls, prefixes, astral characters. */
const piece = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom('/', '/', '.', '..', ' ', '\t', '\n', '\u0000', '\u007f', '\u00a0', '\u2028', 'a', 'Ä', '😀', 'id:', 'ns:', 'rev:', '0123456789abcdef', '_-', '\ud800', '\udc00') },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 250, maxLength: 260 }) },
);
const pathLike = fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join(''));
const anyInput = fc.oneof(
	{ weight: 6, arbitrary: pathLike },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
	{ weight: 1, arbitrary: fc.anything({ maxDepth: 1, withBigInt: true, withNullPrototype: true }) },
);

const SEGMENT_REFUSED = (segment: string) =>
	segment === '' || segment === '.' || segment === '..' || /\s$/.test(segment) || segment.length > MAX_NAME_LENGTH;

/** What Dropbox accepts, written from DROPBOX-API.md "Paths" (not from the implementation). */
function dropboxAccepts(path: string, rules: PathRules): boolean {
	if (/[\u0000-\u001f\u007f]/.test(path) || /[\ud800-\udfff]/u.test(path)) return false;
	if (path === '') return rules.allowRoot === true;
	const relative = (rest: string | undefined) => rest === undefined || rest === '' || rest.slice(1).split('/').every((s) => !SEGMENT_REFUSED(s));
	let match = /^id:[A-Za-z0-9_-]+(\/.*)?$/.exec(path);
	if (match) return relative(match[1]);
	match = /^ns:\d+(\/.*)?$/.exec(path);
	if (match) return relative(match[1]);
	if (path.startsWith('rev:')) return rules.allowRevision === true && /^rev:[0-9a-f]{9,}$/.test(path);
	if (!path.startsWith('/') || path.endsWith('/') || /\s$/.test(path)) return false;
	return path.slice(1).split('/').every((segment) => !SEGMENT_REFUSED(segment));
}

describe('path validation (property-based)', () => {
	it('never throws, and every refusal says what is wrong and how to fix it', () => {
		fc.assert(
			fc.property(anyInput, fc.constantFrom(...RULES), (raw, rules) => {
				const check = checkPath(raw, rules);
				if ('problem' in check) {
					expect(check.problem.trim()).not.toBe('');
					expect(check.fix.trim()).not.toBe('');
				}
			}),
			{ numRuns: NUM_RUNS },
		);
	});

	it('lets through only what Dropbox accepts', () => {
		fc.assert(
			fc.property(anyInput, fc.constantFrom(...RULES), (raw, rules) => {
				const check = checkPath(raw, rules);
				if ('path' in check) expect(dropboxAccepts(check.path, rules)).toBe(true);
			}),
			{ numRuns: NUM_RUNS },
		);
	});

	// found by the property above: the revision check read past "ns:" as if it were "rev:"
	it.each(['ns:0123456789abcdef', 'id:/abcdef0123'])('refuses %s, which only looks like a revision reference', (raw) => {
		expect(checkPath(raw, { allowRevision: true })).toMatchObject({ problem: expect.any(String) });
	});

	it('is idempotent on its output', () => {
		fc.assert(
			fc.property(anyInput, fc.constantFrom(...RULES), (raw, rules) => {
				const check = checkPath(raw, rules);
				if ('path' in check) expect(checkPath(check.path, rules)).toEqual({ path: check.path });
			}),
			{ numRuns: NUM_RUNS },
		);
	});

	it('accepts every well-formed path unchanged (names of any Unicode, up to 255 characters)', () => {
		const name = fc
			.string({ unit: 'binary', minLength: 1, maxLength: 40 })
			.filter((segment) => !segment.includes('/') && !/[\u0000-\u001f\u007f]/.test(segment) && !SEGMENT_REFUSED(segment) && segment === segment.trimStart());
		fc.assert(
			fc.property(fc.array(name, { minLength: 1, maxLength: 6 }), (segments) => {
				const path = `/${segments.join('/')}`;
				expect(checkPath(path)).toEqual({ path });
			}),
			{ numRuns: NUM_RUNS },
		);
	});

	it('refuses what Dropbox refuses, whatever surrounds it', () => {
		const bad = fc.constantFrom('..', '.', ' x ', 'x ', 'a\tb', 'a\nb', 'x\u0000', 'x\u007f', 'a\ud83d', '', 'n'.repeat(MAX_NAME_LENGTH + 1));
		const good = fc.array(fc.constantFrom('Reports', 'Ä ö', '😀', 'a.b'), { maxLength: 3 });
		fc.assert(
			fc.property(good, bad, good, (before, segment, after) => {
				const path = `/${[...before, segment, ...after].join('/')}`;
				// a lone empty segment at the end is a trailing "/", which is removed rather than refused
				fc.pre(!(segment === '' && after.length === 0));
				expect('problem' in checkPath(path)).toBe(true);
			}),
			{ numRuns: NUM_RUNS },
		);
	});

	it('reads any dropbox.com address without throwing: a "%" that starts no escape is kept, escapes are decoded, non-UTF-8 escapes refused with a fix', () => {
		const urlPiece = fc.constantFrom('/', 'a', '%', '%2', '%25', '%20', '%C3%A9', '%E9', '%zz', '100%', '😀', '?preview=', '#', ' ');
		fc.assert(
			fc.property(fc.array(urlPiece, { maxLength: 8 }), (pieces) => {
				const rest = pieces.join('');
				const check = pathFromDropboxUrl(`https://www.dropbox.com/home/${rest}`);
				if ('problem' in check) expect(check.fix.trim()).not.toBe('');
			}),
			{ numRuns: NUM_RUNS },
		);
		expect(decodeUrlPath('/100%/x')).toBe('/100%/x');
		expect(decodeUrlPath('/100%25/%C3%A9%20b')).toBe('/100%/é b');
		expect(decodeUrlPath('/a%zz%2')).toBe('/a%zz%2');
		expect(decodeUrlPath('/Caf%E9')).toMatchObject({ problem: 'has the escape "%E9", which is not UTF-8 text' });
	});
});
