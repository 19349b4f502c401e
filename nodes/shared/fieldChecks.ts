import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { dropboxTimestamp, parseDateTime } from './dates';
import { MAX_CHUNK_MIB, MIB } from './content/uploadSession';
import { isRevision } from './paths';
import { wholeNumberIn } from './wholeNumber';

/**
 * Checks of the File operations' own fields (chunk size, revision, time, name), made before
 * any call. Each gives the value to send or what is wrong and how to fix it.
 */
export type FieldCheck<T> = { value: T } | { problem: string; fix: string };

/** The error for a refused field: names the item, the field and the fix. */
export function fieldError(ctx: IExecuteFunctions, itemIndex: number, field: string, problem: string, fix: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `The ${field} of item ${itemIndex} ${problem}`, { itemIndex, description: fix });
}

/** A choice field's value (an expression may give anything), checked to be one of `allowed`. */
export function requireChoice(ctx: IExecuteFunctions, itemIndex: number, parameter: string, field: string, fallback: string, allowed: string[]): string {
	const value = String(ctx.getNodeParameter(parameter, itemIndex, fallback) as unknown).trim();
	if (allowed.includes(value)) return value;
	throw fieldError(ctx, itemIndex, field, `"${value}" is not one Dropbox knows`, `Use one of: ${allowed.join(', ')}.`);
}

/** Unwraps a check or throws the field's error. */
export function required<T>(ctx: IExecuteFunctions, itemIndex: number, field: string, check: FieldCheck<T>): T {
	if ('value' in check) return check.value;
	throw fieldError(ctx, itemIndex, field, check.problem, check.fix);
}

/** Chunk size in MiB → bytes: a whole multiple of 4 MiB, at most 148 MiB (Dropbox takes ≤ 150 MiB per request). */
export function checkChunkSize(raw: unknown): FieldCheck<number> {
	const mib = wholeNumberIn(raw, 1);
	if (mib === undefined) {
		return { problem: `"${String(raw)}" is not a whole number of MiB`, fix: 'Use 4, 8, 16… up to 148.' };
	}
	if (mib % 4 !== 0) {
		return { problem: `${mib} MiB is not a multiple of 4 MiB`, fix: `Dropbox needs chunks in whole 4 MiB blocks: use ${Math.max(4, Math.floor(mib / 4) * 4)} or ${Math.ceil(mib / 4) * 4}.` };
	}
	if (mib > MAX_CHUNK_MIB) {
		return { problem: `${mib} MiB is over the limit`, fix: `Dropbox takes at most 150 MiB per request: use ${MAX_CHUNK_MIB} MiB or less.` };
	}
	return { value: mib * MIB };
}

/** A file revision as Dropbox writes it: 9 or more lowercase hex digits; "rev:" in front is accepted. */
export function checkRevision(raw: unknown): FieldCheck<string> {
	const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	const rev = text.startsWith('rev:') ? text.slice(4) : text;
	if (isRevision(rev)) return { value: rev };
	return {
		problem: text === '' ? 'is empty' : `"${text}" is not a Dropbox revision`,
		fix: 'A revision is 9 or more lowercase hex digits, such as a1c10ce0dd78: take it from the "rev" of the file metadata or from List Revisions.',
	};
}

/**
 * A date and time → Dropbox's "YYYY-MM-DDTHH:MM:SSZ" (UTC, whole seconds), by the package's
 * one date rule (`nodes/shared/dates.ts`): without a time zone it is read as UTC.
 */
export function checkDropboxTime(raw: unknown): FieldCheck<string> {
	const check = parseDateTime(raw);
	return 'date' in check ? { value: dropboxTimestamp(check.date) } : check;
}

/** A file name to put in a folder: not empty, no "/", no surrounding spaces. */
export function checkFileName(raw: unknown): FieldCheck<string> {
	const name = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
	if (name === '') return { problem: 'is empty', fix: 'Give the name the file gets in Dropbox, such as report.pdf.' };
	if (name.includes('/')) {
		return { problem: `"${name}" contains "/"`, fix: 'Give only the name here; put the folders in the Folder field, or switch to a full path.' };
	}
	if (name !== name.trim()) return { problem: `"${name}" starts or ends with a space`, fix: 'Remove the spaces around the name.' };
	return { value: name };
}
