import type { JsonObject } from 'n8n-workflow';

import type { HttpFailure } from './httpFailure';
import { dotted, HTML_PREVIEW_EXTENSIONS, PDF_PREVIEW_EXTENSIONS, THUMBNAIL_EXTENSIONS } from '../previewFormats';
import { redactSecrets } from './redact';

/** Where a failed call came from, so the message can name it. */
export interface CallContext {
	route: string;
	/** The Dropbox path (or URL, ID) the call was about. */
	path?: string;
	itemIndex?: number;
	/** Attempts made before giving up, when retries ran out. */
	attempts?: number;
	/** An earlier attempt got no answer (connection lost): Dropbox may have done it already. */
	uncertain?: boolean;
}

type Dict = Record<string, unknown>;

/**
 * The chain of union tags in a Dropbox error, outermost first: `path/not_found`,
 * `path/conflict/file`, `lookup_failed/incorrect_offset`. A member whose type is a union is
 * nested under a key named like the member; `reason` holds it for upload write failures.
 */
export function dropboxErrorTags(error: unknown): string[] {
	const tags: string[] = [];
	let node = error as Dict | undefined;
	while (node && typeof node === 'object' && typeof node['.tag'] === 'string' && tags.length < 6) {
		const tag = node['.tag'] as string;
		tags.push(tag);
		const nested = node[tag] as Dict | undefined;
		// Upload write failures: `reason` flattened next to `.tag`, or (as some clients send it) inside the member
		const reason = (node.reason ?? (nested && typeof nested === 'object' ? nested.reason : undefined)) as Dict | undefined;
		if (nested && typeof nested === 'object' && typeof nested['.tag'] === 'string') node = nested;
		else if (reason && typeof reason === 'object' && typeof reason['.tag'] === 'string') node = reason;
		else node = undefined;
	}
	return tags;
}

