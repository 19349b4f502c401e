import type { IDataObject } from 'n8n-workflow';

import type { BatchRoutes } from './batchJobs';

/**
 * The Dropbox routes of each batchable change, alone and in a batch, and the shapes of
 * their batch results (see RelocationBatchV2Result, DeleteBatchResult and
 * CreateFolderBatchResult in the `dropbox` SDK types).
 */

type Dict = Record<string, unknown>;

/**
 * A copy or move entry's failure is a RelocationBatchErrorEntry: user errors come wrapped
 * in `relocation_error`, which a single call answers bare. Unwrapped so both read alike.
 */
export function relocationFailure(failure: unknown): unknown {
	const union = failure as Dict | undefined;
	return union && union['.tag'] === 'relocation_error' && union.relocation_error ? union.relocation_error : failure;
}

function relocation(single: string, launch: string, check: string): BatchRoutes {
	return {
		single,
		launch,
		check,
		launchArgs: (entries, shared) => ({ entries, ...shared }),
		successOf: (entry) => entry.success as IDataObject,
		failureOf: (entry) => relocationFailure(entry.failure),
	};
}

export const COPY_ROUTES = relocation('files/copy_v2', 'files/copy_batch_v2', 'files/copy_batch/check_v2');

export const MOVE_ROUTES = relocation('files/move_v2', 'files/move_batch_v2', 'files/move_batch/check_v2');

export const DELETE_ROUTES: BatchRoutes = {
	single: 'files/delete_v2',
	launch: 'files/delete_batch',
	check: 'files/delete_batch/check',
	launchArgs: (entries) => ({ entries }),
	successOf: (entry) => entry.metadata as IDataObject,
	failureOf: (entry) => entry.failure,
};

export const CREATE_FOLDER_ROUTES: BatchRoutes = {
	single: 'files/create_folder_v2',
	launch: 'files/create_folder_batch',
	check: 'files/create_folder_batch/check',
	// Small batches answer at once; large ones become a job that is polled
	launchArgs: (entries, shared) => ({ paths: entries.map((entry) => entry.path), ...shared, force_async: false }),
	successOf: (entry) => entry.metadata as IDataObject,
	failureOf: (entry) => entry.failure,
};

/** A LockFileResultEntry's success: the file's metadata, with its lock state flat beside it. */
function lockOutcome(entry: Dict): IDataObject {
	const metadata = (entry.metadata ?? {}) as IDataObject;
	const content = ((entry.lock as Dict | undefined)?.content ?? {}) as Dict;
	const locked = content['.tag'] === 'single_user';
	return {
		...metadata,
		locked,
		...(locked ? { lock_holder_account_id: content.lock_holder_account_id as string, lock_created: content.created as string } : {}),
	};
}

/** files/lock_file_batch, unlock_file_batch, get_file_lock_batch: batch routes only, answered at once (LockFileBatchResult). */
function lockRoutes(route: string): BatchRoutes {
	return {
		single: route,
		launch: route,
		check: route,
		launchArgs: (entries) => ({ entries }),
		successOf: lockOutcome,
		failureOf: (entry) => entry.failure,
		batchOnly: true,
	};
}

export const LOCK_ROUTES = lockRoutes('files/lock_file_batch');
export const UNLOCK_ROUTES = lockRoutes('files/unlock_file_batch');
export const LOCK_STATE_ROUTES = lockRoutes('files/get_file_lock_batch');
