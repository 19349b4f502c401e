/** Small builders for workflow JSON, so tests read like the workflow they run. */
import type { WorkflowJson } from './n8n';

export interface NodeSpec {
	/** unique node name, used to read its output: run.json('Dropbox') */
	name: string;
	/** e.g. 'n8n-nodes-dropbox-plus.dropboxPlus', 'n8n-nodes-base.httpRequest' */
	type: string;
	typeVersion?: number;
	parameters?: Record<string, unknown>;
	/** { dropboxPlusApi: '<credential id>' } */
	credentials?: Record<string, string | { id: string; name?: string }>;
	[k: string]: unknown;
}

/** The type prefix of this package's nodes in n8n (the npm package name). */
export const NODE_PREFIX = 'n8n-nodes-dropbox-plus';

/**
 * A linear workflow: a Manual Trigger followed by `nodes` in order (each node's output feeds the
 * next). Pass `trigger: false` to start with your own first node (e.g. a trigger under test).
 */
export function workflow(name: string, nodes: NodeSpec[], opts: { trigger?: boolean; id?: string } = {}): WorkflowJson {
	const chain: NodeSpec[] =
		opts.trigger === false
			? nodes
			: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }, ...nodes];
	const built = chain.map((n, i) => {
		const { name: nodeName, type, typeVersion, parameters, credentials, ...rest } = n;
		return {
			id: `node-${i}`,
			name: nodeName,
			type,
			typeVersion: typeVersion ?? 1,
			position: [i * 220, 0],
			parameters: parameters ?? {},
			...(credentials
				? {
						credentials: Object.fromEntries(
							Object.entries(credentials).map(([k, v]) => [k, typeof v === 'string' ? { id: v, name: v } : { name: v.id, ...v }]),
						),
					}
				: {}),
			...rest,
		};
	});
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < built.length - 1; i++) {
		connections[built[i].name] = { main: [[{ node: built[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id: opts.id, name, nodes: built, connections, settings: { executionOrder: 'v1' } };
}

/** An HTTP Request node that authenticates with one of this package's credential types. */
export function httpRequestWithCredential(
	name: string,
	credentialType: 'dropboxPlusApi' | 'dropboxPlusOAuth2Api',
	credentialId: string,
	request: { method?: string; url: string; body?: unknown },
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: request.method ?? 'POST',
			url: request.url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: credentialType,
			...(request.body === undefined
				? {}
				: { sendBody: true, specifyBody: 'json', jsonBody: JSON.stringify(request.body) }),
			options: {},
		},
		credentials: { [credentialType]: credentialId },
	};
}
