/**
 * The benchmark's scenarios: what each seeds in the emulator, the workflow it runs for our node
 * and for n8n's built-in Dropbox node (the same steps before the measured "Dropbox" node), how a
 * run is checked, and the raw client's run where there is one (file transfers). Downloads also
 * run n8n's own Read/Write Files from Disk node filling the same binary store from local disk
 * (the "n8n ceiling"). The list at the end (SCENARIOS) is the one place that says which
 * scenarios run in which variants: adding a scenario is one builder and one line there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { NODE_PREFIX, type Execution, type Harness, type NodeSpec } from '../../test/e2e/harness';
import { findFiles } from '../../test/e2e/harness/util';
import { formatBytes, type BenchSizes } from './options';
import { rawDownload, rawUpload } from './raw-client';

/** n8n-ceiling: n8n's Read/Write Files from Disk node reading the same bytes from local disk into the same store */
export type NodeImplementation = 'dropbox-plus' | 'n8n-builtin' | 'n8n-ceiling';
export type Implementation = NodeImplementation | 'raw';

/** How a scenario runs: as it is (''), with latency per call (L: 20 ms, D: a distant Dropbox, 60 ms), or in n8n's default binary mode (M). */
export interface Variant {
	suffix: '' | 'L' | 'D' | 'M';
	latencyMs: number;
	/** n8n's binary data mode for the run; default: filesystem */
	binaryMode?: 'default';
}

export interface BenchContext {
	h: Harness;
	/** where source files are written (n8n may read files here) */
	workDir: string;
	sizes: BenchSizes;
	ourCredential: string;
	builtinCredential: string;
}

/** The name of the node whose time is measured in every workflow. */
export const MEASURED = 'Dropbox';

export interface PreparedRun {
	/** the nodes after the Manual Trigger; the last one is MEASURED */
	nodes: NodeSpec[];
	/** throws if the run did not do what the scenario asks; returns the bytes it moved, if any */
	check(execution: Execution): { bytes?: number; items: number };
}

export interface Scenario {
	/** the scenario's number and its variant's letter: '1' … '12', '5L', '3D', '4M' */
	id: string;
	title: string;
	latencyMs: number;
	/** N8N_DEFAULT_BINARY_DATA_MODE of the measured n8n (default: filesystem) */
	binaryMode?: 'default';
	/** the n8n implementations that run it (the raw client runs where `raw` is given) */
	implementations: NodeImplementation[];
	/** seeds what every implementation's run reads (once, before them, not measured) */
	setup?(ctx: BenchContext): Promise<void>;
	/** seeds what this implementation's run changes, and builds its workflow */
	prepare(ctx: BenchContext, impl: NodeImplementation): Promise<PreparedRun>;
	/** the raw client's run of the same transfer; returns the bytes moved */
	raw?(ctx: BenchContext): Promise<number>;
}

const byPath = (value: string) => ({ __rl: true, mode: 'path', value });

function dropboxNode(ctx: BenchContext, impl: NodeImplementation, ours: Record<string, unknown>, builtin: Record<string, unknown>): NodeSpec {
	if (impl === 'dropbox-plus') {
		return {
			name: MEASURED,
			type: `${NODE_PREFIX}.dropboxPlus`,
			parameters: { authentication: 'refreshToken', ...ours },
			credentials: { dropboxPlusApi: ctx.ourCredential },
		};
	}
	return {
		name: MEASURED,
		type: 'n8n-nodes-base.dropbox',
		typeVersion: 1,
		parameters: { authentication: 'accessToken', ...builtin },
		credentials: { dropboxApi: ctx.builtinCredential },
	};
}

const codeNode = (name: string, jsCode: string): NodeSpec => ({ name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode } });

/** A file of `size` deterministic bytes in the work dir (written once, reused). */
function sourceFile(ctx: BenchContext, size: number): string {
	const file = path.join(ctx.workDir, `source-${size}.bin`);
	if (fs.existsSync(file) && fs.statSync(file).size === size) return file;
	const block = Buffer.alloc(1024 * 1024);
	for (let i = 0; i < block.length; i++) block[i] = (i * 31 + (i >> 10)) & 0xff;
	const fd = fs.openSync(file, 'w');
	try {
		for (let written = 0; written < size; written += block.length) fs.writeSync(fd, block, 0, Math.min(block.length, size - written));
	} finally {
		fs.closeSync(fd);
	}
	return file;
}

