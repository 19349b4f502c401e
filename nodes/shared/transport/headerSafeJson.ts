/**
 * JSON for the `Dropbox-API-Arg` header. HTTP headers carry bytes, so Dropbox requires every
 * character from 0x7F upwards to be written as a `\uXXXX` escape. JavaScript strings are
 * UTF-16, so an emoji becomes its two surrogate escapes, exactly as Dropbox expects.
 */
export function headerSafeJson(value: unknown): string {
	return JSON.stringify(value).replace(
		/[\u007f-\uffff]/g,
		(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}
