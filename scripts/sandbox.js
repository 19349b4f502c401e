#!/usr/bin/env node
/**
 * `npm start`: n8n on http://localhost:5678 with this package installed, backed by the local
 * Dropbox emulator (a demo Dropbox, no account needed), a ready credential and example workflows.
 *
 *   npm start                         the sandbox (emulator)
 *   npm start -- --real-dropbox       the same n8n against the real Dropbox (or DROPBOX_PLUS_SANDBOX=off)
 *   npm start -- --port 5700          another port (or N8N_PORT)
 *   npm start -- --reset              forget the sandbox's n8n state (.sandbox/) first
 *   npm start -- --verbose            show n8n's own output (always in .sandbox/n8n.log)
 *   npm run webhook -- URL            (while it runs) make the emulator call an Instant Trigger's URL,
 *                                     as Dropbox does once the URL is in the App Console (scripts/sandbox-webhook.js)
 *
 * State lives in .sandbox/ (git-ignored). Ctrl-C stops everything this script started.
 */
'use strict';

const fs = require('fs');
const net = require('net');
const path = require('path');
const crypto = require('crypto');
const { spawn } = require('child_process');

const { ensureN8n } = require('./n8n-install');
const { REPO_ROOT, installBuiltPackage, n8nEnv, routingEnv } = require('./n8n-env');

const args = process.argv.slice(2);
const argValue = (name) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const REAL = args.includes('--real-dropbox') || /^(off|real|false|0|no)$/i.test(process.env.DROPBOX_PLUS_SANDBOX || '');
const PORT = Number(argValue('--port') || process.env.N8N_PORT || 5678);
const VERBOSE = args.includes('--verbose');
const STATE = path.join(REPO_ROOT, '.sandbox');
const USER_FOLDER = path.join(STATE, REAL ? 'n8n-real-dropbox' : 'n8n');
const LOG_FILE = path.join(STATE, REAL ? 'n8n-real-dropbox.log' : 'n8n.log');

const EMULATOR_FILE = path.join(STATE, 'emulator.json');

const CREDENTIAL_ID = 'dbxPlusSandbox01';
const CREDENTIAL_NAME = 'Dropbox Plus (sandbox)';
const OAUTH_CREDENTIAL_ID = 'dbxPlusSandbox02';
const OAUTH_CREDENTIAL_NAME = 'Dropbox Plus OAuth2 (sandbox)';
const OWNER = { email: 'sandbox@example.com', firstName: 'Sandbox', lastName: 'User', password: 'Sandbox-Passw0rd' };

const say = (msg) => process.stdout.write(`[sandbox] ${msg}\n`);

const children = new Set();
let emulator;
let stopping = false;

