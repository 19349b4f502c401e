import { randomBytes } from 'node:crypto';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { COPY_ROUTES, DELETE_ROUTES, MOVE_ROUTES } from '../../../shared/batch/batchRoutes';
import { requireValidPath, resolveLocator } from '../../../shared/locator';
import { baseName, checkPath, joinPath, MAX_NAME_LENGTH, type PathCheck } from '../../../shared/paths';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { checkRevision } from '../../../shared/fieldChecks';
import type { Outcome } from '../../../shared/outcome';
import type { BatchOperation } from '../types';
import { batchOperation, batchSizeOption } from './batchOperation';

/**
 * Copy, Move/Rename and Delete, for files and folders alike: Dropbox uses the same routes
 * for both, so both resources share this one implementation.
 */

export type Resource = 'file' | 'folder';

const NOUN: Record<Resource, string> = { file: 'File', folder: 'Folder' };

function show(resource: Resource, operation: string, extra: IDataObject = {}) {
	return { show: { resource: [resource], operation: [operation], ...extra } };
}

type Destination = { mode: 'path'; path: string } | { mode: 'folder'; folder: string } | { mode: 'rename'; name: string };

/**
 * A case-only rename (`/a/Foo.txt` → `/a/FOO.txt`): move_v2 and move_batch_v2 "do not currently
 * support case-only renaming" (files.stone), so it takes two moves, through a temporary name
 * beside the source: `source` → `temp`, then `temp` → `to`.
 */
interface CaseOnlyRename {
	source: string;
	temp: string;
	to: string;
	/** The first move succeeded: the source is at `temp` until the second one does. */
	atTemp?: boolean;
}

interface RelocationPlan {
	from: string;
	destination: Destination;
	shared: IDataObject;
	/** Set when the move turns out to be a case-only rename (known once the destination is). */
	caseOnly?: CaseOnlyRename;
}

/** Whether moving `from` to `to` only changes the case: the same Dropbox path (case-insensitive), not the same text. */
export function isCaseOnlyRename(from: string, to: string): boolean {
	return from !== to && from.toLowerCase() === to.toLowerCase();
}

/** Dropbox names are at most 255 characters: the temporary name keeps room for its suffix. */
const TEMP_NAME_ROOM = MAX_NAME_LENGTH - '.0123456789ab.tmp'.length;

/** A free name beside `source` for the middle step of a case-only rename: `/a/Foo.txt` → `/a/Foo.txt.<12 hex>.tmp`. */
export function temporaryPath(source: string, random = randomBytes(6).toString('hex')): string {
	const slash = source.lastIndexOf('/');
	return `${source.slice(0, slash + 1)}${source.slice(slash + 1).slice(0, TEMP_NAME_ROOM)}.${random}.tmp`;
}

/** A new name for "Same Folder, New Name": one path segment. */
export function checkName(raw: unknown): PathCheck {
	if (typeof raw !== 'string' || raw === '') return { problem: 'is empty', fix: 'Type the new name, e.g. report-final.pdf.' };
	if (raw.includes('/')) {
		return { problem: 'contains "/"', fix: 'Give only the name here, or set Destination to "Full Path" to move it elsewhere.' };
	}
	const check = checkPath(`/${raw}`);
	return 'path' in check ? { path: raw } : check;
}

function relocationDescription(resource: Resource, kind: 'copy' | 'move'): INodeProperties[] {
	const noun = NOUN[resource];
	const verb = kind === 'copy' ? 'Copy' : 'Move';
	const example = resource === 'file' ? 'q1-final.pdf' : 'Reports 2024';
	return [
		dropboxLocator(resource, {
			displayName: `${noun} to ${verb}`,
			name: resource,
			displayOptions: show(resource, kind),
		}),
		{
			displayName: 'Destination',
			name: 'destination',
			type: 'options',
			options: [
				{
					name: 'Full Path',
					value: 'path',
					description: 'Give the complete new path: folder and name',
				},
				{
					name: 'Into a Folder (Keep Its Name)',
					value: 'folder',
					description: `${verb} the ${resource} into another folder under the same name`,
				},
				{
					name: 'Same Folder, New Name',
					value: 'rename',
					description:
						kind === 'move'
							? `Rename the ${resource} where it is`
							: `Make a copy next to the ${resource} under another name`,
				},
			],
			default: 'folder',
			description: kind === 'move' ? `Where the ${resource} goes. To rename it, pick "Same Folder, New Name".` : `Where the copy goes`,
			displayOptions: show(resource, kind),
		},
		dropboxLocator('folder', {
			displayName: 'Destination Folder',
			name: 'destinationFolder',
			description: 'The folder to put it in: pick it, or give its path ("/" is the root) or ID',
			displayOptions: show(resource, kind, { destination: ['folder'] }),
		}),
		{
			displayName: 'New Name',
			name: 'newName',
			type: 'string',
			default: '',
			required: true,
			placeholder: example,
			description: `The ${resource}'s new name, without a folder`,
			displayOptions: show(resource, kind, { destination: ['rename'] }),
		},
		{
			displayName: 'Destination Path',
			name: 'destinationPath',
			type: 'string',
			default: '',
			required: true,
			placeholder: resource === 'file' ? '/Archive/2024/q1.pdf' : '/Archive/Reports 2024',
			description: `The full new path of the ${resource}, name included. Missing folders are created.`,
			displayOptions: show(resource, kind, { destination: ['path'] }),
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: show(resource, kind),
			options: [
				...(kind === 'move'
					? [
							{
								displayName: 'Allow Ownership Transfer',
								name: 'allowOwnershipTransfer',
								type: 'boolean' as const,
								default: false,
								description: 'Whether to allow a move that hands the content to another owner (e.g. out of a folder shared with you)',
							},
						]
					: []),
				{
					displayName: 'Autorename',
					name: 'autorename',
					type: 'boolean',
					default: false,
					description: `Whether to pick a free name (e.g. "${example.replace(/(\.[a-z]+)?$/, ' (1)$1')}") when something already exists at the destination, instead of failing`,
				},
				batchSizeOption(),
			],
		},
	];
}

