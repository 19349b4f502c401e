import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as getCurrentAccount from './getCurrentAccount.operation';
import * as getSpaceUsage from './getSpaceUsage.operation';

export const operations: Record<string, Operation> = { getCurrentAccount, getSpaceUsage };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get Current Account',
				value: 'getCurrentAccount',
				description: 'Get the name, e-mail, account type and team space of the connected account',
				action: 'Get the current account',
			},
			{
				name: 'Get Space Usage',
				value: 'getSpaceUsage',
				description: 'Get how much space is used and allocated',
				action: 'Get space usage',
			},
		],
		default: 'getCurrentAccount',
	},
	...getCurrentAccount.description,
	...getSpaceUsage.description,
];
