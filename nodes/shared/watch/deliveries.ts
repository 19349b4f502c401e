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

const running = new Set<string>();

/**
 * Runs `run` unless a run with the same key is still running in this process; then returns
 * `{ ran: false }` at once, reading nothing: how a poll that n8n's cron starts while the
 * previous one of the same node still runs is skipped (the running one reads its changes).
 */
export async function exclusive<T>(key: string, run: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
	if (running.has(key)) return { ran: false };
	running.add(key);
	try {
		return { ran: true, value: await run() };
	} finally {
		running.delete(key);
	}
}

/**
 * The newest cursor this process already read up to from `stored`, or undefined. Also what
 * keeps a cursor from going back: static data saved from a stale copy (a worker whose workflow
 * writes static data saves the copy it was given) brings back a cursor already read from, and
 * the next run continues where this process stopped instead of emitting those changes again.
 */
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

/**
 * The key of one trigger node of one workflow, under which its deliveries are coalesced and its
 * steps remembered in this process. The editor's test runs (manual mode) have a key of their own:
 * they share the node with the published trigger, and may start from the very cursor it stored,
 * so a step they remember, or a delivery they run, must never stand in for the published trigger's.
 */
export function nodeKey(ctx: { getWorkflow(): { id?: string }; getNode(): { id: string }; getMode(): string }): string {
	return `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}${ctx.getMode() === 'manual' ? ':test' : ''}`;
}

export function recordStep(key: string, from: string, to: string): void {
	const kept = (steps.get(key) ?? []).concat({ from, to });
	steps.set(key, kept.slice(-STEPS_KEPT));
}

export function forget(key: string): void {
	steps.delete(key);
}