async function main() {
	if (args.includes('--help')) {
		process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0].replace(/^#!.*\n\/\*\*\n/, '').replace(/^ \* ?/gm, ''));
		return;
	}
	if (args.includes('--reset')) {
		say(`removing ${path.relative(REPO_ROOT, USER_FOLDER)}`);
		fs.rmSync(USER_FOLDER, { recursive: true, force: true });
	}
	fs.mkdirSync(USER_FOLDER, { recursive: true });
	if (!(await portIsFree(PORT))) {
		throw new Error(`port ${PORT} is in use (another n8n?). Stop it, or use: npm start -- --port 5700`);
	}

	say('building the package (npm run build)');
	await run('npm', ['run', '--silent', 'build'], { quiet: !VERBOSE });
	if (!REAL) {
		say('building the Dropbox emulator (sandbox/)');
		await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(REPO_ROOT, 'sandbox', 'tsconfig.json')], {
			quiet: !VERBOSE,
		});
	}

	const n8n = await ensureN8n();
	say(`n8n ${n8n.version} on Node ${n8n.nodeVersion} (${n8n.dir})`);

	installBuiltPackage(USER_FOLDER);
	const encryptionKey = readOrCreate(path.join(STATE, 'encryption-key'), () => crypto.randomBytes(24).toString('hex'));

	let extra = {};
	let emulatorInfo;
	if (!REAL) {
		emulatorInfo = await startDemoDropbox();
		extra = routingEnv({ port: emulatorInfo.port, caFile: emulatorInfo.caFile });
	}
	const env = (more = {}) =>
		n8nEnv({
			userFolder: USER_FOLDER,
			encryptionKey,
			version: n8n.version,
			extra: {
				N8N_PORT: String(PORT),
				N8N_HOST: 'localhost',
				N8N_RUNNERS_BROKER_PORT: String(PORT + 3),
				N8N_LOG_LEVEL: 'warn',
				...extra,
				...more,
			},
		});
	const cli = async (cliArgs) => await run(n8n.node, [n8n.n8nBin, ...cliArgs], { env: env(), quiet: true, cwd: USER_FOLDER });

	if (!REAL) {
		say(`importing the credentials "${CREDENTIAL_NAME}" and "${OAUTH_CREDENTIAL_NAME}"`);
		const credFile = path.join(STATE, 'credentials.json');
		fs.writeFileSync(credFile, JSON.stringify(await sandboxCredentials(emulatorInfo), null, 2));
		await cli(['import:credentials', `--input=${credFile}`]);
		fs.rmSync(credFile, { force: true });
	}
	await importExamples(cli);

	say(`starting n8n on http://localhost:${PORT} (log: ${path.relative(REPO_ROOT, LOG_FILE)})`);
	const log = fs.createWriteStream(LOG_FILE, { flags: 'a' });
	const child = spawn(n8n.node, [n8n.n8nBin, 'start'], {
		cwd: USER_FOLDER,
		env: env({ N8N_LOG_LEVEL: 'info', WEBHOOK_URL: `http://localhost:${PORT}/` }),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.add(child);
	for (const stream of [child.stdout, child.stderr]) {
		stream.on('data', (c) => {
			log.write(c);
			if (VERBOSE) process.stdout.write(c);
		});
	}
	child.on('exit', (code, signal) => {
		children.delete(child);
		if (!stopping) {
			say(`n8n stopped (${signal || code}); its log: ${LOG_FILE}`);
			if (!VERBOSE) process.stdout.write(tailOf(LOG_FILE));
			void shutdown(code || 1);
		}
	});

	const base = `http://localhost:${PORT}`;
	await waitUntil(
		async () =>
			(await fetch(`${base}/healthz/readiness`)).status === 200 && (await fetch(`${base}/rest/settings`)).status === 200,
		180_000,
		() => child.exitCode !== null,
	);
	const owner = await ensureOwner(base);
	const lines = [
		'',
		`  n8n is ready:        ${base}`,
		owner ? `  log in as           ${OWNER.email} / ${OWNER.password}` : '  log in with the owner account you created',
		REAL
			? '  Dropbox:            the real one; create a "Dropbox Plus" credential with your app (README: "Create the Dropbox app")'
			: `  Dropbox:            the emulator at ${emulatorInfo.url} with a demo Dropbox (/Documents, /Photos, /Reports, /Inbox)`,
		REAL ? '' : `  credentials:        "${CREDENTIAL_NAME}" (refresh token) and "${OAUTH_CREDENTIAL_NAME}", ready to use`,
		REAL
			? ''
			: '  instant trigger:    copy its URL (Webhook URLs), then in another terminal: npm run webhook -- <that URL>',
		REAL
			? '  example workflows:  Overview → Workflows ("Dropbox Plus: …"); pick your credential in each Dropbox node first'
			: '  example workflows:  Overview → Workflows ("Dropbox Plus: …"); open one and press "Execute workflow"',
		`  state:              ${path.relative(REPO_ROOT, USER_FOLDER)}/ (npm start -- --reset to start over)`,
		'  stop:               Ctrl-C',
		'',
	].filter((l) => l !== '');
	process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

/** The emulator over HTTPS with a demo Dropbox in it. */
async function startDemoDropbox() {
	const { startEmulator } = require(path.join(REPO_ROOT, 'sandbox', 'dist', 'emulator', 'index.js'));
	const tlsDir = path.join(STATE, 'tls');
	const port = Number(process.env.DROPBOX_PLUS_EMULATOR_PORT || 0);
	emulator = await startEmulator({ port, host: '127.0.0.1', tlsDir, accessToken: 'sandbox-access-token' });
	const info = {
		url: emulator.url,
		port: emulator.port,
		caFile: path.join(tlsDir, 'ca.pem'),
		appKey: 'sandbox-app-key',
		appSecret: 'sandbox-app-secret',
	};
	const admin = async (route, body) => await adminCall(info, route, body);
	await admin('seed', demoDropbox());
	// for `npm run webhook`, which talks to this emulator from another terminal
	fs.writeFileSync(EMULATOR_FILE, JSON.stringify(info, null, 2));
	say(`Dropbox emulator on ${info.url}, seeded with a demo Dropbox`);
	return info;
}

/** Folders and small real files of several types. */
function demoDropbox() {
	const png = // a 2x2 PNG
		'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';
	return {
		folders: ['/Documents', '/Photos', '/Reports', '/Inbox', '/Archive'],
		files: [
			{ path: '/Documents/Welcome.txt', content: 'Welcome to the Dropbox Plus sandbox.\nEverything here lives in a local emulator.\n' },
			{ path: '/Documents/Invoice-2024-001.pdf', contentBase64: Buffer.from(minimalPdf('Invoice 2024-001: 120.00 EUR')).toString('base64') },
			{ path: '/Documents/settings.json', content: JSON.stringify({ theme: 'dark', notifications: true, retries: 3 }, null, 2) },
			{ path: '/Photos/pixel.png', contentBase64: png },
			{ path: '/Reports/sales-2024.csv', content: 'month,region,revenue\n2024-01,EU,1200\n2024-01,US,1850\n2024-02,EU,1320\n2024-02,US,1910\n' },
			{ path: '/Reports/summary.txt', content: 'Q1 revenue grew 9% over Q4.\n' },
			{ path: '/Inbox/Contract-draft.pdf', contentBase64: Buffer.from(minimalPdf('Contract draft')).toString('base64') },
		],
	};
}

function minimalPdf(text) {
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		null,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	const stream = `BT /F1 14 Tf 20 70 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET`;
	objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
	let out = '%PDF-1.4\n';
	const offsets = [];
	objects.forEach((o, i) => {
		offsets.push(out.length);
		out += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = out.length;
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return out;
}

/** Both credential types, with tokens this emulator issued (re-imported on every start). */
async function sandboxCredentials(info) {
	const token = await adminCall(info, 'tokens', { refreshToken: true, appKey: info.appKey });
	// the OAuth2 credential asks for exactly the scopes the node's credential lists (and the README's
	// permission list names), not every scope the emulator knows
	const { DROPBOX_PLUS_SCOPES } = require(path.join(REPO_ROOT, 'dist', 'credentials', 'DropboxPlusOAuth2Api.credentials.js'));
	const oauth = await adminCall(info, 'tokens', { refreshToken: true, appKey: info.appKey, scopes: DROPBOX_PLUS_SCOPES.split(' ') });
	return [
		{
			id: CREDENTIAL_ID,
			name: CREDENTIAL_NAME,
			type: 'dropboxPlusApi',
			data: { clientId: info.appKey, clientSecret: info.appSecret, refreshToken: token.refresh_token, accessToken: '', pathRoot: 'home' },
		},
		{
			id: OAUTH_CREDENTIAL_ID,
			name: OAUTH_CREDENTIAL_NAME,
			type: 'dropboxPlusOAuth2Api',
			data: {
				clientId: info.appKey,
				clientSecret: info.appSecret,
				grantType: 'authorizationCode',
				authUrl: 'https://www.dropbox.com/oauth2/authorize',
				accessTokenUrl: 'https://api.dropboxapi.com/oauth2/token',
				authQueryParameters: 'token_access_type=offline',
				authentication: 'body',
				scope: oauth.scopes.join(' '),
				pathRoot: 'home',
				oauthTokenData: {
					access_token: oauth.access_token,
					token_type: 'bearer',
					expires_in: oauth.expires_in,
					refresh_token: oauth.refresh_token,
					scope: oauth.scopes.join(' '),
					account_id: oauth.account_id,
				},
			},
		},
	];
}

/** Imports each example of examples/ once (later edits in n8n are kept). */
async function importExamples(cli) {
	const dir = path.join(REPO_ROOT, 'examples');
	const doneFile = path.join(USER_FOLDER, 'examples-imported.json');
	const done = fs.existsSync(doneFile) ? JSON.parse(fs.readFileSync(doneFile, 'utf8')) : [];
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
	const todo = files.filter((f) => !done.includes(f));
	if (!todo.length) return;
	say(`importing ${todo.length} example workflow(s) from examples/`);
	for (const f of todo) {
		await cli(['import:workflow', `--input=${path.join(dir, f)}`]);
		done.push(f);
	}
	fs.writeFileSync(doneFile, JSON.stringify(done, null, 2));
}

/** Creates the owner account on a fresh instance; false if one already exists. */
async function ensureOwner(base) {
	const res = await fetch(`${base}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (res.ok) return true;
	// already set up: is it still ours?
	const login = await fetch(`${base}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	return login.ok;
}

async function adminCall(info, route, body) {
	const https = require('https');
	const ca = fs.readFileSync(info.caFile);
	const payload = JSON.stringify(body || {});
	return await new Promise((resolve, reject) => {
		const req = https.request(
			{
				host: '127.0.0.1',
				port: info.port,
				method: 'POST',
				path: `/__admin/${route}`,
				ca,
				servername: 'api.dropboxapi.com',
				headers: { host: 'api.dropboxapi.com', 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
			},
			(res) => {
				let text = '';
				res.on('data', (c) => (text += c));
				res.on('end', () =>
					res.statusCode < 400 ? resolve(JSON.parse(text)) : reject(new Error(`emulator ${route}: ${res.statusCode} ${text}`)),
				);
			},
		);
		req.on('error', reject);
		req.end(payload);
	});
}

function run(cmd, cmdArgs, { env = process.env, quiet = false, cwd = REPO_ROOT } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, cmdArgs, { cwd, env, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
		children.add(child);
		let out = '';
		if (quiet) {
			child.stdout.on('data', (c) => (out = (out + c).slice(-20000)));
			child.stderr.on('data', (c) => (out = (out + c).slice(-20000)));
		}
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			children.delete(child);
			if (code === 0) resolve(out);
			else reject(new Error(`${path.basename(cmd)} ${cmdArgs.join(' ')} failed (${signal || code})\n${out}`));
		});
	});
}

async function waitUntil(probe, timeoutMs, gaveUp) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			if (await probe()) return;
		} catch {
			/* not yet */
		}
		if (gaveUp()) throw new Error(`n8n exited during startup; see ${LOG_FILE}\n${tailOf(LOG_FILE)}`);
		if (Date.now() > deadline) throw new Error(`n8n was not ready after ${timeoutMs / 1000} s; see ${LOG_FILE}`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

function portIsFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, () => srv.close(() => resolve(true)));
	});
}

