import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

/** The credentials every Dropbox Plus node takes, each shown for its Authentication choice. */
export const dropboxCredentials: INodeTypeDescription['credentials'] = [
	{ name: 'dropboxPlusOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
	{ name: 'dropboxPlusApi', required: true, displayOptions: { show: { authentication: ['refreshToken'] } } },
];

/** The one Authentication parameter of every Dropbox Plus node (the transport reads it). */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'OAuth2 (Recommended)', value: 'oAuth2' },
		{ name: 'Refresh Token (Headless)', value: 'refreshToken' },
	],
	default: 'oAuth2',
};
