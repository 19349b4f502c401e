/**
 * One naming rule for every resource (issue 21): an operation that returns many entries is
 * "List …" (n8n's "Get Many" is not used anywhere), and every action reads "<verb> a/the …".
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import { DropboxPlus } from '../../nodes/DropboxPlus/DropboxPlus.node';

const operations = new DropboxPlus().description.properties
	.filter((property) => property.name === 'operation')
	.flatMap((property) => (property.options ?? []) as INodePropertyOptions[]);

describe('action names follow one rule on every resource', () => {
	it('lists are "List …", never "Get Many"', () => {
		const names = operations.map((operation) => `${operation.name} / ${operation.action ?? ''}`);
		expect(names.filter((name) => /get many|get all/i.test(name))).toEqual([]);
		const listing = operations.filter((operation) => /^list/.test(String(operation.value)));
		expect(listing.length).toBeGreaterThanOrEqual(3);
		for (const operation of listing) {
			expect(operation.name).toMatch(/^List\b/);
			expect(operation.action).toMatch(/^List\b/);
		}
	});

	it('every action is a sentence a user can pick: a verb, then what it acts on', () => {
		for (const operation of operations) {
			expect(operation.action).toMatch(/^[A-Z][a-z]+( or [a-z]+)? (a|an|the|all|file|files|shared|space|revisions)\b/);
		}
	});
});
