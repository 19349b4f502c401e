/**
 * The package as n8n and npm see it: the built files in dist/, package.json, and what
 * `npm pack` would publish. `npm test` builds before jest runs; run `npm run build` first
 * when running this file alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import type { ICredentialType, INodeProperties, INodeType } from 'n8n-workflow';

const ROOT = resolve(__dirname, '../..');
const DIST = join(ROOT, 'dist');
const OAUTH2_FILE = join(DIST, 'credentials/DropboxPlusOAuth2Api.credentials.js');
const API_FILE = join(DIST, 'credentials/DropboxPlusApi.credentials.js');
const built = existsSync(OAUTH2_FILE) && existsSync(API_FILE);

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	license: string;
	keywords: string[];
	files: string[];
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	devDependencies: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; credentials: string[]; nodes: string[] };
};

const SCOPES = [
	'files.metadata.read',
	'files.metadata.write',
	'files.content.read',
	'files.content.write',
	'sharing.read',
	'sharing.write',
	'account_info.read',
	'file_requests.read',
	'file_requests.write',
];

function field(credential: ICredentialType, name: string): INodeProperties {
	const property = credential.properties.find((p) => p.name === name);
	if (!property) throw new Error(`${credential.name} has no field ${name}`);
	return property;
}

/** Instantiates the one class a built file exports. */
function loadClass<T>(file: string): T {
	const exports = require(file) as Record<string, unknown>;
	const classes = Object.values(exports).filter((value) => typeof value === 'function' && /^class\s/.test(String(value)));
	if (classes.length !== 1) throw new Error(`${file} should export exactly one class, exports ${classes.length}`);
	return new (classes[0] as new () => T)();
}

/** Every `file:` icon path of a credential or node description. */
function iconFiles(icon: unknown): string[] {
	if (typeof icon === 'string') return icon.startsWith('file:') ? [icon.slice(5)] : [];
	if (icon && typeof icon === 'object') return Object.values(icon as Record<string, unknown>).flatMap(iconFiles);
	return [];
}

