import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkBinaryField } from '../../../shared/content/uploadItem';
import { fieldError } from '../../../shared/fieldChecks';
import { requireValidPath } from '../../../shared/locator';
import { checkPath } from '../../../shared/paths';
import { dropboxUpload } from '../../../shared/transport';
import { jsonItems, type ItemOutput } from '../types';
import { contentFields, notRepeated, readContent, readImportFormat } from './fields';

const show = { resource: ['paperDoc'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Doc Path',
		name: 'docPath',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/Reports/Weekly report.paper',
		hint: '".paper" is added when the name does not end with it',
		description: 'Where the new doc goes: its folder and title, e.g. /Reports/Weekly report. A doc of that name already there is kept: the new one gets a name such as "Weekly report (1).paper" (see result_path).',
		displayOptions: { show },
	},
	...contentFields('create'),
];

/** The Doc Path, checked before any call: a full path (not an ID), ending in .paper — added when missing. */
function docPath(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('docPath', itemIndex, '') as unknown;
	const path = requireValidPath(ctx, checkPath(raw), 'Doc Path', itemIndex, raw, 'docPath');
	if (!path.startsWith('/') || path === '/') {
		throw fieldError(ctx, itemIndex, 'Doc Path', `"${path || String(raw)}" is not the path of a new doc`, 'Give the folder and the title of the doc, e.g. /Reports/Weekly report (an ID names something that exists already).');
	}
	return /\.paper$/i.test(path) ? path : `${path}.paper`;
}

/** Creates a Paper doc (files/paper/create) from Markdown, HTML or plain text. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const path = docPath(this, itemIndex);
	const importFormat = readImportFormat(this, itemIndex);
	checkBinaryField(this, itemIndex);
	const content = await readContent(this, itemIndex, path);
	const answer = await dropboxUpload<IDataObject>(this, 'files/paper/create', { path, import_format: importFormat }, content, {
		path,
		itemIndex,
		onLostAnswer: notRepeated(this, itemIndex, `created the doc ${path}`),
	});
	return jsonItems(answer);
}
