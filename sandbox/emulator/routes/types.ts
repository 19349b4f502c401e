import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Account, AccessToken } from '../auth';
import type { Json } from '../errors';
import type { State } from '../state';
import type { Namespace, Node } from '../tree';

export interface Ctx {
	st: State;
	route: string;
	arg: any; // eslint-disable-line @typescript-eslint/no-explicit-any
	req: IncomingMessage;
	res: ServerResponse;
	token?: AccessToken;
	account?: Account;
	ns?: Namespace;
	/** Dropbox-API-Path-Root namespace_id of a shared (team) folder: paths start in this folder of `ns` */
	mount?: Node;
}

export interface DownloadResult {
	meta: Json;
	/** a file on disk, served with Range support */
	blob?: { path: string; size: number };
	/** or a generated stream (no Range) */
	stream?: Readable;
	contentType?: string;
	etag?: string;
}

/** An emulated route; its host, style, auth and scope come from Dropbox's spec (sandbox/spec). */
export interface RouteDef {
	handler: (ctx: Ctx) => Promise<Json | DownloadResult | undefined> | Json | DownloadResult | undefined;
}

export type RouteTable = Record<string, RouteDef>;

/** What answers one endpoint of the server (an API route, an admin action, OAuth, a link). */
export type EndpointHandler = (st: State, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

/** A row of the server's table: a path (exact, or a prefix) and, if given, the one method it answers. */
export interface Endpoint {
	method?: string;
	/** exact path, or with `prefix` every path that starts with it */
	path: string;
	prefix?: boolean;
	/** the path with one trailing "/" matches too */
	slash?: boolean;
	handler: EndpointHandler;
}
