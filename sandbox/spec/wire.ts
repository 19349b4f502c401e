/**
 * Dropbox's wire rules that do not depend on state: which Content-Type each route style takes,
 * which host serves a route, how arguments decode. Each check answers the text of Dropbox's 400
 * (after `Error in call to API function "…": `), or undefined when the request passes. The
 * emulator answers with them; the unit tests' wire-contract check applies them to every request
 * the node hands to n8n.
 */
import { apiSpec, SpecValidationError, type SpecRoute, type Style } from './api';

/** The Content-Types Dropbox accepts per route style ("" = no header). */
export const ACCEPTED_CONTENT_TYPES: Record<Style, readonly string[]> = {
	rpc: ['application/json', 'application/json; charset=utf-8', 'text/plain; charset=dropbox-cors-hack'],
	upload: ['application/octet-stream', 'text/plain; charset=dropbox-cors-hack'],
	download: ['', 'text/plain', 'text/plain; charset=utf-8', 'application/octet-stream', 'application/octet-stream; charset=utf-8'],
};

export function normalizeContentType(raw: string | undefined): string {
	return (raw ?? '').toLowerCase().trim().replace(/\s*;\s*/g, '; ');
}

/** A Content-Type the route style does not take (an RPC without a body may have none). */
export function contentTypeError(style: Style, contentType: string, emptyBody: boolean): string | undefined {
	const accepted = ACCEPTED_CONTENT_TYPES[style];
	if (accepted.includes(contentType) || (style === 'rpc' && contentType === '' && emptyBody)) return undefined;
	const expecting = accepted.filter(Boolean).map((t) => `"${t}"`).join(', ');
	return `Bad HTTP "Content-Type" header: "${contentType}".  Expecting one of ${expecting}.`;
}

/** A request sent to a Dropbox host (`api`, `content`, `notify`) other than its route's. */
export function hostError(spec: SpecRoute, host: string | undefined): string | undefined {
	if (!host || host === spec.host) return undefined;
	return `This API function must be called on ${spec.host}.dropboxapi.com, not ${host}.dropboxapi.com.`;
}

/** Where the argument travels, as Dropbox names it in its messages. */
export const ARG_IN_BODY = 'request body';
export const ARG_IN_HEADER = 'HTTP header "Dropbox-API-Arg"';

/**
 * The argument's text (`undefined` for an empty body), decoded and checked against the route's
 * argument type: unknown fields and tags, missing fields, types, patterns and bounds.
 */
export function argumentError(spec: SpecRoute, text: string | undefined, where: string): string | undefined {
	if (text === undefined || text === '') {
		if (where === ARG_IN_BODY && apiSpec().acceptsNothing(spec.arg, spec.namespace)) return undefined;
		return `${where}: could not decode input as JSON`;
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return `${where}: could not decode input as JSON`;
	}
	try {
		apiSpec().validate(value, spec.arg, spec.namespace);
	} catch (e) {
		if (e instanceof SpecValidationError) return `${where}: ${e.message}`;
		throw e;
	}
	return undefined;
}
