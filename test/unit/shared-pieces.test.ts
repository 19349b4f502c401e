import { parseExtensionList } from '../../nodes/shared/extensions';
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
