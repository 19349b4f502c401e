import type { INodeProperties } from 'n8n-workflow';

import { DropboxPlus } from '../../nodes/DropboxPlus/DropboxPlus.node';

/** Every option named `name` inside the node's Options collections, with the operations it shows for. */
function optionsNamed(name: string): Array<{ operations: unknown; option: INodeProperties }> {
	const found: Array<{ operations: unknown; option: INodeProperties }> = [];
	for (const property of new DropboxPlus().description.properties) {
		if (property.type !== 'collection') continue;
		for (const option of (property.options ?? []) as INodeProperties[]) {
			if (option.name === name) found.push({ operations: property.displayOptions?.show?.operation, option });
		}
	}
	return found;
}

describe('step-wide options say that they are read from the first item', () => {
	it.each(['batchSize', 'parallelUploads'])('%s: every operation that has it says so in its description', (name) => {
		const found = optionsNamed(name);
		expect(found.length).toBeGreaterThan(0);
		for (const { option } of found) expect(option.description).toMatch(/read from the first item/);
	});

	it('Batch Size is offered by copy, move, delete, folder create, upload and the file locks', () => {
		const operations = new Set(optionsNamed('batchSize').flatMap(({ operations }) => operations as string[]));
		expect([...operations].sort()).toEqual(['copy', 'create', 'delete', 'getLock', 'lock', 'move', 'unlock', 'upload']);
	});
});
