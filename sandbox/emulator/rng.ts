/** Small seedable PRNG (mulberry32) so that fault injection is reproducible. */
export class Rng {
	private state: number;
	constructor(seed: number = Date.now()) {
		this.state = seed >>> 0;
	}
	reseed(seed: number): void {
		this.state = seed >>> 0;
	}
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
}
