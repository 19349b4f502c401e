/**
 * No module imports itself through others: every relative import (`import`, `export … from`,
 * `import type`, `require`, `import()`) of every .ts file under the checked folders, followed to the
 * file it names; a cycle fails the test with its chain of files.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const p = join(dir, name);
		if (name === 'node_modules' || name === 'dist') return [];
		if (statSync(p).isDirectory()) return tsFiles(p);
		return /\.ts$/.test(name) && !/\.d\.ts$/.test(name) ? [p] : [];
	});
}

/** The files `file` imports by relative path (type-only imports included: they tie modules together too). */
function relativeImports(file: string): string[] {
	// TypeScript's own scanner: import, import type, export … from, require() and import(), comments skipped
	const specifiers = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
	const out = new Set<string>();
	for (const spec of specifiers.filter((s) => s.startsWith('./') || s.startsWith('../'))) {
		const base = resolve(dirname(file), spec);
		const found = [base, base + '.ts', join(base, 'index.ts')].find((p) => {
			try {
				return statSync(p).isFile();
			} catch {
				return false;
			}
		});
		if (found && found.endsWith('.ts')) out.add(found);
	}
	return [...out];
}

/**
 * The cycles a depth-first walk of the import graph of `files` meets (one per back edge, so none exactly
 * when there is no cycle), each as a chain `a → b → a` of paths relative to `root`.
 */
function importCycles(files: string[], root = ROOT): string[] {
	const graph = new Map(files.map((f) => [f, relativeImports(f)]));
	const cycles = new Set<string>();
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	const visit = (f: string) => {
		state.set(f, 'open');
		stack.push(f);
		for (const g of graph.get(f) ?? []) {
			if (state.get(g) === 'open') {
				const chain = stack.slice(stack.indexOf(g));
				// one name per cycle whatever file the walk entered it by: start at its smallest file
				const start = chain.indexOf([...chain].sort()[0]);
				const rotated = [...chain.slice(start), ...chain.slice(0, start)];
				cycles.add([...rotated, rotated[0]].map((p) => relative(root, p)).join(' → '));
			} else if (!state.has(g) && graph.has(g)) visit(g);
		}
		stack.pop();
		state.set(f, 'done');
	};
	for (const f of files) if (!state.has(f)) visit(f);
	return [...cycles].sort();
}

describe('imports point one way', () => {
	it('finds a cycle when there is one, type-only imports and index files included (the check can fail)', () => {
		const dir = mkdtempSync(join(tmpdir(), 'import-cycles-'));
		try {
			mkdirSync(join(dir, 'lib'));
			writeFileSync(join(dir, 'a.ts'), "import type { B } from './lib';\nexport const a = 1;\n");
			writeFileSync(join(dir, 'lib', 'index.ts'), "export { c } from '../c';\nexport type B = number;\n");
			writeFileSync(join(dir, 'c.ts'), "// import { x } from './nothing';\nexport const c = require('./a');\n");
			writeFileSync(join(dir, 'd.ts'), "import { a } from './a';\nexport const d = a;\n");
			expect(importCycles(tsFiles(dir), dir)).toEqual(['a.ts → lib/index.ts → c.ts → a.ts']);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('no module under sandbox/, nodes/ or credentials/ imports itself through others', () => {
		const files = ['sandbox', 'nodes', 'credentials'].flatMap((dir) => tsFiles(join(ROOT, dir)));
		expect(files.length).toBeGreaterThan(100);
		expect(importCycles(files)).toEqual([]);
	});
});
