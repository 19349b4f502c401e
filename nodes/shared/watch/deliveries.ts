/**
 * Notifications that reach one n8n process for one trigger node are coalesced: one delivery
 * reads at a time, at most one more waits for it, and every further one returns at once,
 * reading nothing, because the waiting one will read its changes too (it starts after the
 * running one saved its cursor, and reads everything after it). While Dropbox is slow, memory
 * holds at most two deliveries per node, and no delivery reads only to find nothing.
 * A delivery whose stored cursor (loaded before the previous delivery saved its own) was
 * already read from continues where that one stopped. Small: a few cursor steps per node.
 * Static data stays the source of truth across processes and restarts.
 */
interface Lane {
	/** Settles when the last admitted delivery has finished; never rejects. */
	tail: Promise<void>;
	/** Deliveries admitted and not finished: the running one and at most one waiting. */
	admitted: number;
}

const lanes = new Map<string, Lane>();
const steps = new Map<string, Array<{ from: string; to: string }>>();
const STEPS_KEPT = 8;

/** Runs `run` after the running delivery, or skips it (`ran: false`) when one is already waiting. */
export async function coalesced<T>(key: string, run: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
	let lane = lanes.get(key);
	if (lane && lane.admitted >= 2) return { ran: false };
	if (!lane) {
		lane = { tail: Promise.resolve(), admitted: 0 };
		lanes.set(key, lane);
	}
	const admittedTo = lane;
	admittedTo.admitted++;
	const current = admittedTo.tail.then(run);
	admittedTo.tail = current
		.then(
			() => undefined,
			() => undefined,
		)
		.then(() => {
			admittedTo.admitted--;
			if (admittedTo.admitted === 0 && lanes.get(key) === admittedTo) lanes.delete(key);
		});
	return { ran: true, value: await current };
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
