import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { fieldError } from '../fieldChecks';

/**
 * The one rule for where a downloaded file goes, for every download (File → Download,
 * Download as ZIP, Download File From Link, the triggers' attached content): the output
 * binary field's name is checked the same way, and the input item's binaries are kept beside
 * the new one (a field of the same name is replaced).
 */

/** The output binary field name ("Put Output File in Field"), checked to be a usable name. */
export function requireBinaryPropertyName(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as unknown;
	const name = typeof raw === 'string' ? raw.trim() : '';
	if (name === '') {
		throw fieldError(ctx, itemIndex, 'Put Output File in Field', 'is empty', 'Give the name of the binary field to put the file in, such as data.');
	}
	if (/[\s.[\]]/.test(name)) {
		throw fieldError(
			ctx,
			itemIndex,
			'Put Output File in Field',
			`"${name}" is not a valid field name`,
			'Use a simple name such as "data", without spaces, dots or brackets.',
		);
	}
	return name;
}

/** The output item of a download: `json`, the input item's binaries, and the file in `property`. */
export function downloadedItem(input: INodeExecutionData | undefined, json: IDataObject, property: string, binary: IBinaryData): INodeExecutionData {
	return { json, binary: { ...(input?.binary ?? {}), [property]: binary } };
}
