import * as account from './account/Account.resource';
import type { Operation } from './types';

/** resource → operation → its module. The router's only lookup table. */
export const operations: Record<string, Record<string, Operation>> = {
	account: {
		getCurrentAccount: account.getCurrentAccount,
		getSpaceUsage: account.getSpaceUsage,
	},
};
