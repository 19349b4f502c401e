/** The HTTP front: finds the request's row in the route table (routeTable.ts) and lets it answer. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { drain, sendError, sendText } from './http';
import type { Endpoint } from './routes/types';
import type { State } from './state';

function matches(row: Endpoint, method: string | undefined, path: string): boolean {
	if (row.method && row.method !== method) return false;
	if (row.prefix) return path.startsWith(row.path);
	return path === row.path || (row.slash === true && path === row.path + '/');
}

export function makeHandler(st: State, table: Endpoint[]) {
	return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://localhost');
		} catch {
			sendText(res, 400, 'Bad URL');
			return;
		}
		if (st.opts.verbose) console.error(`[dropbox-emulator] ${req.method} ${url.pathname}`); // eslint-disable-line no-console
		const row = table.find((r) => matches(r, req.method, url.pathname));
		if (!row) return sendText(res, 404, 'Not Found');
		try {
			await row.handler(st, req, res, url);
		} catch (e) {
			await drain(req);
			sendError(res, e);
		}
	};
}
