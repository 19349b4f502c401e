import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { chunk, MAX_BATCH_SIZE, readBatchSize, stoppedAt } from '../../../shared/batch/batchJobs';
import { forEachLimited } from '../../../shared/pool';
import { commitStaged } from '../../../shared/content/uploadCommit';
import { planUpload, stageUpload, uploadFile, type StagedUpload } from '../../../shared/content/uploadItem';
import { settleUnchanged, type PlannedItem } from '../../../shared/content/uploadSkip';
import { DEFAULT_CHUNK_MIB, DEFAULT_PARALLEL_CHUNKS, MAX_PARALLEL_CHUNKS, MIB } from '../../../shared/content/uploadSession';
import { BufferBudget, DEFAULT_MEMORY_BUDGET_MIB, MAX_MEMORY_BUDGET_MIB, MIN_MEMORY_BUDGET_MIB } from '../../../shared/content/bufferBudget';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { wholeNumberIn } from '../../../shared/wholeNumber';
import { batchSizeOption } from '../shared/batchOperation';
import { inputBinaryField } from '../shared/binaryFields';
import { itemOutcome, jsonItems, type ItemOutcome } from '../types';

const show = { resource: ['file'], operation: ['upload'] };

const DEFAULT_PARALLEL = 8;
const MAX_PARALLEL = 32;

export const description: INodeProperties[] = [
	{
		displayName: 'Content',
		name: 'content',
		type: 'options',
		options: [
			{ name: 'Binary File', value: 'binary', description: 'A file from a binary field of the input item' },
			{ name: 'Text', value: 'text', description: 'Text typed here or given by an expression, saved as UTF-8' },
		],
		default: 'binary',
		description: 'Where the bytes to save come from',
		displayOptions: { show },
	},
	inputBinaryField({ ...show, content: ['binary'] }, 'file', 'The binary field of the input item that holds the file to save, e.g. data'),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 5 },
		default: '',
		description: 'The text to save in the file, as UTF-8',
		displayOptions: { show: { ...show, content: ['text'] } },
	},
	{
		displayName: 'Destination',
		name: 'destination',
		type: 'options',
		options: [
			{ name: 'Folder and File Name', value: 'folder', description: "Pick a folder; the file keeps the binary file's name unless you give one" },
			{ name: 'Full Path', value: 'path', description: 'Give the whole path, e.g. /Reports/q1.pdf' },
		],
		default: 'folder',
		description: 'How to say where the file goes',
		displayOptions: { show },
	},
	dropboxLocator('folder', {
		displayName: 'Folder',
		name: 'folder',
		description: 'The folder to save the file in: pick it, or give its path ("/" is the root) or ID',
		displayOptions: { show: { ...show, destination: ['folder'] } },
	}),
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'report.pdf',
		hint: "Blank: the binary file's own name",
		description: "The name the file gets in Dropbox. Leave it blank to keep the name of the binary file (as a previous Download or Read gave it); with Content Text, give one.",
		displayOptions: { show: { ...show, destination: ['folder'] } },
	},
	{
		displayName: 'File Path',
		name: 'filePath',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/Reports/q1.pdf',
		description: 'The full path of the file in Dropbox, starting with "/"',
		displayOptions: { show: { ...show, destination: ['path'] } },
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Add', value: 'add', description: 'Never replace a file: if the name is taken, fail or (with Autorename) pick a new name' },
			{ name: 'Overwrite', value: 'overwrite', description: 'Replace any file already at the path' },
			{ name: 'Update', value: 'update', description: 'Replace the file only if it is still at the given revision' },
		],
		default: 'add',
		description: 'What to do when a file already exists at the path',
		displayOptions: { show },
	},
	{
		displayName: 'Revision',
		name: 'revision',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'a1c10ce0dd78',
		description: 'The revision the file must still have to be replaced: the "rev" from an earlier Get or Upload',
		displayOptions: { show: { ...show, mode: ['update'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Autorename',
				name: 'autorename',
				type: 'boolean',
				default: false,
				description: 'Whether to save under a new name such as "report (1).pdf" instead of failing on a conflict',
			},
			batchSizeOption(
				`How many files to commit to Dropbox in one request when the step gets many items (at most ${MAX_BATCH_SIZE}): fewer calls and fewer "too many write operations" refusals. 1 commits each file by itself.`,
			),
			{
				displayName: 'Chunk Size (MiB)',
				name: 'chunkSize',
				type: 'number',
				typeOptions: { minValue: 4, maxValue: 148, numberPrecision: 0 },
				default: DEFAULT_CHUNK_MIB,
				description: 'Files up to this size go in one request; larger ones in pieces of this size. A multiple of 4, at most 148. Memory use stays near twice this size (the chunk, and its encrypted copy while it is sent) times Parallel Chunks per file, whatever the file size, and within Memory Budget for all files together.',
			},
			{
				displayName: 'Client Modified',
				name: 'clientModified',
				type: 'dateTime',
				default: '',
				description: 'The modification time to record for the file (shown by Dropbox as "modified"); a date or time without a time zone is read as UTC',
			},
			{
				displayName: 'If Unchanged',
				name: 'ifUnchanged',
				type: 'options',
				options: [
					{ name: 'Upload Anyway', value: 'upload', description: 'Send the file whatever is already at the path' },
					{
						name: 'Skip',
						value: 'skip',
						description:
							'Send nothing when the file at the path already holds these exact bytes (same Dropbox content_hash): the item gets that file with unchanged: true',
					},
				],
				default: 'upload',
				description:
					'What to do when Dropbox already has the same bytes at the path. Skip looks the path up first (one call per item, or one listing per folder for many items) and reads the local file twice when it has to be sent; an identical file is never sent, whatever Mode, Autorename or Strict Conflict say.',
			},
			{
				displayName: 'Memory Budget (MiB)',
				name: 'memoryBudget',
				type: 'number',
				typeOptions: { minValue: MIN_MEMORY_BUDGET_MIB, maxValue: MAX_MEMORY_BUDGET_MIB, numberPrecision: 0 },
				default: DEFAULT_MEMORY_BUDGET_MIB,
				description: `The most memory the chunks of all files being sent may take together (default ${DEFAULT_MEMORY_BUDGET_MIB} MiB), each chunk counted twice: itself, and the encrypted copy made of it while it is sent. When Parallel Uploads × Parallel Chunks × 2 × Chunk Size would need more, files send fewer chunks at once, or wait for another file to finish. One value for the whole step: it is read from the first item.`,
			},
			{
				displayName: 'Mute Notifications',
				name: 'mute',
				type: 'boolean',
				default: false,
				description: 'Whether to spare the Dropbox desktop apps the "file added/changed" notification',
			},
			{
				displayName: 'Parallel Chunks',
				name: 'parallelChunks',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_PARALLEL_CHUNKS, numberPrecision: 0 },
				default: DEFAULT_PARALLEL_CHUNKS,
				description: `For a file larger than one chunk: how many of its chunks to send at the same time (1 to ${MAX_PARALLEL_CHUNKS}). Faster on fast links; memory use is up to twice this many chunks (each also encrypted while sent), fewer when Memory Budget is short. 1 sends the chunks one after another.`,
			},
			{
				displayName: 'Parallel Uploads',
				name: 'parallelUploads',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_PARALLEL, numberPrecision: 0 },
				default: DEFAULT_PARALLEL,
				description: `How many items' files to send at the same time (1 to ${MAX_PARALLEL}); together they stay within Memory Budget. 1 sends one file after another. One value for the whole step: it is read from the first item, so an expression here uses the first item's value.`,
			},
			{
				displayName: 'Strict Conflict',
				name: 'strictConflict',
				type: 'boolean',
				default: false,
				description: 'Whether to treat an identical file already at the path as a conflict too (by default Dropbox accepts it silently)',
			},
		],
	},
];

