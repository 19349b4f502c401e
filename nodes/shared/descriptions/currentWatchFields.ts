import type { INodeProperties } from 'n8n-workflow';

import { watchProperties } from './watchFields';

function withoutVersionCondition(property: INodeProperties): INodeProperties {
	const { displayOptions, ...rest } = property;
	const { '@version': _version, ...hide } = displayOptions?.hide ?? {};
	const kept = { ...displayOptions, hide: Object.keys(hide).length > 0 ? hide : undefined };
	if (kept.hide === undefined) delete kept.hide;
	return Object.keys(kept).length > 0 ? { ...rest, displayOptions: kept } : rest;
}

/**
 * The shared watch parameters as the newest version of the older triggers shows them, for a
 * trigger that has one version only: the variants kept for saved version-1 triggers (Include
 * Subfolders and Simplify off) are left out, and the others lose their version condition.
 */
export function currentWatchProperties(): INodeProperties[] {
	return watchProperties.filter((property) => property.displayOptions?.show?.['@version'] === undefined).map(withoutVersionCondition);
}
