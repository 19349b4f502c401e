/**
 * TLS material generated with the openssl CLI: a CA (written to <dir>/ca.pem) and a leaf for
 * Dropbox's hosts. ECDSA P-256 keys: n8n opens a new TLS connection for every request, and an
 * RSA-2048 handshake would make the emulator, not the client under test, the slow side.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TLS_HOSTS = ['localhost', 'api.dropboxapi.com', 'content.dropboxapi.com', 'notify.dropboxapi.com', 'www.dropbox.com', 'dropbox.com'];

export function ensureTls(dir: string): { key: Buffer; cert: Buffer; ca: Buffer } {
	mkdirSync(dir, { recursive: true });
	const f = (n: string) => join(dir, n);
	const ossl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
	if (!existsSync(f('ca.pem')) || !existsSync(f('ca-key.pem'))) {
		ossl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', f('ca-key.pem'), '-out', f('ca.pem'), '-days', '3650',
			'-subj', '/CN=Dropbox Emulator Local CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
	}
	if (!existsSync(f('server.pem')) || !existsSync(f('server-key.pem'))) {
		const san = [...TLS_HOSTS.map((h) => `DNS:${h}`), 'IP:127.0.0.1', 'IP:::1'].join(',');
		writeFileSync(f('server.ext'), `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`);
		ossl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', f('server-key.pem'), '-out', f('server.csr'), '-subj', '/CN=localhost']);
		ossl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca-key.pem'), '-CAcreateserial', '-out', f('server.pem'), '-days', '825', '-extfile', f('server.ext')]);
	}
	return { key: readFileSync(f('server-key.pem')), cert: readFileSync(f('server.pem')), ca: readFileSync(f('ca.pem')) };
}
