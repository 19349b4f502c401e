import { NodeOperationError, type IExecuteFunctions, type INodeParameterResourceLocator } from 'n8n-workflow';

import { checkPath, pathFromDropboxUrl, type PathCheck, type PathRules } from './paths';

/** The expression a parameter holds in the saved node ("={{ $json.path }}" gives "{{ $json.path }}"), if it holds one. */
function expressionOf(ctx: IExecuteFunctions, parameter: string): string | undefined {
	const saved = ctx.getNode().parameters[parameter] as unknown;
	const text =
		saved !== null && typeof saved === 'object' && '__rl' in saved ? (saved as INodeParameterResourceLocator).value : saved;
	return typeof text === 'string' && text.startsWith('=') ? text.slice(1).trim() : undefined;
}

function isEmpty(raw: unknown): boolean {
	return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/**
 * When a field's expression gave nothing (a field the input item does not have, such as
 * {{ $json.path }} after a step that gives path_display), the error says so and lists the
 * fields the input item does have, instead of judging the empty text as a path.
 */
export function emptyExpressionError(
	ctx: IExecuteFunctions,
	parameter: string,
	field: string,
	itemIndex: number,
	raw: unknown,
): NodeOperationError | undefined {
	if (!isEmpty(raw)) return undefined;
	const expression = expressionOf(ctx, parameter);
	if (expression === undefined) return undefined;
	const json = ctx.getInputData()[itemIndex]?.json ?? {};
	const fields = Object.keys(json);
	const shown = fields.slice(0, 20).join(', ') + (fields.length > 20 ? `, … (${fields.length} in all)` : '');
	const example = fields.includes('path_display') ? '{{ $json.path_display }}' : fields.length > 0 ? `{{ $json.${fields[0]} }}` : undefined;
	return new NodeOperationError(ctx.getNode(), `The ${field} is empty: its expression ${expression} gave nothing`, {
		itemIndex,
		description:
			fields.length > 0
				? `The input item ${itemIndex} has the fields ${shown}. Use one of them, e.g. ${example}.`
				: `The input item ${itemIndex} has no fields: check that the previous step gave output.`,
	});
}

/**
 * An expression typed while the field is in Fixed mode ("{{ $binary.data.fileName }}" saved as
 * text) would name a file literally so: refused, with the switch to make.
 */
export function fixedExpressionError(
	ctx: IExecuteFunctions,
	parameter: string,
	field: string,
	itemIndex: number,
): NodeOperationError | undefined {
	const saved = ctx.getNode().parameters[parameter] as unknown;
	const text =
		saved !== null && typeof saved === 'object' && '__rl' in saved ? (saved as INodeParameterResourceLocator).value : saved;
	if (typeof text !== 'string' || text.startsWith('=') || !/\{\{.*\}\}/s.test(text)) return undefined;
	return new NodeOperationError(ctx.getNode(), `The ${field} "${text}" looks like an expression, but the field is set to Fixed`, {
		itemIndex,
		description: `Switch the field to Expression (hover over it, then "Expression"), so ${text.trim()} is worked out instead of becoming part of a name.`,
	});
}

/** Throws the NodeOperationError for a refused path: it names the item, the field and the fix. */
export function requireValidPath(
	ctx: IExecuteFunctions,
	check: PathCheck,
	field: string,
	itemIndex: number,
	raw: unknown,
	parameter?: string,
): string {
	if (parameter !== undefined) {
		const refused = emptyExpressionError(ctx, parameter, field, itemIndex, raw) ?? fixedExpressionError(ctx, parameter, field, itemIndex);
		if (refused) throw refused;
	}
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
	return requireValidPath(ctx, check, field, itemIndex, raw, parameter);
}
