/**
 * A parser for Dropbox's Stone specification language, enough of it to read the official API
 * spec (spec/dropbox-api-spec): namespaces, imports, aliases, structs (with `extends`, fields,
 * defaults, enumerated subtypes), unions (open and closed, `extends`, catch-all tags) and routes
 * with their `attrs`. Docstrings, examples and annotations are read past.
 */

export type Literal = string | number | boolean | null | { tag: string };

/** A use of a type: `WritePath`, `String(pattern="…")`, `List(String, max_items=10)?`, `common.Date`. */
export interface TypeRef {
	name: string;
	/** positional arguments (types of List/Map, format of Timestamp) */
	args: Array<TypeRef | Literal>;
	/** keyword arguments (pattern, min_length, max_items, …) */
	kwargs: Record<string, Literal>;
	nullable: boolean;
}

export interface Field {
	name: string;
	type: TypeRef;
	/** present when the spec gives `= value` */
	default?: Literal;
}

export interface StructDef {
	kind: 'struct';
	namespace: string;
	name: string;
	extends?: string;
	fields: Field[];
	/** enumerated subtypes: tag → struct name */
	subtypes?: Record<string, string>;
}

export interface UnionDef {
	kind: 'union';
	namespace: string;
	name: string;
	closed: boolean;
	extends?: string;
	/** tag → type (undefined for a void tag) */
	tags: Array<{ name: string; type?: TypeRef; catchAll: boolean }>;
}

export interface AliasDef {
	kind: 'alias';
	namespace: string;
	name: string;
	type: TypeRef;
}

export type TypeDef = StructDef | UnionDef | AliasDef;

export interface RouteDecl {
	namespace: string;
	name: string;
	version: number;
	arg: TypeRef;
	result: TypeRef;
	error: TypeRef;
	deprecated: boolean;
	attrs: Record<string, Literal>;
}

export interface Namespace {
	name: string;
	imports: string[];
	types: Map<string, TypeDef>;
	routes: RouteDecl[];
}

type Token =
	| { t: 'id'; v: string }
	| { t: 'str'; v: string }
	| { t: 'num'; v: number }
	| { t: 'p'; v: string };

interface Line {
	indent: number;
	tokens: Token[];
	lineNo: number;
	children: Line[];
}

export class StoneSyntaxError extends Error {}

/** Splits a file into logical lines of tokens; a string may run over several physical lines. */
function tokenize(text: string, file: string): Line[] {
	const lines: Line[] = [];
	let i = 0;
	let lineNo = 1;
	while (i < text.length) {
		// start of a physical line: measure the indent
		let indent = 0;
		while (text[i] === ' ') {
			indent++;
			i++;
		}
		const tokens: Token[] = [];
		const startLine = lineNo;
		while (i < text.length && text[i] !== '\n') {
			const c = text[i];
			if (c === ' ' || c === '\t' || c === '\r') {
				i++;
			} else if (c === '#') {
				while (i < text.length && text[i] !== '\n') i++;
			} else if (c === '"') {
				let v = '';
				i++;
				while (i < text.length && text[i] !== '"') {
					if (text[i] === '\\') {
						const n = text[i + 1];
						v += n === 'n' ? '\n' : n === 't' ? '\t' : n;
						i += 2;
						continue;
					}
					if (text[i] === '\n') lineNo++;
					v += text[i++];
				}
				if (i >= text.length) throw new StoneSyntaxError(`${file}:${startLine}: unterminated string`);
				i++;
				tokens.push({ t: 'str', v });
			} else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
				const m = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(text.slice(i))!;
				tokens.push({ t: 'num', v: Number(m[0]) });
				i += m[0].length;
			} else if (/[A-Za-z_]/.test(c)) {
				const m = /^[A-Za-z_][A-Za-z0-9_./]*/.exec(text.slice(i))!;
				tokens.push({ t: 'id', v: m[0] });
				i += m[0].length;
			} else if ('()=,?*@:[]{}'.includes(c)) {
				tokens.push({ t: 'p', v: c });
				i++;
			} else {
				throw new StoneSyntaxError(`${file}:${lineNo}: unexpected character ${JSON.stringify(c)}`);
			}
		}
		i++; // the newline
		lineNo++;
		if (tokens.length > 0) lines.push({ indent, tokens, lineNo: startLine, children: [] });
	}
	return lines;
}

