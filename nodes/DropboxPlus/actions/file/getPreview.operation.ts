import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { downloadedItem, requireBinaryPropertyName } from '../../../shared/content/binaryOutput';
import { downloadToBinary } from '../../../shared/content/download';
import { dropboxLocator } from '../../../shared/descriptions/locatorFields';
import { resolveLocator } from '../../../shared/locator';
import { dotted, HTML_PREVIEW_EXTENSIONS, PDF_PREVIEW_EXTENSIONS, previewKind, renamedAs } from '../../../shared/previewFormats';
import type { ItemOutput } from '../types';
import { outputBinaryField } from '../shared/binaryFields';

const show = { resource: ['file'], operation: ['getPreview'] };

export const description: INodeProperties[] = [
	dropboxLocator('file', {
		displayName: 'File',
		name: 'file',
		description: `The document to preview: ${dotted(PDF_PREVIEW_EXTENSIONS)} give a PDF, ${dotted(HTML_PREVIEW_EXTENSIONS)} an HTML page`,
		displayOptions: { show },
	}),
	outputBinaryField(show, 'preview'),
];

const KINDS = {
	pdf: { extension: 'pdf', mimeType: 'application/pdf' },
	html: { extension: 'html', mimeType: 'text/html' },
};

/**
 * A PDF or HTML preview of an office document into a binary field, through the one download
 * pipeline (files/get_preview; never resumed: Dropbox makes the preview for each request). The
 * stored file is named after the document ("Letter.docx" → "Letter.pdf"); the JSON is the
 * document's metadata.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const path = resolveLocator(this, 'file', itemIndex, 'File', { allowRevision: true });
	const property = requireBinaryPropertyName(this, itemIndex);
	const { result, binary } = await downloadToBinary<IDataObject>(
		this,
		{ route: 'files/get_preview', args: { path }, path, itemIndex, resume: 'none' },
		(answer) => {
			const name = String(answer.name ?? path.split('/').pop());
			// Dropbox previews only the kinds it lists (else unsupported_extension): one it adds later is taken for a PDF
			const kind = KINDS[previewKind(name) ?? 'pdf'];
			return { fileName: renamedAs(name, kind.extension), mimeType: kind.mimeType };
		},
	);
	return [downloadedItem(this.getInputData()[itemIndex], result, property, binary)];
}
