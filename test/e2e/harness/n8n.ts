/**
 * A real n8n (installed by scripts/n8n-install.js) with this package installed as a community
 * package, driven through its CLI (import, execute, export) and, for triggers, `n8n start`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

import { findFiles, freePort, runProcess, tail, waitFor, type ProcResult } from './util';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const installer = require('../../../scripts/n8n-install.js') as {
	ensureN8n(o?: { version?: string }): Promise<N8nPaths>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const shared = require('../../../scripts/n8n-env.js') as {
	n8nEnv(o: { userFolder: string; encryptionKey: string; version?: string; extra?: Record<string, string | undefined> }): NodeJS.ProcessEnv;
	installBuiltPackage(userFolder: string): string;
	routingEnv(o: { host?: string; port: number; caFile: string }): Record<string, string>;
};

export interface N8nPaths {
	version: string;
	nodeVersion: string;
	dir: string;
	node: string;
	n8nBin: string;
}

export const PACKAGE_NAME = 'n8n-nodes-dropbox-plus';

/** A credential as `n8n import:credentials` reads it; `data` is plain (n8n encrypts it). */
export interface CredentialJson {
	id?: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** A workflow as `n8n import:workflow` reads it. */
export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, any>>;
	connections: Record<string, any>;
	settings?: Record<string, unknown>;
	active?: boolean;
	pinData?: Record<string, unknown>;
	[k: string]: unknown;
}

export interface NodeItem {
	json: Record<string, any>;
	binary?: Record<string, BinaryRef>;
	pairedItem?: unknown;
	error?: unknown;
}

export interface BinaryRef {
	id?: string;
	data?: string;
	mimeType?: string;
	fileName?: string;
	fileSize?: string;
	fileExtension?: string;
	[k: string]: unknown;
}

/** One workflow execution, as `n8n execute --rawOutput` (or the REST API) reports it. */
export class Execution {
	constructor(
		/** the IRun object n8n printed */
		readonly raw: Record<string, any>,
		private readonly owner: N8n,
		/** n8n's own output, for diagnostics */
		readonly output = '',
	) {}

	get status(): string {
		return this.raw.status;
	}

	get runData(): Record<string, any[]> {
		return this.raw.data?.resultData?.runData ?? {};
	}

	/** the workflow-level error, if the run failed */
	get error(): Record<string, any> | undefined {
		return this.raw.data?.resultData?.error;
	}

	get lastNodeExecuted(): string | undefined {
		return this.raw.data?.resultData?.lastNodeExecuted;
	}

