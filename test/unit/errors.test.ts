import { NodeApiError } from 'n8n-workflow';

import { dropboxRpc, dropboxUpload } from '../../nodes/shared/transport';
import {
	describeFailure,
	dropboxErrorInfo,
	dropboxErrorParts,
	dropboxErrorTags,
	type CallContext,
} from '../../nodes/shared/transport/errors';
import { readHttpFailure } from '../../nodes/shared/transport/httpFailure';
import { AxiosError, dropboxError, fakeContext, httpError, networkError, NODE, streamOf } from './helpers/fakes';

async function translate(error: unknown, call: Partial<CallContext> = {}) {
	const failure = await readHttpFailure(error);
	return dropboxErrorParts(failure, { route: 'files/get_metadata', ...call });
}

/** Runs one RPC call against a single failure, without retries, and returns the NodeApiError. */
async function thrownBy(error: Error, call: { path?: string; itemIndex?: number } = {}): Promise<NodeApiError> {
	const { ctx } = fakeContext([error]);
	const thrown = await dropboxRpc(ctx, 'files/get_metadata', { path: call.path ?? '/a.txt' }, { ...call, retry: { maxAttempts: 1 } }).then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(thrown).toBeInstanceOf(NodeApiError);
	return thrown as NodeApiError;
}

describe('reading a failed call, whatever shape the HTTP stack threw', () => {
	it('reads an Axios-style error: status, lower-cased headers, JSON body', async () => {
		const failure = await readHttpFailure(
			httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } }), { 'X-Dropbox-Request-Id': 'abc' }),
		);
		expect(failure.status).toBe(409);
		expect(failure.headers['x-dropbox-request-id']).toBe('abc');
		expect(failure.json?.error_summary).toBe('path/not_found/...');
		expect(failure.networkCode).toBeUndefined();
	});

	it("reads n8n's NodeApiError wrapping the Axios error (cause), as httpRequestWithAuthentication throws it", async () => {
		const axios = httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } }));
		const wrapped = new NodeApiError(NODE, axios as unknown as Error);
		const failure = await readHttpFailure(wrapped);
		expect(failure.status).toBe(409);
		expect(dropboxErrorTags(failure.json?.error)).toEqual(['path', 'not_found']);
	});

	it('reads a NodeApiError that only has httpCode and context.data', async () => {
		const error = { httpCode: '401', context: { data: dropboxError({ '.tag': 'expired_access_token' }) }, message: 'x' };
		const failure = await readHttpFailure(error);
		expect(failure.status).toBe(401);
		expect(dropboxErrorTags(failure.json?.error)).toEqual(['expired_access_token']);
	});

	it('reads a JSON body that arrives as a stream (download routes) or a Buffer or a string', async () => {
		const body = JSON.stringify(dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } }));
		for (const data of [streamOf(body), Buffer.from(body), body]) {
			const failure = await readHttpFailure(httpError(409, data));
			expect(failure.status).toBe(409);
			expect(dropboxErrorTags(failure.json?.error)).toEqual(['path', 'not_found']);
		}
	});

	it('reads a JSON body that arrives as an ArrayBuffer or a Uint8Array (arraybuffer responses)', async () => {
		const bytes = Buffer.from(JSON.stringify(dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } })));
		const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
		for (const data of [arrayBuffer, new Uint8Array(bytes)]) {
			const failure = await readHttpFailure(httpError(409, data));
			expect(dropboxErrorTags(failure.json?.error)).toEqual(['path', 'not_found']);
		}
	});

	it('reads a plain-text 400 body as text, without JSON', async () => {
		const failure = await readHttpFailure(httpError(400, 'Error in call to API function "files/list_folder": bad'));
		expect(failure.status).toBe(400);
		expect(failure.json).toBeUndefined();
		expect(failure.text).toBe('Error in call to API function "files/list_folder": bad');
	});

	it('truncates huge bodies', async () => {
		const failure = await readHttpFailure(httpError(500, 'x'.repeat(100_000)));
		expect(failure.text.length).toBeLessThanOrEqual(4001);
	});

	it('reads a connection reset as a network code, with no status', async () => {
		expect(await readHttpFailure(networkError('ECONNRESET'))).toMatchObject({ status: undefined, networkCode: 'ECONNRESET' });
		expect((await readHttpFailure(new Error('socket hang up'))).networkCode).toBe('ECONNRESET');
		expect((await readHttpFailure(networkError('ETIMEDOUT', 'timeout'))).networkCode).toBe('ETIMEDOUT');
		// a network error wrapped by n8n
		const wrapped = new NodeApiError(NODE, networkError('ECONNRESET') as unknown as Error);
		expect((await readHttpFailure(wrapped)).networkCode).toBe('ECONNRESET');
	});

	it('reads an unknown non-HTTP error as neither status nor network code', async () => {
		const failure = await readHttpFailure(new TypeError('Cannot read properties of undefined'));
		expect(failure).toMatchObject({ status: undefined, networkCode: undefined });
		expect(failure.text).toContain('Cannot read properties');
	});
});

