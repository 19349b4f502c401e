/** Reading a route's argument fields: optional booleans and integers, required strings, union tags (Dropbox's 400 wording). */
import { badRequest } from '../errors';
import type { Ctx } from './types';

export function optBool(ctx: Ctx, v: unknown, field: string, def: boolean): boolean {
	if (v === undefined || v === null) return def;
	if (typeof v !== 'boolean') throw badRequest(ctx.route, `request body: ${field}: expected boolean, got ${typeof v}`);
	return v;
}
export function optInt(ctx: Ctx, v: unknown, field: string, def: number, min: number, max: number): number {
	if (v === undefined || v === null) return def;
	if (typeof v !== 'number' || !Number.isInteger(v)) throw badRequest(ctx.route, `request body: ${field}: expected integer, got ${typeof v}`);
	if (v < min) throw badRequest(ctx.route, `request body: ${field}: ${v} is not greater than or equal to ${min}`);
	if (v > max) throw badRequest(ctx.route, `request body: ${field}: ${v} is not less than or equal to ${max}`);
	return v;
}
export function reqStr(ctx: Ctx, v: unknown, field: string): string {
	if (v === undefined) throw badRequest(ctx.route, `request body: missing required field '${field}'`);
	if (typeof v !== 'string') throw badRequest(ctx.route, `request body: ${field}: expected string, got ${typeof v}`);
	return v;
}
/** A union argument given as "tag" or {".tag": "tag"}. */
export function unionTag(ctx: Ctx, v: unknown, field: string, allowed: string[], def: string): string {
	if (v === undefined || v === null) return def;
	const t = typeof v === 'string' ? v : typeof v === 'object' ? (v as Record<string, unknown>)['.tag'] : undefined;
	if (typeof t !== 'string' || !allowed.includes(t)) throw badRequest(ctx.route, `request body: ${field}: unknown tag '${String(t)}'`);
	return t;
}
/** A union value's tag, given as "tag" or {".tag": "tag", …}; undefined for anything else. */
export function tagOf(v: unknown): string | undefined {
	if (typeof v === 'string') return v;
	const tag = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)['.tag'] : undefined;
	return typeof tag === 'string' ? tag : undefined;
}
