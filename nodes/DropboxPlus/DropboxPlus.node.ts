import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as account from './actions/account/Account.resource';
import * as file from './actions/file/File.resource';
import * as folder from './actions/folder/Folder.resource';
import { route } from './actions/router';
import { simplifyProperties } from './actions/simplify.descriptions';
import * as search from './actions/search/Search.resource';
import * as paperDoc from './actions/paperDoc/PaperDoc.resource';
import * as sharedLink from './actions/sharedLink/SharedLink.resource';
import * as tag from './actions/tag/Tag.resource';
import { searchEntries, searchFiles, searchFolders } from '../shared/listSearch';
import { authenticationProperty, dropboxCredentials } from '../shared/descriptions/authentication';

export class DropboxPlus implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dropbox Plus',
		name: 'dropboxPlus',
		icon: { light: 'file:../../icons/dropboxPlus.svg', dark: 'file:../../icons/dropboxPlus.dark.svg' },
		group: ['input', 'output'],
		// 1.1: Simplify on by default for Download, Upload, Get, Copy, Move and Shared Link Create
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Upload, download, list, move, share and search files and folders in Dropbox',
		defaults: { name: 'Dropbox Plus' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: dropboxCredentials,
		properties: [
			authenticationProperty,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'File', value: 'file' },
					{ name: 'Folder', value: 'folder' },
					{ name: 'Paper Doc', value: 'paperDoc' },
					{ name: 'Search', value: 'search' },
					{ name: 'Shared Link', value: 'sharedLink' },
					{ name: 'Tag', value: 'tag' },
				],
				default: 'file',
			},
			...file.description,
			...folder.description,
			...account.description,
			...search.description,
			...sharedLink.description,
			...tag.description,
			...paperDoc.description,
			...simplifyProperties(),
		],
};

	methods = {
		listSearch: { searchEntries, searchFiles, searchFolders },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