describe('the tag chain of a Dropbox error', () => {
	it.each([
		['not found', { '.tag': 'path', path: { '.tag': 'not_found' } }, ['path', 'not_found']],
		['a file conflict', { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file' } } }, ['path', 'conflict', 'file']],
		[
			'an upload conflict, flattened (reason next to .tag)',
			{ '.tag': 'path', reason: { '.tag': 'conflict', conflict: { '.tag': 'file' } }, upload_session_id: 'sid' },
			['path', 'conflict', 'file'],
		],
		[
			'an upload conflict, nested under path',
			{ '.tag': 'path', path: { reason: { '.tag': 'conflict', conflict: { '.tag': 'file' } }, upload_session_id: 'sid' } },
			['path', 'conflict', 'file'],
		],
		[
			'a finish offset error',
			{ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 8 } },
			['lookup_failed', 'incorrect_offset'],
		],
		['an append offset error', { '.tag': 'incorrect_offset', correct_offset: 8 }, ['incorrect_offset']],
		['a stale cursor', { '.tag': 'reset' }, ['reset']],
		['nothing', undefined, []],
		['a body without tags', { message: 'x' }, []],
	])('%s', (_name, error, tags) => {
		expect(dropboxErrorTags(error)).toEqual(tags);
	});
});

describe('every Dropbox error shape becomes a message a user can act on', () => {
	it('400: the plain text Dropbox sent, and the route', async () => {
		const text = 'Error in call to API function "files/list_folder": request body: limit: 5000 is not within range [1, 2000]';
		const { options, context, response } = await translate(httpError(400, text), { route: 'files/list_folder', itemIndex: 2 });
		expect(options.message).toBe('Dropbox rejected the request to files/list_folder as malformed');
		expect(options.description).toContain('limit: 5000 is not within range [1, 2000]');
		expect(options.httpCode).toBe('400');
		expect(options.itemIndex).toBe(2);
		expect(context.dropboxStatus).toBe(400);
		expect(response.route).toBe('files/list_folder');
	});

	it('401 invalid_access_token: says reconnect', async () => {
		const { options, context } = await translate(httpError(401, dropboxError({ '.tag': 'invalid_access_token' })));
		expect(options.message).toBe('Dropbox rejected the credential (invalid_access_token)');
		expect(options.description).toMatch(/Reconnect the credential/);
		expect(context.dropboxTag).toBe('invalid_access_token');
	});

	it('401 expired_access_token (after the one refresh): says reconnect', async () => {
		const { options, context } = await translate(httpError(401, dropboxError({ '.tag': 'expired_access_token' })));
		expect(options.message).toMatch(/access token expired/);
		expect(options.description).toMatch(/Reconnect the credential/);
		expect(context.dropboxTag).toBe('expired_access_token');
	});

	it('401 missing_scope: names the required scope and says to enable it in the App Console', async () => {
		const { options, context } = await translate(
			httpError(401, dropboxError({ '.tag': 'missing_scope', required_scope: 'files.content.write' })),
			{ route: 'files/upload', itemIndex: 3 },
		);
		expect(options.message).toBe('The Dropbox app lacks the permission "files.content.write"');
		expect(options.description).toContain('Enable "files.content.write" in the Dropbox App Console');
		expect(options.description).toMatch(/reconnect the credential/);
		expect(options.itemIndex).toBe(3);
		expect(context.dropboxTag).toBe('missing_scope');
	});

	it('401 user_suspended', async () => {
		const { options } = await translate(httpError(401, dropboxError({ '.tag': 'user_suspended' })));
		expect(options.message).toBe('The Dropbox account is suspended');
		expect(options.description).toMatch(/^Dropbox has disabled this account; this is not a problem with n8n or with the credential.* The account owner must contact Dropbox support .*a team admin must reactivate the member.*then run the workflow again\.$/);
	});

	it('401 route_access_denied', async () => {
		const { options } = await translate(httpError(401, dropboxError({ '.tag': 'route_access_denied' })));
		expect(options.message).toBe('This Dropbox app may not use this part of the API');
		expect(options.description).toMatch(/App Console/);
	});

	it('403 access error: names the tag and the path', async () => {
		const { options, context } = await translate(httpError(403, dropboxError({ '.tag': 'team_access_denied' })), {
			path: '/Team/Secret',
			itemIndex: 1,
		});
		expect(options.message).toBe('Dropbox denied access (team_access_denied)');
		expect(options.description).toContain('"/Team/Secret"');
		expect(context).toEqual({
			dropboxTag: 'team_access_denied',
			dropboxPath: '/Team/Secret',
			dropboxStatus: 403,
			dropboxError: { '.tag': 'team_access_denied' },
		});
	});

	it('409 path/not_found: the tag chain and the path in the message', async () => {
		const { options, context } = await translate(httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } })), {
			path: '/Reports/q1.pdf',
			itemIndex: 4,
		});
		expect(options.message).toBe('Not found in Dropbox (path/not_found at "/Reports/q1.pdf")');
		expect(options.description).toMatch(/^Nothing exists at "\/Reports\/q1.pdf"/);
		expect(options.itemIndex).toBe(4);
		expect(context).toEqual({
			dropboxTag: 'path/not_found',
			dropboxPath: '/Reports/q1.pdf',
			dropboxStatus: 409,
			// the union itself, for callers that read members such as correct_offset
			dropboxError: { '.tag': 'path', path: { '.tag': 'not_found' } },
		});
	});

	it('409 path/conflict/file: hints Overwrite or Autorename', async () => {
		const { options, context } = await translate(
			httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file' } } })),
			{ route: 'files/create_folder_v2', path: '/Reports' },
		);
		expect(options.message).toBe('Dropbox: path/conflict/file at "/Reports"');
		expect(options.description).toMatch(/Overwrite/);
		expect(options.description).toMatch(/Autorename/);
		expect(context.dropboxTag).toBe('path/conflict/file');
	});

	it.each([
		['flattened (as Dropbox sends it)', { '.tag': 'path', reason: { '.tag': 'conflict', conflict: { '.tag': 'file' } }, upload_session_id: 's1' }],
		['nested under path', { '.tag': 'path', path: { reason: { '.tag': 'conflict', conflict: { '.tag': 'file' } }, upload_session_id: 's1' } }],
	])('409 upload conflict, %s: the same message and hint', async (_form, error) => {
		const { options, context } = await translate(httpError(409, dropboxError(error)), { route: 'files/upload', path: '/a.txt' });
		expect(options.message).toBe('Dropbox: path/conflict/file at "/a.txt"');
		expect(options.description).toMatch(/Overwrite.*Autorename/);
		expect(context.dropboxTag).toBe('path/conflict/file');
	});

	it('409 lookup_failed/incorrect_offset: the tag chain for callers that resume from correct_offset', async () => {
		const error = httpError(409, dropboxError({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 4194304 } }));
		const { options, context } = await translate(error, { route: 'files/upload_session/finish', path: '/big.bin' });
		expect(context.dropboxTag).toBe('lookup_failed/incorrect_offset');
		expect(options.message).toBe('Dropbox: lookup_failed/incorrect_offset at "/big.bin"');
		expect((await readHttpFailure(error)).json).toMatchObject({ error: { lookup_failed: { correct_offset: 4194304 } } });
	});

	it('409 shared_link_already_exists, with and without metadata', async () => {
		for (const error of [
			{ '.tag': 'shared_link_already_exists', shared_link_already_exists: { '.tag': 'metadata', metadata: { url: 'https://www.dropbox.com/s/x' } } },
			{ '.tag': 'shared_link_already_exists' },
		]) {
			const { options, context } = await translate(httpError(409, dropboxError(error)), {
				route: 'sharing/create_shared_link_with_settings',
				path: '/Share me.pdf',
			});
			expect(options.message).toMatch(/^Dropbox: shared_link_already_exists/);
			expect(options.description).toBe('A shared link already exists for "/Share me.pdf". Set "If a Link Exists" to return or update it.');
			expect(context.dropboxTag.startsWith('shared_link_already_exists')).toBe(true);
		}
	});

	it('409 reset: the stale-cursor tag', async () => {
		const { options, context } = await translate(httpError(409, dropboxError({ '.tag': 'reset' })), { route: 'files/list_folder/continue' });
		expect(context.dropboxTag).toBe('reset');
		expect(options.message).toBe('Dropbox: reset at that path');
	});

	it('409 too_many_write_operations (after retries ran out): says lower the parallelism', async () => {
		const { options, context } = await translate(
			httpError(409, dropboxError({ '.tag': 'path', reason: { '.tag': 'too_many_write_operations' } })),
			{ route: 'files/upload', path: '/x', attempts: 6 },
		);
		expect(context.dropboxTag).toBe('path/too_many_write_operations');
		expect(options.description).toMatch(/too many writes at once/);
	});

	it('409 with an unknown tag falls back to the user_message, then the error_summary', async () => {
		let parts = await translate(httpError(409, dropboxError({ '.tag': 'something_new' }, { user_message: { locale: 'en', text: 'Try later.' } })));
		expect(parts.options.description).toBe('Try later.');
		parts = await translate(httpError(409, dropboxError({ '.tag': 'something_new' })));
		expect(parts.options.description).toBe('something_new/...');
	});

	it('422 invalid_root: says fix the Space and names the root namespace id', async () => {
		const body = dropboxError({
			'.tag': 'invalid_root',
			invalid_root: { '.tag': 'team', home_namespace_id: '111', root_namespace_id: '987654321', home_path: '/Jane' },
		});
		const { options, context } = await translate(httpError(422, body), { itemIndex: 0 });
		expect(options.message).toBe("The credential's Space does not match this Dropbox account (invalid_root/team)");
		expect(options.description).toMatch(/Space/);
		expect(options.description).toContain('987654321');
		expect(options.itemIndex).toBe(0);
		expect(context.dropboxStatus).toBe(422);
	});

	it('422 no_permission', async () => {
		const { options } = await translate(httpError(422, dropboxError({ '.tag': 'no_permission' })));
		expect(options.message).toBe("The credential's Space does not match this Dropbox account (no_permission)");
	});

	it('429 JSON and 429 text: the reason and the attempts', async () => {
		let parts = await translate(
			httpError(429, dropboxError({ reason: { '.tag': 'too_many_requests' }, retry_after: 3 }), { 'Retry-After': '3' }),
			{ attempts: 6 },
		);
		expect(parts.options.message).toBe('Dropbox kept rate-limiting the requests (too_many_requests) (gave up after 6 attempts)');
		expect(parts.options.description).toMatch(/batch size/);
		parts = await translate(httpError(429, 'Too Many Requests', { 'Retry-After': '10' }), { attempts: 3 });
		expect(parts.options.message).toBe('Dropbox kept rate-limiting the requests (too_many_requests) (gave up after 3 attempts)');
		expect(parts.options.httpCode).toBe('429');
	});

	it.each([500, 502, 503, 504])('%i: a server error, with the attempts', async (status) => {
		const { options, context } = await translate(httpError(status, 'upstream trouble'), { attempts: 6 });
		expect(options.message).toBe(`Dropbox had a server error (HTTP ${status}) (gave up after 6 attempts)`);
		expect(options.description).toMatch(/again later/);
		expect(context.dropboxStatus).toBe(status);
	});

	it('a network error (ECONNRESET): could not reach Dropbox', async () => {
		const { options, context } = await translate(networkError('ECONNRESET'), { attempts: 6, itemIndex: 5 });
		expect(options.message).toBe('Could not reach Dropbox (ECONNRESET) (gave up after 6 attempts)');
		expect(options.description).toMatch(/network and proxy/);
		expect(options.httpCode).toBeUndefined();
		expect(context.dropboxTag).toBe('ECONNRESET');
		expect(options.itemIndex).toBe(5);
	});

	it('an unknown error: names the route and the error', async () => {
		const { options } = await translate(new Error('kaboom'), { route: 'files/copy_v2' });
		expect(options.message).toBe('The Dropbox request to files/copy_v2 failed: kaboom');
	});

	it('describeFailure gives the same message and the tags', async () => {
		const failure = await readHttpFailure(httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } })));
		expect(describeFailure(failure, { route: 'r', path: '/p' })).toMatchObject({
			message: 'Not found in Dropbox (path/not_found at "/p")',
			tags: ['path', 'not_found'],
		});
	});
});

