import type { IDataObject } from 'n8n-workflow';

import { route } from '../../nodes/DropboxPlus/actions/router';
import type { Emulator } from '../../sandbox/emulator';
import { createExecuteContext } from '../support/executeContext';
import { emulator, run } from './run';

/** Account → Get Space Usage as another account of the emulator (a token of its own). */
async function spaceUsageOf(emu: Emulator, accountId: string): Promise<IDataObject> {
	const { accessToken } = emu.issueToken({ accountId });
	const test = await createExecuteContext({
		emulatorUrl: emu.url,
		accessToken,
		parameters: { authentication: 'oAuth2', resource: 'account', operation: 'getSpaceUsage' },
	});
	const [items] = await route.call(test.ctx);
	return items[0].json;
}

describe('Account → Get Space Usage', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await emulator();
	});
	afterAll(async () => await emu.close());

	it('an individual account: used of allocated', async () => {
		await emu.seedFile('/big.bin', { size: 1_000_000 });
		const { items } = await run(emu, { resource: 'account', operation: 'getSpaceUsage' });
		expect(items[0].json).toEqual({
			used: 1_000_000,
			allocationType: 'individual',
			allocated: 2 * 1024 ** 4,
			usedPercent: Math.round((1_000_000 / (2 * 1024 ** 4)) * 10000) / 100,
			usedPercentOf: 'individual',
		});
	});

	it('a team member: its own limit when it has one, else the team\'s usage of the team\'s allocation', async () => {
		const limited = emu.addTeamMember({ teamName: 'Percent Team', allocated: 10_000_000, memberSpaceLimit: 1_000_000 });
		const free = emu.addTeamMember({ sameTeamAs: limited.accountId, allocated: 10_000_000 });
		await emu.seedFile('/mine.bin', { size: 250_000 }, { accountId: limited.accountId });
		await emu.seedFile('/theirs.bin', { size: 1_750_000 }, { accountId: free.accountId });
		await emu.seedFile('/team.bin', { size: 500_000 }, { accountId: limited.accountId, root: true });

		expect(await spaceUsageOf(emu, limited.accountId)).toEqual({
			used: 250_000,
			allocationType: 'team',
			allocated: 10_000_000,
			teamUsed: 2_500_000,
			memberAllocated: 1_000_000,
			memberLimitType: 'stop_sync',
			usedPercent: 25,
			usedPercentOf: 'member',
		});
		// no limit of its own (user_within_team_space_allocated 0): the team's share counts, not 1.75 MB of the team's 10 MB
		expect(await spaceUsageOf(emu, free.accountId)).toEqual({
			used: 1_750_000,
			allocationType: 'team',
			allocated: 10_000_000,
			teamUsed: 2_500_000,
			memberAllocated: 0,
			memberLimitType: 'off',
			usedPercent: 25,
			usedPercentOf: 'team',
		});
	});
});
