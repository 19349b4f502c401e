/**
 * What the e2e harness and the `npm start` sandbox share about running n8n with this package:
 * the community-package install of the built package, n8n's environment, and the routing of
 * Dropbox's hosts to the emulator (test/e2e/harness/route-dropbox.js, preloaded into n8n).
 */
'use strict';

const fs = require('fs');
const path = require('path');

const REPO_ROOT = path.resolve(__dirname, '..');
const PACKAGE_NAME = 'n8n-nodes-dropbox-plus';
const DROPBOX_HOSTS = ['api.dropboxapi.com', 'content.dropboxapi.com', 'notify.dropboxapi.com', 'www.dropbox.com'];
const ROUTE_PRELOAD = path.join(REPO_ROOT, 'test', 'e2e', 'harness', 'route-dropbox.js');

/**
 * Installs the built package into `<userFolder>/.n8n/nodes/node_modules/n8n-nodes-dropbox-plus`
 * the way n8n's community-package installer leaves it: exactly the files npm would publish
 * (package.json "files", plus package.json, README, LICENSE). n8n loads every package there.
 */
function installBuiltPackage(userFolder) {
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
	const listed = [...((pkg.n8n && pkg.n8n.nodes) || []), ...((pkg.n8n && pkg.n8n.credentials) || [])];
	const missing = listed.filter((f) => !fs.existsSync(path.join(REPO_ROOT, f)));
	if (missing.length) {
		throw new Error(`the package is not built (missing ${missing.join(', ')}): run \`npm run build\` first`);
	}
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	for (const rel of ['package.json', 'README.md', 'LICENSE', ...(pkg.files || ['dist'])]) {
		const src = path.join(REPO_ROOT, rel);
		if (fs.existsSync(src)) fs.cpSync(src, path.join(target, rel), { recursive: true });
	}
	if (!fs.existsSync(path.join(nodesDir, 'package.json'))) {
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: pkg.version } }, null, 2),
		);
	}
	return target;
}

/**
 * The environment of an n8n process: the caller's environment without anything n8n-, npm- or
 * jest-specific (NODE_ENV=test makes n8n silent and refuse to load nodes), plus an isolated user
 * folder, sqlite, filesystem binary data, no telemetry or update checks.
 */
function n8nEnv({ userFolder, encryptionKey, version = '2', extra = {} }) {
	const major = Number(String(version).split('.')[0]);
	const base = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|npm_|JEST_|TS_JEST|NODE_ENV$|NODE_OPTIONS$|NODE_EXTRA_CA_CERTS$|DROPBOX_PLUS_)/i.test(k)) continue;
		base[k] = v;
	}
	return {
		...base,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		DB_TYPE: 'sqlite',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		// n8n 2.x polls api.n8n.io for MCP servers (noise offline); n8n 1.x has no such module and refuses the name
		...(major >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		// late n8n 1.x defaults to the isolated-vm expression engine, whose isolated-vm needs Node 24; on Node 20 use the classic one
		...(major < 2 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_RUNNERS_MODE: 'internal',
		...extra,
	};
}

/**
 * The environment that sends a Node process's connections to Dropbox's hosts to `host:port`
 * (an HTTPS server whose certificate `caFile` signed). Other hosts are untouched.
 */
function routingEnv({ host = '127.0.0.1', port, caFile }) {
	const noProxy = [process.env.NO_PROXY || process.env.no_proxy, ...DROPBOX_HOSTS, 'localhost', '127.0.0.1']
		.filter(Boolean)
		.join(',');
	return {
		NODE_OPTIONS: `--require ${JSON.stringify(ROUTE_PRELOAD)}`,
		DROPBOX_PLUS_ROUTE_TO: `${host}:${port}`,
		DROPBOX_PLUS_ROUTE_HOSTS: DROPBOX_HOSTS.join(','),
		NODE_EXTRA_CA_CERTS: caFile,
		NO_PROXY: noProxy,
		no_proxy: noProxy,
	};
}

module.exports = { REPO_ROOT, PACKAGE_NAME, DROPBOX_HOSTS, ROUTE_PRELOAD, installBuiltPackage, n8nEnv, routingEnv };
