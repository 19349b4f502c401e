/**
 * Runs `work` on every item with at most `limit` running at once, in input order of
 * starting. Once `stop()` is true no further item starts; those already running finish.
 */
export async function forEachLimited<T>(
	items: T[],
	limit: number,
	work: (item: T) => Promise<void>,
	stop: () => boolean = () => false,
): Promise<void> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < items.length && !stop()) {
			const item = items[next++];
			await work(item);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** `work` on every item, at most `limit` at once; the results in input order. */
export async function mapLimited<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	await forEachLimited(
		items.map((_, index) => index),
		limit,
		async (index) => {
			results[index] = await work(items[index], index);
		},
	);
	return results;
}