function readParallelUploads(ctx: IExecuteFunctions): number | NodeOperationError {
	const raw = ctx.getNodeParameter('options.parallelUploads', 0, DEFAULT_PARALLEL) as unknown;
	const count = wholeNumberIn(raw, 1, MAX_PARALLEL);
	if (count !== undefined) return count;
	return new NodeOperationError(ctx.getNode(), `The Parallel Uploads option "${String(raw)}" is not a whole number from 1 to ${MAX_PARALLEL}`, {
		itemIndex: 0,
		description: `Set Parallel Uploads to a number from 1 (one file after another) to ${MAX_PARALLEL}.`,
	});
}

function readMemoryBudget(ctx: IExecuteFunctions): BufferBudget | NodeOperationError {
	const raw = ctx.getNodeParameter('options.memoryBudget', 0, DEFAULT_MEMORY_BUDGET_MIB) as unknown;
	const mib = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof mib === 'number' && Number.isInteger(mib) && mib >= MIN_MEMORY_BUDGET_MIB && mib <= MAX_MEMORY_BUDGET_MIB) return new BufferBudget(mib * MIB);
	return new NodeOperationError(
		ctx.getNode(),
		`The Memory Budget option "${String(raw)}" is not a whole number of MiB from ${MIN_MEMORY_BUDGET_MIB} to ${MAX_MEMORY_BUDGET_MIB}`,
		{ itemIndex: 0, description: `Set Memory Budget to the MiB the uploads may use together, such as ${DEFAULT_MEMORY_BUDGET_MIB}.` },
	);
}

