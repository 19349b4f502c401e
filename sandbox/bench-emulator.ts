/**
 * Emulator benchmark: 1 GiB upload (session, 64 MiB appends) and download on loopback, list_folder over
 * 100,000 entries, and the emulator's peak RSS (VmHWM of the child process).
 *   npm run build:sandbox && node sandbox/dist/bench-emulator.js [--size-mib 1024] [--entries 100000]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (k: string, d: number) => (args.includes(k) ? Number(args[args.indexOf(k) + 1]) : d);
const SIZE = opt('--size-mib', 1024) * 1024 * 1024;
const ENTRIES = opt('--entries', 100_000);
const TOKEN = 'bench-token';
const agent = new http.Agent({ keepAlive: true });

function call(base: string, path: string, headers: Record<string, string>, body?: (req: http.ClientRequest) => Promise<void> | void, sink = false): Promise<{ status: number; text: string; bytes: number }> {
	return new Promise((resolve, reject) => {
		const req = http.request(base + path, { method: 'POST', headers, agent }, (res) => {
			const chunks: Buffer[] = [];
			let bytes = 0;
			res.on('data', (c: Buffer) => {
				bytes += c.length;
				if (!sink) chunks.push(c);
			});
			res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString(), bytes }));
		});
		req.on('error', reject);
		if (body) Promise.resolve(body(req)).then(() => req.end(), reject);
		else req.end();
	});
}

async function writeBytes(req: http.ClientRequest, n: number, block: Buffer): Promise<void> {
	let left = n;
	while (left > 0) {
		const c = left >= block.length ? block : block.subarray(0, left);
		left -= c.length;
		if (!req.write(c)) await new Promise((r) => req.once('drain', r));
	}
}

const rss = (pid: number): number => {
	const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) / 1024 : NaN;
};
const curRss = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

async function main() {
	const child = spawn(process.execPath, [join(__dirname, 'emulator', 'cli.js'), '--port', '0', '--access-token', TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
	const base: string = await new Promise((resolve) => child.stdout!.on('data', (d: Buffer) => {
		const m = /listening on (\S+)/.exec(d.toString());
		if (m) resolve(m[1]);
	}));
	const pid = child.pid!;
	console.log(`emulator ${base} pid ${pid}, idle RSS ${curRss(pid).toFixed(0)} MiB`);
	const auth = { Authorization: `Bearer ${TOKEN}` };
	const block = Buffer.alloc(1024 * 1024, 0x5a);
	const CHUNK = 64 * 1024 * 1024;

	// upload
	let t0 = Date.now();
	const start = await call(base, '/2/files/upload_session/start', { ...auth, 'Content-Type': 'application/octet-stream', 'Dropbox-API-Arg': '{}' }, (r) => writeBytes(r, 0, block));
	const sid = JSON.parse(start.text).session_id;
	let offset = 0;
	while (offset < SIZE) {
		const n = Math.min(CHUNK, SIZE - offset);
		const r = await call(base, '/2/files/upload_session/append_v2', { ...auth, 'Content-Type': 'application/octet-stream', 'Dropbox-API-Arg': JSON.stringify({ cursor: { session_id: sid, offset } }), 'Content-Length': String(n) }, (req) => writeBytes(req, n, block));
		if (r.status !== 200) throw new Error(r.text);
		offset += n;
	}
	const fin = await call(base, '/2/files/upload_session/finish', { ...auth, 'Content-Type': 'application/octet-stream', 'Dropbox-API-Arg': JSON.stringify({ cursor: { session_id: sid, offset }, commit: { path: '/bench/1gib.bin' } }), 'Content-Length': '0' });
	if (fin.status !== 200) throw new Error(fin.text);
	const up = (Date.now() - t0) / 1000;
	const afterUp = rss(pid);
	console.log(`upload ${SIZE / 2 ** 20} MiB: ${up.toFixed(2)} s, ${(SIZE / 2 ** 20 / up).toFixed(0)} MiB/s (peak RSS so far ${afterUp.toFixed(0)} MiB)`);

	// download
	t0 = Date.now();
	const dl = await call(base, '/2/files/download', { ...auth, 'Dropbox-API-Arg': '{"path":"/bench/1gib.bin"}' }, undefined, true);
	const down = (Date.now() - t0) / 1000;
	if (dl.bytes !== SIZE) throw new Error(`downloaded ${dl.bytes}`);
	console.log(`download ${SIZE / 2 ** 20} MiB: ${down.toFixed(2)} s, ${(SIZE / 2 ** 20 / down).toFixed(0)} MiB/s (peak RSS so far ${rss(pid).toFixed(0)} MiB)`);

	// 100k entries
	t0 = Date.now();
	const seed = await call(base, '/__admin/seed', { 'Content-Type': 'application/json' }, (r) => void r.write(JSON.stringify({ generate: { folder: '/big-folder', count: ENTRIES } })));
	if (seed.status !== 200) throw new Error(seed.text);
	console.log(`seeded ${ENTRIES} entries in ${((Date.now() - t0) / 1000).toFixed(2)} s`);
	t0 = Date.now();
	let calls = 1;
	let res = JSON.parse((await call(base, '/2/files/list_folder', { ...auth, 'Content-Type': 'application/json' }, (r) => void r.write('{"path":"/big-folder","limit":2000}'))).text);
	let n = res.entries.length;
	while (res.has_more) {
		res = JSON.parse((await call(base, '/2/files/list_folder/continue', { ...auth, 'Content-Type': 'application/json' }, (r) => void r.write(JSON.stringify({ cursor: res.cursor })))).text);
		n += res.entries.length;
		calls++;
	}
	const lt = (Date.now() - t0) / 1000;
	if (n !== ENTRIES) throw new Error(`listed ${n}`);
	console.log(`list_folder ${n} entries in ${calls} calls: ${lt.toFixed(2)} s, ${(n / lt).toFixed(0)} entries/s`);
	t0 = Date.now();
	const one = JSON.parse((await call(base, '/2/files/get_metadata', { ...auth, 'Content-Type': 'application/json' }, (r) => void r.write('{"path":"/big-folder/file-054321.txt"}'))).text);
	console.log(`get_metadata in a 100k folder: ${Date.now() - t0} ms (${one.name})`);
	console.log(`emulator peak RSS (VmHWM): ${rss(pid).toFixed(0)} MiB`);
	child.kill('SIGTERM');
	agent.destroy();
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
