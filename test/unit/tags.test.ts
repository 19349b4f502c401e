import type { IDataObject } from 'n8n-workflow';

import { addTags, taggablePath } from '../../nodes/shared/tags';
import { dropboxError, fakeContext, httpError } from './helpers/fakes';

const tagsOf = (paths: string[], tags: string[][]) => JSON.stringify({ paths_to_tags: paths.map((path, i) => ({ path, tags: tags[i].map((text) => ({ '.tag': 'user_generated_tag', tag_text: text })) })) });
const notFound = () => httpError(409, dropboxError({ '.tag': 'path', path: { '.tag': 'not_found' } }));
const bodyOf = (call: unknown[]) => JSON.parse(String((call[1] as { body: unknown }).body));

describe('Include Tags (addTags)', () => {
	it('an entry deleted between the listing and files/tags/get gets tags: null; the others are asked one by one and keep theirs', async () => {
		const { ctx, request } = fakeContext([notFound(), tagsOf(['/a'], [['x']]), notFound(), tagsOf(['/c'], [[]])]);
		const items: IDataObject[] = [{ path_lower: '/a' }, { path_lower: '/b' }, { path_lower: '/c' }, { type: 'deleted', path_lower: '/d' }];
		await addTags(ctx, items, taggablePath, { itemIndex: 0 });
		expect(items.map((item) => item.tags)).toEqual([['x'], null, [], null]);
		expect(request.mock.calls.map(bodyOf)).toEqual([{ paths: ['/a', '/b', '/c'] }, { paths: ['/a'] }, { paths: ['/b'] }, { paths: ['/c'] }]);
	});

	it('any other failure is the step\'s (here a missing scope), not a silent null', async () => {
		const { ctx } = fakeContext([httpError(401, dropboxError({ '.tag': 'missing_scope', required_scope: 'files.metadata.read' }))]);
		await expect(addTags(ctx, [{ path_lower: '/a' }], taggablePath, { itemIndex: 0 })).rejects.toThrow(/files\.metadata\.read/);
	});
});
