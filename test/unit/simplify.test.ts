import { fileCategory, fileExtension, simplifyEntry } from '../../nodes/shared/simplify';

describe('fileCategory and fileExtension', () => {
	it.each([
		['photo.JPG', 'image'],
		['scan.heic', 'image'],
		['notes.docx', 'document'],
		['readme.txt', 'document'],
		['invoice.pdf', 'pdf'],
		['budget.xlsx', 'spreadsheet'],
		['data.csv', 'spreadsheet'],
		['deck.pptx', 'presentation'],
		['song.flac', 'audio'],
		['clip.mov', 'video'],
		['backup.tar.gz', 'archive'],
		['bundle.zip', 'archive'],
		['program.exe', 'other'],
		['Makefile', 'other'],
		['.bashrc', 'other'],
		['trailing.', 'other'],
	])('%s is %s', (name, category) => {
		expect(fileCategory(name)).toBe(category);
	});

	it('takes the last extension, lower case, and none for dot files', () => {
		expect(fileExtension('backup.tar.GZ')).toBe('gz');
		expect(fileExtension('.env')).toBe('');
		expect(fileExtension('no-extension')).toBe('');
	});
});

describe('simplifyEntry', () => {
	it('flattens a file entry into the listed columns', () => {
		expect(
			simplifyEntry({
				'.tag': 'file',
				name: 'Plan.PDF',
				path_lower: '/projects/plan.pdf',
				path_display: '/Projects/Plan.PDF',
				id: 'id:abc',
				rev: '015f1234abcd',
				size: 42,
				client_modified: '2024-01-02T03:04:05Z',
				server_modified: '2024-01-02T03:04:06Z',
				content_hash: 'f'.repeat(64),
				is_downloadable: true,
			}),
		).toEqual({
			name: 'Plan.PDF',
			path_display: '/Projects/Plan.PDF',
			path_lower: '/projects/plan.pdf',
			path: '/Projects/Plan.PDF',
			type: 'file',
			size: 42,
			client_modified: '2024-01-02T03:04:05Z',
			server_modified: '2024-01-02T03:04:06Z',
			content_hash: 'f'.repeat(64),
			id: 'id:abc',
			rev: '015f1234abcd',
			extension: 'pdf',
			category: 'pdf',
		});
	});

	it('gives folders and deleted entries the same columns, null where Dropbox has no value', () => {
		const folder = simplifyEntry({ '.tag': 'folder', name: 'a.zip', path_display: '/a.zip', id: 'id:f' });
		expect(folder).toMatchObject({ type: 'folder', size: null, extension: null, category: 'folder', rev: null });
		const deleted = simplifyEntry({ '.tag': 'deleted', name: 'gone.txt', path_lower: '/gone.txt' });
		expect(deleted).toMatchObject({ type: 'deleted', path: '/gone.txt', id: null, extension: null, category: null });
		expect(Object.keys(deleted)).toEqual(Object.keys(folder));
	});

	it('keeps Dropbox\'s own path_display, path_lower and id, so {{ $json.path_display }} works after List and Search as after any other step', () => {
		const item = simplifyEntry({ '.tag': 'file', name: 'a.txt', path_lower: '/docs/a.txt', path_display: '/Docs/a.txt', id: 'id:x' });
		expect(item).toMatchObject({ path_display: '/Docs/a.txt', path_lower: '/docs/a.txt', id: 'id:x' });
		const lowerOnly = simplifyEntry({ '.tag': 'deleted', name: 'gone.txt', path_lower: '/gone.txt' });
		expect(lowerOnly).toMatchObject({ path_display: '/gone.txt', path_lower: '/gone.txt' });
	});
});
