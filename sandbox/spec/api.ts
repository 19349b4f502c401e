/**
 * Dropbox's API as its official Stone specification defines it: every route with its host,
 * style, auth, scope and argument/result/error types, and a validator that checks a JSON value
 * against a type the way Dropbox's servers decode arguments (strict: unknown fields and tags
 * refused, every pattern and bound enforced). The emulator and the tests' wire-contract check
 * both read it, so what they accept comes from the spec, never from what our node sends.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseStone, type Field, type Literal, type Namespace, type StructDef, type TypeDef, type TypeRef, type UnionDef } from './stone';

export type Host = 'api' | 'content' | 'notify';
export type Style = 'rpc' | 'upload' | 'download';

export interface SpecRoute {
	/** The URL path after `/2/`: `files/copy_v2`. */
	url: string;
	namespace: string;
	host: Host;
	style: Style;
	/** `user`, `team`, `app`, `noauth`, or a comma list */
	auth: string;
	scope?: string;
	arg: TypeRef;
	result: TypeRef;
	error: TypeRef;
	deprecated: boolean;
}

/** Where the copy of the official spec lives in this repository. */
export const SPEC_DIR = findSpecDir();

function findSpecDir(): string {
	for (let dir = __dirname; ; dir = path.dirname(dir)) {
		const candidate = path.join(dir, 'spec', 'dropbox-api-spec');
		if (fs.existsSync(path.join(candidate, 'files.stone'))) return candidate;
		if (path.dirname(dir) === dir) throw new Error('spec/dropbox-api-spec not found above ' + __dirname);
	}
}

export class SpecValidationError extends Error {
	constructor(
		readonly parents: string[],
		readonly detail: string,
	) {
		super(parents.length ? `${parents.join('.')}: ${detail}` : detail);
	}
}

const INTEGER_RANGES: Record<string, [number | bigint, number | bigint]> = {
	Int32: [-(2 ** 31), 2 ** 31 - 1],
	UInt32: [0, 2 ** 32 - 1],
	Int64: [-(2n ** 63n), 2n ** 63n - 1n],
	UInt64: [0, 2n ** 64n - 1n],
};

