/** OAuth2: GET /oauth2/authorize (auto-approves) and POST /oauth2/token. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ALL_SCOPES } from '../auth';
import { readBody, sendJson, sendText } from '../http';
import type { EndpointHandler } from './types';

const oauthError = (res: ServerResponse, status: number, error: string, description: string) =>
	sendJson(res, status, { error, error_description: description });

const eq = (a: string, b: string): boolean => {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
};

/** POST /oauth2/token: authorization_code (client secret or PKCE verifier) and refresh_token grants. */
export const token: EndpointHandler = async (st, req, res, url) => {
	st.countCall('oauth2/token');
	if (req.method !== 'POST') return sendText(res, 405, 'Method Not Allowed');
	const body = await readBody(req, 1024 * 1024);
	const params = new URLSearchParams(url.search);
	const ct = (req.headers['content-type'] ?? '').toLowerCase();
	const text = body.toString('utf8');
	if (text) {
		if (ct.includes('application/json')) {
			try {
				for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, unknown>)) params.set(k, String(v));
			} catch {
				return oauthError(res, 400, 'invalid_request', 'could not decode body');
			}
		} else for (const [k, v] of new URLSearchParams(text)) params.set(k, v);
	}
	let clientId = params.get('client_id') ?? undefined;
	let clientSecret = params.get('client_secret') ?? undefined;
	const basic = /^Basic\s+(\S+)/i.exec(req.headers.authorization ?? '');
	if (basic) {
		const dec = Buffer.from(basic[1], 'base64').toString('utf8');
		const i = dec.indexOf(':');
		clientId = decodeURIComponent(dec.slice(0, i));
		clientSecret = decodeURIComponent(dec.slice(i + 1));
	}
	const grant = params.get('grant_type');
	if (!grant) return oauthError(res, 400, 'invalid_request', 'No grant_type provided.');
	const app = clientId ? st.apps.get(clientId) : undefined;
	if (!clientId) return oauthError(res, 400, 'invalid_request', 'No client_id provided.');
	if (!app) return oauthError(res, 400, 'invalid_client', 'Invalid client_id or client_secret');
	if (clientSecret !== undefined && !eq(clientSecret, app.secret)) return oauthError(res, 400, 'invalid_client', 'Invalid client_id or client_secret');

	if (grant === 'authorization_code') {
		const code = params.get('code');
		if (!code) return oauthError(res, 400, 'invalid_request', 'No auth code provided.');
		const c = st.codes.get(code);
		if (!c || c.expires < Date.now() || c.appKey !== app.key) return oauthError(res, 400, 'invalid_grant', 'code doesn\'t exist or has expired');
		st.codes.delete(code);
		if (c.redirectUri && params.get('redirect_uri') !== c.redirectUri) return oauthError(res, 400, 'invalid_grant', 'redirect_uri mismatch');
		if (c.challenge) {
			const verifier = params.get('code_verifier');
			if (!verifier) {
				if (clientSecret === undefined) return oauthError(res, 400, 'invalid_request', 'No code_verifier provided.');
			} else {
				const computed = c.method === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
				if (!eq(computed, c.challenge)) return oauthError(res, 400, 'invalid_grant', 'invalid code verifier');
			}
		} else if (clientSecret === undefined) {
			return oauthError(res, 400, 'invalid_client', 'No client_secret provided.');
		}
		const { access, refresh } = st.issueToken({ accountId: c.accountId, scopes: c.scopes, refresh: c.offline, appKey: app.key });
		const acc = st.account(c.accountId);
		const out: Record<string, unknown> = {
			access_token: access.token,
			token_type: 'bearer',
			expires_in: st.tokenTtlSeconds,
			scope: c.scopes.join(' '),
			uid: acc.ns.id,
			account_id: acc.accountId,
		};
		if (refresh) out.refresh_token = refresh.token;
		return sendJson(res, 200, out);
	}
	if (grant === 'refresh_token') {
		const rt = params.get('refresh_token');
		if (!rt) return oauthError(res, 400, 'invalid_request', 'No refresh_token provided.');
		const r = st.refreshTokens.get(rt);
		if (!r || r.revoked) return oauthError(res, 400, 'invalid_grant', 'refresh token is invalid or revoked');
		if (r.appKey !== app.key) return oauthError(res, 400, 'invalid_grant', 'refresh token does not belong to this app');
		let scopes = r.scopes;
		const want = params.get('scope');
		if (want) {
			const w = want.split(/\s+/).filter(Boolean);
			if (w.some((s) => !r.scopes.includes(s))) return oauthError(res, 400, 'invalid_scope', 'requested scope exceeds the granted scope');
			scopes = w;
		}
		// A suspended account still gets a token (Dropbox documents no token-endpoint error for it):
		// its API calls then answer 401 user_suspended, the documented signal
		const { access } = st.issueToken({ accountId: r.accountId, scopes, appKey: app.key });
		access.refreshToken = r.token;
		return sendJson(res, 200, { access_token: access.token, token_type: 'bearer', expires_in: st.tokenTtlSeconds, ...(want ? { scope: scopes.join(' ') } : {}) });
	}
	return oauthError(res, 400, 'unsupported_grant_type', `grant_type "${grant}" is not supported`);
};

/** GET /oauth2/authorize: approves at once for the default account (or `account_id`), 302 to redirect_uri with the code. */
export const authorize: EndpointHandler = (st, _req, res, url) => {
	st.countCall('oauth2/authorize');
	const q = url.searchParams;
	const clientId = q.get('client_id');
	const app = clientId ? st.apps.get(clientId) : undefined;
	if (!app) return sendText(res, 400, 'Invalid client_id');
	const responseType = q.get('response_type');
	if (responseType !== 'code') return sendText(res, 400, 'Only response_type=code is supported');
	const redirectUri = q.get('redirect_uri') ?? undefined;
	const challenge = q.get('code_challenge') ?? undefined;
	const method = q.get('code_challenge_method') ?? (challenge ? 'plain' : undefined);
	if (challenge && method !== 'S256' && method !== 'plain') return sendText(res, 400, 'Invalid code_challenge_method');
	const scopeParam = q.get('scope');
	const scopes = scopeParam ? scopeParam.split(/\s+/).filter(Boolean) : ALL_SCOPES;
	const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
	if (unknown.length) return sendText(res, 400, `Invalid scope: ${unknown.join(' ')}`);
	const accountId = q.get('account_id') && st.accounts.has(q.get('account_id')!) ? q.get('account_id')! : st.defaultAccountId;
	const code = randomBytes(24).toString('base64url');
	st.codes.set(code, {
		appKey: app.key, redirectUri, challenge, method, scopes, accountId,
		offline: q.get('token_access_type') === 'offline', expires: Date.now() + 10 * 60_000,
	});
	if (!redirectUri) return sendText(res, 200, `Enter this code into your app: ${code}`);
	const target = new URL(redirectUri);
	target.searchParams.set('code', code);
	const state = q.get('state');
	if (state !== null) target.searchParams.set('state', state);
	res.writeHead(302, { Location: target.toString(), 'Content-Length': '0' });
	res.end();
};
