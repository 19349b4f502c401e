import { parseExtensionList } from '../../nodes/shared/extensions';
import { collectPages, pagesOf } from '../../nodes/shared/paging';
import { isRevision } from '../../nodes/shared/paths';
import { forEachLimited, mapLimited } from '../../nodes/shared/pool';
import { wholeNumberIn } from '../../nodes/shared/wholeNumber';

/** The one-of-each-idea pieces of nodes/shared (issue 16): each used by every field or node that needs it. */
describe('one whole-number-in-range check for every numeric field', () => {
	it.each([
		[5, 1, 10, 5],
		['7', 1, 10, 7],
		[' 8 ', 1, 10, 8],
		[1, 1, Infinity, 1],
	])('accepts %p in %p..%p', (raw, min, max, expected) => {
		expect(wholeNumberIn(raw, min, max)).toBe(expected);
	});

	it.each([[0], [11], [2.5], ['abc'], [''], ['  '], [null], [undefined], [true], [NaN], [Infinity]])('refuses %p in 1..10', (raw) => {
		expect(wholeNumberIn(raw, 1, 10)).toBeUndefined();
	});
});

describe('one file-extension list format, for Search and both triggers', () => {
	it.each([
		['pdf, docx', ['pdf', 'docx']],
		[' .PDF, xlsx ', ['pdf', 'xlsx']],
		['*.jpg *.PNG', ['jpg', 'png']],
		['pdf,,  .docx\t*.txt', ['pdf', 'docx', 'txt']],
		['', []],
		[undefined, []],
		[['pdf', '.docx'], ['pdf', 'docx']],
	])('reads %p', (raw, extensions) => {
		expect(parseExtensionList(raw)).toEqual({ extensions });
	});

	it.each([['docs/pdf', 'docs/pdf'], ['pd*f', 'pd*f'], ['pdf a\\b', 'a\\b'], ['?', '?']])('refuses %p', (raw, invalid) => {
		expect(parseExtensionList(raw)).toEqual({ invalid });
	});
});

describe('one worker pool, for uploads and the triggers', () => {
	it('maps with at most `limit` running at once and keeps the input order, whatever finishes first', async () => {
		let running = 0;
		let most = 0;
		const results = await mapLimited([50, 10, 30, 0, 20, 5], 3, async (ms) => {
			running++;
			most = Math.max(most, running);
			await new Promise((resolve) => setTimeout(resolve, ms));
			running--;
			return ms * 2;
		});
		expect(results).toEqual([100, 20, 60, 0, 40, 10]);
		expect(most).toBe(3);
	});

	it('starts nothing more once told to stop', async () => {
		const started: number[] = [];
		await forEachLimited([1, 2, 3, 4, 5], 1, async (n) => void started.push(n), () => started.length >= 2);
		expect(started).toEqual([1, 2]);
	});
});

describe('one revision check', () => {
	it.each([['a1c10ce0dd78', true], ['015f9ba7b0a64d0000000019f1e4c40', true], ['a1c10ce0', false], ['A1C10CE0DD78', false], ['rev:a1c10ce0dd78', false], ['', false]])(
		'%p is a revision: %p',
		(text, expected) => {
			expect(isRevision(text)).toBe(expected);
		},
	);
});

describe('one paging iterator, for every listing', () => {
	const pageSource = () => {
		const requested: string[] = [];
		const page = (n: number) => ({ entries: [n * 2, n * 2 + 1], cursor: `c${n + 1}`, hasMore: n < 4 });
		const pages = pagesOf(
			async () => (requested.push('first'), page(0)),
			async (cursor) => (requested.push(cursor), page(Number(cursor.slice(1)))),
		);
		return { pages, requested };
	};

	it('follows the cursor until Dropbox has no more', async () => {
		const { pages, requested } = pageSource();
		const seen: number[] = [];
		for await (const page of pages) seen.push(...page.entries);
		expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(requested).toEqual(['first', 'c1', 'c2', 'c3', 'c4']);
	});

	it('requests no page beyond the one that reaches the limit', async () => {
		const { pages, requested } = pageSource();
		const out = await collectPages(3, pages, (n) => ({ n }));
		expect(out).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
		expect(requested).toEqual(['first', 'c1']);
	});
});
