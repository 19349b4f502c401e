import type { INodeProperties } from 'n8n-workflow';

/** Return All + Limit (+ Simplify) for an operation that lists many results. */
export function listingFields(
	resource: string,
	operation: string,
	options: { simplify?: string },
): INodeProperties[] {
	const show = { resource: [resource], operation: [operation] };
	const fields: INodeProperties[] = [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
	if (options.simplify) {
		fields.push({
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description: `Whether to return a simplified version of the response instead of the raw data (${options.simplify})`,
			displayOptions: { show },
		});
	}
	return fields;
}
