import { createHmac } from 'node:crypto';

import { globToRegExp } from '../../nodes/DropboxPlusTrigger/glob';
import { isDropboxSignature } from '../../nodes/DropboxPlusTrigger/signature';

describe('name patterns', () => {
	it('matches * and ? against whole names, ignoring case, with regex characters taken literally', () => {
		const pattern = globToRegExp('Invoice-??.(final)*.pdf');
		expect(pattern.test('invoice-07.(final) v2.PDF')).toBe(true);
		expect(pattern.test('invoice-7.(final).pdf')).toBe(false);
		expect(pattern.test('invoice-07.final.pdf')).toBe(false);
		expect(pattern.test('old-invoice-07.(final).pdf')).toBe(false);
	});
});

describe('X-Dropbox-Signature', () => {
	const body = Buffer.from('{"list_folder":{"accounts":["dbid:A"]}}');
	const good = createHmac('sha256', 'secret').update(body).digest('hex');

	it('accepts the hex HMAC-SHA256 of the raw body, upper or lower case', () => {
		expect(isDropboxSignature(body, good, 'secret')).toBe(true);
		expect(isDropboxSignature(body, good.toUpperCase(), 'secret')).toBe(true);
	});

	it('refuses a changed body, another secret, a truncated or missing signature, or an empty secret', () => {
		expect(isDropboxSignature(Buffer.from(`${body} `), good, 'secret')).toBe(false);
		expect(isDropboxSignature(body, good, 'other')).toBe(false);
		expect(isDropboxSignature(body, good.slice(0, 62), 'secret')).toBe(false);
		expect(isDropboxSignature(body, undefined, 'secret')).toBe(false);
		expect(isDropboxSignature(body, createHmac('sha256', '').update(body).digest('hex'), '')).toBe(false);
		expect(isDropboxSignature(undefined, good, 'secret')).toBe(false);
	});
});
