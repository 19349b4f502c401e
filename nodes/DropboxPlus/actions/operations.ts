import * as account from './account/Account.resource';
import * as file from './file/File.resource';
import * as folder from './folder/Folder.resource';
import * as paperDoc from './paperDoc/PaperDoc.resource';
import * as search from './search/Search.resource';
import * as sharedLink from './sharedLink/SharedLink.resource';
import * as tag from './tag/Tag.resource';
import type { Operation } from './types';

/** resource → operation → its module. The router's only lookup table. */
export const operations: Record<string, Record<string, Operation>> = {
	file: file.operations,
	folder: folder.operations,
	account: account.operations,
	search: search.operations,
	sharedLink: sharedLink.operations,
	tag: tag.operations,
	paperDoc: paperDoc.operations,
};
