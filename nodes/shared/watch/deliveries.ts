/**
 * Notifications that reach one n8n process at the same time run one after the other per
 * trigger node, and a delivery whose stored cursor (loaded before the previous delivery
 * saved its own) was already read from continues where that one stopped. Small: a few
 * cursor steps per node. Static data stays the source of truth across processes and restarts.
 */
const queues = new Map<string, Promise<unknown>>();
const steps = new Map<string, Array<{ from: string; to: string }>>();
const STEPS_KEPT = 8;

export async function oneAtATime<T>(key: string, run: () => Promise<T>): Promise<T> {
	const previous = queues.get(key) ?? Promise.resolve();
	const current = previous.then(run, run);
	const settled = current.then(
		() => undefined,
		() => undefined,
	);
	queues.set(key, settled);
	try {
		return await current;
	} finally {
		if (queues.get(key) === settled) queues.delete(key);
	}
}

/** The newest cursor this process already read up to from `stored`, or undefined. */
export function cursorAfter(key: string, stored: string): string | undefined {
	let cursor = stored;
	let moved = false;
	for (const step of steps.get(key) ?? []) {
		if (step.from === cursor) {
			cursor = step.to;
			moved = true;
		}
	}
	return moved ? cursor : undefined;
}

export function recordStep(key: string, from: string, to: string): void {
	const kept = (steps.get(key) ?? []).concat({ from, to });
	steps.set(key, kept.slice(-STEPS_KEPT));
}

export function forget(key: string): void {
	steps.delete(key);
}
