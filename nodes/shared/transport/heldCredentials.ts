import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, INode } from 'n8n-workflow';

/**
 * The credential a context's calls share, read once and held for a short while: n8n reads and
 * decrypts a credential for every request it signs, and in a trigger's context (poll, long-poll,
 * webhook) it also starts a fresh expression sandbox for each read (n8n 2's isolated-vm bridge,
 * measured at about a third of the CPU a trigger spends per call). Handing n8n the decrypted
 * credential with the request (`credentialsDecrypted`) skips that read; n8n still refreshes the
 * token when it must, into this very object, so the calls after a refresh use the new token.
 * Only for the refresh-token credential: n8n's OAuth2 requests always read the credential
 * themselves. Held for HOLD_MS per context, then read again, so a long-lived trigger sees an
 * edited credential within a minute. Never logged, never stored.
 */

/** How long one read of the credential serves the calls of one context. */
export const HOLD_MS = 60_000;

/** The credential type whose requests can take the held credential (not n8n-managed OAuth2). */
const HELD_TYPE = 'dropboxPlusApi';

interface Held {
	readAt: number;
	data: Promise<ICredentialDataDecryptedObject>;
}

const held = new WeakMap<object, Map<string, Held>>();

interface CredentialContext {
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
	getNode(): INode;
}

/** The context's credential of `type`, read at most once per HOLD_MS. A failed read is not held. */
export async function heldCredential(ctx: CredentialContext, type: string, now = Date.now()): Promise<ICredentialDataDecryptedObject> {
	let byType = held.get(ctx);
	if (!byType) {
		byType = new Map();
		held.set(ctx, byType);
	}
	const current = byType.get(type);
	if (current && now - current.readAt < HOLD_MS) return await current.data;
	const data = ctx.getCredentials(type);
	const entry = { readAt: now, data };
	byType.set(type, entry);
	data.catch(() => {
		if (byType.get(type) === entry) byType.delete(type);
	});
	return await data;
}

/**
 * What to hand n8n with a request so it signs it with the held credential instead of reading it
 * again: the node's reference to the credential with the decrypted data. None for OAuth2, or
 * when the node names no credential of the type (n8n then reads it as usual).
 */
export function signingOptions(ctx: CredentialContext, type: string, data: ICredentialDataDecryptedObject): { credentialsDecrypted: ICredentialsDecrypted } | undefined {
	if (type !== HELD_TYPE) return undefined;
	const reference = ctx.getNode().credentials?.[type];
	if (!reference?.id) return undefined;
	return { credentialsDecrypted: { id: reference.id, name: reference.name, type, data } };
}
