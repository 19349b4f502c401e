/**
 * The benchmark's scenarios: what each seeds in the emulator, the workflow it runs for our node
 * and for n8n's built-in Dropbox node (the same steps before the measured "Dropbox" node), how a
 * run is checked, and the raw client's run where there is one (file transfers).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { NODE_PREFIX, type Execution, type Harness, type NodeSpec } from '../../test/e2e/harness';
import { findFiles } from '../../test/e2e/harness/util';
import { formatBytes, type BenchSizes } from './options';
import { rawDownload, rawUpload } from './raw-client';

export type NodeImplementation = 'dropbox-plus' | 'n8n-builtin';
export type Implementation = NodeImplementation | 'raw';

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
	/** '1' … '10', 'nL' for the variant with latency */
	id: string;
	title: string;
	latencyMs: number;
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

/** The size of a binary item's bytes in n8n's filesystem store (without reading them). */
function storedBinarySize(h: Harness, execution: Execution): number {
	const ref = execution.items(MEASURED)[0]?.binary?.data;
	if (!ref?.id) throw new Error('the item has no binary data in the filesystem store');
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

function upload(id: string, size: number): Scenario {
	return {
		id,
		title: `upload one ${formatBytes(size)} file`,
		latencyMs: 0,
		async prepare(ctx, impl) {
			const target = `/bench/upload-${id}-${impl}.bin`;
			return {
				nodes: [
					{ name: 'Read file', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1.1, parameters: { operation: 'read', fileSelector: sourceFile(ctx, size), options: {} } },
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
		raw: async (ctx) => await rawUpload(ctx.h.emulator, sourceFile(ctx, size), `/bench/upload-${id}-raw.bin`),
	};
}

function download(id: string, size: number): Scenario {
	const source = `/bench/download-${id}.bin`;
	return {
		id,
		title: `download one ${formatBytes(size)} file`,
		latencyMs: 0,
		async setup(ctx) {
			await ctx.h.emulator.seed({ files: [{ path: source, size, seed: 7 }] });
		},
		async prepare(ctx, impl) {
			return {
				nodes: [
					dropboxNode(
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
		raw: async (ctx) => await rawDownload(ctx.h.emulator, source),
	};
}

const suffix = (latencyMs: number) => (latencyMs ? ` (+${latencyMs} ms per call)` : '');

function list(entries: number, latencyMs: number): Scenario {
	const folder = `/bench/list-${entries}-${latencyMs}ms`;
	return {
		id: latencyMs ? '5L' : '5',
		title: `list a folder of ${entries.toLocaleString('en-US')} entries${suffix(latencyMs)}`,
		latencyMs,
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

function deleteMany(count: number, latencyMs: number): Scenario {
	const id = latencyMs ? '6L' : '6';
	return {
		id,
		title: `delete ${count.toLocaleString('en-US')} files as items${suffix(latencyMs)}`,
		latencyMs,
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

function uploadMany(count: number, bytes: number, latencyMs: number): Scenario {
	const id = latencyMs ? '7L' : '7';
	const content = Buffer.alloc(bytes, 'bench ').toString('base64');
	return {
		id,
		title: `upload ${count.toLocaleString('en-US')} files of ${formatBytes(bytes)} as items${suffix(latencyMs)}`,
		latencyMs,
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

function copyMany(count: number, latencyMs: number): Scenario {
	const id = latencyMs ? '8L' : '8';
	return {
		id,
		title: `copy ${count.toLocaleString('en-US')} files as items${suffix(latencyMs)}`,
		latencyMs,
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
 * filesystem store: ours with If Unchanged "Skip" (9: nothing should be sent) or "Upload
 * Anyway" (10), the built-in node as it can (a plain overwrite). The emulator counts the bytes received.
 */
function reupload(id: '9' | '10', count: number, bytes: number): Scenario {
	const skip = id === '9';
	const folder = `/bench/reupload-${count}x${bytes}`;
	return {
		id,
		title: `re-upload ${count.toLocaleString('en-US')} unchanged files of ${formatBytes(bytes)}${skip ? ' (If Unchanged: Skip)' : ''}`,
		latencyMs: 0,
		async setup(ctx) {
			const dir = reuploadSources(ctx, count, bytes);
			for (const name of fs.readdirSync(dir)) await rawUpload(ctx.h.emulator, path.join(dir, name), `${folder}/${name}`);
		},
		async prepare(ctx, impl) {
			const target = `=${folder}/{{ $binary.data.fileName }}`;
			return {
				nodes: [
					{ name: 'Read files', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1.1, parameters: { operation: 'read', fileSelector: `${reuploadSources(ctx, count, bytes)}/*.bin`, options: {} } },
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

/** Every scenario for these sizes, in order; 5–8 twice when a latency is set. */
export function scenarios(sizes: BenchSizes): Scenario[] {
	const latencies = sizes.latencyMs ? [0, sizes.latencyMs] : [0];
	return [
		upload('1', sizes.smallFile),
		upload('2', sizes.largeFile),
		download('3', sizes.smallFile),
		download('4', sizes.largeFile),
		...latencies.map((l) => list(sizes.listEntries, l)),
		...latencies.map((l) => deleteMany(sizes.batchItems, l)),
		...latencies.map((l) => uploadMany(sizes.uploadItems, sizes.uploadItemBytes, l)),
		...latencies.map((l) => copyMany(sizes.batchItems, l)),
		reupload('9', sizes.reuploadItems, sizes.reuploadItemBytes),
		reupload('10', sizes.reuploadItems, sizes.reuploadItemBytes),
	];
}
