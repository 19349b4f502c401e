/**
 * n8n appends ?utm_source=… to a node's or credential's documentation URL: after a #anchor the
 * anchor never resolves. Every such URL is anchor-free and points at a file this repository has.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DropboxPlusApi } from '../../credentials/DropboxPlusApi.credentials';
import { DropboxPlusOAuth2Api } from '../../credentials/DropboxPlusOAuth2Api.credentials';

const REPO_ROOT = path.join(__dirname, '..', '..');
const BLOB = 'https://github.com/n8n-nodes-dropbox-plus/n8n-nodes-dropbox-plus/blob/main/';

function documentationUrls(): Array<[string, string]> {
	const urls: Array<[string, string]> = [
		['DropboxPlusApi credential', new DropboxPlusApi().documentationUrl],
		['DropboxPlusOAuth2Api credential', new DropboxPlusOAuth2Api().documentationUrl],
	];
	for (const node of ['DropboxPlus', 'DropboxPlusTrigger', 'DropboxPlusWebhookTrigger', 'DropboxPlusLongPollTrigger']) {
		const codex = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'nodes', node, `${node}.node.json`), 'utf8')) as {
			resources: Record<string, Array<{ url: string }>>;
		};
		for (const [kind, list] of Object.entries(codex.resources)) for (const { url } of list) urls.push([`${node} ${kind}`, url]);
	}
	return urls;
}

describe('documentation URLs n8n can extend', () => {
	it.each(documentationUrls())('%s: %s has no #anchor and names a file of this repository', (_owner, url) => {
		expect(url).not.toContain('#');
		expect(url.startsWith(BLOB)).toBe(true);
		expect(fs.existsSync(path.join(REPO_ROOT, url.slice(BLOB.length)))).toBe(true);
	});
});
