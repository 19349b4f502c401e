import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { storeReadError } from '../../../shared/content/binaryLimit';
import { requireChoice } from '../../../shared/fieldChecks';
import { inputBinaryField } from '../shared/binaryFields';

/**
 * The fields Create and Update of a Paper doc share: where the content comes from (text or a
 * binary field, as in File → Upload) and how Dropbox reads it (ImportFormat of files.stone).
 */
export function contentFields(operation: 'create' | 'update'): INodeProperties[] {
	const show = { resource: ['paperDoc'], operation: [operation] };
	return [
		{
			displayName: 'Content',
			name: 'content',
			type: 'options',
			options: [
				{ name: 'Text', value: 'text', description: 'Text typed here or given by an expression' },
				{ name: 'Binary File', value: 'binary', description: 'A file from a binary field of the input item (e.g. a .md or .html file)' },
			],
			default: 'text',
			description: operation === 'create' ? 'Where the content of the new doc comes from' : 'Where the content to put in the doc comes from',
			displayOptions: { show },
		},
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 8 },
			default: '',
			placeholder: '# Weekly report\n\n- item',
			description: 'The content, in the Import Format below',
			displayOptions: { show: { ...show, content: ['text'] } },
		},
		inputBinaryField({ ...show, content: ['binary'] }, 'content', 'The binary field of the input item whose file (UTF-8 text) is the content, e.g. data'),
		{
			displayName: 'Import Format',
			name: 'importFormat',
			type: 'options',
			options: [
				{ name: 'Markdown', value: 'markdown' },
				{ name: 'HTML', value: 'html' },
				{ name: 'Plain Text', value: 'plain_text' },
			],
			default: 'markdown',
			description: 'How Dropbox reads the content',
			displayOptions: { show },
		},
	];
}

/** The Import Format, checked (an expression may give anything). */
export function readImportFormat(ctx: IExecuteFunctions, itemIndex: number): string {
	return requireChoice(ctx, itemIndex, 'importFormat', 'Import Format', 'markdown', ['markdown', 'html', 'plain_text']);
}

/** The content's bytes: the text as UTF-8, or the binary field's file. */
export async function readContent(ctx: IExecuteFunctions, itemIndex: number, path: string): Promise<Buffer> {
	if (ctx.getNodeParameter('content', itemIndex, 'text') === 'text') return Buffer.from(String(ctx.getNodeParameter('text', itemIndex, '')), 'utf8');
	const property = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	try {
		return await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	} catch (error) {
		// The field was checked (checkBinaryField): what fails here is n8n's store reading it back
		throw storeReadError(ctx.getNode(), { field: property, path, read: 0, itemIndex }, error);
	}
}

/**
 * For an import Dropbox may have done although its answer was lost (create, append, prepend):
 * sending it again would make a second doc or add the content twice, so the step stops instead.
 */
export function notRepeated(ctx: IExecuteFunctions, itemIndex: number, what: string): () => never {
	return () => {
		throw new NodeOperationError(ctx.getNode(), `The connection to Dropbox dropped before it answered, so it is unknown whether it ${what}`, {
			itemIndex,
			description: 'Sending it again could add the content twice. Check the doc in Dropbox (Download it with an Export Format), then run the step again if nothing changed.',
		});
	};
}
