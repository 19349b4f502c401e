import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { dropboxRpc } from '../transport';
import { downloadedItem } from '../content/binaryOutput';
import { isBinaryCapError } from '../content/binaryLimit';
import { downloadToBinary } from '../content/download';
import { mimeTypeFor } from '../content/mimeTypes';
import { attempt } from './attempt';
import type { DropboxEntry, EmittingFunctions, WatchSettings } from './types';

/**
 * The changed file's content as the user asked: its bytes as binary `data`, or a temporary
 * link (valid 4 hours). A file deleted before it could be read is still reported, with
 * `content_unavailable` saying so, so one vanished file never blocks the trigger; so is a file
 * above n8n's binary data cap, with the cap, the setting and the alternatives.
 */
export async function attachContent(
	ctx: EmittingFunctions,
	settings: WatchSettings,
	entry: DropboxEntry,
	json: IDataObject,
): Promise<INodeExecutionData> {
	if (settings.attach === 'none') return { json };
	const path = entry.id ?? entry.path_lower ?? '';
	const options = { path: entry.path_display };
	const answer = await attempt<INodeExecutionData>(
		settings.attach === 'link'
			? dropboxRpc<{ link: string }>(ctx, 'files/get_temporary_link', { path }, options).then(({ link }) => ({
					json: { ...json, temporary_link: link },
				}))
			: // the same pipeline as File → Download: resumed on the same revision, checked against its content_hash
				downloadToBinary<IDataObject>(ctx, { route: 'files/download', args: { path }, path: entry.path_display ?? path, resume: 'revision' }, (answer) => ({
					fileName: entry.name,
					mimeType: mimeTypeFor(entry.name),
					expectedHash: answer.content_hash as string | undefined,
				})).then(({ binary }) => downloadedItem(undefined, json, 'data', binary)),
	);
	if (answer.ok) return answer.value;
	// A file n8n cannot store is reported without its content, with why: it must not block the trigger
	if (isBinaryCapError(answer.error)) {
		const error = answer.error as Error & { description?: string };
		return { json: { ...json, content_unavailable: `${error.message}. ${error.description ?? ''}`.trim() } };
	}
	if (!answer.tag.startsWith('path/not_found')) throw answer.error;
	return { json: { ...json, content_unavailable: 'The file was deleted or moved before its content could be read' } };
}