	/** the items a node produced (first run, output 0 unless told) */
	items(nodeName: string, { output = 0, run = 0 } = {}): NodeItem[] {
		const runs = this.runData[nodeName];
		if (!runs) throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(this.runData).join(', ')}`);
		const r = runs[run];
		if (!r) throw new Error(`node "${nodeName}" has no run ${run}`);
		if (r.error) throw new Error(`node "${nodeName}" failed: ${describeError(r.error)}`);
		return r.data?.main?.[output] ?? [];
	}

	/** the `json` of every item a node produced */
	json(nodeName: string, opts?: { output?: number; run?: number }): Array<Record<string, any>> {
		return this.items(nodeName, opts).map((i) => i.json);
	}

	/** the error a node ended with, if any */
	nodeError(nodeName: string, run = 0): Record<string, any> | undefined {
		return this.runData[nodeName]?.[run]?.error;
	}

	/** the bytes of a binary property of an item (from n8n's filesystem binary store) */
	async binary(nodeName: string, itemIndex = 0, property = 'data'): Promise<Buffer> {
		const item = this.items(nodeName)[itemIndex];
		const ref = item?.binary?.[property];
		if (!ref) throw new Error(`node "${nodeName}" item ${itemIndex} has no binary property "${property}"`);
		return await this.owner.readBinary(ref);
	}
}

function describeError(e: any): string {
	if (!e) return 'unknown error';
	return [e.message, e.description, e.httpCode ? `HTTP ${e.httpCode}` : '', e.node?.name ? `(node ${e.node.name})` : '']
		.filter(Boolean)
		.join(' — ');
}

/** A failed n8n CLI call or execution, carrying n8n's own output. */
export class N8nError extends Error {
	constructor(
		message: string,
		readonly result?: ProcResult,
		readonly execution?: Execution,
	) {
		super(
			result
				? `${message}\n--- n8n stdout ---\n${tail(result.stdout)}\n--- n8n stderr ---\n${tail(result.stderr)}`
				: message,
		);
	}
}

/** Pulls the last complete pretty-printed JSON object out of n8n's mixed log/stdout text. */
export function lastJsonObject(text: string): Record<string, any> | undefined {
	const lines = text.split('\n');
	let found: Record<string, any> | undefined;
	for (let s = 0; s < lines.length; s++) {
		if (lines[s] !== '{') continue;
		for (let e = s + 1; e < lines.length; e++) {
			if (lines[e] !== '}') continue;
			try {
				found = JSON.parse(lines.slice(s, e + 1).join('\n'));
				s = e;
			} catch {
				/* not JSON after all */
			}
			break;
		}
	}
	return found;
}

export interface N8nOptions {
	/** n8n version (default 2.41.1; N8N_VERSION overrides) */
	version?: string;
	/** extra environment for every n8n process (e.g. the emulator routing) */
	env?: Record<string, string>;
	/** where n8n keeps its state (default: a fresh temp dir, removed by stop()) */
	userFolder?: string;
	/** install the built package (dist/) as a community package (default true) */
	installPackage?: boolean;
	/** fixed encryption key (default: random per instance) */
	encryptionKey?: string;
	/** print every n8n command and its timing */
	verbose?: boolean;
}

export interface ServerOptions {
	port?: number;
	/** set up the owner account and log in (default true) */
	owner?: boolean;
	/** extra environment for this server */
	env?: Record<string, string>;
}

export const OWNER = { email: 'owner@sandbox.local', firstName: 'Sandbox', lastName: 'Owner', password: 'Sandbox-Passw0rd' };

export class N8n {
	readonly userFolder: string;
	readonly encryptionKey: string;
	private readonly ownsFolder: boolean;
	private server?: N8nServer;

	private constructor(
		readonly paths: N8nPaths,
		private readonly opts: N8nOptions,
	) {
		this.ownsFolder = !opts.userFolder;
		this.userFolder = opts.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
		this.encryptionKey = opts.encryptionKey ?? randomBytes(24).toString('hex');
	}

	/** Installs n8n if needed (minutes, once per machine), prepares a user folder with the package. */
	static async create(opts: N8nOptions = {}): Promise<N8n> {
		const paths = await installer.ensureN8n({ version: opts.version });
		const n8n = new N8n(paths, opts);
		if (opts.installPackage !== false) installBuiltPackage(n8n.userFolder);
		return n8n;
	}

	/** ~/.n8n inside the user folder: database, binary data, community packages */
	get dotN8n(): string {
		return path.join(this.userFolder, '.n8n');
	}

	/** Adds to the environment of every later n8n process of this instance (e.g. NODE_OPTIONS for profiling). */
	addEnv(extra: Record<string, string>): void {
		this.opts.env = { ...this.opts.env, ...extra };
	}

	/** The environment every n8n process of this instance gets (see scripts/n8n-env.js). */
	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		return shared.n8nEnv({
			userFolder: this.userFolder,
			encryptionKey: this.encryptionKey,
			version: this.paths.version,
			extra: { ...this.opts.env, ...extra },
		});
	}

	private log(msg: string) {
		if (this.opts.verbose || process.env.E2E_VERBOSE) process.stderr.write(`[n8n-e2e] ${msg}\n`);
	}

	/** Runs `n8n <args>`; throws N8nError (with n8n's output) on a non-zero exit unless allowFailure. */
	async cli(
		args: string[],
		{ allowFailure = false, timeoutMs = 180_000, env = {} as Record<string, string>, stdoutToFile = false } = {},
	): Promise<ProcResult> {
		const brokerPort = await freePort();
		const res = await runProcess(this.paths.node, [this.paths.n8nBin, ...args], {
			cwd: this.userFolder,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...env }),
			timeoutMs,
			stdoutFile: stdoutToFile ? path.join(os.tmpdir(), `n8n-stdout-${randomBytes(6).toString('hex')}.txt`) : undefined,
		});
		this.log(`n8n ${args.join(' ')} → ${res.code} in ${res.ms} ms`);
		if (res.code !== 0 && !allowFailure) throw new N8nError(`n8n ${args.join(' ')} exited with ${res.code ?? res.signal}`, res);
		return res;
	}

	private writeTemp(name: string, data: unknown): string {
		const dir = path.join(this.userFolder, 'import');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `${Date.now()}-${randomBytes(4).toString('hex')}-${name}.json`);
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	/** Imports credentials (plain data; n8n encrypts them). Returns their ids. */
	async importCredentials(creds: CredentialJson[]): Promise<string[]> {
		const withIds = creds.map((c) => ({ ...c, id: c.id ?? newId() }));
		await this.cli(['import:credentials', `--input=${this.writeTemp('credentials', withIds)}`]);
		return withIds.map((c) => c.id);
	}

	async importCredential(cred: CredentialJson): Promise<string> {
		return (await this.importCredentials([cred]))[0];
	}

	/** Imports a workflow (kept inactive). Returns its id. */
	async importWorkflow(wf: WorkflowJson): Promise<string> {
		const withId = { active: false, settings: { executionOrder: 'v1' }, ...wf, id: wf.id ?? newId() };
		await this.cli(['import:workflow', `--input=${this.writeTemp('workflow', withId)}`]);
		return withId.id;
	}

	/** The decrypted data of a stored credential (e.g. to see a refreshed token). */
	async credentialData(id: string): Promise<Record<string, any>> {
		const out = path.join(this.userFolder, 'import', `export-${randomBytes(4).toString('hex')}.json`);
		fs.mkdirSync(path.dirname(out), { recursive: true });
		await this.cli(['export:credentials', `--id=${id}`, '--decrypted', `--output=${out}`]);
		const all = JSON.parse(fs.readFileSync(out, 'utf8')) as Array<{ id: string; data: Record<string, any> }>;
		fs.rmSync(out, { force: true });
		const found = all.find((c) => c.id === id);
		if (!found) throw new Error(`credential ${id} not found`);
		return found.data;
	}

	/**
	 * Runs an imported workflow with `n8n execute --id … --rawOutput` (from its manual/first trigger);
	 * `env` adds to this one process's environment (e.g. another binary data mode).
	 * Throws N8nError (with n8n's output and the failing node's error) if the run fails, unless allowFailure.
	 */
	async execute(workflowId: string, { allowFailure = false, timeoutMs = 180_000, env = {} as Record<string, string> } = {}): Promise<Execution> {
		// through a file: n8n exits right after printing, and a pipe would lose the end of a large output
		const res = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], { allowFailure: true, timeoutMs, stdoutToFile: true, env });
		const raw = lastJsonObject(res.stdout);
		if (!raw || !raw.data) {
			throw new N8nError(`n8n execute --id=${workflowId} printed no execution data (exit ${res.code ?? res.signal})`, res);
		}
		const execution = new Execution(raw, this, `${res.stdout}\n${res.stderr}`);
		if (!allowFailure && (res.code !== 0 || execution.error || raw.status === 'error')) {
			// n8n's output without the (long) execution JSON, which the Execution carries
			const trimmed = { ...res, stdout: res.stdout.replace(/^\{\n[\s\S]*?\n\}$/m, '[execution JSON omitted]') };
			throw new N8nError(
				`workflow ${workflowId} failed: ${describeError(execution.error)} (last node: ${execution.lastNodeExecuted})`,
				trimmed,
				execution,
			);
		}
		return execution;
	}

	/** Imports a workflow and executes it: the one call most tests need. */
	async runWorkflow(wf: WorkflowJson, opts: { allowFailure?: boolean; timeoutMs?: number } = {}): Promise<Execution> {
		const id = await this.importWorkflow(wf);
		return await this.execute(id, opts);
	}

	/** Publishes (activates) a workflow from the CLI; takes effect when the server (re)starts. */
	async publishWorkflow(workflowId: string): Promise<void> {
		if (this.paths.version.startsWith('1.')) await this.cli(['update:workflow', `--id=${workflowId}`, '--active=true']);
		else await this.cli(['publish:workflow', `--id=${workflowId}`]);
	}

	/** The bytes behind a binary reference of an item: n8n's filesystem store, or inline base64. */
	async readBinary(ref: BinaryRef): Promise<Buffer> {
		if (ref.id) {
			const rel = ref.id.slice(ref.id.indexOf(':') + 1);
			const hits = findFiles(this.dotN8n, path.sep + rel.split('/').join(path.sep));
			const file = hits.find((h) => !h.endsWith('.metadata'));
			if (!file) throw new Error(`binary data ${ref.id} not found below ${this.dotN8n}`);
			return fs.readFileSync(file);
		}
		if (typeof ref.data === 'string') return Buffer.from(ref.data, 'base64');
		throw new Error(`binary reference has neither id nor data: ${JSON.stringify(ref)}`);
	}

	/** Stops the started server (if any); the instance (database, credentials) stays for more CLI calls or another start(). */
	async stopServer(): Promise<void> {
		if (this.server) await this.server.stop();
		this.server = undefined;
	}

	/** Starts `n8n start` (one per instance); resolves when it is ready and (by default) logged in as owner. */
	async start(opts: ServerOptions = {}): Promise<N8nServer> {
		if (this.server?.running) throw new Error('this n8n is already started: stopServer() first');
		const port = opts.port ?? (await freePort());
		const brokerPort = await freePort();
		this.server = await N8nServer.start(this, port, {
			...opts.env,
			N8N_PORT: String(port),
			N8N_HOST: 'localhost',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			WEBHOOK_URL: `http://localhost:${port}/`,
		});
		if (opts.owner !== false) await this.server.setupOwner();
		return this.server;
	}

	async stop(): Promise<void> {
		await this.stopServer();
		if (this.ownsFolder && !process.env.E2E_KEEP) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** A running `n8n start`: REST API as the owner, webhooks, executions, its log. */
export class N8nServer {
	private cookie = '';
	private logText = '';
	private exited?: { code: number | null; signal: NodeJS.Signals | null };

	private constructor(
		readonly n8n: N8n,
		readonly port: number,
		private readonly child: ChildProcess,
	) {
		const keep = (c: Buffer) => {
			this.logText += c.toString('utf8');
			if (this.logText.length > 2_000_000) this.logText = this.logText.slice(-1_000_000);
		};
		child.stdout!.on('data', keep);
		child.stderr!.on('data', keep);
		child.on('exit', (code, signal) => (this.exited = { code, signal }));
	}

	static async start(n8n: N8n, port: number, env: Record<string, string>): Promise<N8nServer> {
		const child = spawn(n8n.paths.node, [n8n.paths.n8nBin, 'start'], {
			cwd: n8n.userFolder,
			env: n8n.env(env),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const server = new N8nServer(n8n, port, child);
		try {
			await waitFor(
				'n8n to be ready',
				async () => {
					if (server.exited) throw new Error(`n8n start exited (${server.exited.code ?? server.exited.signal})`);
					const res = await fetch(`${server.url}/healthz/readiness`);
					if (res.status !== 200) return false;
					// n8n 1.x is "ready" a moment before its REST routes are mounted
					return (await fetch(`${server.url}/rest/settings`)).status === 200;
				},
				{ timeoutMs: 120_000, intervalMs: 500 },
			);
		} catch (e) {
			child.kill('SIGKILL');
			throw new N8nError(`n8n start failed: ${(e as Error).message}`, {
				code: null,
				signal: null,
				stdout: server.logText,
				stderr: '',
				ms: 0,
			});
		}
		return server;
	}

	get url(): string {
		return `http://localhost:${this.port}`;
	}

	/** the `n8n start` process id (for benchmarks that sample its memory) */
	get pid(): number | undefined {
		return this.child.pid;
	}

	/** false once the process has exited */
	get running(): boolean {
		return !this.exited;
	}

	/** Everything n8n printed so far. */
	get log(): string {
		return this.logText;
	}

	async setupOwner(): Promise<void> {
		const setup = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (setup.ok) {
			this.takeCookie(setup);
			return;
		}
		// owner exists already (reused user folder): log in
		const login = await fetch(`${this.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password }),
		});
		if (!login.ok) throw new Error(`owner setup (${setup.status}) and login (${login.status}: ${await login.text()}) failed`);
		this.takeCookie(login);
	}

	private takeCookie(res: Response) {
		const cookies = res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie') ?? ''];
		this.cookie = cookies
			.map((c) => c.split(';')[0])
			.filter(Boolean)
			.join('; ');
	}

	/** A REST call as the owner (`/rest/...`, `/types/...`); returns the parsed JSON (unwrapping `data`). */
	async api<T = any>(method: string, p: string, body?: unknown): Promise<T> {
		const res = await fetch(`${this.url}${p}`, {
			method,
			headers: {
				cookie: this.cookie,
				'browser-id': 'n8n-e2e',
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} ${p} → ${res.status}: ${text.slice(0, 2000)}`);
		const parsed = text ? JSON.parse(text) : undefined;
		return parsed && typeof parsed === 'object' && 'data' in parsed && !Array.isArray(parsed) ? parsed.data : parsed;
	}

	/** Node types n8n knows (as the editor loads them). */
	async nodeTypes(): Promise<Array<Record<string, any>>> {
		return await this.api('GET', '/types/nodes.json');
	}

	async credentialTypes(): Promise<Array<Record<string, any>>> {
		return await this.api('GET', '/types/credentials.json');
	}

	/** Activates (publishes) an imported workflow on the running server. */
	async activate(workflowId: string): Promise<void> {
		const wf = await this.api('GET', `/rest/workflows/${workflowId}`);
		if (this.n8n.paths.version.startsWith('1.')) {
			// n8n 1.x: activation is a PATCH of `active`
			await this.api('PATCH', `/rest/workflows/${workflowId}`, { active: true, versionId: wf.versionId });
			return;
		}
		await this.api('POST', `/rest/workflows/${workflowId}/activate`, { versionId: wf.versionId });
	}

	/**
	 * Waits until an active workflow's trigger has stored its static data (e.g. a cursor taken at
	 * activation): activation goes on in the background after activate() returns, and its webhooks
	 * answer before the trigger's own set-up (webhookMethods.create) has finished.
	 */
	async waitForStaticData(workflowId: string, timeoutMs = 60_000): Promise<Record<string, any>> {
		return await waitFor(
			`static data of workflow ${workflowId}`,
			async () => {
				const wf = await this.api('GET', `/rest/workflows/${workflowId}`);
				const data = typeof wf.staticData === 'string' ? JSON.parse(wf.staticData) : wf.staticData;
				return data && Object.keys(data).length > 0 ? data : undefined;
			},
			{ timeoutMs, intervalMs: 300 },
		);
	}

	async deactivate(workflowId: string): Promise<void> {
		if (this.n8n.paths.version.startsWith('1.')) {
			const wf = await this.api('GET', `/rest/workflows/${workflowId}`);
			await this.api('PATCH', `/rest/workflows/${workflowId}`, { active: false, versionId: wf.versionId });
			return;
		}
		await this.api('POST', `/rest/workflows/${workflowId}/deactivate`, {});
	}

	/** Executions of a workflow, newest first, with their full run data. */
	async executions(workflowId: string): Promise<Execution[]> {
		const list = await this.api<any>(
			'GET',
			`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`,
		);
		const results = (Array.isArray(list) ? list : list.results ?? []) as Array<{ id: string }>;
		const out: Execution[] = [];
		for (const r of results) out.push(await this.execution(r.id));
		return out;
	}

	/** One execution with its run data. */
	async execution(id: string): Promise<Execution> {
		const e = await this.api<any>('GET', `/rest/executions/${id}`);
		const data = typeof e.data === 'string' ? parseFlatted(e.data) : e.data;
		return new Execution({ ...e, data }, this.n8n, '');
	}

	/** Waits until a workflow has at least `count` finished executions; returns them newest first. */
	async waitForExecutions(workflowId: string, count = 1, timeoutMs = 60_000): Promise<Execution[]> {
		return await waitFor(
			`${count} execution(s) of workflow ${workflowId}`,
			async () => {
				const list = await this.api<any>(
					'GET',
					`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`,
				);
				const results = (Array.isArray(list) ? list : list.results ?? []) as Array<{ id: string; status: string }>;
				const done = results.filter((r) => !['running', 'new', 'waiting'].includes(r.status));
				if (done.length < count) return undefined;
				const out: Execution[] = [];
				for (const r of done) out.push(await this.execution(r.id));
				return out;
			},
			{ timeoutMs, intervalMs: 500 },
		);
	}

	/**
	 * Runs a stored workflow as the editor's "Execute workflow" button does (manual mode, on the
	 * server), from the named trigger (default: its first trigger-like node); waits for the result.
	 */
	async runManually(workflowId: string, { trigger, timeoutMs = 120_000 }: { trigger?: string; timeoutMs?: number } = {}): Promise<Execution> {
		const wf = await this.api('GET', `/rest/workflows/${workflowId}`);
		const start =
			trigger ??
			(wf.nodes as Array<{ name: string; type: string }>).find((n) => /trigger|webhook/i.test(n.type))?.name ??
			wf.nodes[0].name;
		const { executionId } = await this.api<{ executionId: string }>('POST', `/rest/workflows/${workflowId}/run`, {
			workflowData: wf,
			triggerToStartFrom: { name: start },
		});
		return await waitFor(
			`execution ${executionId}`,
			async () => {
				const e = await this.execution(executionId);
				return ['running', 'new', 'waiting'].includes(e.status) ? undefined : e;
			},
			{ timeoutMs, intervalMs: 300 },
		);
	}

	/** Calls a production webhook of an active workflow: POST /webhook/<path>. */
	async webhook(p: string, init: RequestInit = {}): Promise<Response> {
		return await fetch(`${this.url}/webhook/${p.replace(/^\//, '')}`, init);
	}

	/** Lines of n8n's log that report problems loading this package. */
	packageLoadErrors(): string[] {
		return this.logText
			.split('\n')
			.filter((l) => /dropbox-?plus|n8n-nodes-dropbox/i.test(l) && /error|fail|could not|unknown/i.test(l));
	}

	async stop(): Promise<void> {
		if (this.exited) return;
		const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
		await gone;
		clearTimeout(timer);
	}
}

/** Decodes n8n's "flatted" execution data format (what /rest/executions/:id returns). */
export function parseFlatted(text: string): any {
	// flatted: a JSON array; slot 0 is the root; inside objects and arrays every string is the
	// index (as a string) of the slot holding the real value; other primitives stay inline
	const slots = JSON.parse(text) as any[];
	const revived = new Set<number>();
	const get = (i: number): any => {
		const v = slots[i];
		if (v && typeof v === 'object' && !revived.has(i)) {
			revived.add(i);
			for (const k of Object.keys(v)) if (typeof v[k] === 'string') v[k] = get(Number(v[k]));
		}
		return v;
	};
	return get(0);
}

function newId(): string {
	// n8n ids: 16 alphanumeric characters
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(16);
	return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** Installs the built package (dist/) into a user folder as n8n's community-package installer would. */
export function installBuiltPackage(userFolder: string): string {
	return shared.installBuiltPackage(userFolder);
}
