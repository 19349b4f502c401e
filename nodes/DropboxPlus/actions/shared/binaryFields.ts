import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** The field naming the output item's binary property an operation puts a file in (Download, ZIP, previews…). */
export function outputBinaryField(
	show: NonNullable<IDisplayOptions['show']>,
	what: string,
	description: string | null = `The binary field of the output item that receives the ${what}, e.g. data`,
): INodeProperties {
	return {
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: `The name of the output binary field to put the ${what} in`,
		...(description === null ? {} : { description }),
		displayOptions: { show },
	};
}

/** The field naming the input item's binary property an operation reads a file from (Upload, Paper Doc). */
export function inputBinaryField(show: NonNullable<IDisplayOptions['show']>, what: string, description: string): INodeProperties {
	return {
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: `The name of the input binary field holding the ${what}`,
		description,
		displayOptions: { show },
	};
}