const HINTS_409: Record<string, (where: string, route: string) => string> = {
	not_found: (where) =>
		`Nothing exists at ${where}. Check the path: Dropbox paths start with "/" and are relative to the credential's Space.`,
	conflict: (where) =>
		`Something already exists at ${where}. Choose Mode "Overwrite", turn on "Autorename", or pick another name.`,
	insufficient_space: () => 'The Dropbox account is full. Free some space or upgrade the plan, then run again.',
	malformed_path: (where) =>
		`Dropbox cannot read the path ${where}. Start it with "/", and end it without "/" or spaces.`,
	disallowed_name: (where) => `Dropbox does not allow the name in ${where}. Rename it.`,
	no_write_permission: (where) =>
		`This account may not write at ${where}. Check the folder's sharing permissions or the app's access type (App folder apps only reach /Apps/<app>).`,
	not_file: (where) => `${where} is a folder, not a file. Use a Folder operation or point at a file.`,
	not_folder: (where) => `${where} is a file, not a folder. Use a File operation or point at a folder.`,
	restricted_content: (where) => `Dropbox restricts the content at ${where} (for example a copyright claim).`,
	too_many_files: () => 'The operation involves too many files for one call. Work on smaller folders.',
	too_many_write_operations: () =>
		'Dropbox saw too many writes at once in this namespace and retries ran out. Lower the batch size or the parallelism.',
	unsupported_file: (where) =>
		`${where} cannot be downloaded as is (a Paper doc or a Google file). Use the Export format option.`,
	shared_link_already_exists: (where) =>
		`A shared link already exists for ${where}. Set "If a Link Exists" to return or update it.`,
	shared_link_not_found: (where) => `No shared link ${where} exists (it may have been revoked).`,
	shared_link_access_denied: () => 'This account may not use that shared link.',
	email_not_verified: () => 'Dropbox needs the account e-mail address verified first. Verify it in Dropbox and run again.',
	cant_move_folder_into_itself: (where) => `A folder cannot be moved into itself (${where}).`,
	cant_copy_shared_folder: (where) => `Dropbox cannot copy the shared folder ${where}.`,
	cant_nest_shared_folder: (where) => `Dropbox cannot put a shared folder inside another shared folder (${where}).`,
	duplicated_or_nested_paths: () => 'Two entries of the same batch name the same path, or one inside another.',
	invalid_revision: (where) => `Dropbox knows no such revision for ${where}. Take one from List Revisions.`,
	locked: (where) =>
		`${where} is locked in Dropbox by someone else: only the lock holder (or a team admin) can move, delete or change it. File → Get Lock State shows the holder: ask them to unlock it, or try later.`,
	lock_conflict: (where) =>
		`${where} is locked by someone else (lock_holder_account_id in the error). Only the lock holder (or a team admin) can unlock it: ask them, or try later.`,
	cannot_be_locked: (where) => `${where} cannot be locked: Dropbox locks files only, not folders.`,
	file_not_shared: (where) =>
		`Dropbox locks only files in a shared folder (${where} is not shared). Share its folder first, or skip locking for it.`,
	too_many_tags: (where) =>
		`${where} already has 20 tags, the most Dropbox allows on one item. Remove some with Tag → Remove, then add again.`,
	not_a_folder: (where) => `${where} is a file, not a folder: a file request sends files to a folder. Give a folder's path (Dropbox creates it when it does not exist).`,
	invalid_location: (where) => `Dropbox takes no file requests into ${where} (the root, or a folder where file requests are not available). Give a folder inside it.`,
	validation_error: (where) =>
		`Dropbox refused the file request's values for ${where}: a title that is empty, a deadline in the past, or characters Dropbox does not allow in the destination path. Check them.`,
	file_request_open: (where) =>
		`The file request ${where} is still open, and Dropbox deletes only closed ones. Close it first (File Request → Update → Open off), then delete it.`,
	email_unverified: (_where, route) =>
		`Dropbox allows ${route.startsWith('file_requests/') ? 'file requests' : 'Paper docs'} only once the account e-mail address is verified. Verify it in Dropbox and run again.`,
	disabled_for_team: () => "The Dropbox team of this account does not allow file requests. A team admin can turn them on in the Admin Console.",
	app_lacks_access: (where) => `The app cannot reach the file request ${where}: App-folder apps see only requests into their app folder.`,
	tag_not_present: (where) =>
		`${where} does not have that tag. Check the spelling (tags are lowercase), or turn on "Ignore Missing Tags".`,
	unsupported_extension: (where, route) =>
		route === 'files/get_preview'
			? `Dropbox makes no preview of ${where}'s kind of file. It previews ${dotted(PDF_PREVIEW_EXTENSIONS)} (as PDF) and ${dotted(HTML_PREVIEW_EXTENSIONS)} (as HTML): use Download for other files.`
			: `Dropbox makes no thumbnail of ${where}'s kind of file. It makes thumbnails of ${dotted(THUMBNAIL_EXTENSIONS)} images: leave other files out (e.g. filter by extension first), or turn on Continue On Fail.`,
	unsupported_image: (where) =>
		`Dropbox cannot make a thumbnail of ${where}: the file is not a readable image, or is over 20 MB (Dropbox's limit for thumbnails).`,
	conversion_error: (where) => `Dropbox failed to convert ${where} (a damaged or unusual image). Check the file, or run again later.`,
	encrypted_content: (where) => `${where} is encrypted: Dropbox cannot make a thumbnail of it.`,
	unsupported_content: (where) => `Dropbox cannot read the content of ${where} for a preview (a damaged file, or not what its extension says).`,
	in_progress: (where) => `Dropbox is still making the preview of ${where}. Run the step again in a moment.`,
	unsupported_content_type: (where) => `${where} is not a Paper doc. Point at a .paper file (Paper Doc → Create makes one).`,
	invalid_file_extension: (where) => `A Paper doc's path must end in .paper (${where} does not).`,
	invalid_path: (where) => `Dropbox cannot create a doc at ${where}: check that the folders on the way are folders, not files, and that the name is allowed.`,
	revision_mismatch: (where) =>
		`${where} has changed since the Paper Revision given. Take the current paper_revision (the output of the last Create or Update, or Download with Export Format Markdown: export_metadata.paper_revision), or set Update Policy to Replace (overwrite), which does not check it.`,
	doc_archived: (where) => `${where} is archived in Dropbox Paper. Unarchive it in Paper, then run again.`,
	doc_deleted: (where) => `${where} was deleted. Restore it in Dropbox, or create a new doc.`,
	content_malformed: () => 'Dropbox could not import the content: check that it is UTF-8 text in the Import Format chosen.',
	doc_length_exceeded: () => 'The Paper doc would be too large. Split the content into several docs.',
	image_size_exceeded: () => 'The content holds an image over 1 MB (HTML with a data: URI): make it smaller or link to it.',
	paper_disabled: () => "Paper is disabled for this Dropbox team. A team admin can turn it on in the Admin Console.",
	insufficient_permissions: () => 'This Dropbox account may not edit Paper docs.',
};

