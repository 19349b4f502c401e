import { pollClock, pollUntilDone } from '../../nodes/shared/batch/jobPolling';
import { clock } from '../../nodes/shared/transport';

describe('pollUntilDone', () => {
	let now: number;
	let waits: number[];
	const realClock = { ...pollClock };
	const realSleep = clock.sleep;
	beforeEach(() => {
		now = 0;
		waits = [];
		pollClock.now = () => now;
		clock.sleep = async (ms) => {
			waits.push(ms);
			now += ms;
		};
	});
	afterAll(() => {
		Object.assign(pollClock, realClock);
		clock.sleep = realSleep;
	});

	it('waits longer each time, up to the cap, and returns the first answer', async () => {
		let checks = 0;
		const result = await pollUntilDone(async () => (++checks === 6 ? 'done' : undefined), {
			timeoutMs: 60_000,
			initialIntervalMs: 100,
			maxIntervalMs: 300,
		});
		expect(result).toBe('done');
		expect(waits).toEqual([100, 150, 225, 300, 300]);
	});

	it('gives up at the timeout, never waiting past it', async () => {
		let checks = 0;
		const result = await pollUntilDone(async () => {
			checks++;
			return undefined;
		}, { timeoutMs: 1000, initialIntervalMs: 250, maxIntervalMs: 5000 });
		expect(result).toBeUndefined();
		expect(waits.reduce((sum, ms) => sum + ms, 0)).toBe(1000);
		expect(waits).toEqual([250, 375, 375]);
		expect(checks).toBe(4);
	});
});
