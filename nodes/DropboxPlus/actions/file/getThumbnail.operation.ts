import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { chunk, entryError } from '../../../shared/batch/batchJobs';
import { downloadedItem, requireBinaryPropertyName } from '../../../shared/content/binaryOutput';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { requireChoice } from '../../../shared/fieldChecks';
import { resolveLocator } from '../../../shared/locator';
import { renamedAs } from '../../../shared/previewFormats';
import { dropboxRpc } from '../../../shared/transport';
import { inInputOrder, type ItemOutcome } from '../types';
import { outputBinaryField } from '../shared/binaryFields';

const show = { resource: ['file'], operation: ['getThumbnail'] };

/** Dropbox makes at most 25 thumbnails in one files/get_thumbnail_batch. */
export const THUMBNAILS_PER_CALL = 25;

const FORMATS = [
	{ name: 'JPEG', value: 'jpeg', description: 'Best for photos', extension: 'jpg', mimeType: 'image/jpeg' },
	{ name: 'PNG', value: 'png', description: 'Best for screenshots and drawings', extension: 'png', mimeType: 'image/png' },
	{ name: 'WebP', value: 'webp', description: 'Smallest files', extension: 'webp', mimeType: 'image/webp' },
];

const SIZES = ['w32h32', 'w64h64', 'w128h128', 'w256h256', 'w480h320', 'w640h480', 'w960h640', 'w1024h768', 'w2048h1536'];

const MODES = [
	{ name: 'Fit Inside', value: 'strict', description: 'Scale the image down to fit within the size' },
	{ name: 'Fit Inside (Either Orientation)', value: 'bestfit', description: 'Scale the image down to fit within the size, turned to the image\'s orientation (portrait images get e.g. 320×480 for 480×320)' },
	{ name: 'Cover (Either Orientation)', value: 'fitone_bestfit', description: 'Scale the image down to cover the size or its turned version completely' },
	{ name: 'Original Size', value: 'original', description: 'Do not resize the image' },
];

const sizeName = (size: string) => size.replace(/^w(\d+)h(\d+)$/, '$1×$2');

export const description: INodeProperties[] = [
	dropboxLocator('file', { displayName: 'File', name: 'file', displayOptions: { show } }),
	outputBinaryField(show, 'thumbnail'),
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		options: FORMATS.map(({ name, value, description }) => ({ name, value, description })),
		default: 'jpeg',
		description: 'The image format of the thumbnail',
		displayOptions: { show },
	},
	{
		displayName: 'Size',
		name: 'size',
		type: 'options',
		options: SIZES.map((value) => ({ name: `${sizeName(value)} px`, value })),
		default: 'w256h256',
		description: 'The box the thumbnail is scaled to (see Options → Resize Mode); a smaller image is never enlarged',
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
				displayName: 'Resize Mode',
				name: 'mode',
				type: 'options',
				options: MODES,
				default: 'strict',
				description: 'How the image is fitted to the size',
			},
		],
	},
];

interface ThumbnailRequest {
	itemIndex: number;
	path: string;
	property: string;
	format: (typeof FORMATS)[number];
	args: IDataObject;
}

/** Reads and checks one item's fields, without any call. */
function requestOf(ctx: IExecuteFunctions, itemIndex: number): ThumbnailRequest {
	const path = resolveLocator(ctx, 'file', itemIndex, 'File', { allowRevision: true });
	const property = requireBinaryPropertyName(ctx, itemIndex);
	const formatName = requireChoice(ctx, itemIndex, 'format', 'Format', 'jpeg', FORMATS.map((format) => format.value));
	const size = requireChoice(ctx, itemIndex, 'size', 'Size', 'w256h256', SIZES);
	const mode = requireChoice(ctx, itemIndex, 'options.mode', 'Resize Mode option', 'strict', MODES.map((m) => m.value));
	const format = FORMATS.find((candidate) => candidate.value === formatName)!;
	return { itemIndex, path, property, format, args: { path, format: { '.tag': format.value }, size: { '.tag': size }, mode: { '.tag': mode } } };
}

type BatchEntry = { '.tag': 'success'; metadata: IDataObject; thumbnail: string } | { '.tag': 'failure'; failure: unknown } | { '.tag': string };

/**
 * Get Thumbnail: every item's fields are checked first, then up to 25 items go in one
 * files/get_thumbnail_batch (one call for one item too: the batch route costs no more than
 * files/get_thumbnail_v2, and keeps one way of asking). Each item gets its thumbnail in its
 * binary field with the file's metadata as JSON, or its own error (unsupported_extension names
 * the kinds Dropbox can do). Without Continue On Fail the first failure stops the step.
 */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemOutcome[]> {
	const keepGoing = this.continueOnFail();
	const outcomes = new Map<number, ItemOutcome>();
	const requests: ThumbnailRequest[] = [];
	for (const itemIndex of itemIndexes) {
		try {
			requests.push(requestOf(this, itemIndex));
		} catch (error) {
			outcomes.set(itemIndex, { error: error as Error });
			if (!keepGoing) return inInputOrder(itemIndexes, outcomes);
		}
	}
	const input = this.getInputData();
	for (const batch of chunk(requests, THUMBNAILS_PER_CALL)) {
		let entries: BatchEntry[];
		try {
			const answer = await dropboxRpc<{ entries: BatchEntry[] }>(this, 'files/get_thumbnail_batch', { entries: batch.map((request) => request.args) }, {
				itemIndex: batch[0].itemIndex,
				...(batch.length === 1 ? { path: batch[0].path } : {}),
			});
			entries = answer.entries;
		} catch (error) {
			for (const request of batch) outcomes.set(request.itemIndex, { error: error as Error });
			if (!keepGoing) return inInputOrder(itemIndexes, outcomes);
			continue;
		}
		for (const [index, request] of batch.entries()) {
			const entry = entries[index];
			if (entry?.['.tag'] === 'success') {
				const { metadata, thumbnail } = entry as { metadata: IDataObject; thumbnail: string };
				const fileName = renamedAs(String(metadata.name ?? request.path.split('/').pop()), request.format.extension);
				const binary = await this.helpers.prepareBinaryData(Buffer.from(thumbnail, 'base64'), fileName, request.format.mimeType);
				outcomes.set(request.itemIndex, { output: [downloadedItem(input[request.itemIndex], metadata, request.property, binary)] });
			} else {
				const failure = (entry as { failure?: unknown } | undefined)?.failure ?? entry;
				outcomes.set(request.itemIndex, { error: entryError(this, 'files/get_thumbnail_batch', failure, { path: request.path, itemIndex: request.itemIndex }) });
			}
		}
		if (!keepGoing && batch.some((request) => 'error' in (outcomes.get(request.itemIndex) as ItemOutcome))) return inInputOrder(itemIndexes, outcomes);
	}
	return inInputOrder(itemIndexes, outcomes);
}

