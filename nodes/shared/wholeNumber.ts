/**
 * A whole number from `min` to `max`, given as a number or as its text (an expression can give
 * either); undefined for anything else. The one range check of every numeric field.
 */
export function wholeNumberIn(raw: unknown, min: number, max = Infinity): number | undefined {
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}