/** n8n's Read/Write Files from Disk node reading the files `fileSelector` (a path or glob) matches, one item each. */
function readFiles(name: string, fileSelector: string): NodeSpec {
	return { name, type: 'n8n-nodes-base.readWriteFile', typeVersion: 1.1, parameters: { operation: 'read', fileSelector, options: {} } };
}

/** The size of an item's binary bytes: in n8n's filesystem store (without reading them), or inline (default binary mode). */
function storedBinarySize(h: Harness, execution: Execution, index = 0): number {
	const ref = execution.items(MEASURED)[index]?.binary?.data;
	if (!ref?.id && typeof ref?.data === 'string') return Buffer.byteLength(ref.data, 'base64');
	if (!ref?.id) throw new Error('the item has no binary data');
	const rel = ref.id.slice(ref.id.indexOf(':') + 1);
	const file = findFiles(h.n8n.dotN8n, path.sep + rel.split('/').join(path.sep)).find((f) => !f.endsWith('.metadata'));
	if (!file) throw new Error(`binary data ${ref.id} not found in n8n's store`);
	return fs.statSync(file).size;
}

/** Every output item of the measured node, failing on an item that carries an error. */
function okItems(execution: Execution, expected: number): Array<Record<string, any>> {
	const out = execution.json(MEASURED);
	const failed = out.find((j) => j.error !== undefined);
	if (failed) throw new Error(`an item failed: ${JSON.stringify(failed.error).slice(0, 300)}`);
	if (out.length !== expected) throw new Error(`${out.length} items out, expected ${expected}`);
	return out;
}

const BOTH: NodeImplementation[] = ['dropbox-plus', 'n8n-builtin'];

const variantTitle = (v: Variant) => (v.binaryMode ? ` (n8n default binary mode)` : v.latencyMs ? ` (+${v.latencyMs} ms per call)` : '');

/** What every scenario takes from its variant: id, title, latency, binary mode; in-memory runs are ours only. */
function base(n: string, title: string, v: Variant, implementations = BOTH): Pick<Scenario, 'id' | 'title' | 'latencyMs' | 'binaryMode' | 'implementations'> {
	return {
		id: n + v.suffix,
		title: title + variantTitle(v),
		latencyMs: v.latencyMs,
		binaryMode: v.binaryMode,
		implementations: v.binaryMode ? ['dropbox-plus'] : implementations,
	};
}

function upload(n: string, size: number, v: Variant): Scenario {
	const id = n + v.suffix;
	return {
		...base(n, `upload one ${formatBytes(size)} file`, v),
		async prepare(ctx, impl) {
			const target = `/bench/upload-${id}-${impl}.bin`;
			return {
				nodes: [
					readFiles('Read file', sourceFile(ctx, size)),
					dropboxNode(
						ctx,
						impl,
						{ resource: 'file', operation: 'upload', destination: 'path', filePath: target, content: 'binary', binaryPropertyName: 'data', options: {} },
						{ resource: 'file', operation: 'upload', path: target, binaryData: true, binaryPropertyName: 'data' },
					),
				],
				check(execution) {
					const [meta] = okItems(execution, 1);
					if (meta.size !== size) throw new Error(`Dropbox reports ${meta.size} bytes, expected ${size}`);
					return { bytes: size, items: 1 };
				},
			};
		},
		raw: v.binaryMode ? undefined : async (ctx) => await rawUpload(ctx.h.emulator, sourceFile(ctx, size), `/bench/upload-${id}-raw.bin`),
	};
}

function download(n: string, size: number, v: Variant): Scenario {
	const source = `/bench/download-${n}.bin`;
	return {
		// the ceiling only without latency: it reads local disk
		...base(n, `download one ${formatBytes(size)} file`, v, v.latencyMs ? BOTH : [...BOTH, 'n8n-ceiling']),
		async setup(ctx) {
			await ctx.h.emulator.seed({ files: [{ path: source, size, seed: 7 }] });
		},
		async prepare(ctx, impl) {
			return {
				nodes: [
					impl === 'n8n-ceiling' ? readFiles(MEASURED, sourceFile(ctx, size)) : dropboxNode(
						ctx,
						impl,
						{ resource: 'file', operation: 'download', file: byPath(source), binaryPropertyName: 'data', options: {} },
						{ resource: 'file', operation: 'download', path: source, binaryPropertyName: 'data' },
					),
				],
				check(execution) {
					okItems(execution, 1);
					const stored = storedBinarySize(ctx.h, execution);
					if (stored !== size) throw new Error(`${stored} bytes in n8n's binary store, expected ${size}`);
					return { bytes: size, items: 1 };
				},
			};
		},
		raw: v.binaryMode ? undefined : async (ctx) => await rawDownload(ctx.h.emulator, source),
	};
}

