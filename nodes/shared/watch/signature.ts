import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Whether `signature` (the X-Dropbox-Signature header) is the lowercase hex HMAC-SHA256 of
 * the raw request body keyed with the app secret. Compared in constant time.
 */
export function isDropboxSignature(rawBody: unknown, signature: unknown, appSecret: string): boolean {
	if (!Buffer.isBuffer(rawBody) || typeof signature !== 'string' || appSecret === '') return false;
	const expected = createHmac('sha256', appSecret).update(rawBody).digest();
	const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
	return given.length === expected.length && timingSafeEqual(given, expected);
}
