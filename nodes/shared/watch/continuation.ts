import type { IWebhookFunctions } from 'n8n-workflow';

import { postToOwnWebhook } from '../transport';
import { dropboxSignature } from './signature';

/** How long the continuation may take to be accepted (n8n answers a notification at once, before reading). */
const CONTINUE_TIMEOUT_MS = 10_000;

/**
 * The Instant Trigger's way to go on through a burst: a delivery that stopped at Max Changes per
 * Run (or its read deadline) with changes left behind sends the workflow's own Production URL a
 * notification like Dropbox's, for the same account and signed with the same app secret, so the
 * next share is read and emitted at once, as its own execution, instead of waiting for a later
 * change in Dropbox. One continuation per delivery that left changes: it stops once a read is
 * complete. Not for the editor's test listen (its URL takes one event). Not awaited by the
 * delivery: it must not delay the execution of the items already read. Should n8n be unable to
 * reach its own URL (a proxy that only lets Dropbox in), the rest waits for Dropbox's next
 * notification, as before, and the log says so.
 */
export function continueBurst(ctx: IWebhookFunctions, accountId: string, appSecret: string): void {
	const url = typeof ctx.getNodeWebhookUrl === 'function' ? ctx.getNodeWebhookUrl('default') : undefined;
	if (!url || ctx.getMode() === 'manual') return;
	const node = ctx.getNode().name;
	const body = Buffer.from(JSON.stringify({ list_folder: { accounts: [accountId] }, delta: { users: [] } }));
	postToOwnWebhook(ctx, url, body.toString('utf8'), { 'X-Dropbox-Signature': dropboxSignature(body, appSecret) }, CONTINUE_TIMEOUT_MS).then(
		() => ctx.logger.debug(`Dropbox Plus Instant Trigger "${node}": changes were left for the next run; notified its own URL to read them now`),
		(error: unknown) =>
			ctx.logger.warn(
				`Dropbox Plus Instant Trigger "${node}" could not reach its own Production URL to read the changes left by Max Changes per Run (${(error as Error).message}): the rest of the changes come with Dropbox's next notification.`,
			),
	);
}