function list(n: string, entries: number, v: Variant): Scenario {
	const folder = `/bench/list-${entries}-${v.latencyMs}ms`;
	return {
		...base(n, `list a folder of ${entries.toLocaleString('en-US')} entries`, v),
		async setup(ctx) {
			await ctx.h.emulator.seed({ generate: { folder, count: entries, size: 0, prefix: 'entry' } });
		},
		async prepare(ctx, impl) {
			return {
				nodes: [
					dropboxNode(
						ctx,
						impl,
						{ resource: 'folder', operation: 'list', folder: byPath(folder), recursive: false, entryType: 'all', returnAll: true, simplify: true, options: {} },
						{ resource: 'folder', operation: 'list', path: folder, returnAll: true, filters: {} },
					),
				],
				check: (execution) => ({ items: okItems(execution, entries).length }),
			};
		},
	};
}

/** A Code node making one item per seeded file: { path, to } */
function pathItems(count: number, folder: string, destination: string): NodeSpec {
	return codeNode(
		'Paths',
		`return Array.from({ length: ${count} }, (_, i) => {
	const name = 'file-' + String(i).padStart(6, '0') + '.txt';
	return { json: { path: ${JSON.stringify(folder)} + '/' + name, to: ${JSON.stringify(destination)} + '/' + name } };
});`,
	);
}

function deleteMany(n: string, count: number, v: Variant): Scenario {
	const id = n + v.suffix;
	return {
		...base(n, `delete ${count.toLocaleString('en-US')} files as items`, v),
		async prepare(ctx, impl) {
			const folder = `/bench/delete-${id}-${impl}`;
			await ctx.h.emulator.seed({ generate: { folder, count, size: 16, prefix: 'file' } });
			return {
				nodes: [
					pathItems(count, folder, folder),
					dropboxNode(ctx, impl, { resource: 'file', operation: 'delete', file: byPath('={{ $json.path }}'), options: {} }, { resource: 'file', operation: 'delete', path: '={{ $json.path }}' }),
				],
				check: (execution) => ({ items: okItems(execution, count).length }),
			};
		},
	};
}

function uploadMany(n: string, count: number, bytes: number, v: Variant): Scenario {
	const id = n + v.suffix;
	const content = Buffer.alloc(bytes, 'bench ').toString('base64');
	return {
		...base(n, `upload ${count.toLocaleString('en-US')} files of ${formatBytes(bytes)} as items`, v),
		async prepare(ctx, impl) {
			const folder = `/bench/upload-many-${id}-${impl}`;
			return {
				nodes: [
					codeNode(
						'Files',
						`const data = ${JSON.stringify(content)};
return Array.from({ length: ${count} }, (_, i) => ({
	json: { path: ${JSON.stringify(folder)} + '/f' + i + '.bin' },
	binary: { data: { data, mimeType: 'application/octet-stream', fileName: 'f' + i + '.bin' } },
}));`,
					),
					dropboxNode(
						ctx,
						impl,
						{ resource: 'file', operation: 'upload', destination: 'path', filePath: '={{ $json.path }}', content: 'binary', binaryPropertyName: 'data', options: {} },
						{ resource: 'file', operation: 'upload', path: '={{ $json.path }}', binaryData: true, binaryPropertyName: 'data' },
					),
				],
				check(execution) {
					const out = okItems(execution, count);
					const wrong = out.find((j) => j.size !== bytes);
					if (wrong) throw new Error(`an uploaded file has ${wrong.size} bytes, expected ${bytes}`);
					return { bytes: count * bytes, items: out.length };
				},
			};
		},
	};
}

