/**
 * One memory budget for the chunks of every file a node run uploads. Each chunk buffer is
 * charged what it really costs: twice its size (`CHUNK_COST`), as Node's TLS layer encrypts a
 * request's whole body at once and keeps that copy until the socket has taken it, so a chunk in
 * flight is in memory twice. Each streamed file takes a lease when it starts: one chunk buffer,
 * waiting, first come first served, while the budget has none free. A file larger than one
 * chunk then asks for the rest of its Parallel Chunks (`widen`): it gets what is free now, and
 * more as other files give theirs back (files still waiting to start come first). So Parallel
 * Uploads × Parallel Chunks × Chunk Size never takes more than the budget, whatever the
 * settings: with many files at once, each sends fewer chunks in parallel, and a file smaller
 * than one chunk takes one. A chunk costing more than the whole budget still goes, alone.
 */

export const DEFAULT_MEMORY_BUDGET_MIB = 256;
export const MIN_MEMORY_BUDGET_MIB = 4;
export const MAX_MEMORY_BUDGET_MIB = 65_536;

/** What one chunk buffer costs, in chunk sizes: itself, and the encrypted copy of it while it is sent. */
export const CHUNK_COST = 2;

/** Test hook: told of every budget made, so a test can read its peak. */
export const budgetObserver: { created?: (budget: BufferBudget) => void } = {};

/** A file's share of the budget: `chunks` buffers of `chunkBytes` (at least one), growing up to `want` once widened. */
export class Lease {
	chunks = 0;

	constructor(
		private readonly budget: BufferBudget,
		readonly chunkBytes: number,
		readonly want: number,
	) {}

	/** The most chunk buffers this file can ever hold: what it asks, as far as the whole budget allows (at least one). */
	get most(): number {
		return Math.max(1, Math.min(this.want, Math.floor(this.budget.limitBytes / (this.chunkBytes * CHUNK_COST))));
	}

	/** Chunks of this file that may be in flight now. */
	now(): number {
		return this.chunks;
	}

	/** Asks for the rest of `want` (the file is larger than one chunk): granted as the budget allows, now or later. */
	widen(): void {
		this.budget.widen(this);
	}

	/** Gives every chunk buffer back, and lets waiting files start or grow. */
	end(): void {
		this.budget.end(this);
	}
}

interface Waiter {
	lease: Lease;
	start: () => void;
}

export class BufferBudget {
	/** Bytes charged to files running now (CHUNK_COST per chunk buffer). */
	private reserved = 0;

	/** Bytes of chunk buffers the readers hold now, and the most they held at once. */
	private held = 0;

	peakHeldBytes = 0;

	peakReservedBytes = 0;

	/** Files waiting for their first chunk buffer. */
	private readonly waiting: Waiter[] = [];

	/** Running files that asked for more chunk buffers than they have. */
	private readonly growing: Lease[] = [];

	constructor(readonly limitBytes: number) {
		budgetObserver.created?.(this);
	}

	/** How many chunk buffers of `chunkBytes` fit in the budget now; one when nothing runs (a chunk larger than the budget goes alone). */
	private free(chunkBytes: number): number {
		if (this.reserved === 0) return Math.max(1, Math.floor(this.limitBytes / (chunkBytes * CHUNK_COST)));
		return Math.max(0, Math.floor((this.limitBytes - this.reserved) / (chunkBytes * CHUNK_COST)));
	}

	private grant(lease: Lease, chunks: number): void {
		lease.chunks += chunks;
		this.reserved += chunks * lease.chunkBytes * CHUNK_COST;
		this.peakReservedBytes = Math.max(this.peakReservedBytes, this.reserved);
	}

	/**
	 * A lease of one chunk buffer of `chunkBytes` for a file that may use up to `want`, waiting
	 * while none is free; `signal` (the user's Stop) ends the wait with `stopped()`.
	 */
	async lease(chunkBytes: number, want: number, signal?: AbortSignal, stopped?: () => Error): Promise<Lease> {
		const lease = new Lease(this, chunkBytes, want);
		if (this.waiting.length === 0 && this.free(chunkBytes) > 0) {
			this.grant(lease, 1);
			return lease;
		}
		return await new Promise<Lease>((resolve, reject) => {
			const onAbort = () => {
				const at = this.waiting.indexOf(waiter);
				if (at >= 0) this.waiting.splice(at, 1);
				reject(stopped ? stopped() : new Error('stopped'));
			};
			const waiter: Waiter = {
				lease,
				start: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve(lease);
				},
			};
			this.waiting.push(waiter);
			signal?.addEventListener('abort', onAbort, { once: true });
		});
	}

	/** Called by `Lease.widen`. */
	widen(lease: Lease): void {
		if (lease.chunks < lease.most && !this.growing.includes(lease)) this.growing.push(lease);
		this.share();
	}

	/** Called by `Lease.end`. */
	end(lease: Lease): void {
		this.reserved -= lease.chunks * lease.chunkBytes * CHUNK_COST;
		lease.chunks = 0;
		const at = this.growing.indexOf(lease);
		if (at >= 0) this.growing.splice(at, 1);
		this.share();
	}

	/** Hands free chunk buffers out: first one each to files waiting to start, then to running files that asked for more, in turn. */
	private share(): void {
		while (this.waiting.length > 0 && this.free(this.waiting[0].lease.chunkBytes) > 0) {
			const head = this.waiting.shift()!;
			this.grant(head.lease, 1);
			head.start();
		}
		if (this.waiting.length > 0) return;
		while (this.growing.length > 0) {
			const head = this.growing[0];
			const more = Math.min(head.most - head.chunks, this.free(head.chunkBytes));
			if (more <= 0) return;
			this.grant(head, more);
			if (head.chunks >= head.most) this.growing.shift();
		}
	}

	/** Told by a reader when it allocates (positive) or lets go of (negative) chunk buffers. */
	holding(deltaBytes: number): void {
		this.held += deltaBytes;
		this.peakHeldBytes = Math.max(this.peakHeldBytes, this.held);
	}
}