/** Nests lines under the last less-indented line before them. */
function nest(lines: Line[]): Line[] {
	const top: Line[] = [];
	const stack: Line[] = [];
	for (const line of lines) {
		while (stack.length && stack[stack.length - 1].indent >= line.indent) stack.pop();
		(stack.length ? stack[stack.length - 1].children : top).push(line);
		stack.push(line);
	}
	return top;
}

class Cursor {
	private i = 0;
	constructor(
		private readonly tokens: Token[],
		private readonly where: string,
	) {}

	peek(ahead = 0): Token | undefined {
		return this.tokens[this.i + ahead];
	}

	done(): boolean {
		return this.i >= this.tokens.length;
	}

	next(): Token {
		const t = this.tokens[this.i++];
		if (!t) throw this.fail('unexpected end of line');
		return t;
	}

	isP(v: string): boolean {
		const t = this.peek();
		return t?.t === 'p' && t.v === v;
	}

	eatP(v: string): boolean {
		if (!this.isP(v)) return false;
		this.i++;
		return true;
	}

	expectP(v: string): void {
		if (!this.eatP(v)) throw this.fail(`expected "${v}"`);
	}

	id(): string {
		const t = this.next();
		if (t.t !== 'id') throw this.fail(`expected a name, got ${JSON.stringify(t.v)}`);
		return t.v;
	}

	fail(message: string): StoneSyntaxError {
		return new StoneSyntaxError(`${this.where}: ${message}`);
	}
}

function literal(c: Cursor): Literal {
	const t = c.next();
	if (t.t === 'str' || t.t === 'num') return t.v;
	if (t.t === 'id') {
		if (t.v === 'true') return true;
		if (t.v === 'false') return false;
		if (t.v === 'null') return null;
		return { tag: t.v };
	}
	throw c.fail(`expected a value, got "${t.v}"`);
}

function typeRef(c: Cursor): TypeRef {
	const ref: TypeRef = { name: c.id(), args: [], kwargs: {}, nullable: false };
	if (c.eatP('(')) {
		while (!c.eatP(')')) {
			const t = c.peek();
			const after = c.peek(1);
			if (t?.t === 'id' && after?.t === 'p' && after.v === '=') {
				c.next();
				c.next();
				ref.kwargs[t.v] = literal(c);
			} else if (t?.t === 'id' && !['true', 'false', 'null'].includes(t.v)) {
				ref.args.push(typeRef(c));
			} else {
				ref.args.push(literal(c));
			}
			c.eatP(',');
		}
	}
	if (c.eatP('?')) ref.nullable = true;
	return ref;
}

const isDoc = (line: Line): boolean => line.tokens.length === 1 && line.tokens[0].t === 'str';
const isAnnotation = (line: Line): boolean => line.tokens[0].t === 'p' && line.tokens[0].v === '@';
const startsWith = (line: Line, word: string): boolean => line.tokens[0].t === 'id' && line.tokens[0].v === word;

