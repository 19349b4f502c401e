import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkBinaryField } from '../../../shared/content/uploadItem';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { fieldError, requireChoice } from '../../../shared/fieldChecks';
import { resolveLocator } from '../../../shared/locator';
import { dropboxUpload } from '../../../shared/transport';
import { wholeNumberIn } from '../../../shared/wholeNumber';
import { jsonItems, type ItemOutput } from '../types';
import { contentFields, notRepeated, readContent, readImportFormat } from './fields';

const show = { resource: ['paperDoc'], operation: ['update'] };

const POLICIES = [
	{ name: 'Append', value: 'append', description: 'Add the content at the end of the doc' },
	{ name: 'Prepend', value: 'prepend', description: 'Add the content at the beginning of the doc' },
	{ name: 'Replace', value: 'overwrite', description: 'Replace the whole doc with the content' },
	{ name: 'Replace If Unchanged', value: 'update', description: 'Replace the whole doc, only if it is still at the Paper Revision given (no one changed it since)' },
];

export const description: INodeProperties[] = [
	dropboxLocator('file', {
		displayName: 'Paper Doc',
		name: 'doc',
		description: 'The doc to update: pick it, or give its path (ending in .paper, e.g. {{ $json.result_path }}) or its ID ({{ $json.file_id }})',
		displayOptions: { show },
	}),
	{
		displayName: 'Update Policy',
		name: 'policy',
		type: 'options',
		options: POLICIES,
		default: 'append',
		description: 'How the content goes into the doc',
		displayOptions: { show },
	},
	{
		displayName: 'Paper Revision',
		name: 'paperRevision',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		required: true,
		description: 'The doc\'s paper_revision as last read: from the output of Create or of an earlier Update, or of Download with Export Format Markdown (export_metadata.paper_revision)',
		displayOptions: { show: { ...show, policy: ['update'] } },
	},
	...contentFields('update'),
];

/** Reads and checks the fields before any call. */
function request(ctx: IExecuteFunctions, itemIndex: number) {
	const path = resolveLocator(ctx, 'doc', itemIndex, 'Paper Doc');
	if (!/^(id|ns):/.test(path) && !/\.paper$/i.test(path)) {
		throw fieldError(ctx, itemIndex, 'Paper Doc', `"${path}" is not a Paper doc`, 'A Paper doc\'s path ends in .paper: point at one, or use File → Upload for other files.');
	}
	const policy = requireChoice(ctx, itemIndex, 'policy', 'Update Policy', 'append', POLICIES.map((candidate) => candidate.value));
	const args: Record<string, unknown> = { path, import_format: readImportFormat(ctx, itemIndex), doc_update_policy: policy };
	if (policy === 'update') {
		const raw = ctx.getNodeParameter('paperRevision', itemIndex, 0) as unknown;
		const revision = wholeNumberIn(raw, 1);
		if (revision === undefined) {
			throw fieldError(ctx, itemIndex, 'Paper Revision', `"${String(raw)}" is not a doc revision`, 'Give the paper_revision the doc had when last read (a whole number from 1), e.g. {{ $json.paper_revision }} after Create or Update.');
		}
		args.paper_revision = revision;
	}
	checkBinaryField(ctx, itemIndex);
	return { path, policy, args };
}

/** Adds to or replaces a Paper doc's content (files/paper/update); the output is the doc's new paper_revision. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const { path, policy, args } = request(this, itemIndex);
	const content = await readContent(this, itemIndex, path);
	const adds = policy === 'append' || policy === 'prepend';
	const answer = await dropboxUpload<{ paper_revision: number }>(this, 'files/paper/update', args, content, {
		path,
		itemIndex,
		...(adds ? { onLostAnswer: notRepeated(this, itemIndex, `added the content to ${path}`) } : {}),
	});
	return jsonItems({ path, paper_revision: answer.paper_revision });
}
