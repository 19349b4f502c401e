import type { INodeProperties } from 'n8n-workflow';

import { LOCK_ROUTES, LOCK_STATE_ROUTES, UNLOCK_ROUTES } from '../../../shared/batch/batchRoutes';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { resolveLocator } from '../../../shared/locator';
import type { BatchOperation } from '../types';
import { batchOperation, batchSizeOption } from './batchOperation';

type LockAction = 'lock' | 'unlock' | 'getLock';

const ROUTES = { lock: LOCK_ROUTES, unlock: UNLOCK_ROUTES, getLock: LOCK_STATE_ROUTES };
const FIELD: Record<LockAction, string> = { lock: 'File to Lock', unlock: 'File to Unlock', getLock: 'File' };

/**
 * Lock, Unlock and Get Lock State of files: every item checked before any call, then up to
 * Batch Size files per files/lock_file_batch (unlock_file_batch, get_file_lock_batch), each
 * item with its own result (the file's metadata, `locked`, and the holder and time when locked).
 */
export function lockOperation(action: LockAction): BatchOperation {
	const show = { resource: ['file'], operation: [action] };
	const description: INodeProperties[] = [
		dropboxLocator('file', { displayName: FIELD[action], name: 'file', displayOptions: { show } }),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: { show },
			options: [batchSizeOption(`How many files to send to Dropbox in one request (at most 1000). 1 sends one request per item.`)],
		},
	];
	return batchOperation<{ path: string }>(description, {
		routes: ROUTES[action],
		validate(itemIndex) {
			return { path: resolveLocator(this, 'file', itemIndex, FIELD[action]) };
		},
		entryOf(plan, itemIndex) {
			return { itemIndex, args: { path: plan.path }, shared: {}, path: plan.path };
		},
	});
}