function validateRelocation(this: IExecuteFunctions, resource: Resource, kind: 'copy' | 'move', itemIndex: number): RelocationPlan {
	const noun = NOUN[resource];
	const from = resolveLocator(this, resource, itemIndex, `${noun} to ${kind === 'copy' ? 'Copy' : 'Move'}`);
	const mode = this.getNodeParameter('destination', itemIndex) as string;
	let destination: Destination;
	if (mode === 'path') {
		const raw = this.getNodeParameter('destinationPath', itemIndex) as unknown;
		destination = { mode, path: requireValidPath(this, checkPath(raw), 'Destination Path', itemIndex, raw, 'destinationPath') };
	} else if (mode === 'folder') {
		destination = { mode, folder: resolveLocator(this, 'destinationFolder', itemIndex, 'Destination Folder', { allowRoot: true }) };
	} else if (mode === 'rename') {
		const raw = this.getNodeParameter('newName', itemIndex) as unknown;
		destination = { mode, name: requireValidPath(this, checkName(raw), 'New Name', itemIndex, raw, 'newName') };
	} else {
		throw new NodeOperationError(this.getNode(), `The Destination "${mode}" is not one of the choices`, {
			itemIndex,
			description: 'Set Destination to "Full Path", "Into a Folder (Keep Its Name)" or "Same Folder, New Name".',
		});
	}
	const shared: IDataObject = { autorename: this.getNodeParameter('options.autorename', itemIndex, false) === true };
	if (kind === 'move') {
		shared.allow_ownership_transfer = this.getNodeParameter('options.allowOwnershipTransfer', itemIndex, false) === true;
	}
	return { from, destination, shared };
}

/** The source's full path when only its ID is known (a bare `id:…` or `ns:…`), else the path as given. */
async function pathWithName(ctx: IExecuteFunctions, from: string, itemIndex: number): Promise<string> {
	if (from.includes('/')) return from;
	const metadata = await dropboxRpc(ctx, 'files/get_metadata', { path: from }, { path: from, itemIndex });
	return String(metadata.path_display ?? metadata.path_lower ?? from);
}

/**
 * The source's path, to compare with a move's destination: as given, or for an `id:` reference
 * looked up (one files/get_metadata). `ns:` references are compared as written.
 */
async function sourcePath(ctx: IExecuteFunctions, from: string, itemIndex: number): Promise<string> {
	if (!from.startsWith('id:')) return from;
	const metadata = await dropboxRpc(ctx, 'files/get_metadata', { path: from }, { path: from, itemIndex });
	return String(metadata.path_display ?? metadata.path_lower ?? from);
}

async function destinationOf(ctx: IExecuteFunctions, plan: RelocationPlan, itemIndex: number, knownSource?: string): Promise<string> {
	const { destination } = plan;
	if (destination.mode === 'path') return destination.path;
	const source = knownSource ?? (await pathWithName(ctx, plan.from, itemIndex));
	if (destination.mode === 'folder') return joinPath(destination.folder, baseName(source));
	return joinPath(source.slice(0, source.lastIndexOf('/')), destination.name);
}

