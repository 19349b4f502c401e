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
