import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { searchFolders } from '../shared/listSearch';
import { credentialTypeFor, dropboxRpc, type AuthenticationMethod } from '../shared/transport';
import { coalesced, cursorAfter, forget, nodeKey, recordStep } from '../shared/watch/deliveries';
import { simplifiedEvents, triggerCredentials, watchProperties } from '../shared/descriptions/watchFields';
import { readSettings, watchKey } from '../shared/watch/settings';
import { continueBurst } from '../shared/watch/continuation';
import { isDropboxSignature } from '../shared/watch/signature';
import { readState, writeState } from '../shared/watch/state';
import { baseline, storedPosition, takeChanges } from '../shared/watch/watch';

type SimplifyContext = Parameters<typeof simplifiedEvents>[0];

/** Dropbox notifications name accounts only: a few KiB at most. Anything far bigger is not from Dropbox. */
export const MAX_NOTIFICATION_BYTES = 1024 * 1024;

/** The `list_folder.accounts` of a notification's raw body; undefined when it is not such JSON. */
export function notifiedAccounts(rawBody: Buffer): unknown[] | undefined {
	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
	const accounts = (body as { list_folder?: { accounts?: unknown } } | null)?.list_folder?.accounts;
	return Array.isArray(accounts) ? accounts : undefined;
}

export class DropboxPlusWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dropbox Plus Instant Trigger',
		name: 'dropboxPlusWebhookTrigger',
		icon: { light: 'file:../../icons/dropboxPlusInstant.svg', dark: 'file:../../icons/dropboxPlusInstant.dark.svg' },
		group: ['trigger'],
		// 1.1: Include Subfolders on by default (version 1 keeps it off)
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{"instant: " + $parameter["events"].join(", ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}}',
		description:
			'Starts a workflow the moment Dropbox notifies a change (webhook): needs a public URL for n8n, set up once in the App Console',
		defaults: { name: 'Dropbox Plus Instant Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: triggerCredentials,
		webhooks: [
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		triggerPanel: {
			header: 'Paste this node\'s URL into your Dropbox app: App Console → your app → Settings → Webhooks → Add',
			executionsHelp: {
				inactive:
					'Dropbox calls one URL per app: first a GET to check it (this node answers the challenge), then a POST for every change. To try it now, press "Execute step" (n8n then listens for a test event), put the Test URL (Webhook URLs above) in the App Console and change something in the watched folder. For good, put the Production URL there and publish the workflow: every change then starts an execution, listed under Executions.',
				active:
					'This workflow is published: Dropbox\'s POSTs to the Production URL start executions, listed under Executions. Dropbox calls one URL per app: a GET to check it, then a POST for every change.',
			},
			activationHint:
				'Once the Production URL is in the App Console (Settings → Webhooks → Add), publish the workflow: every change in the watched folder then starts it.',
		},
		properties: [
			{
				displayName:
					'Dropbox webhooks are set by hand, one URL per app: open <b>Webhook URLs</b> above, choose <b>Production URL</b>, copy it into your app in the Dropbox App Console (Settings → Webhooks → Add), then <b>Publish</b> this workflow. Dropbox checks the URL with a GET, then POSTs a notification for every change; this node reads the changes and starts the workflow.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			...watchProperties,
		],
	};

	methods = {
		listSearch: { searchFolders },
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const state = readState(this.getWorkflowStaticData('node'));
				return state.cursor !== undefined && state.accountId !== undefined && state.watch === watchKey(readSettings(this));
			},
			async create(this: IHookFunctions): Promise<boolean> {
				// Dropbox has no API to register webhooks: start watching, for this account. Start From's backlog
				// comes with the first notification (a webhook node cannot start the workflow at activation)
				const settings = readSettings(this);
				const staticData = this.getWorkflowStaticData('node');
				const account = await dropboxRpc<{ account_id: string }>(this, 'users/get_current_account');
				writeState(staticData, { accountId: account.account_id, watch: readState(staticData).watch });
				await baseline(this, settings, staticData);
				forget(nodeKey(this));
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				// The watch key stays: publishing again watches from now, Start From was applied to this folder already
				const staticData = this.getWorkflowStaticData('node');
				writeState(staticData, { watch: readState(staticData).watch });
				forget(nodeKey(this));
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		if (this.getWebhookName() === 'setup') {
			const challenge = (this.getQueryData() as IDataObject).challenge;
			if (typeof challenge !== 'string' || challenge === '') {
				res.status(400).set('Content-Type', 'text/plain').send('Missing "challenge" query parameter');
				return { noWebhookResponse: true };
			}
			res.status(200).set({ 'Content-Type': 'text/plain', 'X-Content-Type-Options': 'nosniff' }).send(challenge);
			return { noWebhookResponse: true };
		}

		const authentication = this.getNodeParameter('authentication', 'oAuth2') as AuthenticationMethod;
		const credentials = await this.getCredentials(credentialTypeFor(authentication));
		const signature = this.getHeaderData()['x-dropbox-signature'];
		const rawBody: unknown = this.getRequestObject().rawBody;
		if (Buffer.isBuffer(rawBody) && rawBody.length > MAX_NOTIFICATION_BYTES) {
			res.status(413).set('Content-Type', 'text/plain').send('Notification too large');
			return { noWebhookResponse: true };
		}
		if (!isDropboxSignature(rawBody, signature, String(credentials.clientSecret ?? ''))) {
			res.status(403).set('Content-Type', 'text/plain').send('Invalid X-Dropbox-Signature');
			return { noWebhookResponse: true };
		}
		// The accounts come from the signed bytes themselves, not from a separately parsed body
		const accounts = notifiedAccounts(rawBody as Buffer);
		if (!accounts) {
			res.status(400).set('Content-Type', 'text/plain').send('Not a Dropbox notification');
			return { noWebhookResponse: true };
		}

		const settings = readSettings(this);
		const staticData = this.getWorkflowStaticData('node');
		const { accountId } = readState(staticData);
		// Answer Dropbox now, within its 10 seconds, whatever reading the changes takes
		res.status(200).end();
		if (!accountId || !accounts.includes(accountId)) return { noWebhookResponse: true };

		const key = nodeKey(this);
		try {
			// One delivery reads at a time and one waits; a further one would find nothing the waiting one will not read
			const delivery = await coalesced(key, async () => {
				const taken = await takeChanges(this, settings, staticData, { from: cursorAfter(key, storedPosition(staticData)) });
				if (taken.from && taken.to) recordStep(key, taken.from, taken.to);
				return taken;
			});
			const items = delivery.ran ? delivery.value.items : [];
			// A burst larger than one run: the next share is read now, not with Dropbox's next notification
			if (delivery.ran && delivery.value.more) continueBurst(this, accountId, String(credentials.clientSecret ?? ''));
			return items.length > 0
				? { noWebhookResponse: true, workflowData: [simplifiedEvents(this as SimplifyContext, items)] }
				: { noWebhookResponse: true };
		} catch (error) {
			// Dropbox already has its answer; the cursor did not move, so the next notification reads these changes again.
			// Thrown, not only logged: n8n records a failed execution of the workflow (and runs its error workflow),
			// as it does for a failing poll, so a revoked token does not silently stop the trigger.
			this.logger.error(`Dropbox Plus Instant Trigger "${this.getNode().name}" could not read the changes: ${(error as Error).message}`);
			const failure =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), `Could not read the Dropbox changes: ${(error as Error).message}`, {
							description: 'Nothing was lost: the cursor did not move, so the next notification reads these changes again.',
						});
			throw failure;
		}
	}
}