const fileRequestNotFound = (where: string): string =>
	`No file request ${where} exists for this account (deleted, or made by another account). Take the ID from File Request → List.`;

function messageFor401(failure: HttpFailure, tags: string[]): [string, string] {
	const error = failure.json?.error as Dict | undefined;
	switch (tags[0]) {
		case 'missing_scope': {
			const scope = typeof error?.required_scope === 'string' ? error.required_scope : 'the missing scope';
			return [
				`The Dropbox app lacks the permission "${scope}"`,
				`Enable "${scope}" in the Dropbox App Console (your app → Permissions → tick it → Submit), then reconnect the credential so the new permission is granted.`,
			];
		}
		case 'expired_access_token':
			return [
				'The Dropbox access token expired and could not be renewed',
				'Reconnect the credential. For the Refresh Token credential, check that the refresh token is still valid.',
			];
		case 'user_suspended':
			return [
				'The Dropbox account is suspended',
				'Dropbox has disabled this account; this is not a problem with n8n or with the credential, and reconnecting it does not help. The account owner must contact Dropbox support to lift the suspension (for a member of a Dropbox team, a team admin must reactivate the member in the Admin Console), then run the workflow again.',
			];
		case 'route_access_denied':
			return [
				'This Dropbox app may not use this part of the API',
				'Check the app type in the App Console (scoped access) and the account type (team or personal).',
			];
		default:
			return [
				`Dropbox rejected the credential${tags[0] ? ` (${tags[0]})` : ''}`,
				'Reconnect the credential: for OAuth2 click "Reconnect", for the Refresh Token credential create a new refresh token.',
			];
	}
}

function rootInfoHint(failure: HttpFailure): string {
	const error = failure.json?.error as Dict | undefined;
	const rootInfo = (error?.root_info ?? (error?.invalid_root as Dict | undefined)) as Dict | undefined;
	const ns = rootInfo?.root_namespace_id;
	return typeof ns === 'string'
		? ` This account's team space root is namespace ${ns}.`
		: '';
}

/** A user-facing message and description for any failed call. Never contains secrets. */
export function describeFailure(failure: HttpFailure, call: CallContext): { message: string; description: string; tags: string[] } {
	const tags = dropboxErrorTags(failure.json?.error);
	const where = call.path !== undefined && call.path !== '' ? `"${call.path}"` : 'that path';
	const tried = call.attempts && call.attempts > 1 ? ` (gave up after ${call.attempts} attempts)` : '';
	let message: string;
	let description: string;
	const status = failure.status;
	if (status === undefined && failure.networkCode === undefined) {
		message = `The Dropbox request to ${call.route} failed: ${failure.text || 'unknown error'}`;
		// n8n's own error when an OAuth2 token cannot be renewed (refresh token revoked)
		description = /needs to be reconnected/i.test(failure.text)
			? 'Dropbox no longer accepts the refresh token (revoked, or the app\'s access was removed): open the credential in n8n and click "Reconnect".'
			: 'See the message above. If it persists, report it with the workflow.';
	} else if (status === undefined) {
		message = `Could not reach Dropbox (${failure.networkCode})${tried}`;
		description = "Check n8n's network and proxy settings, then run again.";
	} else if (status === 400) {
		message = `Dropbox rejected the request to ${call.route} as malformed`;
		description = `${failure.text.trim() || 'Bad request.'} Check the values of this step's fields.`;
	} else if (status === 401) {
		[message, description] = messageFor401(failure, tags);
	} else if (status === 403) {
		message = `Dropbox denied access${tags.length ? ` (${tags.join('/')})` : ''}`;
		description = `This account may not do this at ${where}. Check its sharing permissions and the app's access type.`;
	} else if (status === 409) {
		const leaf = [...tags].reverse().find((tag) => HINTS_409[tag]);
		// plain words first, Dropbox's tag after: "Not found in Dropbox (path/not_found at "/x")"
		message = tags.includes('not_found')
			? `Not found in Dropbox (${tags.join('/')} at ${where})`
			: `Dropbox: ${tags.join('/') || 'conflict'} at ${where}`;
		// file_requests/* name a request by ID: their not_found is no path's
		const hint = leaf === 'not_found' && call.route.startsWith('file_requests/') ? fileRequestNotFound : leaf ? HINTS_409[leaf] : undefined;
		description = hint
			? hint(where, call.route)
			: String((failure.json?.user_message as Dict | undefined)?.text ?? failure.json?.error_summary ?? 'See the Dropbox error tag.');
	} else if (status === 422) {
		message = `The credential's Space does not match this Dropbox account${tags.length ? ` (${tags.join('/')})` : ''}`;
		description = `Edit the credential: set Space to "Home", or to "Team Space Root" with the right namespace ID.${rootInfoHint(failure)}`;
	} else if (status === 429) {
		message = `Dropbox kept rate-limiting the requests (${tags[0] ?? 'too_many_requests'})${tried}`;
		description = 'Lower the batch size, add a Wait between runs, or run the workflow less often.';
	} else if (status >= 500) {
		message = `Dropbox had a server error (HTTP ${status})${tried}`;
		description = 'Dropbox is having trouble. Run the workflow again later.';
	} else {
		message = `Dropbox answered HTTP ${status} to ${call.route}`;
		description = failure.text.trim() || 'Unexpected answer.';
	}
	return { message: redactSecrets(message), description: redactSecrets(description), tags };
}

