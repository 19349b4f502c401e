/**
 * A name pattern with `*` (any run of characters) and `?` (one character), matched against
 * the whole file or folder name, ignoring case: `invoice-*.pdf`, `IMG_????.jpg`. Every other
 * character stands for itself.
 *
 * Matched by walking the name once while keeping the set of pattern positions reached (a
 * state machine, no backtracking): at most (name length + 1) × (pattern length + 1) steps,
 * whatever the pattern. A regular expression built from the pattern (`*` → `.*`) backtracks
 * exponentially on patterns such as `*a*a*a*a*b`, which froze n8n's main thread.
 *
 * Semantics are those of the regular expression `^…$` with the `i` flag this replaced: names
 * are compared by UTF-16 code unit, case by the simple upper-case mapping JavaScript regular
 * expressions use, and `*` and `?` match anything but a line terminator.
 */

export interface NamePattern {
	/** The pattern as given. */
	readonly source: string;
	/** Whether the whole name matches. */
	test(name: string): boolean;
}

/** Counts the work of a match, for tests: one step per (name position, pattern position) visited. */
export interface MatchMeter {
	steps: number;
}

const STAR = -1;
const ANY = -2;

/** A code unit as a case-insensitive regular expression (no `u` flag) compares it: ES Canonicalize. */
function canonical(unit: number): number {
	const upper = String.fromCharCode(unit).toUpperCase();
	if (upper.length !== 1) return unit;
	const mapped = upper.charCodeAt(0);
	return unit >= 128 && mapped < 128 ? unit : mapped;
}

const canonicalCache = new Map<number, number>();
function canonicalOf(unit: number): number {
	if (unit < 128) return unit >= 97 && unit <= 122 ? unit - 32 : unit;
	let mapped = canonicalCache.get(unit);
	if (mapped === undefined) {
		mapped = canonical(unit);
		canonicalCache.set(unit, mapped);
	}
	return mapped;
}

/** `.` in a regular expression matches everything but these. */
function isLineTerminator(unit: number): boolean {
	return unit === 0x0a || unit === 0x0d || unit === 0x2028 || unit === 0x2029;
}

/** The pattern as tokens: STAR, ANY or a canonical code unit; runs of `*` count as one. */
function tokensOf(pattern: string): number[] {
	const tokens: number[] = [];
	for (let index = 0; index < pattern.length; index++) {
		const unit = pattern.charCodeAt(index);
		if (unit === 0x2a) {
			if (tokens[tokens.length - 1] !== STAR) tokens.push(STAR);
		} else if (unit === 0x3f) {
			tokens.push(ANY);
		} else {
			tokens.push(canonicalOf(unit));
		}
	}
	return tokens;
}

/** Adds to `states` every position reachable without reading: past a `*` that matches nothing. */
function close(tokens: number[], states: Uint8Array): void {
	for (let position = 0; position < tokens.length; position++) {
		if (states[position] && tokens[position] === STAR) states[position + 1] = 1;
	}
}

function matches(tokens: number[], name: string, meter?: MatchMeter): boolean {
	const size = tokens.length + 1;
	let current = new Uint8Array(size);
	let next = new Uint8Array(size);
	current[0] = 1;
	close(tokens, current);
	for (let index = 0; index < name.length; index++) {
		const unit = name.charCodeAt(index);
		const folded = canonicalOf(unit);
		const terminator = isLineTerminator(unit);
		next.fill(0);
		let alive = false;
		for (let position = 0; position < tokens.length; position++) {
			if (!current[position]) continue;
			if (meter) meter.steps++;
			const token = tokens[position];
			const reached = token === STAR ? position : position + 1;
			if (token === STAR || token === ANY ? !terminator : token === folded) {
				next[reached] = 1;
				alive = true;
			}
		}
		if (!alive) return false;
		close(tokens, next);
		[current, next] = [next, current];
	}
	return current[tokens.length] === 1;
}

/** Compiles a name pattern once; each `test` walks the name once. */
export function globMatcher(pattern: string): NamePattern {
	const tokens = tokensOf(pattern);
	return {
		source: pattern,
		test: (name: string) => matches(tokens, name),
	};
}

/** Like `globMatcher(pattern).test(name)`, counting the steps taken into `meter`. */
export function matchCounted(pattern: string, name: string, meter: MatchMeter): boolean {
	return matches(tokensOf(pattern), name, meter);
}
