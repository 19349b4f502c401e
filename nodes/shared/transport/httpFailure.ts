/**
 * What a failed Dropbox call looked like on the wire, whatever shape the HTTP stack threw it
 * in: an Axios-style error (`response.status/headers/data`), n8n's `NodeApiError`
 * (`httpCode`, `context.data`, `cause`), or a network error (`code`, no response).
 */
export interface HttpFailure {
	/** HTTP status; undefined when no response arrived (connection reset, DNS, timeout). */
	status?: number;
	headers: Record<string, string>;
	/** Parsed JSON body when the body was JSON, else undefined. */
	json?: Record<string, unknown>;
	/** The body as text (truncated), for plain-text answers such as Dropbox's 400s. */
	text: string;
	/** Network error code such as ECONNRESET, when there was no response and the error was one. */
	networkCode?: string;
}

const MAX_BODY_CHARS = 4000;

const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'EPIPE',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_STREAM_PREMATURE_CLOSE',
	'UND_ERR_SOCKET',
]);

type Dict = Record<string, unknown>;

/** String(value), for anything at all: objects without a prototype or a working toString, symbols. */
function safeString(value: unknown): string {
	try {
		return String(value);
	} catch {
		return Object.prototype.toString.call(value);
	}
}

/** Number(value) that never throws (symbols, objects without a prototype): NaN instead. */
function safeNumber(value: unknown): number {
	return typeof value === 'number' || typeof value === 'string' ? Number(value) : NaN;
}

function asDict(value: unknown): Dict | undefined {
	return value !== null && typeof value === 'object' ? (value as Dict) : undefined;
}

function isReadable(value: unknown): value is AsyncIterable<unknown> {
	return (
		asDict(value) !== undefined &&
		typeof (value as Dict).pipe === 'function' &&
		Symbol.asyncIterator in (value as object)
	);
}

async function readBodyText(data: unknown): Promise<string> {
	if (data === undefined || data === null) return '';
	if (typeof data === 'string') return data;
	if (Buffer.isBuffer(data)) return data.toString('utf8');
	if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
	if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
	if (isReadable(data)) {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of data) {
			const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(safeString(chunk));
			chunks.push(buffer);
			size += buffer.length;
			if (size > MAX_BODY_CHARS * 4) break;
		}
		return Buffer.concat(chunks).toString('utf8');
	}
	try {
		return JSON.stringify(data) ?? safeString(data);
	} catch {
		return safeString(data);
	}
}

function normaliseHeaders(headers: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	const dict = asDict(headers);
	if (!dict) return out;
	const entries =
		typeof (dict as { toJSON?: unknown }).toJSON === 'function'
			? Object.entries((dict as { toJSON: () => Dict }).toJSON())
			: Object.entries(dict);
	for (const [key, value] of entries) {
		if (value === undefined || value === null) continue;
		out[key.toLowerCase()] = Array.isArray(value) ? value.map(safeString).join(', ') : safeString(value);
	}
	return out;
}

function findResponse(error: Dict): Dict | undefined {
	const seen = new Set<unknown>();
	let current: Dict | undefined = error;
	while (current && !seen.has(current)) {
		seen.add(current);
		const response = asDict(current.response);
		if (response && ('status' in response || 'statusCode' in response)) return response;
		current = asDict(current.cause);
	}
	return undefined;
}

function findNetworkCode(error: Dict): string | undefined {
	const seen = new Set<unknown>();
	let current: Dict | undefined = error;
	while (current && !seen.has(current)) {
		seen.add(current);
		const code = current.code;
		if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
		const message = typeof current.message === 'string' ? current.message : '';
		if (/socket hang up|ECONNRESET|aborted/i.test(message)) return 'ECONNRESET';
		current = asDict(current.cause);
	}
	return undefined;
}

export async function readHttpFailure(error: unknown): Promise<HttpFailure> {
	const dict = asDict(error) ?? {};
	const response = findResponse(dict);
	let status: number | undefined;
	let headers: Record<string, string> = {};
	let body: unknown;
	if (response) {
		status = safeNumber(response.status ?? response.statusCode);
		headers = normaliseHeaders(response.headers);
		body = response.data ?? response.body;
	} else if (dict.httpCode !== undefined && dict.httpCode !== null) {
		status = safeNumber(dict.httpCode);
		body = asDict(dict.context)?.data;
	}
	if (status !== undefined && !Number.isFinite(status)) status = undefined;
	let text = response || status !== undefined ? await readBodyText(body) : safeString(dict.message ?? error);
	const isBytes = Buffer.isBuffer(body) || body instanceof ArrayBuffer || ArrayBuffer.isView(body);
	let json: Dict | undefined = asDict(body) && !isReadable(body) && !isBytes ? (body as Dict) : undefined;
	if (!json && text.trimStart().startsWith('{')) {
		try {
			json = asDict(JSON.parse(text));
		} catch {
			json = undefined;
		}
	}
	if (text.length > MAX_BODY_CHARS) text = `${text.slice(0, MAX_BODY_CHARS)}…`;
	return {
		status,
		headers,
		json,
		text,
		networkCode: status === undefined ? findNetworkCode(dict) : undefined,
	};
}
