import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { checkDropboxTime, fieldError, required } from '../../../shared/fieldChecks';
import { resolveLocator } from '../../../shared/locator';
import { pathForPathOnlyRoute } from '../../../shared/pathOnly';

/** FileRequestId of file_requests.stone: letters, digits, "-" and "_". */
const FILE_REQUEST_ID = /^[-_0-9a-zA-Z]+$/;

export const show = (operation: string) => ({ resource: ['fileRequest'], operation: [operation] });

/** The File Request ID field of Get, Update and Delete. */
export function requestIdField(operation: string): INodeProperties {
	return {
		displayName: 'File Request ID',
		name: 'fileRequestId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'oaCAVmEyrqYnkZX9955Y',
		description: 'The ID of the file request (the ID in a Create or List step\'s result), or its https://www.dropbox.com/request/… address',
		displayOptions: { show: show(operation) },
	};
}

/** The ID in the field, checked as FileRequestId; the request's address is taken too. */
export function readRequestId(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('fileRequestId', itemIndex, '') as unknown;
	const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	const id = /^https?:\/\/[^/]+\/request\/([^/?#]+)/.exec(text)?.[1] ?? text;
	if (!FILE_REQUEST_ID.test(id)) {
		throw fieldError(
			ctx,
			itemIndex,
			'File Request ID',
			id === '' ? 'is empty' : `"${text}" is not a file request ID`,
			'Give the ID of a file request (letters, digits, "-" or "_"), e.g. {{ $json.id }} of a Create or List step, or its https://www.dropbox.com/request/… address.',
		);
	}
	return id;
}

/** The Destination Folder field: where the uploaded files go. */
export function destinationField(operation: string, options: Partial<INodeProperties> = {}): INodeProperties {
	return dropboxLocator('folder', {
		displayName: 'Destination Folder',
		name: 'destination',
		description:
			'The folder the uploaded files go to; Dropbox creates it when it does not exist. A path from the root of the credential\'s Space (not the root itself); an ID is looked up to its path.',
		displayOptions: { show: show(operation) },
		...options,
	});
}

/** The destination as file_requests/* take it (files.Path: a path only, never `id:` or `ns:`). */
export async function readDestination(ctx: IExecuteFunctions, parameter: string, itemIndex: number, route: string, operation: string): Promise<string> {
	const reference = resolveLocator(ctx, parameter, itemIndex, 'Destination Folder');
	return await pathForPathOnlyRoute(ctx, reference, { route, operation, field: 'Destination Folder', itemIndex, allowNamespace: false });
}

/** The title: not empty, not only spaces (file_requests.stone: String(min_length=1); Dropbox refuses a blank one). */
export function readTitle(ctx: IExecuteFunctions, itemIndex: number, raw: unknown): string {
	const title = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
	if (title.trim() === '') {
		throw fieldError(ctx, itemIndex, 'Title', 'is empty', 'Give the title people see on the request page, such as "Invoices for March".');
	}
	return title;
}

/** The Description field of the Create and Update collections. */
export const descriptionField: INodeProperties = {
	displayName: 'Description',
	name: 'description',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	description: 'Text shown on the request page under the title',
};

/** GracePeriod of file_requests.stone. */
const GRACE_PERIODS: Array<{ name: string; value: string }> = [
	{ name: 'No', value: 'no' },
	{ name: 'One Day', value: 'one_day' },
	{ name: 'Two Days', value: 'two_days' },
	{ name: 'Seven Days', value: 'seven_days' },
	{ name: 'Thirty Days', value: 'thirty_days' },
	{ name: 'Always', value: 'always' },
];

/** Deadline and Allow Late Uploads, for the Create and Update collections. */
export const deadlineFields: INodeProperties[] = [
	{
		displayName: 'Deadline',
		name: 'deadline',
		type: 'dateTime',
		default: '',
		description:
			'After this date and time the request takes no more files (Dropbox Professional and Business accounts only). A date or time without a time zone is read as UTC.',
	},
	{
		displayName: 'Allow Late Uploads',
		name: 'allowLateUploads',
		type: 'options',
		options: GRACE_PERIODS,
		default: 'no',
		description: 'Whether, and for how long, files are still taken after the Deadline (marked as late). Needs a Deadline.',
	},
];

/**
 * The FileRequestDeadline of a collection: undefined when no Deadline is set. The deadline is
 * read by the package's one date rule and must be in the future; Allow Late Uploads needs one.
 */
export function readDeadline(ctx: IExecuteFunctions, itemIndex: number, fields: IDataObject, now = new Date()): IDataObject | undefined {
	const raw = fields.deadline;
	const grace = typeof fields.allowLateUploads === 'string' ? fields.allowLateUploads : 'no';
	if (raw === undefined || raw === null || raw === '') {
		if (grace !== 'no') {
			throw fieldError(ctx, itemIndex, 'Allow Late Uploads', `is "${grace}" without a Deadline`, 'Set a Deadline too: late uploads are those after the deadline.');
		}
		return undefined;
	}
	const deadline = required(ctx, itemIndex, 'Deadline', checkDropboxTime(raw));
	if (Date.parse(deadline) <= now.getTime()) {
		throw fieldError(ctx, itemIndex, 'Deadline', `"${String(raw)}" is in the past`, 'A file request\'s deadline must be in the future: pick a later date.');
	}
	if (!GRACE_PERIODS.some((period) => period.value === grace)) {
		throw fieldError(ctx, itemIndex, 'Allow Late Uploads', `"${grace}" is not a grace period`, `Use one of ${GRACE_PERIODS.map((period) => period.value).join(', ')}.`);
	}
	return grace === 'no' ? { deadline } : { deadline, allow_late_uploads: { '.tag': grace } };
}
