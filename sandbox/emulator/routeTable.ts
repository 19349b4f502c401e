/**
 * The route table: every endpoint of the emulator, one row each — the Dropbox API routes (/2/<route>),
 * OAuth, temporary and shared links, and the admin API. `server.ts` finds a request's row here and
 * nothing else; a route's host, style, auth and scope come from Dropbox's spec (sandbox/spec).
 */
import { apiSpec } from '../spec/api';
import * as admin from './admin';
import { apiCall, unknownApiFunction } from './apiCall';
import type { Json } from './errors';
import { rebasePaths } from './paths';
import * as account from './routes/account';
import { checkJob, complete } from './routes/asyncJobs';
import * as createFolder from './routes/createFolder';
import * as downloads from './routes/downloads';
import * as fileRequests from './routes/fileRequests';
import * as listing from './routes/listing';
import * as locks from './routes/locks';
import * as metadata from './routes/metadata';
import * as oauth from './routes/oauth';
import * as paper from './routes/paper';
import * as previews from './routes/previews';
import * as relocation from './routes/relocation';
import * as revisions from './routes/revisions';
import * as saveUrl from './routes/saveUrl';
import * as search from './routes/search';
import * as sharing from './routes/sharing';
import * as tags from './routes/tags';
import * as thumbnails from './routes/thumbnails';
import type { DownloadResult, Endpoint, RouteDef, RouteTable } from './routes/types';
import * as upload from './routes/upload';

/** The Dropbox API routes the emulator answers, by name (each one a route of Dropbox's spec). */
export function apiRoutes(): RouteTable {
	const handlers: Record<string, RouteDef['handler']> = {
		'files/get_metadata': metadata.getMetadata,
		'files/list_folder': listing.listFolder,
		'files/list_folder/continue': listing.listFolderContinue,
		'files/list_folder/get_latest_cursor': listing.latestCursor,
		'files/list_folder/longpoll': listing.longpoll,
		'files/create_folder_v2': createFolder.createFolderV2,
		'files/create_folder_batch': createFolder.createFolderBatch,
		'files/create_folder_batch/check': checkJob('create_folder_batch', complete),
		'files/delete_v2': relocation.deleteV2,
		'files/copy_v2': relocation.relocateV2('copy'),
		'files/move_v2': relocation.relocateV2('move'),
		'files/copy_batch_v2': relocation.relocationBatch('copy'),
		'files/copy_batch/check_v2': checkJob('copy_batch', complete),
		'files/move_batch_v2': relocation.relocationBatch('move'),
		'files/move_batch/check_v2': checkJob('move_batch', complete),
		'files/delete_batch': relocation.deleteBatch,
		'files/delete_batch/check': checkJob('delete_batch', complete),
		'files/tags/add': tags.addTag,
		'files/tags/remove': tags.removeTag,
		'files/tags/get': tags.getTags,
		'files/lock_file_batch': locks.lockBatch('lock'),
		'files/unlock_file_batch': locks.lockBatch('unlock'),
		'files/get_file_lock_batch': locks.lockBatch('get'),
		'files/search_v2': search.searchV2,
		'files/search/continue_v2': search.searchContinue,
		'files/download': downloads.download,
		'files/download_zip': downloads.downloadZip,
		'files/export': downloads.exportFile,
		'files/get_temporary_link': downloads.getTemporaryLink,
		'files/get_thumbnail_v2': thumbnails.getThumbnailV2,
		'files/get_thumbnail_batch': thumbnails.getThumbnailBatch,
		'files/get_preview': previews.getPreview,
		'files/paper/create': paper.paperCreate,
		'files/paper/update': paper.paperUpdate,
		'files/list_revisions': revisions.listRevisions,
		'files/restore': revisions.restore,
		'files/save_url': saveUrl.saveUrl,
		'files/save_url/check_job_status': checkJob('save_url', complete),
		'files/upload': upload.upload,
		'files/upload_session/start': upload.start,
		'files/upload_session/append_v2': upload.appendV2,
		'files/upload_session/append': upload.appendV1,
		'files/upload_session/finish': upload.finish,
		'files/upload_session/finish_batch_v2': upload.finishBatchV2,
		'files/upload_session/finish_batch': upload.finishBatchV1,
		'files/upload_session/finish_batch/check': upload.finishBatchCheck,
		'sharing/create_shared_link_with_settings': sharing.createLink,
		'sharing/list_shared_links': sharing.listLinks,
		'sharing/get_shared_link_metadata': sharing.getLinkMetadata,
		'sharing/revoke_shared_link': sharing.revokeLink,
		'sharing/modify_shared_link_settings': sharing.modifyLink,
		'sharing/get_shared_link_file': sharing.getLinkFile,
		'file_requests/create': fileRequests.create,
		'file_requests/get': fileRequests.get,
		'file_requests/list_v2': fileRequests.listV2,
		'file_requests/list': fileRequests.listAll,
		'file_requests/list/continue': fileRequests.listContinue,
		'file_requests/update': fileRequests.update,
		'file_requests/delete': fileRequests.remove,
		'file_requests/delete_all_closed': fileRequests.deleteAllClosed,
		'file_requests/count': fileRequests.count,
		'users/get_current_account': account.currentAccount,
		'users/get_space_usage': account.spaceUsage,
		'users/get_account': account.getAccount,
		'auth/token/revoke': account.revokeToken,
	};
	const table: RouteTable = {};
	for (const [name, handler] of Object.entries(handlers)) table[name] = withMountedPaths(name, { handler });
	return table;
}

