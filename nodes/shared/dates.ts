/**
 * The one date rule of the package, for every date field (Client Modified of an upload,
 * Expires of a shared link):
 *
 * - ISO 8601 text: `2024-05-01`, `2024-05-01T09:30`, `2024-05-01T09:30:15.250`, with `T` or a
 *   space between date and time, and an optional zone `Z`, `+02:00`, `+0200` or `+02`.
 *   **A date or time without a zone is UTC**, whatever the server's time zone.
 * - Text with its own zone in another common form (`Thu, 31 Jan 2030 18:00:00 GMT`, a
 *   JavaScript date's text `… GMT+0100 (…)`): read with that zone.
 * - A Date, a Luxon DateTime (what n8n's `$now` and date pickers give) or epoch milliseconds.
 *
 * Anything else, and impossible dates such as 2024-02-30 or 25:00, is refused: nothing is
 * guessed from the server's locale or time zone.
 */

export type DateCheck = { date: Date } | { problem: string; fix: string };

const ISO =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A zone written out: GMT/UTC/Z, or an offset such as +0100 / -05:00, near the end of the text. */
const EXPLICIT_ZONE = /(?:\b(?:GMT|UTC|Z)|[+-]\d{2}:?\d{2})(?:\s*\([^)]*\))?\s*$/i;

const FIX = 'Use an ISO date such as 2024-05-01T09:30:00Z, or pick one in the date field. A date or time without a time zone is read as UTC.';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysIn(year: number, month: number): number {
	return month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

/** Offset of a zone in minutes east of UTC; undefined when out of range. */
function offsetMinutes(zone: string | undefined): number | undefined {
	if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
	const digits = zone.slice(1).replace(':', '');
	const hours = Number(digits.slice(0, 2));
	const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
	if (hours > 23 || minutes > 59) return undefined;
	return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function parseIso(match: RegExpExecArray): Date | undefined {
	const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
	const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
	if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
	if (hour > 23 || minute > 59 || second > 59) return undefined;
	const offset = offsetMinutes(zone);
	if (offset === undefined) return undefined;
	const milliseconds = Number(fraction.padEnd(3, '0').slice(0, 3));
	const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, milliseconds));
	date.setUTCFullYear(year);
	return new Date(date.getTime() - offset * 60_000);
}

/** A refused value as text for the message: never throws (circular objects, symbols). */
function shown(raw: unknown): string {
	if (raw instanceof Date) return 'Invalid Date';
	if (typeof raw !== 'object' || raw === null) return typeof raw === 'symbol' ? raw.toString() : String(raw);
	try {
		return JSON.stringify(raw) ?? String(raw);
	} catch {
		return 'an object';
	}
}

/** Reads a date field's value by the rule above. */
export function parseDateTime(raw: unknown): DateCheck {
	let value: unknown = raw;
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		value = (value as { toISO: () => unknown }).toISO();
	}
	let date: Date | undefined;
	if (value instanceof Date) date = value;
	else if (typeof value === 'number' && Number.isFinite(value)) date = new Date(value);
	else if (typeof value === 'string') {
		const text = value.trim();
		const iso = ISO.exec(text);
		if (iso) date = parseIso(iso);
		else if (EXPLICIT_ZONE.test(text)) date = new Date(text);
	}
	if (!date || Number.isNaN(date.getTime())) {
		return { problem: `"${shown(raw)}" is not a date and time`, fix: FIX };
	}
	return { date };
}

/** Dropbox's timestamp format: ISO 8601 in UTC, whole seconds (`2024-05-01T09:30:15Z`). */
export function dropboxTimestamp(date: Date): string {
	return `${date.toISOString().slice(0, 19)}Z`;
}
