import { NodeOperationError, type IExecuteFunctions, type INodeParameterResourceLocator } from 'n8n-workflow';

import { checkPath, pathFromDropboxUrl, type PathCheck, type PathRules } from './paths';

/** Throws the NodeOperationError for a refused path: it names the item, the field and the fix. */
export function requireValidPath(
	ctx: IExecuteFunctions,
	check: PathCheck,
	field: string,
	itemIndex: number,
	raw: unknown,
): string {
	if ('path' in check) return check.path;
	const shown = typeof raw === 'string' ? ` "${raw}"` : '';
	throw new NodeOperationError(ctx.getNode(), `The ${field}${shown} ${check.problem}`, {
		itemIndex,
		description: check.fix,
	});
}

/**
 * Checks a resource-locator value (or a plain string, which counts as a path) by its mode:
 * a Dropbox address, an ID with or without `id:`, or a path. Pure: the nodes and the
 * triggers turn a refusal into their own error.
 */
export function checkLocatorValue(value: unknown, rules: PathRules = {}): { check: PathCheck; raw: unknown } {
	const locator: { mode: string; value: unknown } =
		value !== null && typeof value === 'object' && '__rl' in value
			? { mode: (value as INodeParameterResourceLocator).mode, value: (value as INodeParameterResourceLocator).value }
			: { mode: 'path', value };
	const raw = locator.value;
	let check: PathCheck;
	if (locator.mode === 'url' && typeof raw === 'string') {
		check = pathFromDropboxUrl(raw);
		if ('path' in check && check.path === '' && !rules.allowRoot) check = checkPath('', rules);
	} else if (locator.mode === 'id' && typeof raw === 'string' && raw !== '' && !raw.startsWith('id:')) {
		check = checkPath(`id:${raw}`, rules);
	} else {
		check = checkPath(raw, rules);
	}
	return { check, raw };
}

/**
 * The Dropbox path (or `id:`/`ns:` reference) a resource-locator field points at, checked
 * before any call.
 */
export function resolveLocator(
	ctx: IExecuteFunctions,
	parameter: string,
	itemIndex: number,
	field: string,
	rules: PathRules = {},
): string {
	const { check, raw } = checkLocatorValue(ctx.getNodeParameter(parameter, itemIndex), rules);
	return requireValidPath(ctx, check, field, itemIndex, raw);
}
