import { NodeOperationError, type IBinaryData, type IExecuteFunctions } from 'n8n-workflow';

import { gatheringStream } from './gatheringStream';

/** The output binary field name ("Put Output File in Field"), checked to be a usable name. */
export function requireBinaryPropertyName(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as unknown;
	const name = typeof raw === 'string' ? raw.trim() : '';
	if (!name || /[\s.[\]]/.test(name)) {
		throw new NodeOperationError(ctx.getNode(), `The Put Output File in Field "${String(raw)}" is not a valid field name`, {
			itemIndex,
			description: 'Use a simple name such as "data", without spaces, dots or brackets.',
		});
	}
	return name;
}

type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** Streams downloaded bytes into n8n's binary store in pieces of about 1 MiB (never buffered whole in memory). */
export async function storeDownload(
	ctx: IExecuteFunctions,
	stream: NodeJS.ReadableStream,
	fileName: string,
	mimeType?: string,
): Promise<IBinaryData> {
	return await ctx.helpers.prepareBinaryData(gatheringStream(stream as AsyncIterable<Buffer | string>) as BinarySource, fileName, mimeType);
}
