import { dropboxRpc } from '../transport';
import { attempt } from './attempt';
import type { DropboxEntry } from '../dropboxEntry';
import type { TriggerFunctions } from './types';

interface Revision {
	rev: string;
	path_lower?: string;
}

function isMissing(tag: string): boolean {
	return tag.startsWith('path/not_found') || tag.startsWith('path/not_file');
}

/**
 * Created or updated, from the file's own history (one list_revisions call by ID, nothing
 * stored): updated when its previous revision was at the same path; created when it has no
 * previous revision (a new ID: a new file, or one re-created after a delete) or the previous
 * one was elsewhere (moved or renamed here).
 */
export async function fileChange(ctx: TriggerFunctions, entry: DropboxEntry): Promise<'fileCreated' | 'fileUpdated'> {
	if (!entry.id) return 'fileCreated';
	const answer = await attempt(
		dropboxRpc<{ entries: Revision[] }>(ctx, 'files/list_revisions', { path: entry.id, mode: 'id', limit: 2 }, { path: entry.path_display }),
	);
	if (!answer.ok) {
		// Deleted again since it was listed: it still appeared as a new entry
		if (isMissing(answer.tag)) return 'fileCreated';
		throw answer.error;
	}
	const previous = answer.value.entries.find((revision) => revision.rev !== entry.rev);
	return previous && previous.path_lower === entry.path_lower ? 'fileUpdated' : 'fileCreated';
}

/**
 * What a deleted entry was: Dropbox says only "deleted". Files keep a revision history at
 * their path, folders have none: one list_revisions call by path tells them apart.
 */
export async function deletedKind(ctx: TriggerFunctions, entry: DropboxEntry): Promise<'file' | 'folder'> {
	const answer = await attempt(
		dropboxRpc(ctx, 'files/list_revisions', { path: entry.path_lower, mode: 'path', limit: 1 }, { path: entry.path_display }),
	);
	if (answer.ok) return 'file';
	if (isMissing(answer.tag)) return 'folder';
	throw answer.error;
}
