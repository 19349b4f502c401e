import { headerSafeJson } from '../../nodes/shared/transport/headerSafeJson';

describe('Dropbox-API-Arg header encoding', () => {
	it('leaves plain ASCII JSON as it is', () => {
		expect(headerSafeJson({ path: '/Reports/q1.pdf' })).toBe('{"path":"/Reports/q1.pdf"}');
	});

	it('escapes accents, CJK, DEL and emoji (as surrogate pairs) so the header is pure ASCII', () => {
		const encoded = headerSafeJson({ path: '/Café/日本/\u007f/📄.txt' });
		expect(encoded).toBe('{"path":"/Caf\\u00e9/\\u65e5\\u672c/\\u007f/\\ud83d\\udcc4.txt"}');
		expect(/^[\x20-\x7e]*$/.test(encoded)).toBe(true);
		expect(JSON.parse(encoded)).toEqual({ path: '/Café/日本/\u007f/📄.txt' });
	});
});
