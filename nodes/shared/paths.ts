/**
 * Turning what a user typed (or an expression produced) into a Dropbox path, before any call.
 *
 * The rule, also in the README: surrounding whitespace, control characters, empty, "." and
 * ".." segments and segments ending in a space are refused; a missing leading "/" is added
 * and a trailing "/" removed; "/" and "" mean the root folder where a folder may be the root.
 * `id:…`, `rev:…` and `ns:…` references pass through after a shape check.
 */

export type PathCheck = { path: string } | { problem: string; fix: string };

/** Dropbox refuses names longer than this. */
export const MAX_NAME_LENGTH = 255;

const ID_REFERENCE = /^id:[A-Za-z0-9_-]+(\/.*)?$/;
const REVISION = /^[0-9a-f]{9,}$/;

/** A file revision as Dropbox writes it: 9 or more lowercase hex digits. The one revision check. */
export function isRevision(text: string): boolean {
	return REVISION.test(text);
}
const NS_REFERENCE = /^ns:\d+(\/.*)?$/;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
/** Half of a UTF-16 surrogate pair without its other half: not a character, cannot be sent as UTF-8. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

export interface PathRules {
	/** "" (the root) is a valid answer: listing, search scope, watched folder, upload folder. */
	allowRoot?: boolean;
	/** `rev:` references read a file's revision: valid only where a file is read. */
	allowRevision?: boolean;
}

function checkSegments(path: string): PathCheck | undefined {
	const segments = path.slice(1).split('/');
	for (const segment of segments) {
		if (segment === '') return { problem: 'has an empty segment ("//")', fix: 'Remove the doubled "/".' };
		if (segment === '.' || segment === '..') {
			return { problem: `has a "${segment}" segment`, fix: 'Write the full path from the root, without "." or "..".' };
		}
		if (/\s$/.test(segment)) {
			return { problem: `has a name ending in a space ("${segment}")`, fix: 'Dropbox does not allow that: remove the space.' };
		}
		if (segment.length > MAX_NAME_LENGTH) {
			return { problem: `has a name longer than ${MAX_NAME_LENGTH} characters`, fix: 'Shorten the name.' };
		}
	}
	return undefined;
}

export function checkPath(raw: unknown, rules: PathRules = {}): PathCheck {
	if (raw !== null && typeof raw === 'object') {
		return {
			problem: 'is an object, not a path',
			fix: 'Use an expression that gives text, such as {{ $json.path_display }}.',
		};
	}
	let path = raw === undefined || raw === null ? '' : String(raw);
	if (path !== path.trim()) {
		return { problem: 'starts or ends with whitespace', fix: 'Remove the spaces around the path.' };
	}
	if (CONTROL_CHARACTER.test(path)) {
		return { problem: 'contains a control character (such as a line break or tab)', fix: 'Remove it from the path.' };
	}
	if (LONE_SURROGATE.test(path)) {
		return { problem: 'contains a broken character (half of an emoji or other UTF-16 pair)', fix: 'Check the step that produced the text: it cut a character in two.' };
	}
	if (path.startsWith('id:') || path.startsWith('ns:') || path.startsWith('rev:')) {
		if (ID_REFERENCE.test(path) || NS_REFERENCE.test(path)) {
			const rest = path.indexOf('/');
			return rest === -1 ? { path } : (checkSegments(path.slice(rest)) ?? { path });
		}
		if (path.startsWith('rev:') && isRevision(path.slice('rev:'.length))) {
			return rules.allowRevision
				? { path }
				: { problem: 'is a revision reference', fix: 'Give a path or an ID here; revisions go in the Revision field.' };
		}
		return { problem: 'is not a valid Dropbox reference', fix: 'IDs look like id:a4ayc_80_OEAAAAAAAAAXw, revisions like rev:a1c10ce0dd78.' };
	}
	if (path === '' || path === '/') {
		return rules.allowRoot
			? { path: '' }
			: { problem: 'is the root folder', fix: 'Give the path of a file or folder, such as /Reports/q1.pdf.' };
	}
	if (!path.startsWith('/')) path = `/${path}`;
	if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
	return checkSegments(path) ?? { path };
}

/** Joins a folder path ("" for the root) and a file name. */
export function joinPath(folder: string, name: string): string {
	return `${folder === '/' ? '' : folder}/${name}`;
}

/** The last segment of a path: the file or folder name. */
export function baseName(path: string): string {
	return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The path part of a web address, percent-decoded the way a person means it: `%20`, `%C3%A9`…
 * become their characters, and a `%` that does not start an escape (`/home/100%/x`, typed by
 * hand) is kept as it is. Escapes that are not UTF-8 text (`%E9` from an old Latin-1 address)
 * are refused: which character was meant cannot be known.
 */
export function decodeUrlPath(raw: string): string | { problem: string; fix: string } {
	let bad: string | undefined;
	const decoded = raw.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
		try {
			return decodeURIComponent(run);
		} catch {
			bad ??= run;
			return run;
		}
	});
	if (bad === undefined) return decoded;
	return {
		problem: `has the escape "${bad}", which is not UTF-8 text`,
		fix: 'Copy the address again from the browser\'s address bar, or give the path itself (mode "By Path"), e.g. /Reports/q1.pdf.',
	};
}

/**
 * A Dropbox web address of a file or folder → its path:
 * https://www.dropbox.com/home/Reports/q1.pdf, or …/home/Reports?preview=q1.pdf.
 */
export function pathFromDropboxUrl(url: string): PathCheck {
	let parsed: URL;
	try {
		parsed = new URL(url.trim());
	} catch {
		return { problem: 'is not a web address', fix: 'Paste an address such as https://www.dropbox.com/home/Reports/q1.pdf.' };
	}
	if (!/(^|\.)dropbox\.com$/.test(parsed.hostname)) {
		return { problem: 'is not a dropbox.com address', fix: 'Paste the address from the Dropbox website.' };
	}
	if (/^\/(s|scl|sh)\//.test(parsed.pathname)) {
		return {
			problem: 'is a shared link, not the address of a file in your Dropbox',
			fix: 'Use the Shared Link operations for shared links, or open the file in Dropbox and copy that address.',
		};
	}
	const match = /^\/home(\/.*)?$/.exec(parsed.pathname);
	if (!match) {
		return { problem: 'does not point into your Dropbox (/home/…)', fix: 'Open the file in Dropbox and copy the address.' };
	}
	const decoded = decodeUrlPath(match[1] ?? '');
	if (typeof decoded !== 'string') return decoded;
	let path = decoded;
	const preview = parsed.searchParams.get('preview');
	if (preview) path = joinPath(path, preview);
	return checkPath(path, { allowRoot: true });
}
