import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { downloadedItem, requireBinaryPropertyName } from '../../../shared/content/binaryOutput';
import { downloadToBinary } from '../../../shared/content/download';
import { checkPath } from '../../../shared/paths';
import { readSharedLinkUrl } from './linkInput';
import type { ItemOutput } from '../types';
import { linkPasswordField, sharedLinkUrlField } from './fields';
import { outputBinaryField } from '../shared/binaryFields';

const show = { resource: ['sharedLink'], operation: ['downloadFromLink'] };

export const description: INodeProperties[] = [
	sharedLinkUrlField('downloadFromLink'),
	linkPasswordField('downloadFromLink'),
	{
		displayName: 'Path Inside a Folder Link',
		name: 'pathInLink',
		type: 'string',
		default: '',
		placeholder: '/2024/report.pdf',
		description: 'For a link to a folder: the file inside it, relative to the shared folder. Leave empty for a link to a file.',
		displayOptions: { show },
	},
	outputBinaryField(show, 'file', null),
];

function readPathInLink(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('pathInLink', itemIndex, '') as unknown;
	if (raw === '' || raw === undefined || raw === null) return '';
	const check = checkPath(raw);
	if ('path' in check && check.path.startsWith('/')) return check.path;
	throw new NodeOperationError(ctx.getNode(), `The Path Inside a Folder Link "${String(raw)}" is not a relative file path`, {
		itemIndex,
		description: 'problem' in check ? check.fix : 'Give a path such as /2024/report.pdf, relative to the shared folder.',
	});
}

/** The file behind a shared link, streamed into a binary field under its own name. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutput> {
	const url = readSharedLinkUrl(this, itemIndex);
	const linkPassword = this.getNodeParameter('linkPassword', itemIndex, '') as string;
	const pathInLink = readPathInLink(this, itemIndex);
	const binaryPropertyName = requireBinaryPropertyName(this, itemIndex);
	const args: IDataObject = { url };
	if (pathInLink) args.path = pathInLink;
	if (linkPassword) args.link_password = linkPassword;
	// Resumed with Range while Dropbox still answers with the same revision; shared links give no content_hash
	const { result, binary } = await downloadToBinary<IDataObject>(
		this,
		{ route: 'sharing/get_shared_link_file', args, path: url, itemIndex, resume: 'sameRevision' },
		(answer) => ({ fileName: typeof answer.name === 'string' && answer.name ? answer.name : 'file' }),
	);
	return [downloadedItem(this.getInputData()[itemIndex], result, binaryPropertyName, binary)];
}
