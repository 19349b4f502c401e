/** CLI: npm run emulator -- --port 8787 --access-token test-token [--tls-dir DIR] [--data-dir DIR] [--state-file FILE] [--token-ttl S] ... */
import { startEmulator } from './index';
import type { FaultConfig } from './faults';

function parse(argv: string[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) continue;
		const eq = a.indexOf('=');
		if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
		else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[a.slice(2)] = argv[++i];
		else out[a.slice(2)] = 'true';
	}
	return out;
}

const HELP = `Dropbox emulator
  --port N              (default 8787; 0 = random)
  --host H              (default 127.0.0.1)
  --access-token T      a valid token with full scopes for the default account
  --tls-dir DIR         serve HTTPS; writes DIR/ca.pem
  --data-dir DIR        where file contents live (default: temp dir, removed on exit)
  --state-file FILE     keep the state across restarts: loaded at start if it exists, saved on exit
                        (file contents in --data-dir, default FILE.data)
  --token-ttl S         lifetime of issued access tokens in seconds (default 14400)
  --app-key K --app-secret S   the OAuth app (default sandbox-app-key / sandbox-app-secret)
  --webhook-url URL     send signed webhook notifications there
  --latency MS          added latency per API call
  --rate-429 F --rate-500 F --rate-503 F --reset-rate F   share (0..1) of faulty calls
  --reason-429 too_many_requests|too_many_write_operations|mixed   --retry-after S
  --rate-entry-contention F  share of batch entries failing with too_many_write_operations
  --seed N              fault PRNG seed
  --verbose             log requests`;

async function main(): Promise<void> {
	const a = parse(process.argv.slice(2));
	if (a.help) {
		console.log(HELP); // eslint-disable-line no-console
		return;
	}
	const num = (k: string) => (a[k] !== undefined ? Number(a[k]) : undefined);
	const faults: FaultConfig = {
		seed: num('seed'), latencyMs: num('latency'), rate429: num('rate-429'), rate500: num('rate-500'), rate503: num('rate-503'),
		resetRate: num('reset-rate'), rateEntryContention: num('rate-entry-contention'), retryAfter: num('retry-after'), reason429: a['reason-429'] as FaultConfig['reason429'],
	};
	const emu = await startEmulator({
		port: num('port') ?? 8787,
		host: a.host,
		accessToken: a['access-token'],
		tlsDir: a['tls-dir'],
		dataDir: a['data-dir'],
		stateFile: a['state-file'],
		tokenTtlSeconds: num('token-ttl'),
		appKey: a['app-key'],
		appSecret: a['app-secret'],
		faults,
		verbose: a.verbose === 'true',
	});
	if (a['webhook-url']) emu.state.addApp(a['app-key'] ?? 'sandbox-app-key', a['app-secret'] ?? 'sandbox-app-secret', a['webhook-url']);
	console.log(`Dropbox emulator listening on ${emu.url}`); // eslint-disable-line no-console
	const stop = () => {
		void emu.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((e) => {
	console.error(e); // eslint-disable-line no-console
	process.exit(1);
});