describe('the NodeApiError the transport throws', () => {
	it('keeps our message, description, httpCode, Dropbox tag, path and item index', async () => {
		const error = await thrownBy(httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } })), {
			path: '/Reports/q1.pdf',
			itemIndex: 7,
		});
		expect(error.message).toBe('Not found in Dropbox (path/not_found at "/Reports/q1.pdf")');
		expect(error.description).toMatch(/^Nothing exists at "\/Reports\/q1.pdf"/);
		expect(error.httpCode).toBe('409');
		expect(error.context).toMatchObject({ itemIndex: 7, dropboxTag: 'path/not_found', dropboxPath: '/Reports/q1.pdf', dropboxStatus: 409 });
		expect(dropboxErrorInfo(error)).toEqual({
			dropboxTag: 'path/not_found',
			dropboxPath: '/Reports/q1.pdf',
			dropboxStatus: 409,
			dropboxError: { '.tag': 'path', path: { '.tag': 'not_found' } },
		});
	});

	it("keeps our message when it contains words n8n would swap for a generic one (ENOENT, EPERM, ECONNRESET…)", async () => {
		let error = await thrownBy(httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } })), {
			path: '/Gatekeeper manual/ENOENT.txt',
		});
		expect(error.message).toBe('Not found in Dropbox (path/not_found at "/Gatekeeper manual/ENOENT.txt")');
		error = await thrownBy(networkError('ECONNRESET'));
		expect(error.message).toBe('Could not reach Dropbox (ECONNRESET)');
		expect(error.description).toMatch(/network and proxy/);
	});

	it('401 missing_scope reaches the user intact', async () => {
		const error = await thrownBy(httpError(401, dropboxError({ '.tag': 'missing_scope', required_scope: 'sharing.write' })), { itemIndex: 0 });
		expect(error.message).toBe('The Dropbox app lacks the permission "sharing.write"');
		expect(error.description).toContain('Enable "sharing.write" in the Dropbox App Console');
		expect(error.httpCode).toBe('401');
		expect(error.context.itemIndex).toBe(0);
	});

	it('400 plain text on upload reaches the user intact', async () => {
		const { ctx } = fakeContext([httpError(400, 'Error in call to API function "files/upload": HTTP header "Dropbox-API-Arg": could not decode input as JSON')]);
		const error = (await dropboxUpload(ctx, 'files/upload', { path: '/x' }, Buffer.from('x'), { path: '/x', itemIndex: 1 }).catch(
			(e: unknown) => e,
		)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Dropbox rejected the request to files/upload as malformed');
		expect(error.description).toContain('could not decode input as JSON');
		expect(error.context.itemIndex).toBe(1);
	});

	it('is not an AxiosError wrapper: no cause, so the request config never travels with it', async () => {
		const error = await thrownBy(httpError(409, dropboxError({ '.tag': 'reset' })));
		expect(error.cause).toBeUndefined();
		expect(error).not.toBeInstanceOf(AxiosError);
	});
});
