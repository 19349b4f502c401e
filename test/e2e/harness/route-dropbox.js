/**
 * Preloaded into n8n (NODE_OPTIONS=--require <this file>) by the e2e harness and the sandbox.
 * It sends every TLS connection to a Dropbox host to the emulator instead, whatever HTTP
 * client n8n uses (axios, the OAuth2 client, fetch): `tls.connect` is the one place they all
 * pass through. The TLS handshake still names the real host (SNI) and the certificate is
 * still verified, against the emulator's CA (NODE_EXTRA_CA_CERTS). Connections to any other
 * host are untouched.
 *
 *   DROPBOX_PLUS_ROUTE_TO=127.0.0.1:PORT   where the emulator listens (HTTPS)
 *   DROPBOX_PLUS_ROUTE_HOSTS               optional comma-separated list of hosts to route
 *   DROPBOX_PLUS_ROUTE_LOG=1               log every routed connection to stderr
 *
 * Test-only machinery: it lives outside the package and is never shipped.
 */
'use strict';

const target = process.env.DROPBOX_PLUS_ROUTE_TO;
if (target) {
	const tls = require('tls');
	const dns = require('dns');
	const sep = target.lastIndexOf(':');
	const toHost = target.slice(0, sep);
	const toPort = Number(target.slice(sep + 1));
	const hosts = new Set(
		(process.env.DROPBOX_PLUS_ROUTE_HOSTS ||
			'api.dropboxapi.com,content.dropboxapi.com,notify.dropboxapi.com,www.dropbox.com')
			.split(',')
			.map((h) => h.trim().toLowerCase())
			.filter(Boolean),
	);
	const verbose = process.env.DROPBOX_PLUS_ROUTE_LOG === '1';
	const routed = (host) => typeof host === 'string' && hosts.has(host.toLowerCase().replace(/\.$/, ''));

	const originalConnect = tls.connect;
	tls.connect = function routedConnect(...args) {
		// tls.connect(options[, cb]) | tls.connect(port[, host][, options][, cb])
		let options;
		let rest;
		if (args[0] !== null && typeof args[0] === 'object') {
			options = args[0];
			rest = args.slice(1);
		} else {
			options = {};
			let i = 0;
			if (typeof args[i] === 'number' || typeof args[i] === 'string') options.port = args[i++];
			if (typeof args[i] === 'string') options.host = args[i++];
			if (args[i] !== null && typeof args[i] === 'object') options = { ...args[i++], ...options };
			rest = args.slice(i);
		}
		const host = options.host || options.servername;
		if (!options.socket && !options.path && routed(host)) {
			if (verbose) process.stderr.write(`[route-dropbox] ${host}:${options.port || 443} -> ${target}\n`);
			const changed = { ...options, host: toHost, port: toPort, servername: options.servername || host };
			delete changed.lookup;
			return originalConnect.call(this, changed, ...rest);
		}
		return originalConnect.apply(this, args);
	};

	// Anything that resolves the name first (proxies, allow-lists) gets the emulator's address.
	const originalLookup = dns.lookup;
	dns.lookup = function routedLookup(hostname, options, callback) {
		if (routed(hostname)) {
			const cb = typeof options === 'function' ? options : callback;
			const all = options && typeof options === 'object' && options.all;
			const family = toHost.includes(':') ? 6 : 4;
			process.nextTick(() => (all ? cb(null, [{ address: toHost, family }]) : cb(null, toHost, family)));
			return {};
		}
		return originalLookup.apply(this, arguments);
	};
	const originalPromisesLookup = dns.promises.lookup;
	dns.promises.lookup = async function routedPromisesLookup(hostname, options) {
		if (routed(hostname)) {
			const family = toHost.includes(':') ? 6 : 4;
			return options && typeof options === 'object' && options.all ? [{ address: toHost, family }] : { address: toHost, family };
		}
		return originalPromisesLookup.apply(this, arguments);
	};
}
