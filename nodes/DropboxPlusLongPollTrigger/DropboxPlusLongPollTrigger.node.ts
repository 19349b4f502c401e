import {
	NodeConnectionTypes,
	NodeOperationError,
	sleep,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

import { currentWatchProperties } from '../shared/descriptions/currentWatchFields';
import { simplifiedEvents, triggerCredentials } from '../shared/descriptions/watchFields';
import { searchFolders } from '../shared/listSearch';
import { nodeKey } from '../shared/watch/deliveries';
import { wholeNumberIn } from '../shared/wholeNumber';
import {
	DEFAULT_LONGPOLL_SECONDS,
	ensureCursor,
	FAILURES_BEFORE_RECORDED,
	MAX_LONGPOLL_SECONDS,
	MIN_LONGPOLL_SECONDS,
	retryDelayMs,
	watchByLongpoll,
} from '../shared/watch/longpoll';
import { readSettings } from '../shared/watch/settings';

type SimplifyContext = Parameters<typeof simplifiedEvents>[0];

/** How long deactivation waits for the watch to end (the long-poll in flight is dropped at once). */
const CLOSE_WAIT_MS = 1_500;

function readTimeout(ctx: ITriggerFunctions): number {
	const raw = ctx.getNodeParameter('longPollTimeout', DEFAULT_LONGPOLL_SECONDS);
	const seconds = wholeNumberIn(raw, MIN_LONGPOLL_SECONDS, MAX_LONGPOLL_SECONDS);
	if (seconds === undefined) {
		throw new NodeOperationError(ctx.getNode(), `"Long-Poll Timeout" is "${String(raw)}"`, {
			description: `Use a whole number of seconds from ${MIN_LONGPOLL_SECONDS} to ${MAX_LONGPOLL_SECONDS} (Dropbox's limits).`,
		});
	}
	return seconds;
}

export class DropboxPlusLongPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dropbox Plus Long-Poll Trigger',
		name: 'dropboxPlusLongPollTrigger',
		icon: { light: 'file:../../icons/dropboxPlusLongPoll.svg', dark: 'file:../../icons/dropboxPlusLongPoll.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"long-poll: " + $parameter["events"].join(", ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}}',
		description:
			'Starts a workflow within seconds of a change, with no public URL needed: keeps one outbound connection open to Dropbox (long-poll)',
		defaults: { name: 'Dropbox Plus Long-Poll Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: triggerCredentials,
		triggerPanel: {
			header: 'Waits for the next change in the watched folder',
			executionsHelp: {
				inactive:
					'This trigger keeps one connection open to Dropbox and starts the workflow within seconds of a change; n8n needs no public URL. Press "Execute step" (or "Execute workflow"), then change something in the watched folder: the first change comes out here. Publish the workflow to start it for every change, listed under Executions.',
				active:
					'This workflow is published: every change in the watched folder starts an execution within seconds, listed under Executions.',
			},
			activationHint: 'Publish the workflow: it then starts within seconds of every change in the watched folder.',
		},
		properties: [
			...currentWatchProperties(),
			{
				displayName: 'Long-Poll Timeout (Seconds)',
				name: 'longPollTimeout',
				type: 'number',
				typeOptions: { minValue: MIN_LONGPOLL_SECONDS, maxValue: MAX_LONGPOLL_SECONDS },
				default: DEFAULT_LONGPOLL_SECONDS,
				description:
					'How long each connection waits for a change before it is renewed (Dropbox adds up to 90 s): one request per period while nothing changes. Changes come at once whatever the value; lower it if a proxy or firewall closes idle connections sooner.',
			},
		],
	};

	methods = {
		listSearch: { searchFolders },
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const settings = readSettings(this);
		const timeoutSeconds = readTimeout(this);
		const manual = this.getMode() === 'manual';
		// A manual run waits for the next change from now, leaving the published trigger's cursor alone
		const staticData = manual ? {} : this.getWorkflowStaticData('node');
		const key = manual ? undefined : nodeKey(this);
		// Before activation completes, so a wrong folder or credential is shown at once (and n8n saves the cursor)
		await ensureCursor(this, settings, staticData, key);
		const name = this.getNode().name;
		const controller = new AbortController();
		const watching = watchByLongpoll(this, {
			settings,
			staticData,
			key,
			timeoutSeconds,
			signal: controller.signal,
			once: manual,
			// `this.emit` read at each call: n8n swaps it for a manual run once trigger() has returned
			emit: (items) => this.emit([simplifiedEvents(this as SimplifyContext, items)]),
			failed: (error, inARow) => {
				const failure = error instanceof Error ? error : new Error(String(error));
				if (manual) {
					this.emitError(failure);
					return false;
				}
				this.logger.warn(
					`Dropbox Plus Long-Poll Trigger "${name}": ${failure.message} (${inARow} in a row); reconnecting in ${retryDelayMs(inARow) / 1000} s`,
				);
				// Recorded once a streak lasts (a revoked token, a deleted folder): the user sees it under Executions
				if (inARow === FAILURES_BEFORE_RECORDED && typeof this.saveFailedExecution === 'function') {
					this.saveFailedExecution(failure as Parameters<ITriggerFunctions['saveFailedExecution']>[0]);
				}
				return true;
			},
		});
		return {
			closeFunction: async () => {
				controller.abort();
				const bound = new AbortController();
				await Promise.race([watching, sleep(CLOSE_WAIT_MS, bound.signal).catch(() => undefined)]);
				bound.abort();
			},
		};
	}
}