function readOrCreate(file, make) {
	if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
	const v = make();
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, `${v}\n`, { mode: 0o600 });
	return v;
}

function tailOf(file, max = 4000) {
	try {
		const t = fs.readFileSync(file, 'utf8');
		return t.slice(-max);
	} catch {
		return '';
	}
}

async function shutdown(code = 0) {
	if (stopping) return;
	stopping = true;
	say('stopping…');
	await Promise.all(
		[...children].map(
			(c) =>
				new Promise((resolve) => {
					if (c.exitCode !== null || c.signalCode !== null) return resolve();
					const timer = setTimeout(() => c.kill('SIGKILL'), 15_000);
					c.once('exit', () => {
						clearTimeout(timer);
						resolve();
					});
					c.kill('SIGTERM');
				}),
		),
	);
	if (emulator) await emulator.close().catch(() => {});
	process.exit(code);
}

/**
 * What Dropbox does once a webhook URL is in the App Console, done by the emulator: the app's
 * webhook is set to `url`, Dropbox's verification GET (`?challenge=`) is sent to it — not to
 * n8n's Test URL, which listens for one call only — and a file is added to /Inbox, so the
 * signed notification POST follows at once. Every later change notifies the URL too.
 */
async function pointWebhookAt(info, url, { touch = true } = {}) {
	if (!/^https?:\/\/[^/]+\/webhook(-test)?\//.test(url)) {
		throw new Error(`"${url}" is not an n8n webhook URL: copy it from the Instant Trigger's Webhook URLs (…/webhook/…/webhook)`);
	}
	const isTestUrl = /\/webhook-test\//.test(url);
	await adminCall(info, 'webhook', { appKey: info.appKey, webhookUrl: url });
	const result = { url, verified: undefined, added: undefined };
	if (!isTestUrl) {
		const check = await adminCall(info, 'webhook/verify', { appKey: info.appKey, url });
		result.verified = check.ok === true;
		if (!result.verified) {
			throw new Error(`the verification GET got HTTP ${check.status} ${String(check.body).slice(0, 200)}: is the workflow published?`);
		}
	}
	if (touch) {
		const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
		result.added = `/Inbox/webhook-test-${stamp}.txt`;
		await adminCall(info, 'seed', { files: [{ path: result.added, content: `Added by npm run webhook at ${stamp}\n` }] });
	}
	return result;
}

module.exports = { demoDropbox, pointWebhookAt, sandboxCredentials, CREDENTIAL_ID, CREDENTIAL_NAME, EMULATOR_FILE };

if (require.main === module) {
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));
	main().catch((e) => {
		process.stderr.write(`[sandbox] ${e.message}\n`);
		void shutdown(1);
	});
}