/** The first error among `outcomes`, in input order. */
function firstError(itemIndexes: number[], outcomes: Map<number, ItemOutcome>): Error | undefined {
	for (const itemIndex of itemIndexes) {
		const outcome = outcomes.get(itemIndex);
		if (outcome && 'error' in outcome) return outcome.error;
	}
	return undefined;
}

/**
 * Saves every item's file, streamed, several at a time (Parallel Uploads). Alone, a file is
 * committed by itself (one request when it fits in a chunk, else an upload session); many
 * files go into closed sessions and are committed by one `finish_batch_v2` call per Batch
 * Size. Every item is checked before anything is sent; without Continue On Fail the first
 * failure stops the step, nothing more is committed, and the error says which items were
 * already saved.
 */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemOutcome[]> {
	const batchSize = readBatchSize(this);
	const parallel = readParallelUploads(this);
	if (batchSize instanceof Error) return itemIndexes.map(() => ({ error: batchSize }));
	if (parallel instanceof Error) return itemIndexes.map(() => ({ error: parallel }));
	// One budget for every file of this run: their chunk buffers together stay within it
	const budget = readMemoryBudget(this);
	if (budget instanceof Error) return itemIndexes.map(() => ({ error: budget }));
	const outcomes = new Map<number, ItemOutcome>();
	const plans: PlannedItem[] = [];
	for (const itemIndex of itemIndexes) {
		try {
			plans.push([itemIndex, planUpload(this, itemIndex)]);
		} catch (error) {
			outcomes.set(itemIndex, { error: error as Error });
		}
	}
	const keepGoing = this.continueOnFail();
	const stopped = () => !keepGoing && firstError(itemIndexes, outcomes) !== undefined;
	const failed = (itemIndex: number, error: unknown) => outcomes.set(itemIndex, { error: error as Error });
	// If Unchanged "Skip": the items whose bytes Dropbox already holds are settled without sending them
	const sending = await settleUnchanged(this, plans, parallel, (itemIndex, outcome) => outcomes.set(itemIndex, itemOutcome(outcome)), stopped);
	if (batchSize === 1 || sending.length === 1) {
		await forEachLimited(
			sending,
			parallel,
			async ([itemIndex, plan]) => {
				try {
					outcomes.set(itemIndex, { output: jsonItems(await uploadFile(this, itemIndex, plan, budget)) });
				} catch (error) {
					failed(itemIndex, error);
				}
			},
			stopped,
		);
	} else {
		for (const run of chunk(sending, batchSize)) {
			const staged: StagedUpload[] = [];
			await forEachLimited(
				run,
				parallel,
				async ([itemIndex, plan]) => {
					try {
						staged.push(await stageUpload(this, itemIndex, plan, budget));
					} catch (error) {
						failed(itemIndex, error);
					}
				},
				stopped,
			);
			if (stopped()) break;
			staged.sort((a, b) => a.itemIndex - b.itemIndex);
			if (staged.length > 0) for (const [itemIndex, outcome] of await commitStaged(this, staged)) outcomes.set(itemIndex, itemOutcome(outcome));
			if (stopped()) break;
		}
	}
	const error = keepGoing ? undefined : firstError(itemIndexes, outcomes);
	if (error) {
		const failed = itemIndexes.filter((itemIndex) => 'error' in (outcomes.get(itemIndex) ?? {}));
		// A bad item stops the step before anything is sent: its error is enough
		if (!plans.some(([itemIndex]) => itemIndex === failed[0])) throw error;
		throw stoppedAt(this, error, failed[0], {
			done: itemIndexes.filter((itemIndex) => 'output' in (outcomes.get(itemIndex) ?? {})),
			alsoFailed: failed.slice(1),
			notSent: itemIndexes.filter((itemIndex) => !outcomes.has(itemIndex)),
			notSentLabel: 'Not saved',
		});
	}
	markChanged(sending, outcomes);
	return itemIndexes.map((itemIndex) => outcomes.get(itemIndex) as ItemOutcome);
}

/** With If Unchanged "Skip", a file that was sent says so: `unchanged: false`, as an unchanged one says `true`. */
function markChanged(sent: PlannedItem[], outcomes: Map<number, ItemOutcome>): void {
	for (const [itemIndex, plan] of sent) {
		const outcome = outcomes.get(itemIndex);
		if (plan.skipUnchanged && outcome && 'output' in outcome) for (const item of outcome.output) item.json.unchanged = false;
	}
}