/** What a Dropbox failure carries in `error.context`, for error items and callers. */
export interface DropboxErrorInfo {
	dropboxTag: string;
	dropboxPath?: string;
	dropboxStatus?: number;
	/** The Dropbox error union (`error` of the JSON body), for callers that switch on it (e.g. `correct_offset`). */
	dropboxError?: Record<string, unknown>;
	/** True when an earlier attempt of the call got no answer, so Dropbox may already have done it. */
	dropboxUncertain?: boolean;
}

/**
 * The arguments of the NodeApiError for a failed call, plus the Dropbox tag, path and status
 * to put in its `context`. Only our own sanitised summary is passed on: never the original
 * HTTP error, whose request carries the Authorization header.
 */
export function dropboxErrorParts(failure: HttpFailure, call: CallContext) {
	const { message, description, tags } = describeFailure(failure, call);
	const tag = tags.join('/') || (failure.networkCode ?? '');
	const response: JsonObject = {
		message,
		route: call.route,
		status: failure.status ?? null,
		tag,
		...(call.path !== undefined ? { path: call.path } : {}),
	};
	const union = failure.json?.error;
	const context: DropboxErrorInfo = {
		dropboxTag: tag,
		dropboxPath: call.path,
		dropboxStatus: failure.status,
		...(union !== null && typeof union === 'object' && !Array.isArray(union) ? { dropboxError: union as Record<string, unknown> } : {}),
		...(call.uncertain ? { dropboxUncertain: true } : {}),
	};
	return {
		response,
		options: {
			message,
			description,
			httpCode: failure.status !== undefined ? String(failure.status) : undefined,
			itemIndex: call.itemIndex,
		},
		context,
	};
}

/**
 * Whether a call failed with a route error (HTTP 409): Dropbox refused what was asked, e.g. one
 * path of a list that has nothing there — not the connection, the token or the rate.
 */
export function isRouteError(error: unknown): boolean {
	return dropboxErrorInfo(error)?.dropboxStatus === 409;
}

/** The Dropbox tag, path and status of an error thrown by the transport, if it is one. */
export function dropboxErrorInfo(error: unknown): DropboxErrorInfo | undefined {
	const context = (error as { context?: Record<string, unknown> } | undefined)?.context;
	if (!context || typeof context.dropboxTag !== 'string') return undefined;
	return {
		dropboxTag: context.dropboxTag,
		dropboxPath: typeof context.dropboxPath === 'string' ? context.dropboxPath : undefined,
		dropboxStatus: typeof context.dropboxStatus === 'number' ? context.dropboxStatus : undefined,
		...(context.dropboxError !== null && typeof context.dropboxError === 'object'
			? { dropboxError: context.dropboxError as Record<string, unknown> }
			: {}),
		...(context.dropboxUncertain === true ? { dropboxUncertain: true } : {}),
	};
}
