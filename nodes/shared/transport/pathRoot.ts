import { headerSafeJson } from './headerSafeJson';

/** The header that makes paths start in another namespace (team space root, shared folder). */
export const PATH_ROOT_HEADER = 'Dropbox-API-Path-Root';

/** The `Dropbox-API-Path-Root` header for a credential's Space setting; none for Home. */
export function pathRootHeader(credentials: Record<string, unknown>): string | undefined {
	const namespaceId = String(credentials.namespaceId ?? '').trim();
	switch (credentials.pathRoot) {
		case 'root':
			return headerSafeJson({ '.tag': 'root', root: namespaceId });
		case 'namespace':
			return headerSafeJson({ '.tag': 'namespace_id', namespace_id: namespaceId });
		default:
			return undefined;
	}
}

/**
 * `headers` with the credential's Space added, unless they name a path root already (in any
 * case: a header the caller set, such as one typed into the HTTP Request node, wins).
 */
export function withPathRoot<T extends object>(credentials: Record<string, unknown>, headers: T): T {
	const value = pathRootHeader(credentials);
	const named = Object.keys(headers).some((name) => name.toLowerCase() === PATH_ROOT_HEADER.toLowerCase());
	return value === undefined || named ? headers : { ...headers, [PATH_ROOT_HEADER]: value };
}
