/** Errors as Dropbox answers them. Throw these from handlers; the server turns them into responses. */
import { HttpError } from './http';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };

export class ApiError extends HttpError {
	constructor(
		status: number,
		public body: Json | string,
		headers: Record<string, string> = {},
	) {
		super(status, body, headers);
	}
}

/** Builds `error_summary` like Dropbox: the chain of tags joined by "/" plus trailing dots. */
export function errorSummary(err: Json | undefined): string {
	const parts: string[] = [];
	let cur: Json | undefined = err;
	for (let depth = 0; cur && typeof cur === 'object' && !Array.isArray(cur) && depth < 8; depth++) {
		const tag = (cur as Record<string, Json>)['.tag'];
		if (typeof tag !== 'string') break;
		parts.push(tag);
		const nested = (cur as Record<string, Json>)[tag];
		if (nested && typeof nested === 'object' && !Array.isArray(nested) && '.tag' in nested) cur = nested;
		else if ((cur as Record<string, Json>).reason && typeof (cur as Record<string, Json>).reason === 'object')
			cur = (cur as Record<string, Json>).reason;
		else break;
	}
	return parts.join('/') + '/' + '.'.repeat(2 + Math.floor(Math.random() * 2));
}

/** 409 route error with a union value. */
export function routeError(error: Json, userMessage?: string): ApiError {
	const body: Record<string, Json> = { error_summary: errorSummary(error), error };
	if (userMessage) body.user_message = { locale: 'en', text: userMessage };
	return new ApiError(409, body);
}

/** 400 plain-text error, like Dropbox: `Error in call to API function "ns/route": ...`. */
export function badRequest(route: string, message: string): ApiError {
	return new ApiError(400, route ? `Error in call to API function "${route}": ${message}` : message);
}

export function authError(tag: string, extra: Record<string, Json> = {}): ApiError {
	const error: Record<string, Json> = { '.tag': tag, ...extra };
	return new ApiError(401, { error_summary: errorSummary(error), error });
}

/** LookupError helpers, nested under a member name (e.g. "path"). */
export const lookup = (member: string, tag: string, extra: Record<string, Json> = {}): Json => ({
	'.tag': member,
	[member]: { '.tag': tag, ...extra },
});

export const notFound = (member = 'path'): ApiError => routeError(lookup(member, 'not_found'));
export const malformed = (member = 'path'): ApiError => routeError(lookup(member, 'malformed_path'));
