/**
 * A name pattern with `*` (any run of characters) and `?` (one character), matched against
 * the whole file or folder name, ignoring case: `invoice-*.pdf`, `IMG_????.jpg`.
 */
export function globToRegExp(pattern: string): RegExp {
	let source = '';
	for (const character of pattern) {
		if (character === '*') source += '.*';
		else if (character === '?') source += '.';
		else source += character.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
	}
	return new RegExp(`^${source}$`, 'i');
}