function copyMany(n: string, count: number, v: Variant): Scenario {
	const id = n + v.suffix;
	return {
		...base(n, `copy ${count.toLocaleString('en-US')} files as items`, v),
		async prepare(ctx, impl) {
			const folder = `/bench/copy-${id}-${impl}`;
			await ctx.h.emulator.seed({ generate: { folder, count, size: 16, prefix: 'file' } });
			return {
				nodes: [
					pathItems(count, folder, `${folder}-copies`),
					dropboxNode(
						ctx,
						impl,
						{ resource: 'file', operation: 'copy', file: byPath('={{ $json.path }}'), destination: 'path', destinationPath: '={{ $json.to }}', options: {} },
						{ resource: 'file', operation: 'copy', path: '={{ $json.path }}', toPath: '={{ $json.to }}' },
					),
				],
				check: (execution) => ({ items: okItems(execution, count).length }),
			};
		},
	};
}

/** `count` source files of `size` bytes in the work dir, for one Read node to read as `count` items (a glob). */
function sourceFiles(ctx: BenchContext, count: number, size: number): string {
	const first = sourceFile(ctx, size);
	const dir = path.join(ctx.workDir, `many-${count}x${size}`);
	fs.mkdirSync(dir, { recursive: true });
	for (let i = 0; i < count; i++) {
		const file = path.join(dir, `f${i}.bin`);
		if (!fs.existsSync(file) || fs.statSync(file).size !== size) fs.copyFileSync(first, file);
	}
	return path.join(dir, '*.bin');
}

/**
 * Several large files as items, ours only: the built-in node holds every file whole in memory
 * (5 GiB of RSS for one 100 MiB upload, scenario 1), so 8 large files at once would only measure
 * the machine's memory.
 */
function uploadManyLarge(n: string, count: number, size: number, v: Variant): Scenario {
	return {
		...base(n, `upload ${count} files of ${formatBytes(size)} as items`, v, ['dropbox-plus']),
		async prepare(ctx) {
			const folder = `/bench/upload-large-${n + v.suffix}`;
			return {
				nodes: [
					readFiles('Read files', sourceFiles(ctx, count, size)),
					dropboxNode(
						ctx,
						'dropbox-plus',
						{ resource: 'file', operation: 'upload', destination: 'path', filePath: `={{ ${JSON.stringify(folder)} + '/' + $binary.data.fileName }}`, content: 'binary', binaryPropertyName: 'data', options: {} },
						{},
					),
				],
				check(execution) {
					const out = okItems(execution, count);
					const wrong = out.find((j) => j.size !== size);
					if (wrong) throw new Error(`an uploaded file has ${wrong.size} bytes, expected ${size}`);
					return { bytes: count * size, items: out.length };
				},
			};
		},
	};
}

function downloadManyLarge(n: string, count: number, size: number, v: Variant): Scenario {
	const folder = `/bench/download-large-${n}`;
	const paths = Array.from({ length: count }, (_, i) => `${folder}/f${i}.bin`);
	return {
		...base(n, `download ${count} files of ${formatBytes(size)} as items`, v, ['dropbox-plus']),
		async setup(ctx) {
			await ctx.h.emulator.seed({ files: paths.map((p, i) => ({ path: p, size, seed: 11 + i })) });
		},
		async prepare(ctx) {
			return {
				nodes: [
					codeNode('Paths', `return ${JSON.stringify(paths)}.map((path) => ({ json: { path } }));`),
					dropboxNode(ctx, 'dropbox-plus', { resource: 'file', operation: 'download', file: byPath('={{ $json.path }}'), binaryPropertyName: 'data', options: {} }, {}),
				],
				check(execution) {
					okItems(execution, count);
					for (let i = 0; i < count; i++) {
						const stored = storedBinarySize(ctx.h, execution, i);
						if (stored !== size) throw new Error(`item ${i}: ${stored} bytes in n8n's binary store, expected ${size}`);
					}
					return { bytes: count * size, items: count };
				},
			};
		},
	};
}

/** `count` local files of `bytes` each, every one with its own bytes (written once, reused): their folder. */
function reuploadSources(ctx: BenchContext, count: number, bytes: number): string {
	const dir = path.join(ctx.workDir, `reupload-${count}x${bytes}`);
	if (fs.existsSync(dir)) return dir;
	fs.mkdirSync(dir);
	const content = fs.readFileSync(sourceFile(ctx, bytes));
	for (let i = 0; i < count; i++) {
		content.writeUInt32BE(i, 0);
		fs.writeFileSync(path.join(dir, `r${String(i).padStart(4, '0')}.bin`), content);
	}
	return dir;
}

