// Lint: n8n's community-package rules (package.json), credential rules (credentials/), node
// rules (nodes/), and n8n Cloud's community-node rules on everything that ships.
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import communityNodes from '@n8n/eslint-plugin-community-nodes';

const legacy = (name) => n8nNodesBase.configs[name].rules;

// Layers point one way: node → its actions → nodes/shared (the core) → transport. A node folder
// never imports another node's folder, and the core imports no node folder and no actions.
const NODE_FOLDERS = ['DropboxPlus', 'DropboxPlusTrigger', 'DropboxPlusWebhookTrigger', 'DropboxPlusLongPollTrigger'];
const importsOf = (folders) => folders.flatMap((folder) => [`**/${folder}`, `**/${folder}/**`]);
const layering = [
	{
		files: ['nodes/shared/**/*.ts'],
		rules: {
			'no-restricted-imports': ['error', { patterns: [{ group: [...importsOf(NODE_FOLDERS), '**/actions/**'], message: 'nodes/shared is the core of every node: it imports no node folder and no actions.' }] }],
		},
	},
	...NODE_FOLDERS.map((folder) => ({
		files: [`nodes/${folder}/**/*.ts`],
		rules: {
			'no-restricted-imports': ['error', { patterns: [{ group: importsOf(NODE_FOLDERS.filter((other) => other !== folder)), message: 'Node folders never import one another: move what both need to nodes/shared.' }] }],
		},
	})),
];

export default [
	{
		ignores: ['dist/**', 'node_modules/**', 'sandbox/**', 'test/**', 'scripts/**', 'bench/**', 'examples/**', 'coverage/**', '.sandbox/**', '*.js', '*.mjs', 'package-lock.json', '**/*.json', '!package.json', '!nodes/**/*.node.json'],
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: legacy('community'),
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...legacy('credentials'),
			// Applies to n8n's own repository only (slugs of docs.n8n.io); community credentials link a full URL,
			// which @n8n/community-nodes/credential-documentation-url checks instead. The starter turns it off too.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...legacy('nodes'),
			// These two want the string 'main'; n8n now types connections as NodeConnectionTypes.Main,
			// which @n8n/community-nodes/node-connection-type-literal requires. The starter turns them off too.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['package.json', 'credentials/**/*.ts', 'nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
		...communityNodes.configs.recommended,
		ignores: [],
	},
	...layering,
];
