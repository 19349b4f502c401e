import type { IDataObject } from 'n8n-workflow';

/**
 * A Dropbox metadata entry as files/list_folder, list_folder/continue, search_v2 and
 * get_metadata return it: the one entry type of every node. Deleted entries (`.tag`
 * "deleted", in listings of changes) carry only the name and paths.
 */
export interface DropboxEntry extends IDataObject {
	'.tag': 'file' | 'folder' | 'deleted';
	name: string;
	path_lower?: string;
	path_display?: string;
	id?: string;
	rev?: string;
	size?: number;
	client_modified?: string;
	server_modified?: string;
	content_hash?: string;
}
