import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IHttpRequestOptions } from 'n8n-workflow';

import { DropboxPlusApi } from '../../credentials/DropboxPlusApi.credentials';
import { DropboxPlusOAuth2Api } from '../../credentials/DropboxPlusOAuth2Api.credentials';
import { CONTENT_BASE_URL, ROUTE_HOSTS, RPC_BASE_URL } from '../../nodes/shared/transport';
import { apiSpec } from '../../sandbox/spec/api';
import { HOST_OF_STYLE, readmeWithRouteTable, REPO_ROOT, routesTheNodesCall } from '../../sandbox/spec/nodeRoutes';
import { contentTypeOnTheWire, wireProblem } from '../support/wireContract';

/**
 * The node's side of Dropbox's wire contract, checked against the official spec: every route
 * it calls exists with the host and style it is sent with, the credentials' "Test connection"
 * requests are ones Dropbox accepts as n8n sends them, and docs/development.md lists every route.
 */
describe('the routes the nodes call', () => {
	const routes = routesTheNodesCall();

	test('are found in the sources (all of them string literals)', () => {
		expect(routes.map((r) => r.url)).toEqual(
			expect.arrayContaining(['files/upload', 'files/download', 'files/copy_batch_v2', 'files/move_batch/check_v2', 'users/get_current_account']),
		);
		expect(routes.length).toBeGreaterThanOrEqual(35);
	});

	test("each exists in Dropbox's spec, with the style and host the node sends it with", () => {
		const wrong = routes.flatMap((r) => {
			const spec = apiSpec().route(r.url);
			if (!spec) return [`${r.url} (${r.files.join(', ')}): not a route of the spec`];
			if (spec.style !== r.calledAs) return [`${r.url}: the spec says ${spec.style}, the node calls it as ${r.calledAs}`];
			if (spec.host !== (ROUTE_HOSTS[r.url] ?? HOST_OF_STYLE[r.calledAs])) return [`${r.url}: the spec says host ${spec.host}`];
			if (spec.deprecated) return [`${r.url}: deprecated in the spec`];
			return [];
		});
		expect(wrong).toEqual([]);
	});

	test('the transport sends RPC to api.dropboxapi.com and content calls to content.dropboxapi.com', () => {
		expect([new URL(RPC_BASE_URL).hostname, new URL(CONTENT_BASE_URL).hostname]).toEqual(['api.dropboxapi.com', 'content.dropboxapi.com']);
	});

	test("the routes the transport sends to another host than their style's are the ones the spec serves there", () => {
		const exceptions = routes.filter((r) => apiSpec().route(r.url)?.host !== HOST_OF_STYLE[r.calledAs]).map((r) => [r.url, apiSpec().route(r.url)?.host]);
		expect(Object.entries(ROUTE_HOSTS)).toEqual(exceptions);
	});

	test('no route name is built at run time (so the list above is complete)', () => {
		const built: string[] = [];
		const scan = (dir: string): void => {
			for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
				const full = path.join(dir, entry.name);
				if (entry.isDirectory()) scan(full);
				else if (entry.name.endsWith('.ts') && /`(files|sharing|users)\/[^`]*\$\{/.test(fs.readFileSync(full, 'utf8'))) built.push(full);
			}
		};
		scan(path.join(REPO_ROOT, 'nodes'));
		expect(built).toEqual([]);
	});

	// the table moved with the other internals from README.md to docs/development.md (issue 21)
	test("docs/development.md's route table is the generated one (npm run docs:routes)", () => {
		const readme = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'development.md'), 'utf8');
		expect(readme).toBe(readmeWithRouteTable(readme));
	});
});

describe("the credentials' Test connection request", () => {
	test.each([
		['OAuth2', new DropboxPlusOAuth2Api()],
		['refresh token', new DropboxPlusApi()],
	])('%s: Dropbox accepts it as n8n sends it', (_name, credential) => {
		const request = credential.test.request as IHttpRequestOptions;
		expect(wireProblem(request)).toBeUndefined();
	});

	test('without a Content-Type of its own, n8n would declare it form-encoded and Dropbox would refuse it', () => {
		const bare: IHttpRequestOptions = { baseURL: 'https://api.dropboxapi.com/2', url: '/users/get_current_account', method: 'POST' };
		expect(contentTypeOnTheWire(bare)).toBe('application/x-www-form-urlencoded');
		expect(wireProblem(bare)).toBe(
			'users/get_current_account: Bad HTTP "Content-Type" header: "application/x-www-form-urlencoded".  Expecting one of "application/json", "application/json; charset=utf-8", "text/plain; charset=dropbox-cors-hack".',
		);
	});
});

describe('the unit-level check applies the same rules as the emulator', () => {
	test.each<[string, IHttpRequestOptions, string | undefined]>([
		['a valid RPC', { method: 'POST', url: `${RPC_BASE_URL}/files/get_metadata`, headers: { 'Content-Type': 'application/json' }, body: '{"path":"/a"}' }, undefined],
		['an id where restore takes a path', { method: 'POST', url: `${RPC_BASE_URL}/files/restore`, headers: { 'Content-Type': 'application/json' }, body: '{"path":"id:a","rev":"0123456789"}' }, "request body: path: 'id:a' did not match pattern"],
		['a download without a Content-Type', { method: 'POST', url: `${CONTENT_BASE_URL}/files/download`, headers: { 'Dropbox-API-Arg': '{"path":"/a"}' } }, 'Bad HTTP "Content-Type" header: "application/x-www-form-urlencoded"'],
		['a download on the RPC host', { method: 'POST', url: `${RPC_BASE_URL}/files/download`, headers: { 'Content-Type': 'text/plain', 'Dropbox-API-Arg': '{"path":"/a"}' } }, 'must be called on content.dropboxapi.com'],
		['an unknown field in the header', { method: 'POST', url: `${CONTENT_BASE_URL}/files/download`, headers: { 'Content-Type': 'text/plain', 'Dropbox-API-Arg': '{"path":"/a","x":1}' } }, `HTTP header "Dropbox-API-Arg": unknown field 'x'`],
	])('%s', (_name, request, expected) => {
		const problem = wireProblem(request);
		if (expected === undefined) expect(problem).toBeUndefined();
		else expect(problem).toContain(expected);
	});
});
