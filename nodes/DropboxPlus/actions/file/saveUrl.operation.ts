import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { dropboxRpc, pause } from '../../../shared/transport';
import { dropboxErrorTags } from '../../../shared/transport/errors';
import { DEFAULT_POLL_POLICY, pollUntilDone } from '../../../shared/batch/jobPolling';
import { requireValidPath } from '../../../shared/locator';
import { pathForPathOnlyRoute } from '../../../shared/pathOnly';
import { checkPath } from '../../../shared/paths';
import { jsonItems, type ItemOutput } from '../types';

const show = { resource: ['file'], operation: ['saveUrl'] };

/** Longest wait the Timeout option allows, in seconds. */
export const MAX_TIMEOUT_SECONDS = 3600;

export const description: INodeProperties[] = [
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/report.pdf',
		description: 'The web address Dropbox downloads the file from (it must be reachable from the internet)',
		displayOptions: { show },
	},
	{
		displayName: 'File Path',
		name: 'path',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/Downloads/report.pdf',
		description:
			'Where to save the file in Dropbox, with its name: a path (an ID is looked up first). Dropbox does not overwrite nor rename: if a file or folder is already there, the item fails (path/conflict) and the existing one is kept.',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
				default: 300,
				description: 'How long to wait for Dropbox to finish downloading before failing the item',
			},
		],
	},
];

interface JobStatus extends IDataObject {
	'.tag': 'in_progress' | 'complete' | 'failed';
}

function readUrl(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('url', itemIndex, '') as unknown;
	const url = typeof raw === 'string' ? raw.trim() : '';
	let protocol = '';
	try {
		protocol = new URL(url).protocol;
	} catch {
		protocol = '';
	}
	if (protocol !== 'http:' && protocol !== 'https:') {
		throw new NodeOperationError(ctx.getNode(), `The URL "${String(raw ?? '')}" is not a web address`, {
			itemIndex,
			description: 'Give a full http:// or https:// address, such as https://example.com/report.pdf.',
		});
	}
	return url;
}

function readTimeoutMs(ctx: IExecuteFunctions, itemIndex: number): number {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const timeout = options.timeout ?? 300;
	if (typeof timeout !== 'number' || !(timeout > 0) || timeout > MAX_TIMEOUT_SECONDS) {
		throw new NodeOperationError(ctx.getNode(), `The Timeout "${String(timeout)}" is not between 1 and ${MAX_TIMEOUT_SECONDS} seconds`, {
			itemIndex,
			description: 'Set Timeout (Seconds) to a number of seconds in that range.',
		});
	}
	return timeout * 1000;
}

function failureReason(failed: unknown): string {
	const tag = (failed as IDataObject | null)?.['.tag'];
	switch (tag) {
		case 'download_failed':
			return 'Dropbox could not download the URL (unreachable, not found, or refused)';
		case 'invalid_url':
			return 'Dropbox refused the URL as invalid';
		case 'not_found':
			return 'the file at the URL was not found';
		case 'path':
			return dropboxErrorTags(failed)[1] === 'conflict'
				? 'something is already at the file path, and Dropbox neither overwrites nor renames'
				: 'Dropbox could not write to the file path';
		default:
			return `Dropbox reported ${typeof tag === 'string' ? tag : 'a failure'}`;
	}
}

/** Dropbox fetches the URL into the path by itself; waits for the job and returns the file's metadata. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const url = readUrl(this, itemIndex);
	const rawPath = this.getNodeParameter('path', itemIndex, '') as unknown;
	const reference = requireValidPath(this, checkPath(rawPath), 'File Path', itemIndex, rawPath, 'path');
	const timeoutMs = readTimeoutMs(this, itemIndex);
	// files/save_url takes a path (Path), neither id: nor ns:: an ID is looked up first, ns: refused
	const path = await pathForPathOnlyRoute(this, reference, { route: 'files/save_url', operation: 'Save URL', field: 'File Path', itemIndex, allowNamespace: false });
	const call = { path, itemIndex };

	const started = await dropboxRpc<JobStatus | { '.tag': 'async_job_id'; async_job_id: string }>(
		this,
		'files/save_url',
		{ path, url },
		call,
	);
	let status: JobStatus | undefined;
	if (started['.tag'] === 'async_job_id') {
		const jobId = started.async_job_id;
		status = await pollUntilDone(
			async () => {
				const current = await dropboxRpc<JobStatus>(this, 'files/save_url/check_job_status', { async_job_id: jobId }, call);
				return current['.tag'] === 'in_progress' ? undefined : current;
			},
			{ ...DEFAULT_POLL_POLICY, timeoutMs },
			async (ms) => await pause(this, ms, { route: 'files/save_url/check_job_status', ...call }),
		);
	} else {
		status = started;
	}
	if (status === undefined) {
		throw new NodeOperationError(this.getNode(), `Dropbox did not finish saving ${url} to "${path}" within ${timeoutMs / 1000} seconds`, {
			itemIndex,
			description: 'The download may still finish in Dropbox. Raise the Timeout option for large files, or check the path later.',
		});
	}
	if (status['.tag'] === 'failed') {
		const error = new NodeOperationError(this.getNode(), `Saving ${url} to "${path}" failed: ${failureReason(status.failed)}`, {
			itemIndex,
			description: 'Check that the URL opens in a browser without a login, and that the file path is free to write.',
		});
		// Dropbox's refusal, tagged like any other: a continue-on-fail error item shows its tag and the path
		Object.assign(error.context, { dropboxTag: dropboxErrorTags(status.failed).join('/') || 'failed', dropboxPath: path });
		throw error;
	}
	const { '.tag': _tag, ...metadata } = status;
	return jsonItems(metadata);
}