describe('package.json', () => {
	it('is an n8n community package named n8n-nodes-dropbox-plus, MIT, publishing dist only', () => {
		expect(pkg.name).toBe('n8n-nodes-dropbox-plus');
		expect(pkg.license).toBe('MIT');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	});

	it('has no runtime dependencies, and n8n-workflow "*" as its only peer dependency', () => {
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg).not.toHaveProperty('dependencies');
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('has the build and test tools as devDependencies', () => {
		for (const name of ['n8n-workflow', 'n8n-core', 'dropbox', 'jest', 'eslint-plugin-n8n-nodes-base', 'gulp', 'typescript']) {
			expect(pkg.devDependencies).toHaveProperty([name]);
		}
	});

	it('lists both credentials and the node under dist/, never with n8n built-in names', () => {
		expect(pkg.n8n.credentials).toEqual(
			expect.arrayContaining(['dist/credentials/DropboxPlusOAuth2Api.credentials.js', 'dist/credentials/DropboxPlusApi.credentials.js']),
		);
		for (const path of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) expect(path.startsWith('dist/')).toBe(true);
		for (const path of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
			expect(path).not.toMatch(/\/(Dropbox\.node|DropboxApi\.credentials|DropboxOAuth2Api\.credentials)\.js$/);
		}
	});
});

if (!built) {
	describe('the built package (dist/ is missing: run `npm run build` first; `npm test` does)', () => {
		it.skip('skipped because dist/credentials is missing', () => {});
	});
} else {
	describe('the built package', () => {
		it('every path in package.json "n8n" exists in dist', () => {
			for (const path of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
				expect({ path, exists: existsSync(join(ROOT, path)) }).toEqual({ path, exists: true });
			}
		});

		it('dist contains no tests', () => {
			const files = execFileSync('find', [DIST, '-type', 'f'], { encoding: 'utf8' }).split('\n').filter(Boolean);
			expect(files.filter((file) => /\.test\.|\/test\//.test(file.slice(DIST.length)))).toEqual([]);
		});

		describe('Dropbox Plus OAuth2 API credential', () => {
			const credential = loadClass<ICredentialType>(OAUTH2_FILE);

			it('is dropboxPlusOAuth2Api and extends oAuth2Api', () => {
				expect(credential.name).toBe('dropboxPlusOAuth2Api');
				expect(credential.displayName).toBe('Dropbox Plus OAuth2 API');
				expect(credential.extends).toEqual(['oAuth2Api']);
			});

			it('authorizes at Dropbox with offline access, so n8n keeps a refresh token', () => {
				expect(field(credential, 'authUrl').default).toBe('https://www.dropbox.com/oauth2/authorize');
				expect(field(credential, 'accessTokenUrl').default).toBe('https://api.dropboxapi.com/oauth2/token');
				expect(field(credential, 'authQueryParameters').default).toBe('token_access_type=offline');
				expect(field(credential, 'grantType').default).toBe('authorizationCode');
			});

			it('asks for the six scopes the nodes use, in an editable field', () => {
				const scope = field(credential, 'scope');
				expect(scope.type).toBe('string');
				expect(String(scope.default).split(/\s+/).sort()).toEqual([...SCOPES].sort());
			});

			it('has the Space setting (home by default) and a namespace ID', () => {
				const pathRoot = field(credential, 'pathRoot');
				expect(pathRoot.default).toBe('home');
				expect(pathRoot.options?.map((option) => (option as { value: string }).value)).toEqual(['home', 'root', 'namespace']);
				expect(field(credential, 'namespaceId').displayOptions).toEqual({ show: { pathRoot: ['root', 'namespace'] } });
			});

			it('tests the connection with users/get_current_account', () => {
				expect(credential.test?.request).toMatchObject({
					baseURL: 'https://api.dropboxapi.com/2',
					url: '/users/get_current_account',
					method: 'POST',
				});
			});
		});

		describe('Dropbox Plus API (refresh token) credential', () => {
			const credential = loadClass<ICredentialType>(API_FILE);

			it('is dropboxPlusApi', () => {
				expect(credential.name).toBe('dropboxPlusApi');
				expect(credential.extends).toBeUndefined();
			});

			it('asks for the app key, app secret and refresh token; secrets are password fields', () => {
				expect(field(credential, 'clientId')).toMatchObject({ type: 'string', required: true });
				expect(field(credential, 'clientSecret')).toMatchObject({ type: 'string', required: true, typeOptions: { password: true } });
				expect(field(credential, 'refreshToken')).toMatchObject({ type: 'string', required: true, typeOptions: { password: true } });
			});

			it('keeps the access token in a hidden, expirable field filled by preAuthentication', () => {
				expect(field(credential, 'accessToken')).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
				expect(typeof credential.preAuthentication).toBe('function');
				// a function (no expression evaluated per request) that adds the bearer token and keeps the other headers
				const authenticate = credential.authenticate as (c: object, r: object) => Promise<{ headers: Record<string, string> }>;
				expect(typeof authenticate).toBe('function');
				return authenticate({ accessToken: 'sl.token' }, { url: 'https://api.dropboxapi.com/2/x', headers: { 'Dropbox-API-Arg': '{}' } }).then((signed) =>
					expect(signed.headers).toEqual({ 'Dropbox-API-Arg': '{}', Authorization: 'Bearer sl.token' }),
				);
			});

			it('adds the Space as Dropbox-API-Path-Root, so the HTTP Request node works in the same Space; a path root the request names wins; Home adds none', async () => {
				const authenticate = credential.authenticate as (c: object, r: object) => Promise<{ headers: Record<string, string> }>;
				const team = { accessToken: 'sl.token', pathRoot: 'root', namespaceId: '3235641' };
				expect((await authenticate(team, { url: 'https://api.dropboxapi.com/2/x', headers: {} })).headers).toEqual({
					Authorization: 'Bearer sl.token',
					'Dropbox-API-Path-Root': '{".tag":"root","root":"3235641"}',
				});
				const own = { 'dropbox-api-path-root': '{".tag":"home"}' };
				expect((await authenticate(team, { url: 'https://api.dropboxapi.com/2/x', headers: own })).headers).toEqual({ ...own, Authorization: 'Bearer sl.token' });
				expect((await authenticate({ accessToken: 't', pathRoot: 'home', namespaceId: '1' }, { headers: {} })).headers).toEqual({ Authorization: 'Bearer t' });
			});

			it('explains how to obtain the refresh token, in numbered steps whose address and command stand alone', () => {
				const notices = credential.properties.filter((p) => p.type === 'notice').map((p) => p.displayName);
				expect(notices.join('\n')).toMatch(/token_access_type=offline/);
				expect(notices.join('\n')).toMatch(/grant_type=authorization_code/);
				expect(notices.filter((text) => /^\d\. /.test(text))).toHaveLength(3);
				expect(notices).toContain('https://www.dropbox.com/oauth2/authorize?client_id=APP_KEY&response_type=code&token_access_type=offline');
				expect(notices.some((text) => text.startsWith('curl https://api.dropboxapi.com/oauth2/token '))).toBe(true);
			});

			it('has the Space setting and a test request', () => {
				expect(field(credential, 'pathRoot').default).toBe('home');
				expect(credential.test?.request).toMatchObject({ url: '/users/get_current_account', method: 'POST' });
			});
		});

		it('every file: icon of the credentials and nodes resolves to a file next to the built JS', () => {
			const owners: Array<[string, unknown]> = [];
			for (const path of pkg.n8n.credentials) {
				const file = join(ROOT, path);
				owners.push([file, loadClass<ICredentialType>(file).icon]);
			}
			for (const path of pkg.n8n.nodes) {
				const file = join(ROOT, path);
				if (!existsSync(file)) continue; // reported by the "exists" test above
				owners.push([file, loadClass<INodeType>(file).description.icon]);
			}
			expect(owners.length).toBeGreaterThanOrEqual(2);
			for (const [file, icon] of owners) {
				const icons = iconFiles(icon);
				expect({ file, count: icons.length > 0 }).toEqual({ file, count: true });
				for (const relative of icons) {
					const target = resolve(dirname(file), relative);
					expect({ file, icon: relative, exists: existsSync(target) && target.startsWith(DIST) }).toEqual({
						file,
						icon: relative,
						exists: true,
					});
				}
			}
		});

		it('plain node (no jest, no ts) loads each built credential and lists its fields', () => {
			for (const [file, expected] of [
				[OAUTH2_FILE, ['authUrl', 'accessTokenUrl', 'scope', 'authQueryParameters', 'pathRoot']],
				[API_FILE, ['clientId', 'clientSecret', 'refreshToken', 'accessToken', 'pathRoot']],
			] as const) {
				const script = `const m = require(${JSON.stringify(file)}); const C = Object.values(m).find((v) => typeof v === 'function' && /^class /.test(String(v))); const c = new C(); console.log(JSON.stringify({ name: c.name, fields: c.properties.map((p) => p.name), test: !!c.test }));`;
				const output = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as {
					fields: string[];
					test: boolean;
				};
				expect(output.fields).toEqual(expect.arrayContaining([...expected]));
				expect(output.test).toBe(true);
			}
		});

		it('npm pack ships only dist/ plus package.json, README and LICENSE: both credentials, their icons, no tests', () => {
			const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: ROOT,
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'ignore'],
			});
			const [packed] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
			const paths = packed.files.map((f) => f.path);
			const outside = paths.filter((path) => !path.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(path));
			expect(outside).toEqual([]);
			expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', ...pkg.n8n.credentials, ...pkg.n8n.nodes]));
			expect(paths).toEqual(expect.arrayContaining(['dist/icons/dropboxPlus.svg', 'dist/icons/dropboxPlus.dark.svg']));
			expect(paths.filter((path) => /\.test\.|(^|\/)test\/|__tests__|\.ts$(?<!\.d\.ts)/.test(path))).toEqual([]);
		});
	});
}
