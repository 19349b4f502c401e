import { NodeOperationError, type IBinaryData, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { dropboxErrorInfo, dropboxRpc } from '../../../shared/transport';
import { checkRevision, required } from '../../../shared/fieldChecks';
import { resolveLocator } from '../../../shared/locator';
import { downloadedItem, requireBinaryPropertyName } from '../../../shared/content/binaryOutput';
import { downloadToBinary } from '../../../shared/content/download';
import { mimeTypeFor } from '../../../shared/content/mimeTypes';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import type { ItemOutput } from '../types';
import { outputBinaryField } from '../shared/binaryFields';

const show = { resource: ['file'], operation: ['download'] };

export const description: INodeProperties[] = [
	dropboxLocator('file', {
		displayName: 'File',
		name: 'file',
		displayOptions: { show },
	}),
	outputBinaryField(show, 'file'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Export Format',
				name: 'exportFormat',
				type: 'options',
				options: [
					{ name: 'Default', value: '', description: 'Download the file; files Dropbox cannot download (Paper, Google Docs) are exported in their default format' },
					{ name: 'HTML', value: 'html', description: 'Paper docs' },
					{ name: 'Markdown', value: 'markdown', description: 'Paper docs' },
					{ name: 'Microsoft Excel (XLSX)', value: 'xlsx', description: 'Google Sheets' },
					{ name: 'Microsoft PowerPoint (PPTX)', value: 'pptx', description: 'Google Slides' },
					{ name: 'Microsoft Word (DOCX)', value: 'docx', description: 'Google Docs' },
					{ name: 'PDF', value: 'pdf', description: 'Google Docs, Sheets and Slides' },
				],
				default: '',
				description: 'Export the file in this format instead of downloading it (for files Dropbox cannot download directly)',
			},
			{
				displayName: 'Revision',
				name: 'revision',
				type: 'string',
				default: '',
				placeholder: 'a1c10ce0dd78',
				description: 'Download this older revision of the file instead of the current one (from List Revisions)',
			},
		],
	},
];

interface DownloadOptions {
	exportFormat?: string;
	revision?: string;
}

interface Fetched {
	/** The metadata to output. */
	json: IDataObject;
	binary: IBinaryData;
}

/** The file's bytes, resumed on the same revision when the connection drops, checked against its content_hash. */
async function download(ctx: IExecuteFunctions, itemIndex: number, path: string): Promise<Fetched> {
	const { result, binary } = await downloadToBinary<IDataObject>(
		ctx,
		{ route: 'files/download', args: { path }, path, itemIndex, resume: 'revision' },
		(answer) => ({
			fileName: String(answer.name),
			mimeType: mimeTypeFor(String(answer.name)),
			expectedHash: answer.content_hash as string | undefined,
			shownPath: answer.path_display as string | undefined,
		}),
	);
	return { json: result, binary };
}

type ExportResult = { export_metadata: IDataObject; file_metadata: IDataObject };

/** The error for an Export Format the file does not offer: names the formats it does offer. */
async function formatError(ctx: IExecuteFunctions, itemIndex: number, path: string, format: string): Promise<NodeOperationError> {
	const metadata = await dropboxRpc(ctx, 'files/get_metadata', { path }, { path, itemIndex });
	const info = (metadata.export_info ?? {}) as { export_as?: string; export_options?: string[] };
	const offered = [...new Set([info.export_as, ...(info.export_options ?? [])].filter(Boolean))];
	return new NodeOperationError(ctx.getNode(), `"${path}" cannot be exported as ${format}`, {
		itemIndex,
		description: offered.length
			? `Set the Export Format option to one of: ${offered.join(', ')}.`
			: 'Dropbox offers no export of this file: set the Export Format option to Default to download it as it is.',
	});
}

async function exportFile(ctx: IExecuteFunctions, itemIndex: number, path: string, format: string | undefined): Promise<Fetched> {
	const args: IDataObject = { path };
	if (format) args.export_format = format;
	let failure: unknown;
	try {
		// Not checked: files.stone calls ExportMetadata.export_hash only "similar to content hash",
		// with no promise that it is the content_hash of these bytes (file_metadata.content_hash is
		// the source file's, not the export's). It stays in export_metadata for the workflow.
		const { result, binary } = await downloadToBinary<ExportResult>(
			ctx,
			{ route: 'files/export', args, path, itemIndex, resume: 'none' },
			(answer) => {
				const fileName = String(answer.export_metadata?.name ?? answer.file_metadata?.name);
				return { fileName, mimeType: mimeTypeFor(fileName) };
			},
		);
		return { json: { ...result.file_metadata, export_metadata: result.export_metadata ?? {} }, binary };
	} catch (error) {
		failure = error;
	}
	const tag = dropboxErrorInfo(failure)?.dropboxTag ?? '';
	if (format && /(^|\/)(invalid_export_format|non_exportable)$/.test(tag)) throw await formatError(ctx, itemIndex, path, format);
	throw failure;
}

function isUnsupportedFile(error: unknown): boolean {
	return (dropboxErrorInfo(error)?.dropboxTag ?? '').split('/').includes('unsupported_file');
}

/** Downloads the file; one Dropbox cannot download as is (Paper, Google Docs) is exported in its default format. */
async function downloadOrExport(ctx: IExecuteFunctions, itemIndex: number, path: string): Promise<Fetched> {
	let failure: unknown;
	try {
		return await download(ctx, itemIndex, path);
	} catch (error) {
		failure = error;
	}
	if (!isUnsupportedFile(failure)) throw failure;
	return await exportFile(ctx, itemIndex, path, undefined);
}

/** Downloads (or exports) a file into a binary field, streamed, and proves the bytes with content_hash. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const options = this.getNodeParameter('options', itemIndex, {}) as DownloadOptions;
	const property = requireBinaryPropertyName(this, itemIndex);
	let path = resolveLocator(this, 'file', itemIndex, 'File', { allowRevision: true });
	if (options.revision !== undefined && String(options.revision).trim() !== '') {
		path = `rev:${required(this, itemIndex, 'Revision option', checkRevision(options.revision))}`;
	}
	const fetched = options.exportFormat
		? await exportFile(this, itemIndex, path, options.exportFormat)
		: await downloadOrExport(this, itemIndex, path);
	return [downloadedItem(this.getInputData()[itemIndex], fetched.json, property, fetched.binary)];
}
