import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { wholeNumberIn } from './wholeNumber';

/** One page of a Dropbox listing, whatever the route calls its entries. */
export interface Page<T> {
	entries: T[];
	cursor?: string;
	hasMore: boolean;
}

/**
 * How many results the user wants: Infinity for "Return All", else the Limit, checked to be
 * a whole number of at least 1 (an expression can give anything).
 */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return Infinity;
	const raw = ctx.getNodeParameter('limit', itemIndex, 50) as unknown;
	// A number only: text such as "5" is refused, as before
	const limit = typeof raw === 'number' ? wholeNumberIn(raw, 1) : undefined;
	if (limit === undefined) {
		throw new NodeOperationError(ctx.getNode(), `The Limit "${String(raw)}" is not a whole number of at least 1`, {
			itemIndex,
			description: 'Set Limit to 1 or more, or turn on Return All.',
		});
	}
	return limit;
}

/**
 * The pages of a listing, the one paging loop: `first`, then `next` from each page's cursor
 * while Dropbox has more. Lazy: a consumer that stops (has enough, or ran out of time) leaves
 * the next page unrequested.
 */
export async function* pagesOf<T>(
	first: () => Promise<Page<T>>,
	next: (cursor: string) => Promise<Page<T>>,
): AsyncGenerator<Page<T>, void, undefined> {
	let page = await first();
	for (;;) {
		yield page;
		if (!page.hasMore || !page.cursor) return;
		page = await next(page.cursor);
	}
}

/**
 * Reads pages until `limit` outputs are collected or Dropbox has no more: each page's entries
 * are turned into outputs as they arrive (`toOutput` may drop one by returning undefined), and
 * no page beyond the one that reaches the limit is requested.
 */
export async function collectPages<T>(
	limit: number,
	pages: AsyncIterable<Page<T>>,
	toOutput: (entry: T) => IDataObject | undefined,
): Promise<IDataObject[]> {
	const output: IDataObject[] = [];
	for await (const page of pages) {
		for (const entry of page.entries) {
			const item = toOutput(entry);
			if (item === undefined) continue;
			output.push(item);
			if (output.length >= limit) return output;
		}
	}
	return output;
}
