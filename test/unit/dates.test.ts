/**
 * @jest-environment ./test/support/farTimeZoneEnvironment.js
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkDropboxTime } from '../../nodes/shared/fieldChecks';
import { readLinkSettings } from '../../nodes/DropboxPlus/actions/sharedLink/linkInput';
import { dropboxTimestamp, parseDateTime } from '../../nodes/shared/dates';

/**
 * Issue 16, defect 10: Client Modified read a date without a time zone as UTC, shared-link
 * Expires as the server's local time. One parser now serves both: without a zone, UTC.
 * The process runs in Pacific/Auckland here (see the environment above), so that a local
 * reading shows.
 */
function linkContext(settings: IDataObject): IExecuteFunctions {
	return {
		getNode: () => ({ name: 'Dropbox Plus', type: 'dropboxPlus', typeVersion: 1, position: [0, 0], parameters: {} }),
		getNodeParameter: (name: string, _itemIndex: number, fallback: unknown) => (name === 'settings' ? settings : fallback),
	} as unknown as IExecuteFunctions;
}

const NOW = new Date('2026-12-01T00:00:00Z');
const expiresOf = (value: unknown, itemIndex = 0) => readLinkSettings(linkContext({ expires: value }), itemIndex, NOW).expires;

describe('one date rule for Client Modified and shared-link Expires', () => {
	it('the server is not on UTC in this test', () => {
		expect(new Date('2030-01-31T18:00:00').getTimezoneOffset()).not.toBe(0);
	});

	it.each([
		['2030-01-31T18:00:00', '2030-01-31T18:00:00Z'],
		['2030-01-31T18:00', '2030-01-31T18:00:00Z'],
		['2030-01-31 18:00:00', '2030-01-31T18:00:00Z'],
		['2030-01-31T18:00:00.999', '2030-01-31T18:00:00Z'],
		['2030-01-31', '2030-01-31T00:00:00Z'],
		['  2030-01-31T18:00:00  ', '2030-01-31T18:00:00Z'],
		['2030-01-31T18:00:00Z', '2030-01-31T18:00:00Z'],
		['2030-01-31T18:00:00+02:00', '2030-01-31T16:00:00Z'],
		['2030-01-31T18:00:00-0530', '2030-01-31T23:30:00Z'],
		['2030-01-31T18:00:00+01', '2030-01-31T17:00:00Z'],
		['2032-02-29T12:00:00', '2032-02-29T12:00:00Z'],
		['Thu, 31 Jan 2030 18:00:00 GMT', '2030-01-31T18:00:00Z'],
		['Thu Jan 31 2030 19:00:00 GMT+0100 (Central European Standard Time)', '2030-01-31T18:00:00Z'],
	])('"%s" is %s in both fields', (text, utc) => {
		expect(checkDropboxTime(text)).toEqual({ value: utc });
		expect(expiresOf(text)).toBe(utc);
	});

	it('takes Date values, Luxon DateTime values and epoch milliseconds in both fields', () => {
		const values: unknown[] = [new Date('2030-01-31T18:00:00Z'), { toISO: () => '2030-01-31T19:00:00.000+01:00' }, Date.UTC(2030, 0, 31, 18)];
		for (const value of values) {
			expect(checkDropboxTime(value)).toEqual({ value: '2030-01-31T18:00:00Z' });
			expect(expiresOf(value)).toBe('2030-01-31T18:00:00Z');
		}
	});

	it.each([
		['next tuesday'],
		['2030-02-30T00:00:00'],
		['2031-02-29'],
		['2030-01-31T25:00:00'],
		['2030-01-31T18:60'],
		['2030-13-01'],
		['2030-01-31T18:00:00+24:00'],
		['01/31/2030 18:00'],
		['Jan 31 2030 18:00'],
		['1714555800000'],
	])('refuses "%s" in both fields, naming the field, the item and the rule', (text) => {
		const check = checkDropboxTime(text);
		expect(check).toEqual({ problem: `"${text}" is not a date and time`, fix: expect.stringContaining('without a time zone is read as UTC') });
		let error: (Error & { description?: string; context?: IDataObject }) | undefined;
		try {
			expiresOf(text, 3);
		} catch (caught) {
			error = caught as Error;
		}
		expect(error?.message).toBe(`The Expires setting of item 3 "${text}" is not a date and time`);
		expect(error?.context?.itemIndex).toBe(3);
		expect(error?.description).toMatch(/2024-05-01T09:30:00Z.*UTC/);
	});

	it('refuses a link expiry in the past, read by the same rule', () => {
		expect(() => expiresOf('2026-11-30T23:59:59')).toThrow('The Expires setting of item 0 "2026-11-30T23:59:59" is in the past');
		expect(expiresOf('2026-12-01T00:00:01')).toBe('2026-12-01T00:00:01Z');
	});

	it('refuses values that are not dates: objects, NaN, an invalid Date', () => {
		const circular: IDataObject = {};
		circular.self = circular;
		for (const value of [{}, Number.NaN, new Date('x'), true, circular, Symbol('s'), { toISO: () => null }]) expect(parseDateTime(value)).toHaveProperty('problem');
		expect(dropboxTimestamp(new Date('2030-01-31T18:00:00.750Z'))).toBe('2030-01-31T18:00:00Z');
	});
});