/** What a failed case-only rename left where, for the item's error. */
async function settleCaseOnly(ctx: IExecuteFunctions, outcome: Outcome, rename: CaseOnlyRename, itemIndex: number): Promise<Outcome> {
	if (!('error' in outcome) || !rename.atTemp) return outcome;
	const error = outcome.error as Error & { description?: string | null };
	// the second move failed: put the source back under its old name
	const restored = await dropboxRpc(ctx, MOVE_ROUTES.single, { from_path: rename.temp, to_path: rename.source }, { path: rename.temp, itemIndex }).then(
		() => true,
		() => false,
	);
	const where = restored
		? `It is back at "${rename.source}".`
		: `It is still at "${rename.temp}": move it back by hand.`;
	error.description = `Dropbox does not rename case-only, so the node moved "${rename.source}" to "${rename.temp}" first; moving it on to "${rename.to}" failed. ${where}${error.description ? ` ${error.description}` : ''}`;
	return outcome;
}

/** Copy or Move/Rename of a file or a folder, batched. */
export function relocationOperation(resource: Resource, kind: 'copy' | 'move'): BatchOperation {
	return batchOperation<RelocationPlan>(relocationDescription(resource, kind), {
		routes: kind === 'copy' ? COPY_ROUTES : MOVE_ROUTES,
		validate(itemIndex) {
			return validateRelocation.call(this, resource, kind, itemIndex);
		},
		async entryOf(plan, itemIndex) {
			if (kind === 'copy') {
				const to = await destinationOf(this, plan, itemIndex);
				return { itemIndex, args: { from_path: plan.from, to_path: to }, shared: plan.shared, path: plan.from, destination: to };
			}
			const source = await sourcePath(this, plan.from, itemIndex);
			const to = await destinationOf(this, plan, itemIndex, source.includes('/') ? source : undefined);
			if (isCaseOnlyRename(source, to)) {
				// first of two moves: to a temporary name; followUp sends the second
				plan.caseOnly = { source, temp: temporaryPath(source), to };
				return { itemIndex, args: { from_path: plan.from, to_path: plan.caseOnly.temp }, shared: plan.shared, path: plan.from, destination: to };
			}
			return { itemIndex, args: { from_path: plan.from, to_path: to }, shared: plan.shared, path: plan.from, destination: to };
		},
		followUp(plan, output, itemIndex) {
			const rename = plan.caseOnly;
			if (!rename) return undefined;
			rename.atTemp = true;
			// where the first move really put it (Autorename could have picked another temporary name)
			const name = output.name;
			if (typeof name === 'string' && name !== baseName(rename.temp)) rename.temp = joinPath(rename.temp.slice(0, rename.temp.lastIndexOf('/')), name);
			return { itemIndex, args: { from_path: rename.temp, to_path: rename.to }, shared: plan.shared, path: rename.temp, destination: rename.to };
		},
		async settle(outcome, plan, itemIndex) {
			return plan.caseOnly ? await settleCaseOnly(this, outcome, plan.caseOnly, itemIndex) : outcome;
		},
	});
}

function deleteDescription(resource: Resource): INodeProperties[] {
	return [
		dropboxLocator(resource, {
			displayName: `${NOUN[resource]} to Delete`,
			name: resource,
			displayOptions: show(resource, 'delete'),
		}),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: show(resource, 'delete'),
			options: [
				batchSizeOption(),
				...(resource === 'file'
					? [
							{
								displayName: 'Only If Revision Is',
								name: 'parentRev',
								type: 'string' as const,
								default: '',
								placeholder: 'a1c10ce0dd78',
								description:
									"Delete only if the file's current revision (its \"rev\" field) is this one, so a file changed meanwhile is kept",
							},
						]
					: []),
			],
		},
	];
}

interface DeletePlan {
	path: string;
	parentRev?: string;
}

/** Delete of a file or a folder, batched; delete_batch entries take the same optional parent_rev as delete_v2. */
export function deleteOperation(resource: Resource): BatchOperation {
	return batchOperation<DeletePlan>(deleteDescription(resource), {
		routes: DELETE_ROUTES,
		validate(itemIndex) {
			const path = resolveLocator(this, resource, itemIndex, `${NOUN[resource]} to Delete`);
			if (resource === 'folder') return { path };
			const raw = this.getNodeParameter('options.parentRev', itemIndex, '') as unknown;
			if (typeof raw === 'string' && raw.trim() === '') return { path };
			const parentRev = typeof raw === 'string' ? checkRevision(raw) : undefined;
			if (parentRev === undefined || 'problem' in parentRev) {
				throw new NodeOperationError(this.getNode(), `The Only If Revision Is "${String(raw)}" is not a Dropbox revision`, {
					itemIndex,
					description: 'A revision is 9 or more lowercase hex characters, like a1c10ce0dd78: take it from the file\'s "rev" field, or leave the field empty.',
				});
			}
			return { path, parentRev: parentRev.value };
		},
		entryOf(plan, itemIndex) {
			const args = plan.parentRev === undefined ? { path: plan.path } : { path: plan.path, parent_rev: plan.parentRev };
			return { itemIndex, args, shared: {}, path: plan.path };
		},
	});
}
