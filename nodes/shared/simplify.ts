import type { IDataObject } from 'n8n-workflow';

import type { DropboxEntry } from './dropboxEntry';

export type FileCategory =
	| 'image'
	| 'document'
	| 'pdf'
	| 'spreadsheet'
	| 'presentation'
	| 'audio'
	| 'video'
	| 'archive'
	| 'other';

const EXTENSIONS: Record<Exclude<FileCategory, 'other'>, string[]> = {
	image: ['jpg', 'jpeg', 'png', 'gif', 'bmp', 'tif', 'tiff', 'heic', 'heif', 'webp', 'svg', 'ico', 'psd', 'raw', 'cr2', 'nef', 'dng', 'avif'],
	document: ['doc', 'docx', 'docm', 'dot', 'dotx', 'odt', 'rtf', 'txt', 'md', 'markdown', 'pages', 'wpd', 'tex', 'paper', 'gdoc', 'epub'],
	pdf: ['pdf'],
	spreadsheet: ['xls', 'xlsx', 'xlsm', 'xlsb', 'ods', 'csv', 'tsv', 'numbers', 'gsheet'],
	presentation: ['ppt', 'pptx', 'pptm', 'pps', 'ppsx', 'odp', 'key', 'gslides'],
	audio: ['mp3', 'wav', 'aac', 'm4a', 'flac', 'ogg', 'oga', 'opus', 'wma', 'aif', 'aiff', 'mid', 'midi'],
	video: ['mp4', 'mov', 'avi', 'mkv', 'wmv', 'webm', 'm4v', 'flv', 'mpeg', 'mpg', '3gp', 'mts', 'm2ts'],
	archive: ['zip', 'rar', '7z', 'tar', 'gz', 'tgz', 'bz2', 'tbz2', 'xz', 'txz', 'zst', 'iso', 'dmg', 'cab'],
};

const CATEGORY_BY_EXTENSION = new Map<string, FileCategory>(
	Object.entries(EXTENSIONS).flatMap(([category, extensions]) =>
		extensions.map((extension) => [extension, category as FileCategory] as const),
	),
);

/** The extension of a file name, lower case, without the dot; "" when there is none (".bashrc" has none). */
export function fileExtension(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The kind of file a name suggests, from its extension: image, document, pdf, …, or other. */
export function fileCategory(name: string): FileCategory {
	return CATEGORY_BY_EXTENSION.get(fileExtension(name)) ?? 'other';
}

/** The fields of a simplified item, as the Simplify option's description lists them. */
export const SIMPLIFIED_FIELDS =
	'name, path_display, path_lower, id, type, size, client_modified, server_modified, content_hash, rev, extension, category';

/**
 * The flat, same-shaped item a workflow wants from a Dropbox entry: name, path_display and
 * path_lower (Dropbox's own names, so {{ $json.path_display }} works after any Dropbox step;
 * `path` is kept as the same value as path_display), type, size, modified times, content hash,
 * ID, revision, extension and category. Fields a kind of entry lacks (a folder's size, a deleted
 * entry's ID) are null, so every item has the same columns.
 */
export function simplifyEntry(entry: DropboxEntry): IDataObject {
	const type = entry['.tag'];
	const isFile = type === 'file';
	return {
		name: entry.name,
		path_display: entry.path_display ?? entry.path_lower ?? null,
		path_lower: entry.path_lower ?? entry.path_display?.toLowerCase() ?? null,
		path: entry.path_display ?? entry.path_lower ?? null,
		type,
		size: isFile ? (entry.size ?? null) : null,
		client_modified: entry.client_modified ?? null,
		server_modified: entry.server_modified ?? null,
		content_hash: entry.content_hash ?? null,
		id: entry.id ?? null,
		rev: entry.rev ?? null,
		extension: isFile ? fileExtension(entry.name) || null : null,
		category: type === 'folder' ? 'folder' : isFile ? fileCategory(entry.name) : null,
	};
}

/** Dropbox's metadata fields: replaced by the simplified columns; any other field of an item is kept. */
const RAW_METADATA_KEYS = new Set([
	'.tag',
	'name',
	'path_lower',
	'path_display',
	'id',
	'rev',
	'size',
	'client_modified',
	'server_modified',
	'content_hash',
	'is_downloadable',
	'property_groups',
	'has_explicit_shared_members',
	'sharing_info',
	'file_lock_info',
	'export_info',
	'preview_url',
	'media_info',
	'symlink_info',
	'parent_shared_folder_id',
]);

/**
 * An item that carries a file's or folder's metadata (Download, Upload, Get, Copy, Move, the
 * triggers), with the same columns as List's simplified items. What the node added besides the
 * metadata (a trigger's event, a temporary link, an export's hash) is kept; the event and its eventId first.
 */
export function simplifyMetadataItem(json: IDataObject, tag: 'file' | 'folder' = 'file'): IDataObject {
	const entry = { ...json, '.tag': (json['.tag'] as DropboxEntry['.tag'] | undefined) ?? tag } as DropboxEntry;
	const added = Object.fromEntries(Object.entries(json).filter(([key]) => !RAW_METADATA_KEYS.has(key)));
	const { event, eventId, ...rest } = added;
	return { ...(event === undefined ? {} : { event }), ...(eventId === undefined ? {} : { eventId }), ...simplifyEntry(entry), ...rest };
}

function tagOf(value: unknown): string | null {
	const tag = (value as IDataObject | undefined)?.['.tag'];
	return typeof tag === 'string' ? tag : null;
}

/**
 * A shared link, flat: the link, what it points at (same path and ID names as every other
 * item), and its settings as Dropbox resolved them, instead of the nested link_permissions.
 */
export function simplifySharedLink(link: IDataObject): IDataObject {
	const permissions = (link.link_permissions ?? {}) as IDataObject;
	const pathLower = typeof link.path_lower === 'string' ? link.path_lower : null;
	return {
		url: link.url ?? null,
		name: link.name ?? null,
		path_display: (link.path_display as string | undefined) ?? pathLower,
		path_lower: pathLower,
		id: link.id ?? null,
		type: tagOf(link),
		expires: link.expires ?? null,
		visibility: tagOf(permissions.resolved_visibility) ?? tagOf(permissions.effective_audience),
		access_level: tagOf(permissions.link_access_level),
		allow_download: typeof permissions.allow_download === 'boolean' ? permissions.allow_download : null,
		requires_password:
			typeof permissions.require_password === 'boolean'
				? permissions.require_password
				: (tagOf(permissions.resolved_visibility)?.includes('password') ?? null),
	};
}

export const FILE_REQUEST_FIELDS = 'id, url, title, destination, is_open, file_count, created, deadline, allow_late_uploads, description';

/** A FileRequest flat: the deadline and its grace period as plain values (null when unset). */
export function simplifyFileRequest(request: IDataObject): IDataObject {
	const deadline = (request.deadline ?? null) as IDataObject | null;
	return {
		id: request.id ?? null,
		url: request.url ?? null,
		title: request.title ?? null,
		destination: request.destination ?? null,
		is_open: request.is_open ?? null,
		file_count: request.file_count ?? null,
		created: request.created ?? null,
		deadline: deadline?.deadline ?? null,
		allow_late_uploads: tagOf(deadline?.allow_late_uploads),
		description: request.description ?? null,
	};
}
