import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { checkDropboxTime, fieldError, required } from '../../../shared/fieldChecks';

/**
 * The shared link a field holds, checked to be a web address before any call, e.g.
 * https://www.dropbox.com/scl/fi/abc123/report.pdf?rlkey=…&dl=0.
 */
export function readSharedLinkUrl(ctx: IExecuteFunctions, itemIndex: number, parameter = 'url'): string {
	const raw = ctx.getNodeParameter(parameter, itemIndex, '') as unknown;
	const url = typeof raw === 'string' ? raw.trim() : '';
	let parsed: URL | undefined;
	try {
		parsed = url ? new URL(url) : undefined;
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
		throw new NodeOperationError(ctx.getNode(), `The Shared Link "${String(raw ?? '')}" is not a web address`, {
			itemIndex,
			description: 'Paste the whole link, such as https://www.dropbox.com/scl/fi/abc123/report.pdf?rlkey=xyz&dl=0, or use {{ $json.url }}.',
		});
	}
	return url;
}

/**
 * The `settings` of a shared link from the node's Settings collection: audience, password,
 * expiry, access level and download permission. Only what the user set is sent.
 */
export function readLinkSettings(ctx: IExecuteFunctions, itemIndex: number, now = new Date()): IDataObject {
	const input = ctx.getNodeParameter('settings', itemIndex, {}) as IDataObject;
	const settings: IDataObject = {};
	if (input.audience) settings.audience = input.audience;
	if (typeof input.password === 'string' && input.password !== '') {
		settings.require_password = true;
		settings.link_password = input.password;
	}
	if (input.expires !== undefined && input.expires !== null && input.expires !== '') {
		// the package's one date rule (nodes/shared/dates.ts): without a time zone, UTC
		const expires = required(ctx, itemIndex, 'Expires setting', checkDropboxTime(input.expires));
		if (Date.parse(expires) <= now.getTime()) {
			throw fieldError(ctx, itemIndex, 'Expires setting', `"${String(input.expires)}" is in the past`, 'A link must expire in the future: pick a later date.');
		}
		settings.expires = expires;
	}
	if (input.access) settings.access = input.access;
	if (typeof input.allowDownload === 'boolean') settings.allow_download = input.allowDownload;
	return settings;
}
