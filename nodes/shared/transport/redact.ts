const PATTERNS: Array<[RegExp, string]> = [
	[/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
	[
		/((?:access_token|refresh_token|client_secret|code_verifier|app_secret|appSecret|refreshToken|accessToken|password)["']?\s*[=:]\s*["']?)[^"'&\s,}]+/gi,
		'$1[redacted]',
	],
	// Dropbox short-lived tokens start with "sl." (newer ones "sl.u.") and are long
	[/\bsl\.(?:[A-Za-z0-9_-]+\.)?[A-Za-z0-9_-]{16,}/g, '[redacted]'],
];

/** Removes anything shaped like a token or secret from text that may reach a user or a log. */
export function redactSecrets(text: string): string {
	return PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
