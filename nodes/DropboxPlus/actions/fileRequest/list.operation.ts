import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dropboxRpc } from '../../../shared/transport';
import { collectPages, pagesOf, readLimit, type Page } from '../../../shared/paging';
import { listingFields } from '../listing.descriptions';
import { jsonItems, type ItemOutput } from '../types';

export const description: INodeProperties[] = listingFields('fileRequest', 'list', {});

/** The most requests one file_requests/list_v2 page asks for (ListFileRequestsArg.limit's default). */
const PAGE_LIMIT = 1000;

interface RequestsPage {
	file_requests: IDataObject[];
	cursor: string;
	has_more: boolean;
}

const toPage = (page: RequestsPage): Page<IDataObject> => ({ entries: page.file_requests, cursor: page.cursor, hasMore: page.has_more });

/** The account's file requests, open and closed, one item each: list_v2, then list/continue until the limit. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const limit = readLimit(this, itemIndex);
	return jsonItems(
		await collectPages<IDataObject>(
			limit,
			pagesOf(
				async () => toPage(await dropboxRpc<RequestsPage>(this, 'file_requests/list_v2', { limit: Math.min(limit, PAGE_LIMIT) }, { itemIndex })),
				async (cursor) => toPage(await dropboxRpc<RequestsPage>(this, 'file_requests/list/continue', { cursor }, { itemIndex })),
			),
			(request) => request,
		),
	);
}
