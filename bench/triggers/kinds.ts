/**
 * The trigger nodes the trigger benchmark measures: one row each. A row is measured when the
 * built package has its node (listed in package.json's n8n.nodes and present in dist/), so a
 * trigger node added to the package is measured as soon as it is built; the others are
 * reported as "not in this build".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { NODE_PREFIX, REPO_ROOT, type NodeSpec } from '../../test/e2e/harness';

export interface TriggerKind {
	/** short name in the report */
	kind: string;
	/** the node's folder and class name (nodes/<folder>/<folder>.node.ts) */
	folder: string;
	/** the node type's name */
	type: string;
	/** parameters beyond the shared watch fields (authentication, events, folder) */
	parameters?: Record<string, unknown>;
	/** started by Dropbox's webhook: the emulator's app must notify its URL */
	webhook?: boolean;
}

export const TRIGGER_KINDS: TriggerKind[] = [
	// n8n's shortest poll interval is one minute ("every minute"): the latency is up to that
	{ kind: 'polling (every minute)', folder: 'DropboxPlusTrigger', type: 'dropboxPlusTrigger', parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] } } },
	{ kind: 'instant (webhook)', folder: 'DropboxPlusWebhookTrigger', type: 'dropboxPlusWebhookTrigger', webhook: true },
	{ kind: 'long-poll', folder: 'DropboxPlusLongPollTrigger', type: 'dropboxPlusLongPollTrigger' },
];

/** Whether the built package (what the harness installs into n8n) has this trigger node. */
export function isBuilt(k: TriggerKind): boolean {
	const rel = `dist/nodes/${k.folder}/${k.folder}.node.js`;
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { n8n?: { nodes?: string[] } };
	return (pkg.n8n?.nodes ?? []).includes(rel) && fs.existsSync(path.join(REPO_ROOT, rel));
}

/** The trigger node of a benchmark workflow watching `folder` for new files. */
export function triggerNode(k: TriggerKind, name: string, credentialId: string, folder: string, webhookId: string): NodeSpec {
	return {
		name,
		type: `${NODE_PREFIX}.${k.type}`,
		...(k.webhook ? { webhookId } : {}),
		// Max Changes per Run at its maximum: with the default (500) the rest of a burst waits for the next run (next poll, next notification)
		parameters: { authentication: 'refreshToken', events: ['fileCreated'], folder: { __rl: true, mode: 'path', value: folder }, maxChangesPerRun: 10_000, ...k.parameters },
		credentials: { dropboxPlusApi: credentialId },
	};
}