function typeName(v: unknown): string {
	if (v === null || v === undefined) return 'null';
	if (Array.isArray(v)) return 'list';
	if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'float';
	if (typeof v === 'boolean') return 'boolean';
	if (typeof v === 'string') return 'string';
	return 'object';
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function strftimeRegex(format: string): RegExp {
	const parts: Record<string, string> = { Y: '\\d{4}', m: '\\d{2}', d: '\\d{2}', H: '\\d{2}', M: '\\d{2}', S: '\\d{2}' };
	const source = format.replace(/%(.)|([.*+?^${}()|[\]\\])/g, (_, code: string, special: string) =>
		code ? (parts[code] ?? code) : '\\' + special,
	);
	return new RegExp(`^${source}$`);
}

export class DropboxApiSpec {
	readonly namespaces = new Map<string, Namespace>();
	readonly routes = new Map<string, SpecRoute>();
	private readonly patterns = new Map<string, RegExp>();

	constructor(dir: string = SPEC_DIR) {
		for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.stone') && f !== 'stone_cfg.stone').sort()) {
			const ns = parseStone(fs.readFileSync(path.join(dir, file), 'utf8'), file);
			this.namespaces.set(ns.name, ns);
		}
		for (const ns of this.namespaces.values()) {
			for (const r of ns.routes) {
				const url = `${ns.name}/${r.name}${r.version > 1 ? `_v${r.version}` : ''}`;
				this.routes.set(url, {
					url,
					namespace: ns.name,
					host: (r.attrs.host as Host | undefined) ?? 'api',
					style: (r.attrs.style as Style | undefined) ?? 'rpc',
					auth: (r.attrs.auth as string | undefined) ?? 'user',
					scope: typeof r.attrs.scope === 'string' ? r.attrs.scope : undefined,
					arg: r.arg,
					result: r.result,
					error: r.error,
					deprecated: r.deprecated,
				});
			}
		}
	}

	route(url: string): SpecRoute | undefined {
		return this.routes.get(url);
	}

	/** The definition a name refers to from inside namespace `ns` (`Path`, `common.Date`). */
	lookup(name: string, ns: string): TypeDef | undefined {
		const dot = name.lastIndexOf('.');
		const [space, local] = dot >= 0 ? [name.slice(0, dot), name.slice(dot + 1)] : [ns, name];
		return this.namespaces.get(space)?.types.get(local);
	}

	private definition(name: string, ns: string): TypeDef {
		const def = this.lookup(name, ns);
		if (!def) throw new Error(`the spec has no type ${name} (from namespace ${ns})`);
		return def;
	}

	/** A struct's fields, its ancestors' first. */
	structFields(def: StructDef): Array<Field & { namespace: string }> {
		const own = def.fields.map((f) => ({ ...f, namespace: def.namespace }));
		if (!def.extends) return own;
		const parent = this.definition(def.extends, def.namespace) as StructDef;
		return [...this.structFields(parent), ...own];
	}

	/** A union's tags, its ancestors' first. */
	unionTags(def: UnionDef): Array<UnionDef['tags'][number] & { namespace: string }> {
		const own = def.tags.map((t) => ({ ...t, namespace: def.namespace }));
		if (!def.extends) return own;
		const parent = this.definition(def.extends, def.namespace) as UnionDef;
		return [...this.unionTags(parent), ...own];
	}

	/** Whether a type accepts no value (`Void`, or a nullable type). */
	acceptsNothing(ref: TypeRef, ns: string): boolean {
		if (ref.nullable || ref.name === 'Void') return true;
		const def = this.lookup(ref.name, ns);
		return def?.kind === 'alias' ? this.acceptsNothing(def.type, def.namespace) : false;
	}

	/** Throws a SpecValidationError saying what Dropbox would say of `value` as a `ref`. */
	validate(value: unknown, ref: TypeRef, ns: string, parents: string[] = []): void {
		if (value === null || value === undefined) {
			if (this.acceptsNothing(ref, ns)) return;
		}
		const fail = (detail: string): never => {
			throw new SpecValidationError(parents, detail);
		};
		switch (ref.name) {
			case 'Void':
				if (value !== null && value !== undefined) fail(`expected null, got ${typeName(value)}`);
				return;
			case 'String':
				return this.validateString(value, ref.kwargs, fail);
			case 'Boolean':
				if (typeof value !== 'boolean') fail(`expected boolean, got ${typeName(value)}`);
				return;
			case 'Int32':
			case 'UInt32':
			case 'Int64':
			case 'UInt64':
				return this.validateInteger(value, ref, fail);
			case 'Float32':
			case 'Float64':
				if (typeof value !== 'number' || !Number.isFinite(value)) fail(`expected float, got ${typeName(value)}`);
				this.checkRange(value as number, ref.kwargs, fail);
				return;
			case 'Timestamp': {
				const format = String(ref.args[0]);
				if (typeof value !== 'string') fail(`expected timestamp, got ${typeName(value)}`);
				if (!strftimeRegex(format).test(value as string) || Number.isNaN(Date.parse(value as string))) {
					fail(`'${show(value)}' does not match format '${format}'`);
				}
				return;
			}
			case 'Bytes':
				if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) fail(`expected base64 bytes, got ${typeName(value)}`);
				return;
			case 'List':
				return this.validateList(value, ref, ns, parents, fail);
			case 'Map': {
				if (typeName(value) !== 'object') fail(`expected object, got ${typeName(value)}`);
				for (const [k, v] of Object.entries(value as object)) {
					this.validate(k, ref.args[0] as TypeRef, ns, [...parents, k]);
					this.validate(v, ref.args[1] as TypeRef, ns, [...parents, k]);
				}
				return;
			}
		}
		const def = this.definition(ref.name, ns);
		if (def.kind === 'alias') return this.validate(value, def.type, def.namespace, parents);
		if (def.kind === 'struct') return this.validateStruct(value, def, parents, fail);
		return this.validateUnion(value, def, parents, fail);
	}

	private validateString(value: unknown, kwargs: Record<string, Literal>, fail: (d: string) => never): void {
		if (typeof value !== 'string') fail(`expected string, got ${typeName(value)}`);
		const text = value as string;
		// Dropbox counts characters as code points
		const length = [...text].length;
		if (typeof kwargs.max_length === 'number' && length > kwargs.max_length) {
			fail(`'${text.slice(0, 80)}' must be at most ${kwargs.max_length} characters, got ${length}`);
		}
		if (typeof kwargs.min_length === 'number' && length < kwargs.min_length) {
			fail(`'${text}' must be at least ${kwargs.min_length} characters, got ${length}`);
		}
		if (typeof kwargs.pattern === 'string' && !this.pattern(kwargs.pattern).test(text)) {
			fail(`'${text}' did not match pattern '${kwargs.pattern}'`);
		}
	}

	/** A Stone pattern matches the whole string (Python's `\A(?:…)\Z`). */
	pattern(source: string): RegExp {
		let re = this.patterns.get(source);
		if (!re) {
			re = new RegExp(`^(?:${source.replace(/^\^/, '').replace(/\$$/, '')})$`, 'u');
			this.patterns.set(source, re);
		}
		return re;
	}

	private validateInteger(value: unknown, ref: TypeRef, fail: (d: string) => never): void {
		if (typeof value !== 'number' || !Number.isInteger(value)) fail(`expected integer, got ${typeName(value)}`);
		const n = value as number;
		const [min, max] = INTEGER_RANGES[ref.name];
		if (BigInt(n) < BigInt(min) || BigInt(n) > BigInt(max)) fail(`${n} is not within range [${min}, ${max}]`);
		this.checkRange(n, ref.kwargs, fail);
	}

	private checkRange(n: number, kwargs: Record<string, Literal>, fail: (d: string) => never): void {
		if (typeof kwargs.min_value === 'number' && n < kwargs.min_value) fail(`${n} is less than ${kwargs.min_value}`);
		if (typeof kwargs.max_value === 'number' && n > kwargs.max_value) fail(`${n} is greater than ${kwargs.max_value}`);
	}

	private validateList(value: unknown, ref: TypeRef, ns: string, parents: string[], fail: (d: string) => never): void {
		if (!Array.isArray(value)) fail(`expected list, got ${typeName(value)}`);
		const list = value as unknown[];
		const { min_items: min, max_items: max } = ref.kwargs;
		if (typeof min === 'number' && list.length < min) fail(`expected at least ${min} items, got ${list.length}`);
		if (typeof max === 'number' && list.length > max) fail(`expected at most ${max} items, got ${list.length}`);
		list.forEach((item, i) => this.validate(item, ref.args[0] as TypeRef, ns, [...parents, String(i)]));
	}

	private validateStruct(value: unknown, def: StructDef, parents: string[], fail: (d: string) => never): void {
		if (typeName(value) !== 'object') fail(`expected object, got ${typeName(value)}`);
		const obj = value as Record<string, unknown>;
		if (def.subtypes && typeof obj['.tag'] === 'string') {
			const sub = def.subtypes[obj['.tag']];
			if (!sub) fail(`unknown subtype '${obj['.tag']}'`);
			return this.validateStruct(value, this.definition(sub, def.namespace) as StructDef, parents, fail);
		}
		const fields = this.structFields(def);
		for (const key of Object.keys(obj)) {
			if (key !== '.tag' && !fields.some((f) => f.name === key)) fail(`unknown field '${key}'`);
		}
		for (const field of fields) {
			const v = obj[field.name];
			if (v === undefined) {
				if (field.default === undefined && !this.acceptsNothing(field.type, field.namespace)) {
					fail(`missing required field '${field.name}'`);
				}
				continue;
			}
			this.validate(v, field.type, field.namespace, [...parents, field.name]);
		}
	}

	private validateUnion(value: unknown, def: UnionDef, parents: string[], fail: (d: string) => never): void {
		const tags = this.unionTags(def);
		let tagName: unknown;
		let obj: Record<string, unknown> | undefined;
		if (typeof value === 'string') tagName = value;
		else if (typeName(value) === 'object') {
			obj = value as Record<string, unknown>;
			if (!('.tag' in obj)) fail(`missing '.tag' key`);
			tagName = obj['.tag'];
			if (typeof tagName !== 'string') fail(`tag must be string, got ${typeName(tagName)}`);
		} else fail(`expected string or object, got ${typeName(value)}`);
		const tag = tags.find((t) => t.name === tagName);
		if (!tag) return fail(`unknown tag '${show(tagName)}'`);
		if (!tag.type) return;
		const sub = [...parents, tag.name];
		const target = this.lookup(tag.type.name, tag.namespace);
		const struct = target?.kind === 'struct' ? target : undefined;
		if (struct && !tag.type.nullable) {
			const { '.tag': _, ...fields } = obj ?? {};
			return this.validateStruct(fields, struct, parents, fail);
		}
		if (!obj || obj[tag.name] === undefined) {
			if (this.acceptsNothing(tag.type, tag.namespace)) return;
			fail(`tag '${tag.name}' requires a value`);
		}
		this.validate(obj![tag.name], tag.type, tag.namespace, sub);
	}
}

let loaded: DropboxApiSpec | undefined;

/** The spec, parsed once per process. */
export function apiSpec(): DropboxApiSpec {
	loaded ??= new DropboxApiSpec();
	return loaded;
}
