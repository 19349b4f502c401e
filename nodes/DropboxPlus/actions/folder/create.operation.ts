import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxErrorInfo, dropboxRpc } from '../../../shared/transport';
import { CREATE_FOLDER_ROUTES } from '../../../shared/batch/batchRoutes';
import { requireValidPath } from '../../../shared/locator';
import { checkPath, type PathCheck } from '../../../shared/paths';
import { batchOperation, batchSizeOption } from '../shared/batchOperation';
import type { Outcome } from '../../../shared/outcome';

const show = { show: { resource: ['folder'], operation: ['create'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Folder Path',
		name: 'folderPath',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/Reports/2024',
		description: 'The full path of the new folder. Missing parent folders are created too.',
		displayOptions: show,
	},
	{
		displayName: 'If It Exists',
		name: 'ifExists',
		type: 'options',
		options: [
			{
				name: 'Error',
				value: 'error',
				description: 'Fail the item',
			},
			{
				name: 'Return Existing Folder',
				value: 'returnExisting',
				description: 'Output the folder that is already there, so running the workflow again is safe',
			},
		],
		default: 'error',
		description: 'What to do when a folder already exists at that path (with Autorename on, a new name is picked instead)',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Autorename',
				name: 'autorename',
				type: 'boolean',
				default: false,
				description: 'Whether to create "Reports (1)" when "Reports" already exists, instead of failing or returning it',
			},
			batchSizeOption(),
		],
	},
];

interface CreatePlan {
	path: string;
	autorename: boolean;
	returnExisting: boolean;
}

/** A new folder's path: a path, not an ID or the root. */
export function checkNewFolderPath(raw: unknown): PathCheck {
	const check = checkPath(raw);
	if ('path' in check && check.path.startsWith('id:')) {
		return { problem: 'is an ID', fix: 'Give the path of the new folder, such as /Reports/2024.' };
	}
	return check;
}

/** The folder already at the path, shaped like a created one (no ".tag"). */
async function existingFolder(ctx: IExecuteFunctions, path: string, itemIndex: number): Promise<Outcome> {
	try {
		const { '.tag': _tag, ...metadata } = await dropboxRpc<IDataObject>(ctx, 'files/get_metadata', { path }, { path, itemIndex });
		return { output: metadata };
	} catch (error) {
		return { error: error as Error };
	}
}

export const { executeBatch } = batchOperation<CreatePlan>(description, {
	routes: CREATE_FOLDER_ROUTES,
	validate(itemIndex) {
		const raw = this.getNodeParameter('folderPath', itemIndex) as unknown;
		return {
			path: requireValidPath(this, checkNewFolderPath(raw), 'Folder Path', itemIndex, raw, 'folderPath'),
			autorename: this.getNodeParameter('options.autorename', itemIndex, false) === true,
			returnExisting: this.getNodeParameter('ifExists', itemIndex, 'error') === 'returnExisting',
		};
	},
	entryOf(plan, itemIndex) {
		return { itemIndex, args: { path: plan.path }, shared: { autorename: plan.autorename }, path: plan.path };
	},
	async settle(outcome, plan, itemIndex) {
		if (!('error' in outcome) || !plan.returnExisting) return outcome;
		if (dropboxErrorInfo(outcome.error)?.dropboxTag !== 'path/conflict/folder') return outcome;
		return await existingFolder(this, plan.path, itemIndex);
	},
});
