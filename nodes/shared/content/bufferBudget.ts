/**
 * One memory budget for the chunks of every file a node run uploads. Each streamed file
 * reserves its chunk buffers when it starts — as many as its Parallel Chunks ask, fewer when
 * the budget is short (down to one: its chunks go one after another) — and gives them back
 * when it ends; a file that cannot get one waits, first come first served, for another to
 * finish. Each chunk buffer is charged what it really costs: twice its size (`CHUNK_COST`), as
 * Node's TLS layer encrypts a request's whole body at once and keeps that copy until the socket
 * has taken it, so a chunk in flight is in memory twice. So Parallel Uploads × Parallel Chunks
 * × Chunk Size never takes more than the budget, whatever the settings: with many files at
 * once, each sends fewer chunks in parallel. A chunk costing more than the whole budget still
 * goes, alone.
 */

export const DEFAULT_MEMORY_BUDGET_MIB = 256;
export const MIN_MEMORY_BUDGET_MIB = 4;
export const MAX_MEMORY_BUDGET_MIB = 65_536;

/** What one chunk buffer costs, in chunk sizes: itself, and the encrypted copy of it while it is sent. */
export const CHUNK_COST = 2;

interface Waiter {
	chunkBytes: number;
	want: number;
	grant: (chunks: number) => void;
}

/** Test hook: told of every budget made, so a test can read its peak. */
export const budgetObserver: { created?: (budget: BufferBudget) => void } = {};

export class BufferBudget {
	/** Bytes charged to files running now (CHUNK_COST per chunk buffer). */
	private reserved = 0;

	/** Bytes of chunk buffers the readers hold now, and the most they held at once. */
	private held = 0;

	peakHeldBytes = 0;

	peakReservedBytes = 0;

	private readonly waiting: Waiter[] = [];

	constructor(readonly limitBytes: number) {
		budgetObserver.created?.(this);
	}

	/** How many of `want` chunk buffers of `chunkBytes` a file may hold now (0: none free). */
	private grantable(chunkBytes: number, want: number): number {
		const cost = chunkBytes * CHUNK_COST;
		if (this.reserved === 0) return Math.max(1, Math.min(want, Math.floor(this.limitBytes / cost)));
		return Math.min(want, Math.floor((this.limitBytes - this.reserved) / cost));
	}

	private take(chunkBytes: number, chunks: number): number {
		this.reserved += chunks * chunkBytes * CHUNK_COST;
		this.peakReservedBytes = Math.max(this.peakReservedBytes, this.reserved);
		return chunks;
	}

	/**
	 * Reserves up to `want` chunk buffers (at least one), waiting while none is free; `signal`
	 * (the user's Stop) ends the wait with `stopped()`. Returns how many were reserved.
	 */
	async reserve(chunkBytes: number, want: number, signal?: AbortSignal, stopped?: () => Error): Promise<number> {
		const now = this.waiting.length === 0 ? this.grantable(chunkBytes, want) : 0;
		if (now > 0) return this.take(chunkBytes, now);
		return await new Promise<number>((resolve, reject) => {
			const onAbort = () => {
				const at = this.waiting.indexOf(waiter);
				if (at >= 0) this.waiting.splice(at, 1);
				reject(stopped ? stopped() : new Error('stopped'));
			};
			const waiter: Waiter = {
				chunkBytes,
				want,
				grant: (chunks) => {
					signal?.removeEventListener('abort', onAbort);
					resolve(chunks);
				},
			};
			this.waiting.push(waiter);
			signal?.addEventListener('abort', onAbort, { once: true });
		});
	}

	/** Gives back `chunks` buffers of `chunkBytes` reserved by `reserve`, and lets waiting files start. */
	giveBack(chunkBytes: number, chunks: number): void {
		this.reserved -= chunks * chunkBytes * CHUNK_COST;
		while (this.waiting.length > 0) {
			const head = this.waiting[0];
			const chunksNow = this.grantable(head.chunkBytes, head.want);
			if (chunksNow <= 0) break;
			this.waiting.shift();
			head.grant(this.take(head.chunkBytes, chunksNow));
		}
	}

	/** Told by a reader when it allocates (positive) or lets go of (negative) chunk buffers. */
	holding(deltaBytes: number): void {
		this.held += deltaBytes;
		this.peakHeldBytes = Math.max(this.peakHeldBytes, this.held);
	}
}
