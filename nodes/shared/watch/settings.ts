import { NodeOperationError } from 'n8n-workflow';

import { parseDateTime } from '../dates';
import { checkLocatorValue } from '../locator';
import { wholeNumberIn } from '../wholeNumber';
import { EXTENSION_LIST_HINT, parseExtensionList } from '../extensions';
import { globMatcher } from './glob';
import type { StartFrom, TriggerEvent, TriggerFunctions, WatchSettings } from './types';

const EVENTS: TriggerEvent[] = ['fileCreated', 'fileUpdated', 'fileDeleted', 'folderCreated', 'folderDeleted'];
const ATTACH = ['none', 'binary', 'link'] as const;

/** Changes one run reads at most, by default and at the very most. */
export const DEFAULT_MAX_CHANGES = 500;
export const MAX_CHANGES = 10_000;

function parameter(ctx: TriggerFunctions, name: string, fallback: unknown): unknown {
	return (ctx.getNodeParameter as (name: string, fallback: unknown) => unknown).call(ctx, name, fallback);
}

function fail(ctx: TriggerFunctions, message: string, description: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { description });
}

/** The watched folder from its resource locator: a path, an ID or a Dropbox address; the root allowed. */
function watchedFolder(ctx: TriggerFunctions): string {
	const { check, raw } = checkLocatorValue(parameter(ctx, 'folder', ''), { allowRoot: true });
	if ('problem' in check) {
		fail(ctx, `The watched folder${typeof raw === 'string' ? ` "${raw}"` : ''} ${check.problem}`, check.fix);
	}
	return check.path;
}

/** Start From, with its Start Date read by the package's one date rule (nodes/shared/dates.ts). */
function startFrom(ctx: TriggerFunctions): StartFrom {
	const mode = parameter(ctx, 'startFrom', 'now');
	if (mode === 'now' || mode === 'everything') return { mode };
	if (mode !== 'date') fail(ctx, `"Start From" is "${String(mode)}"`, 'Choose Now, A Date or Everything in the Folder.');
	const raw = parameter(ctx, 'startDate', '');
	if (raw === '' || raw === null || raw === undefined) {
		fail(ctx, 'The Start Date is empty', 'Pick the date to start from (Start From: A Date), or set Start From to Now or Everything in the Folder.');
	}
	const check = parseDateTime(raw);
	if ('problem' in check) fail(ctx, `The Start Date ${check.problem}`, check.fix);
	if (check.date.getTime() > Date.now()) {
		fail(
			ctx,
			`The Start Date ${check.date.toISOString()} is in the future`,
			'Give a past date (the trigger first reports the files changed since then), or set Start From to Now.',
		);
	}
	return { mode, since: check.date.getTime() };
}

/** Reads and checks every parameter; throws before any call when one is unusable. */
export function readSettings(ctx: TriggerFunctions): WatchSettings {
	const rawEvents = parameter(ctx, 'events', []);
	const events = new Set<TriggerEvent>();
	for (const event of Array.isArray(rawEvents) ? rawEvents : [rawEvents]) {
		if (!EVENTS.includes(event as TriggerEvent)) {
			fail(ctx, `The event "${String(event)}" is unknown`, `Choose among ${EVENTS.join(', ')}.`);
		}
		events.add(event as TriggerEvent);
	}
	if (events.size === 0) fail(ctx, 'No event is selected', 'Choose at least one event in "Trigger On".');

	const attach = parameter(ctx, 'attachContent', 'none') as WatchSettings['attach'];
	if (!ATTACH.includes(attach)) {
		fail(ctx, `"Attach Content" is "${String(attach)}"`, 'Choose None, Binary or Temporary Link.');
	}

	const filters = (parameter(ctx, 'filters', {}) ?? {}) as { fileExtensions?: unknown; namePattern?: unknown };
	const pattern = String(filters.namePattern ?? '').trim();
	if (pattern.includes('/')) {
		fail(ctx, `The name pattern "${pattern}" contains "/"`, 'It matches names only: use "Include Subfolders" and the watched folder to pick places.');
	}

	const extensionList = parseExtensionList(filters.fileExtensions);
	if ('invalid' in extensionList) {
		fail(ctx, `The file extension "${extensionList.invalid}" is not valid`, `List extensions ${EXTENSION_LIST_HINT}, without paths or wildcards.`);
	}

	const rawMax = parameter(ctx, 'maxChangesPerRun', DEFAULT_MAX_CHANGES);
	const maxChanges = wholeNumberIn(rawMax, 1, MAX_CHANGES);
	if (maxChanges === undefined) {
		fail(ctx, `"Max Changes per Run" is "${String(rawMax)}"`, `Use a whole number from 1 to ${MAX_CHANGES}; the rest of the changes come with the next run.`);
	}

	return {
		folder: watchedFolder(ctx),
		recursive: parameter(ctx, 'includeSubfolders', false) === true,
		events,
		extensions: extensionList.extensions,
		namePattern: pattern === '' ? undefined : globMatcher(pattern),
		attach,
		maxChanges,
		startFrom: startFrom(ctx),
	};
}

/**
 * Identifies what a stored cursor covers: a new folder or recursion setting needs a new baseline.
 * Start From is left out on purpose: it applies once, when watching starts, so changing it (or a
 * Start Date that is an expression such as `$now.minus(…)`) on an active trigger reports nothing again.
 */
export function watchKey(settings: WatchSettings): string {
	return `${settings.recursive ? 'recursive' : 'direct'}:${settings.folder.toLowerCase()}`;
}