/** A route answers paths relative to a shared folder when the Path-Root header names one (ctx.mount). */
function withMountedPaths(name: string, def: RouteDef): RouteDef {
	const download = apiSpec().route(name)?.style === 'download';
	return {
		...def,
		handler: async (ctx) => {
			const result = await def.handler(ctx);
			const mount = ctx.mount;
			if (!mount || result === undefined) return result;
			if (download) {
				const d = result as DownloadResult;
				return { ...d, meta: rebasePaths(d.meta, mount) };
			}
			return rebasePaths(result as Json, mount);
		},
	};
}

const adminRow = (method: 'GET' | 'POST', name: string, action: admin.AdminAction): Endpoint => ({ method, path: '/__admin/' + name, slash: true, handler: admin.adminEndpoint(action) });

/** Every endpoint, in the order a request is matched: exact paths before the prefixes that catch the rest. */
export function routeTable(routes: RouteTable): Endpoint[] {
	const api: Endpoint[] = [];
	for (const [name, def] of Object.entries(routes)) {
		const spec = apiSpec().route(name);
		if (spec) api.push({ path: '/2/' + name, handler: apiCall(name, def, spec) });
	}
	return [
		...api,
		{ path: '/2/', prefix: true, handler: unknownApiFunction },

		{ path: '/oauth2/authorize', slash: true, handler: oauth.authorize },
		{ path: '/oauth2/token', handler: oauth.token },
		{ path: '/__content/', prefix: true, handler: downloads.serveTempLink },
		{ path: '/scl/fi/', prefix: true, handler: sharing.serveSharedLink },

		adminRow('GET', 'state', admin.state),
		adminRow('GET', 'info', admin.state),
		adminRow('POST', 'reset', admin.reset),
		adminRow('POST', 'state/save', admin.saveState),
		adminRow('GET', 'calls', admin.calls),
		adminRow('POST', 'calls/reset', admin.resetCalls),
		adminRow('GET', 'faults', admin.faults),
		adminRow('POST', 'faults', admin.setFaults),
		adminRow('POST', 'cursors/expire', admin.expireCursors),
		adminRow('GET', 'longpolls', admin.longpolls),
		adminRow('POST', 'longpolls', admin.setLongpolls),
		adminRow('POST', 'expire-tokens', admin.expireTokens),
		adminRow('POST', 'tokens', admin.issueToken),
		adminRow('POST', 'accounts', admin.addAccount),
		adminRow('POST', 'accounts/suspend', admin.suspendAccount),
		adminRow('POST', 'apps', admin.setApp),
		adminRow('POST', 'webhook', admin.setApp),
		adminRow('POST', 'webhook/verify', admin.verifyWebhook),
		adminRow('POST', 'webhook/notify', admin.notifyWebhook),
		adminRow('GET', 'webhook/deliveries', admin.webhookDeliveries),
		adminRow('POST', 'seed', admin.seed),
		adminRow('GET', 'files', admin.files),
		adminRow('POST', 'locks', admin.lockAsOther),
		{ path: '/__admin/', prefix: true, handler: admin.unknownAdminRoute },
	];
}
