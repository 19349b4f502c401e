import { headerSafeJson } from '../../nodes/shared/transport/headerSafeJson';

const HEADER_SAFE = /^[\x20-\x7e]*$/;

function roundTrips(value: unknown): string {
	const encoded = headerSafeJson(value);
	expect(encoded).toMatch(HEADER_SAFE);
	expect(JSON.parse(encoded)).toEqual(value);
	return encoded;
}

describe('Dropbox-API-Arg header encoding', () => {
	it('leaves plain ASCII JSON as it is', () => {
		expect(headerSafeJson({ path: '/Reports/q1.pdf' })).toBe('{"path":"/Reports/q1.pdf"}');
		expect(roundTrips({ path: '/a b/~!@#$%^&*()_+{}|:<>?`-=[];,./', mode: 'add', autorename: true })).toBe(
			'{"path":"/a b/~!@#$%^&*()_+{}|:<>?`-=[];,./","mode":"add","autorename":true}',
		);
	});

	it('escapes accents, CJK, DEL and emoji (as surrogate pairs) so the header is pure ASCII', () => {
		const encoded = headerSafeJson({ path: '/Café/日本/\u007f/📄.txt' });
		expect(encoded).toBe('{"path":"/Caf\\u00e9/\\u65e5\\u672c/\\u007f/\\ud83d\\udcc4.txt"}');
		expect(/^[\x20-\x7e]*$/.test(encoded)).toBe(true);
		expect(JSON.parse(encoded)).toEqual({ path: '/Café/日本/\u007f/📄.txt' });
	});

	it('writes accented Latin letters as lowercase \\uXXXX escapes', () => {
		expect(roundTrips({ path: '/Ærøskøbing/Ñandú/über.pdf' })).toBe(
			'{"path":"/\\u00c6r\\u00f8sk\\u00f8bing/\\u00d1and\\u00fa/\\u00fcber.pdf"}',
		);
	});

	it('writes CJK, Cyrillic, Arabic and Hebrew characters as one escape each', () => {
		expect(roundTrips({ path: '/中文/한국어/Привет/مرحبا/שלום' })).toBe(
			'{"path":"/\\u4e2d\\u6587/\\ud55c\\uad6d\\uc5b4/\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442/\\u0645\\u0631\\u062d\\u0628\\u0627/\\u05e9\\u05dc\\u05d5\\u05dd"}',
		);
	});

	it('writes every emoji as its two UTF-16 surrogate escapes', () => {
		expect(roundTrips({ path: '/😀' })).toBe('{"path":"/\\ud83d\\ude00"}');
		// a family emoji: several code points joined by ZWJ (U+200D), and a flag (two regional indicators)
		expect(roundTrips({ path: '/👨‍👩‍👧 🇫🇷' })).toBe(
			'{"path":"/\\ud83d\\udc68\\u200d\\ud83d\\udc69\\u200d\\ud83d\\udc67 \\ud83c\\uddeb\\ud83c\\uddf7"}',
		);
	});

	it('escapes DEL (0x7F) and the C1 controls, and leaves 0x7E as it is', () => {
		expect(roundTrips({ s: '~\u007f\u0080\u009f\u00a0' })).toBe('{"s":"~\\u007f\\u0080\\u009f\\u00a0"}');
	});

	it('escapes C0 control characters (tab, newline, NUL, ESC) so no raw control byte reaches the header', () => {
		expect(roundTrips({ s: 'a\tb\nc\rd\u0000e\u001bf\u0008\u000c' })).toBe(
			'{"s":"a\\tb\\nc\\rd\\u0000e\\u001bf\\b\\f"}',
		);
	});

	it('escapes quotes and backslashes the JSON way', () => {
		expect(roundTrips({ path: '/say "hi"\\there\\' })).toBe('{"path":"/say \\"hi\\"\\\\there\\\\"}');
	});

	it('escapes the line and paragraph separators U+2028 / U+2029 and the BOM U+FEFF', () => {
		expect(roundTrips({ s: '\u2028\u2029\ufeff\uffff' })).toBe('{"s":"\\u2028\\u2029\\ufeff\\uffff"}');
	});

	it('escapes keys as well as values, in nested objects and arrays', () => {
		const value = {
			'clé': [{ 'ключ': '値' }, 1, null, true, 'é'],
			nested: { mode: { '.tag': 'update', update: 'a1b2c3' }, name: 'Ångström' },
		};
		const encoded = roundTrips(value);
		expect(encoded).toContain('"cl\\u00e9"');
		expect(encoded).toContain('"\\u043a\\u043b\\u044e\\u0447":"\\u5024"');
	});

	it('is header safe for every BMP code unit and round-trips them all', () => {
		const units: string[] = [];
		for (let code = 0; code <= 0xffff; code++) {
			// lone surrogates included: JSON.stringify escapes them itself, the encoder the rest
			units.push(String.fromCharCode(code));
		}
		const all = units.join('');
		const encoded = headerSafeJson({ all });
		expect(encoded).toMatch(HEADER_SAFE);
		expect((JSON.parse(encoded) as { all: string }).all).toBe(all);
	});

	it('round-trips every astral plane sample (pairs of surrogates)', () => {
		const text = String.fromCodePoint(0x10000, 0x1f4a9, 0x1f9d1, 0x20000, 0x2fa1d, 0xe0001, 0x10ffff);
		const encoded = roundTrips({ text });
		// every astral character is two escapes, high then low
		expect(encoded.match(/\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}/g)).toHaveLength(7);
	});

	it('encodes the path-root and mode unions Dropbox expects', () => {
		expect(headerSafeJson({ '.tag': 'namespace_id', namespace_id: '12345' })).toBe(
			'{".tag":"namespace_id","namespace_id":"12345"}',
		);
		expect(roundTrips({ path: '/x', mode: { '.tag': 'update', update: '015f' }, strict_conflict: false })).toBe(
			'{"path":"/x","mode":{".tag":"update","update":"015f"},"strict_conflict":false}',
		);
	});
});
