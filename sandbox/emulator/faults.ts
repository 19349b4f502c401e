/** Fault injection: random shares (seedable) and scripted one-shot faults. */
import { Rng } from './rng';

/** `drop_answer`: the call is carried out, then the connection is closed before the answer (a lost answer). */
export type FaultKind = '429' | '429w' | '500' | '503' | 'reset' | 'drop_answer' | 'expired' | 'entry_contention';

/** Batch routes whose entries can fail one by one with too_many_write_operations. */
export const BATCH_ROUTES = [
	'files/copy_batch_v2', 'files/move_batch_v2', 'files/delete_batch', 'files/create_folder_batch',
	'files/upload_session/finish_batch_v2', 'files/upload_session/finish_batch',
];

export interface FaultConfig {
	/** seed of the PRNG; re-seeds when given */
	seed?: number;
	/** share (0..1) of API calls answered 429 */
	rate429?: number;
	/** reason of injected 429s: too_many_requests, too_many_write_operations, or mixed (random) */
	reason429?: 'too_many_requests' | 'too_many_write_operations' | 'mixed';
	/** Retry-After seconds on injected 429s */
	retryAfter?: number;
	rate500?: number;
	rate503?: number;
	/** share of calls whose connection is reset mid-body */
	resetRate?: number;
	/** added latency per API call, ms */
	latencyMs?: number;
	/** share (0..1) of batch entries (copy/move/delete/create_folder batches, finish_batch) that fail
	 *  on their own with too_many_write_operations inside an otherwise successful batch result */
	rateEntryContention?: number;
	/** restrict random faults to these routes (e.g. ["files/upload"]); default all */
	routes?: string[];
	/** scripted faults consumed in order by matching calls */
	script?: { route?: string; kind: FaultKind; count?: number }[];
}

export interface FaultDecision {
	kind: FaultKind;
	reason?: string;
}

export class Faults {
	cfg: Required<Omit<FaultConfig, 'seed' | 'routes' | 'script'>> & { routes?: string[] } = {
		rate429: 0, reason429: 'mixed', retryAfter: 1, rate500: 0, rate503: 0, resetRate: 0, latencyMs: 0, rateEntryContention: 0,
	};
	script: { route?: string; kind: FaultKind; count: number }[] = [];
	readonly rng: Rng;
	injected: Record<string, number> = {};

	constructor(seed = 1) {
		this.rng = new Rng(seed);
	}

	set(c: FaultConfig, replace = false): void {
		if (replace) {
			this.cfg = { rate429: 0, reason429: 'mixed', retryAfter: 1, rate500: 0, rate503: 0, resetRate: 0, latencyMs: 0, rateEntryContention: 0 };
			this.script = [];
		}
		if (c.seed !== undefined) this.rng.reseed(c.seed);
		for (const k of ['rate429', 'rate500', 'rate503', 'resetRate', 'latencyMs', 'retryAfter', 'rateEntryContention'] as const) {
			if (c[k] !== undefined) this.cfg[k] = Number(c[k]);
		}
		if (c.reason429) this.cfg.reason429 = c.reason429;
		if (c.routes !== undefined) this.cfg.routes = c.routes.length ? c.routes : undefined;
		if (c.script) for (const s of c.script) this.script.push({ route: s.route, kind: s.kind, count: s.count ?? 1 });
	}

	snapshot(): Record<string, unknown> {
		return { ...this.cfg, script: this.script, injected: this.injected };
	}

	decide(route: string): FaultDecision | null {
		const idx = this.script.findIndex((s) => s.kind !== 'entry_contention' && (!s.route || s.route === route));
		if (idx >= 0) {
			const s = this.script[idx];
			if (--s.count <= 0) this.script.splice(idx, 1);
			return this.count({ kind: s.kind, reason: s.kind === '429w' ? 'too_many_write_operations' : 'too_many_requests' });
		}
		const c = this.cfg;
		if (c.routes && !c.routes.includes(route)) return null;
		const total = c.rate429 + c.rate500 + c.rate503 + c.resetRate;
		if (total <= 0) return null;
		const r = this.rng.next();
		let acc = c.rate429;
		if (r < acc) {
			let reason: string = c.reason429;
			if (reason === 'mixed') reason = this.rng.next() < 0.5 ? 'too_many_requests' : 'too_many_write_operations';
			return this.count({ kind: reason === 'too_many_write_operations' ? '429w' : '429', reason });
		}
		if (r < (acc += c.rate500)) return this.count({ kind: '500' });
		if (r < (acc += c.rate503)) return this.count({ kind: '503' });
		if (r < (acc += c.resetRate)) return this.count({ kind: 'reset' });
		return null;
	}

	/** Per-entry write contention inside a batch: scripted `entry_contention` first, then the random share. */
	decideEntry(route: string): boolean {
		const idx = this.script.findIndex((s) => s.kind === 'entry_contention' && (!s.route || s.route === route));
		if (idx >= 0) {
			const s = this.script[idx];
			if (--s.count <= 0) this.script.splice(idx, 1);
			this.count({ kind: 'entry_contention' });
			return true;
		}
		const c = this.cfg;
		if (c.rateEntryContention <= 0) return false;
		if (c.routes && !c.routes.includes(route)) return false;
		if (this.rng.next() < c.rateEntryContention) {
			this.count({ kind: 'entry_contention' });
			return true;
		}
		return false;
	}

	private count(d: FaultDecision): FaultDecision {
		this.injected[d.kind] = (this.injected[d.kind] ?? 0) + 1;
		return d;
	}
}
