import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { dropboxErrorInfo } from '../../shared/transport';
import { simplifyFileRequest, simplifyMetadataItem, simplifySharedLink } from '../../shared/simplify';
import { operations } from './operations';
import { SIMPLIFIED_OPERATIONS } from './simplify.descriptions';
import { isBatchOperation, type ItemOutcome, type ItemOutput } from './types';

function paired(output: ItemOutput, itemIndex: number): INodeExecutionData[] {
	return output.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
}

/** The item as Simplify gives it, when the operation has the option and it is on for this item. */
function simplified(ctx: IExecuteFunctions, resource: string, operation: string, output: ItemOutput, itemIndex: number): ItemOutput {
	if (!SIMPLIFIED_OPERATIONS[resource]?.includes(operation)) return output;
	if (ctx.getNodeParameter('simplify', itemIndex, false) !== true) return output;
	const shape =
		resource === 'sharedLink'
			? simplifySharedLink
			: resource === 'fileRequest'
				? simplifyFileRequest
				: (json: IDataObject) => simplifyMetadataItem(json, resource === 'folder' ? 'folder' : 'file');
	return output.map((item) => ({ ...item, json: shape(item.json) }));
}

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const info = dropboxErrorInfo(error);
	const json: IDataObject = { error: error.message };
	const description = (error as { description?: unknown }).description;
	if (typeof description === 'string' && description) json.description = description;
	if (info) {
		json.tag = info.dropboxTag;
		if (info.dropboxPath !== undefined) json.path = info.dropboxPath;
		if (info.dropboxStatus !== undefined) json.status = info.dropboxStatus;
	}
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Dispatches resource + operation, and is the only place that knows about items and
 * errors: every output item is paired to its input, and continue-on-fail turns an item's
 * error into an error item instead of stopping the workflow.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}
	const indexes = items.map((_, index) => index);
	let outcomes: ItemOutcome[];
	if (isBatchOperation(operation)) {
		outcomes = await operation.executeBatch.call(this, indexes);
	} else {
		outcomes = [];
		for (const itemIndex of indexes) {
			try {
				outcomes.push({ output: await operation.execute.call(this, itemIndex) });
			} catch (error) {
				if (!this.continueOnFail()) throw attachItemIndex(error as Error, itemIndex);
				outcomes.push({ error: error as Error });
			}
		}
	}
	const returnData: INodeExecutionData[] = [];
	outcomes.forEach((outcome, itemIndex) => {
		if ('error' in outcome) {
			if (!this.continueOnFail()) throw attachItemIndex(outcome.error, itemIndex);
			returnData.push(errorItem(outcome.error, itemIndex));
		} else {
			returnData.push(...paired(simplified(this, resource, operationName, outcome.output, itemIndex), itemIndex));
		}
	});
	return [returnData];
}

function attachItemIndex(error: Error, itemIndex: number): Error {
	const context = (error as { context?: IDataObject }).context;
	if (context && context.itemIndex === undefined) context.itemIndex = itemIndex;
	return error;
}