/**
 * Files already in Dropbox uploaded again with the same bytes, read by a Read File node from n8n's
 * filesystem store: ours with If Unchanged "Skip" (11: nothing should be sent) or "Upload
 * Anyway" (12), the built-in node as it can (a plain overwrite). The emulator counts the bytes received.
 */
function reupload(n: '11' | '12', count: number, bytes: number, v: Variant): Scenario {
	const skip = n === '11';
	const folder = `/bench/reupload-${count}x${bytes}`;
	return {
		...base(n, `re-upload ${count.toLocaleString('en-US')} unchanged files of ${formatBytes(bytes)}${skip ? ' (If Unchanged: Skip)' : ''}`, v),
		async setup(ctx) {
			const dir = reuploadSources(ctx, count, bytes);
			for (const name of fs.readdirSync(dir)) await rawUpload(ctx.h.emulator, path.join(dir, name), `${folder}/${name}`);
		},
		async prepare(ctx, impl) {
			const target = `=${folder}/{{ $binary.data.fileName }}`;
			return {
				nodes: [
					readFiles('Read files', `${reuploadSources(ctx, count, bytes)}/*.bin`),
					dropboxNode(
						ctx,
						impl,
						{ resource: 'file', operation: 'upload', destination: 'path', filePath: target, content: 'binary', binaryPropertyName: 'data', mode: 'overwrite', options: { ifUnchanged: skip ? 'skip' : 'upload' } },
						{ resource: 'file', operation: 'upload', path: target, binaryData: true, binaryPropertyName: 'data' },
					),
				],
				check(execution) {
					const out = okItems(execution, count);
					const wrong = out.find((j) => j.size !== bytes || (impl === 'dropbox-plus' && j.unchanged !== (skip ? true : undefined)));
					if (wrong) throw new Error(`an item is not the unchanged file expected: ${JSON.stringify(wrong).slice(0, 300)}`);
					return { bytes: count * bytes, items: out.length };
				},
			};
		},
	};
}

/**
 * Every scenario for these sizes, in order: each number with the variants it runs in
 * ('' as it is; L +20 ms per call; D a distant Dropbox, +60 ms; M n8n's default binary mode).
 * Variants without a size set (quick runs) are left out.
 */
export function scenarios(sizes: BenchSizes): Scenario[] {
	const variants: Record<Variant['suffix'], Variant | undefined> = {
		'': { suffix: '', latencyMs: 0 },
		L: sizes.latencyMs ? { suffix: 'L', latencyMs: sizes.latencyMs } : undefined,
		D: sizes.distantLatencyMs ? { suffix: 'D', latencyMs: sizes.distantLatencyMs } : undefined,
		M: sizes.inMemoryRuns ? { suffix: 'M', latencyMs: 0, binaryMode: 'default' } : undefined,
	};
	const { count, bytes } = sizes.manyLarge;
	const SCENARIOS: Array<[Array<Variant['suffix']>, (v: Variant) => Scenario]> = [
		[['', 'D', 'M'], (v) => upload('1', sizes.smallFile, v)],
		[['', 'D', 'M'], (v) => upload('2', sizes.largeFile, v)],
		[['', 'D', 'M'], (v) => download('3', sizes.smallFile, v)],
		[['', 'D', 'M'], (v) => download('4', sizes.largeFile, v)],
		[['', 'L', 'D'], (v) => list('5', sizes.listEntries, v)],
		[['', 'L', 'D'], (v) => deleteMany('6', sizes.batchItems, v)],
		[['', 'L', 'D'], (v) => uploadMany('7', sizes.uploadItems, sizes.uploadItemBytes, v)],
		[['', 'L', 'D'], (v) => copyMany('8', sizes.batchItems, v)],
		[[''], (v) => uploadManyLarge('9', count, bytes, v)],
		[[''], (v) => downloadManyLarge('10', count, bytes, v)],
		[[''], (v) => reupload('11', sizes.reuploadItems, sizes.reuploadItemBytes, v)],
		[[''], (v) => reupload('12', sizes.reuploadItems, sizes.reuploadItemBytes, v)],
	];
	const out: Scenario[] = [];
	for (const [suffixes, make] of SCENARIOS) {
		for (const suffix of suffixes) {
			const v = variants[suffix];
			if (v) out.push(make(v));
		}
	}
	return out;
}