function parseStruct(ns: string, line: Line, c: Cursor, where: string): StructDef {
	const def: StructDef = { kind: 'struct', namespace: ns, name: c.id(), fields: [] };
	if (!c.done()) {
		if (c.id() !== 'extends') throw c.fail('expected "extends"');
		def.extends = c.id();
	}
	for (const child of line.children) {
		if (isDoc(child) || isAnnotation(child) || startsWith(child, 'example')) continue;
		const cc = new Cursor(child.tokens, `${where}:${child.lineNo}`);
		if (startsWith(child, 'union') || startsWith(child, 'union_closed')) {
			def.subtypes = {};
			for (const sub of child.children) {
				const sc = new Cursor(sub.tokens, `${where}:${sub.lineNo}`);
				const tag = sc.id();
				def.subtypes[tag] = sc.id();
			}
			continue;
		}
		const field: Field = { name: cc.id(), type: typeRef(cc) };
		if (cc.eatP('=')) field.default = literal(cc);
		if (!cc.done()) throw cc.fail('unexpected tokens after a field');
		def.fields.push(field);
	}
	return def;
}

function parseUnion(ns: string, line: Line, c: Cursor, closed: boolean, where: string): UnionDef {
	const def: UnionDef = { kind: 'union', namespace: ns, name: c.id(), closed, tags: [] };
	if (!c.done()) {
		if (c.id() !== 'extends') throw c.fail('expected "extends"');
		def.extends = c.id();
	}
	for (const child of line.children) {
		if (isDoc(child) || isAnnotation(child) || startsWith(child, 'example')) continue;
		const cc = new Cursor(child.tokens, `${where}:${child.lineNo}`);
		const name = cc.id();
		const catchAll = cc.eatP('*');
		const type = cc.done() ? undefined : typeRef(cc);
		if (type?.name === 'Void') def.tags.push({ name, catchAll });
		else def.tags.push({ name, type, catchAll });
	}
	return def;
}

function parseRoute(ns: string, line: Line, c: Cursor, where: string): RouteDecl {
	const name = c.id();
	let version = 1;
	if (c.eatP(':')) {
		const t = c.next();
		if (t.t !== 'num') throw c.fail('expected a route version');
		version = t.v;
	}
	c.expectP('(');
	const arg = typeRef(c);
	c.expectP(',');
	const result = typeRef(c);
	c.expectP(',');
	const error = typeRef(c);
	c.expectP(')');
	const deprecated = !c.done() && c.id() === 'deprecated';
	const attrs: Record<string, Literal> = {};
	for (const child of line.children) {
		if (!startsWith(child, 'attrs')) continue;
		for (const attr of child.children) {
			const ac = new Cursor(attr.tokens, `${where}:${attr.lineNo}`);
			const key = ac.id();
			ac.expectP('=');
			attrs[key] = literal(ac);
		}
	}
	return { namespace: ns, name, version, arg, result, error, deprecated, attrs };
}

/** Parses one `.stone` file. */
export function parseStone(text: string, file = 'spec'): Namespace {
	const top = nest(tokenize(text, file));
	let ns: Namespace | undefined;
	for (const line of top) {
		const where = `${file}:${line.lineNo}`;
		const c = new Cursor(line.tokens, where);
		const keyword = c.id();
		if (keyword === 'namespace') {
			ns = { name: c.id(), imports: [], types: new Map(), routes: [] };
			continue;
		}
		if (!ns) throw c.fail('a declaration before "namespace"');
		switch (keyword) {
			case 'import':
				ns.imports.push(c.id());
				break;
			case 'alias': {
				const name = c.id();
				c.expectP('=');
				ns.types.set(name, { kind: 'alias', namespace: ns.name, name, type: typeRef(c) });
				break;
			}
			case 'struct': {
				const def = parseStruct(ns.name, line, c, file);
				ns.types.set(def.name, def);
				break;
			}
			case 'union':
			case 'union_closed': {
				const def = parseUnion(ns.name, line, c, keyword === 'union_closed', file);
				ns.types.set(def.name, def);
				break;
			}
			case 'route':
				ns.routes.push(parseRoute(ns.name, line, c, file));
				break;
			case 'annotation':
			case 'annotation_type':
				break;
			default:
				throw c.fail(`unknown declaration "${keyword}"`);
		}
	}
	if (!ns) throw new StoneSyntaxError(`${file}: no namespace`);
	return ns;
}
