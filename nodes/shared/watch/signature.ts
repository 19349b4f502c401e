import { createHmac, timingSafeEqual } from 'node:crypto';

/** The X-Dropbox-Signature of a raw body: the lowercase hex HMAC-SHA256 of it keyed with the app secret. */
export function dropboxSignature(rawBody: Buffer, appSecret: string): string {
	return createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/**
 * Whether `signature` (the X-Dropbox-Signature header) is the lowercase hex HMAC-SHA256 of
 * the raw request body keyed with the app secret. Compared in constant time.
 */
export function isDropboxSignature(rawBody: unknown, signature: unknown, appSecret: string): boolean {
	if (!Buffer.isBuffer(rawBody) || typeof signature !== 'string' || appSecret === '') return false;
	const expected = Buffer.from(dropboxSignature(rawBody, appSecret), 'hex');
	const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
	return given.length === expected.length && timingSafeEqual(given, expected);
}
