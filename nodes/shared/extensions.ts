/**
 * A list of file extensions as a user types it, read one way by Search and the triggers:
 * separated by commas and/or spaces, each with or without a leading "." or "*."
 * (`pdf, .docx *.JPG`); case ignored. Gives the extensions in lower case without the dot, or
 * the first one that cannot be an extension (it holds a path separator or a wildcard).
 */
export type ExtensionList = { extensions: string[] } | { invalid: string };

export const EXTENSION_LIST_HINT = 'separated by commas or spaces, with or without a leading "." or "*." (pdf, .docx *.jpg); case ignored';

export function parseExtensionList(raw: unknown): ExtensionList {
	const parts = Array.isArray(raw) ? raw.map((part) => String(part ?? '')) : [String(raw ?? '')];
	const extensions = parts
		.flatMap((part) => part.split(/[\s,]+/))
		.map((extension) => extension.replace(/^\*?\./, '').toLowerCase())
		.filter((extension) => extension !== '');
	const invalid = extensions.find((extension) => !/^[^/\\*?]+$/.test(extension));
	return invalid === undefined ? { extensions } : { invalid };
}
