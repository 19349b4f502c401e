import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { dropboxErrorInfo, dropboxRpc } from './transport';
import { joinPath } from './paths';

/**
 * A path for the routes whose argument is a path and never an ID: `files/restore` (WritePath: a
 * path or `ns:`) and `files/save_url` (Path: a path only), in files.stone. Dropbox refuses `id:`
 * there with a 400, so an `id:…` or `id:…/rest` reference is first turned into its path through
 * `files/get_metadata`; `ns:` is refused before any call where the route does not take it.
 */
export async function pathForPathOnlyRoute(
	ctx: IExecuteFunctions,
	reference: string,
	call: { route: string; operation: string; field: string; itemIndex: number; allowNamespace: boolean },
): Promise<string> {
	const { itemIndex, field, operation } = call;
	if (reference.startsWith('ns:') && !call.allowNamespace) {
		throw new NodeOperationError(ctx.getNode(), `The ${field} "${reference}" is a namespace reference, which ${operation} does not take`, {
			itemIndex,
			description: `Dropbox's ${call.route} takes a path from the root of the credential's Space, such as /Downloads/report.pdf.`,
		});
	}
	if (!reference.startsWith('id:')) return reference;
	const slash = reference.indexOf('/');
	const id = slash === -1 ? reference : reference.slice(0, slash);
	const rest = slash === -1 ? '' : reference.slice(slash + 1);
	const looked = await dropboxRpc(ctx, 'files/get_metadata', { path: id }, { path: id, itemIndex }).then(
		(metadata: IDataObject) => ({ metadata }),
		(error: unknown) => ({ error }),
	);
	if ('error' in looked) {
		if (dropboxErrorInfo(looked.error)?.dropboxTag.startsWith('path/not_found')) {
			throw new NodeOperationError(ctx.getNode(), `The ${field} "${reference}" is an ID Dropbox finds no file or folder for`, {
				itemIndex,
				description: `Dropbox's ${call.route} takes a path, not an ID, so the node looks the ID up first, and nothing has that ID now (a deleted file is found only by its path): give the path instead.`,
			});
		}
		// the transport's NodeApiError (tag, path, hint): passed on as is
		throw looked.error;
	}
	const { metadata } = looked;
	const path = String(metadata.path_display ?? metadata.path_lower ?? '');
	if (!path.startsWith('/')) {
		throw new NodeOperationError(ctx.getNode(), `The ${field} "${reference}" has no path Dropbox tells`, {
			itemIndex,
			description: `Dropbox's ${call.route} takes a path, not an ID: give the path instead.`,
		});
	}
	return rest === '' ? path : joinPath(path, rest);
}
