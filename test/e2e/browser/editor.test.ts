/**
 * What a user sees in n8n's editor, in a real browser (Debian's Chromium driven by playwright-core),
 * against the sandbox's setup: the harness's n8n with this package, the emulator seeded with the
 * sandbox's demo Dropbox and its ready credential. Saves the README's screenshots to docs/screenshots/.
 *
 * Chromium: scripts/ensure-chromium.sh (installs Debian's `chromium` when run as root with apt-get);
 * where it cannot be installed the suite is skipped with a message. CHROMIUM_PATH picks another one.
 * BROWSER_SCREENSHOTS=0 leaves docs/screenshots/ alone.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { HARNESS_TIMEOUT_MS, OWNER, REPO_ROOT, startHarness, waitFor, type Harness, type N8nServer } from '../harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sandbox = require('../../../scripts/sandbox.js') as {
	demoDropbox(): { folders: string[]; files: Array<{ path: string; content?: string; contentBase64?: string }> };
	CREDENTIAL_ID: string;
	CREDENTIAL_NAME: string;
	pointWebhookAt(info: { port: number; caFile: string; appKey: string }, url: string): Promise<{ verified?: boolean; added?: string }>;
};

const ENSURE = path.join(REPO_ROOT, 'scripts', 'ensure-chromium.sh');
const SHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');
const PREFIX = 'n8n-nodes-dropbox-plus';
/** per test: the editor is slow on a busy 2-core machine; the every-operation walk takes about a minute */
const STEP_MS = 120_000;
const WALK_MS = 300_000;

/** Whether a Chromium is there or can be installed (root + apt-get); decided before the suite is declared. */
function chromiumObtainable(): string | undefined {
	for (const c of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
		if (c && fs.existsSync(c)) return undefined;
	}
	const root = process.getuid?.() === 0;
	const apt = ['/usr/bin/apt-get', '/bin/apt-get'].some((p) => fs.existsSync(p));
	return root && apt ? undefined : `no Chromium at /usr/bin/chromium and it cannot be installed here (${root ? 'no apt-get' : 'not root'})`;
}

const skipReason = chromiumObtainable();
if (skipReason) {
	// eslint-disable-next-line no-console
	console.warn(`SKIPPED test/e2e/browser/editor.test.ts: ${skipReason}. Install Debian's chromium (or set CHROMIUM_PATH) to run it.`);
}
const suite = skipReason ? describe.skip : describe;

interface NodeProperty {
	name: string;
	displayName: string;
	type: string;
	displayOptions?: { show?: Record<string, unknown[]>; hide?: Record<string, unknown[]> };
	options?: Array<{ name: string; value: string }>;
}

/** Console errors n8n's editor prints by itself in a closed network (nothing to do with this package). */
const NOISE = [
	/ERR_NAME_NOT_RESOLVED|ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED|ERR_ADDRESS_UNREACHABLE/,
	/Failed to load resource/,
	// the editor asks the npm registry about community packages straight from the browser
	/Access to fetch at 'https:\/\/registry\.npmjs\.org\/.*blocked by CORS policy/,
];

suite('the Dropbox Plus nodes in n8n’s editor (Chromium)', () => {
	let h: Harness;
	let server: N8nServer;
	let context: BrowserContext;
	let page: Page;
	let profile: string;
	const consoleErrors: string[] = [];
	const started = Date.now();

	const shot = async (name: string, target: Page = page) => {
		if (process.env.BROWSER_SCREENSHOTS === '0') return;
		fs.mkdirSync(SHOTS, { recursive: true });
		await target.screenshot({ path: path.join(SHOTS, `${name}.png`) });
	};
	const byTestId = (id: string) => page.locator(`[data-test-id="${id}"]`);
	/** Errors the page logged since `mark`, without the closed network's noise. */
	const errorsSince = (mark: number) => consoleErrors.slice(mark).filter((e) => !NOISE.some((n) => n.test(e)));

	beforeAll(async () => {
		const executablePath = execFileSync('sh', [ENSURE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
		h = await startHarness();
		await h.emulator.seed(sandbox.demoDropbox());
		await h.importApiCredential({ id: sandbox.CREDENTIAL_ID, name: sandbox.CREDENTIAL_NAME });
		server = await h.n8n.start({ owner: false }); // the owner is created in the browser
		profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dbx-plus-chromium-'));
		// a fresh profile (--user-data-dir, which playwright passes for a persistent context)
		context = await chromium.launchPersistentContext(profile, {
			executablePath,
			headless: true,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				// the OAuth popup's www.dropbox.com is the emulator, as n8n's own Dropbox hosts are
				`--host-resolver-rules=MAP www.dropbox.com:443 127.0.0.1:${h.emulator.port}`,
			],
			viewport: { width: 1280, height: 800 },
			ignoreHTTPSErrors: true,
		});
		context.setDefaultTimeout(20_000);
		page = context.pages()[0] ?? (await context.newPage());
		page.on('console', (m) => {
			if (m.type() === 'error') consoleErrors.push(m.text());
		});
		page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
	}, HARNESS_TIMEOUT_MS);

	afterAll(async () => {
		await context?.close().catch(() => undefined);
		if (profile) fs.rmSync(profile, { recursive: true, force: true });
		await h?.stop();
		// eslint-disable-next-line no-console
		console.log(`browser suite: ${((Date.now() - started) / 1000).toFixed(0)} s`);
	});

	/** Options of an n8n select (the open dropdown's headlines). */
	const openSelect = async (param: string): Promise<string[]> => {
		await byTestId(`parameter-input-${param}`).click();
		const items = page.locator('[data-test-id="parameter-input-item"]:visible');
		await items.first().waitFor();
		return (await items.locator('.option-headline').allInnerTexts()).map((t) => t.trim());
	};
	const closeSelect = async () => {
		await page.keyboard.press('Escape');
		await page.locator('[data-test-id="parameter-input-item"]:visible').first().waitFor({ state: 'hidden' });
	};
	const pick = async (param: string, label: string) => {
		await openSelect(param);
		await page
			.locator('[data-test-id="parameter-input-item"]:visible')
			.filter({ has: page.locator('.option-headline', { hasText: new RegExp(`^${escapeRe(label)}$`) }) })
			.click();
		await page.locator('[data-test-id="parameter-input-item"]:visible').first().waitFor({ state: 'hidden' });
	};
	/** Names of the parameters the open node panel shows. */
	const shownParameters = async (): Promise<string[]> =>
		await page
			.locator('[data-test-id="node-parameters"] [data-test-id="parameter-item"]:visible label[for]')
			.evaluateAll((els) => els.map((e) => e.getAttribute('for') ?? ''));
	const nodeType = async (name: string): Promise<{ properties: NodeProperty[] }> => {
		const types = await page.evaluate(async () => await (await fetch('/types/nodes.json')).json());
		const t = (types as Array<{ name: string; properties: NodeProperty[] }>).find((n) => n.name === `${PREFIX}.${name}`);
		if (!t) throw new Error(`n8n does not know ${PREFIX}.${name}`);
		return t;
	};
	const searchNodes = async (term: string) => {
		await byTestId('node-creator-search-bar').fill(term);
	};
	const creatorItem = (name: string | RegExp) => page.locator('[data-test-id="node-creator-item-name"]', { hasText: name });

	it('creates the owner account on the setup page', async () => {
		await page.goto(`${server.url}/`);
		await page.waitForURL(/\/setup/);
		await page.fill('[data-test-id="email"] input', OWNER.email);
		await page.fill('[data-test-id="firstName"] input', OWNER.firstName);
		await page.fill('[data-test-id="lastName"] input', OWNER.lastName);
		await page.fill('[data-test-id="password"] input', OWNER.password);
		await byTestId('form-submit-button').click();
		await page.waitForURL((u) => !u.pathname.startsWith('/setup'));
		expect(new URL(page.url()).pathname).not.toMatch(/setup|signin/);
	}, STEP_MS);

	it('finds "Dropbox Plus" in the nodes panel and adds it with its actions', async () => {
		await page.goto(`${server.url}/workflow/new`);
		await byTestId('canvas-plus-button').click();
		await searchNodes('manual');
		await creatorItem(/^Manual Trigger$/).click();
		await byTestId('canvas-handle-plus-wrapper').first().click();
		await searchNodes('dropbox');
		await creatorItem(/^Dropbox Plus$/).first().waitFor();
		// distinct entries: the merged "Dropbox Plus" entry says it holds actions and a trigger, Instant says webhook
		const described = await page.locator('body').innerText();
		// and each trigger says when it fits: on a schedule, instant with a public URL, instant without one
		expect(described).toMatch(/Dropbox Plus\s+Upload, download, list, share and search Dropbox files and folders, or start a workflow when they change \(checked on a schedule\)/);
		expect(described).toMatch(/Dropbox Plus Instant\s+Starts a workflow the moment Dropbox notifies a change \(webhook\): needs a public URL/);
		expect(described).toMatch(/Dropbox Plus Long-Poll\s+Starts a workflow within seconds of a change, with no public URL needed/);
		await shot('nodes-panel-search');
		await creatorItem(/^Dropbox Plus$/).first().click();
		const expected = ['Upload a file', 'Download a file', 'List a folder', 'Search files and folders', 'Create a shared link', 'Get the current account'];
		// n8n fills the actions list in steps (under load the later groups come a moment after the first): each is awaited
		for (const a of expected) await creatorItem(new RegExp(`^${a}$`)).first().waitFor();
		const actions = (await page.locator('[data-test-id="node-creator-item-name"]:visible').allInnerTexts()).map((t) => t.trim());
		for (const a of expected) expect(actions).toContain(a);
		await shot('nodes-panel-actions');
		const mark = consoleErrors.length;
		await creatorItem(/^Upload a file$/).click();
		await byTestId('ndv').waitFor();
		await byTestId('parameter-input-operation').waitFor();
		// the sandbox's credential is picked by itself
		await expect(byTestId('node-credentials-select').locator('input').first().inputValue()).resolves.toBe(sandbox.CREDENTIAL_NAME);
		const uploadFields = await shownParameters();
		expect(uploadFields).toEqual(expect.arrayContaining(['resource', 'operation', 'binaryPropertyName', 'folder', 'fileName']));
		// the file first, then where it goes; a blank File Name keeps the binary file's name (not required)
		expect(uploadFields.indexOf('binaryPropertyName')).toBeLessThan(uploadFields.indexOf('folder'));
		await byTestId('ndv').getByText("Blank: the binary file's own name").waitFor();
		// one Simplify option, on for a new node, as on List and Search
		expect(uploadFields).toContain('simplify');
		await expect(page.locator('[data-test-id="parameter-input-simplify"] .is-checked').count()).resolves.toBe(1);
		await expect(
			page.locator('[data-test-id="node-parameters"] [data-test-id="parameter-item"]:visible', { has: page.locator('label[for="fileName"]') }).innerText(),
		).resolves.not.toMatch(/\*/);
		await shot('upload-fields');
		expect(errorsSince(mark)).toEqual([]);
	}, STEP_MS);

	it('renders the fields of every resource and operation without console errors', async () => {
		const type = await nodeType('dropboxPlus');
		const resourceProp = type.properties.find((p) => p.name === 'resource')!;
		const mark = consoleErrors.length;
		const shownResources = await openSelect('resource');
		await closeSelect();
		expect(shownResources).toEqual(resourceProp.options!.map((o) => o.name));
		const missing: string[] = [];
		let checked = 0;
		// n8n adds "Custom API Call" (the HTTP Request node with this credential) to every resource
		const ours = <T extends { name: string }>(list: T[]) => list.filter((o) => o.name !== 'Custom API Call');
		for (const resource of ours(resourceProp.options!)) {
			await pick('resource', resource.name);
			const operationProp = type.properties.find(
				(p) => p.name === 'operation' && (p.displayOptions?.show?.resource ?? []).includes(resource.value),
			)!;
			const shownOperations = await openSelect('operation');
			await closeSelect();
			expect({ resource: resource.name, operations: shownOperations }).toEqual({
				resource: resource.name,
				operations: operationProp.options!.map((o) => o.name),
			});
			for (const operation of ours(operationProp.options!)) {
				await pick('operation', operation.name);
				const expected = type.properties
					.filter((p) => {
						const show = p.displayOptions?.show;
						if (!show || p.displayOptions?.hide || ['hidden', 'notice'].includes(p.type)) return false;
						if (Object.keys(show).some((k) => k !== 'resource' && k !== 'operation')) return false;
						return show.resource?.includes(resource.value) && show.operation?.includes(operation.value);
					})
					.map((p) => p.name);
				const shown = await shownParameters();
				for (const name of expected) if (!shown.includes(name)) missing.push(`${resource.value}/${operation.value}: ${name}`);
				checked++;
			}
		}
		expect(missing).toEqual([]);
		expect(checked).toBeGreaterThanOrEqual(26);
		expect(errorsSince(mark)).toEqual([]);
	}, WALK_MS);

	it('lists the sandbox’s folders in the folder picker and runs Folder → List', async () => {
		await pick('resource', 'Folder');
		await pick('operation', 'List');
		const mark = consoleErrors.length;
		await page.locator('[data-test-id="resource-locator-folder"] [data-test-id="rlc-input"]').click();
		const items = page.locator('[data-test-id="rlc-item"]:visible');
		await items.filter({ hasText: /^\/Archive$/ }).waitFor();
		const listed = (await items.allInnerTexts()).map((t) => t.trim());
		expect(listed).toEqual(expect.arrayContaining(['/Documents', '/Photos', '/Reports', '/Inbox', '/Archive']));
		await shot('folder-picker');
		await items.filter({ hasText: /^\/Documents$/ }).click();
		await byTestId('node-execute-button').click();
		await byTestId('node-run-status-success').waitFor({ timeout: 60_000 });
		await expect(page.locator('[data-test-id="ndv-items-count"]').innerText()).resolves.toMatch(/3 items/);
		for (const f of ['Welcome.txt', 'Invoice-2024-001.pdf', 'settings.json']) {
			await byTestId('output-panel').getByText(f, { exact: true }).first().waitFor();
		}
		await shot('execution-success');
		expect(errorsSince(mark)).toEqual([]);
		await byTestId('ndv-close-button').click();
	}, STEP_MS);

	it('adds the polling trigger with its events', async () => {
		await page.goto(`${server.url}/workflow/new`);
		await byTestId('canvas-plus-button').click();
		await searchNodes('dropbox');
		await creatorItem(/^Dropbox Plus$/).first().click();
		const events = ['On file created', 'On file deleted', 'On file updated', 'On folder created', 'On folder deleted'];
		await creatorItem(events[0]).waitFor();
		expect((await page.locator('[data-test-id="node-creator-item-name"]:visible').allInnerTexts()).map((t) => t.trim())).toEqual(
			expect.arrayContaining(events),
		);
		const mark = consoleErrors.length;
		await creatorItem(events[0]).click();
		await byTestId('ndv').waitFor();
		await byTestId('parameter-input-events').waitFor();
		expect(await shownParameters()).toEqual(expect.arrayContaining(['pollTimes', 'events', 'folder', 'includeSubfolders']));
		await byTestId('parameter-input-events').click();
		const options = page.locator('.el-select-dropdown__item:visible');
		await options.first().waitFor();
		const shownEvents = (await options.allInnerTexts()).map((t) => t.split('\n')[0].trim());
		expect(shownEvents).toEqual(['File Created', 'File Deleted', 'File Updated', 'Folder Created', 'Folder Deleted']);
		await shot('trigger-events');
		await page.keyboard.press('Escape');
		await options.first().waitFor({ state: 'hidden' });
		// the defaults find things: Folder "/" with Include Subfolders on watches the whole Dropbox,
		// so "Fetch Test Event" shows the demo Dropbox's files (all of them are in subfolders)
		await expect(page.locator('[data-test-id="parameter-input-includeSubfolders"] .is-checked').count()).resolves.toBe(1);
		await expect(byTestId('node-execute-button').innerText()).resolves.toMatch(/Fetch Test Event/i);
		await byTestId('node-execute-button').click();
		await expect(page.locator('[data-test-id="ndv-items-count"]').innerText({ timeout: 60_000 })).resolves.toMatch(/[1-5] items?/);
		await byTestId('output-panel').getByText('fileCreated', { exact: true }).first().waitFor();
		await shot('trigger-test-event');
		expect(errorsSince(mark)).toEqual([]);
		await byTestId('ndv-close-button').click();
		// the canvas names the chosen events in words under the node's name
		await page.locator('.vue-flow').getByText('file created', { exact: true }).first().waitFor();
	}, STEP_MS);

	it('adds the Instant Trigger, whose panel shows the webhook URL to paste into the App Console', async () => {
		if (await byTestId('ndv').isVisible()) await byTestId('ndv-close-button').click();
		await byTestId('node-creator-plus-button').click();
		await searchNodes('dropbox');
		await creatorItem('Dropbox Plus Instant').click();
		await creatorItem('On file created').waitFor();
		const mark = consoleErrors.length;
		await creatorItem('On file created').click();
		await byTestId('ndv').waitFor();
		await byTestId('parameter-input-events').waitFor();
		const shown = await shownParameters();
		expect(shown).toEqual(expect.arrayContaining(['events', 'folder']));
		expect(shown).not.toContain('pollTimes'); // a webhook node has no schedule
		await page.getByText('Webhook URLs', { exact: true }).click();
		await page.getByText('Production URL', { exact: true }).click();
		const panel = await byTestId('ndv').innerText();
		expect(panel).toMatch(new RegExp(`${escapeRe(server.url)}/webhook/[\\w-]+/webhook`));
		expect(panel).toContain('App Console');
		// the setup notice in n8n 2.x's words: Publish, not activate
		expect(panel).toMatch(/choose Production URL, copy it into your app in the Dropbox App Console \(Settings → Webhooks → Add\), then Publish this workflow/);
		expect(panel).not.toMatch(/activate this workflow/i);
		await shot('instant-trigger');
		// n8n's trigger panel before listening: its own text, not n8n's generic "go to … and create an event"
		// (listening, and what n8n shows then, is the next test's)
		await byTestId('trigger-header').getByText("Paste this node's URL into your Dropbox app: App Console → your app → Settings → Webhooks → Add").waitFor();
		expect(await byTestId('ndv').innerText()).not.toMatch(/create an event/i);
		await shot('instant-trigger-panel');
		expect(errorsSince(mark)).toEqual([]);
		await byTestId('ndv-close-button').click();
		// the two triggers look different on the canvas: a clock badge and a lightning badge, and their subtitles
		await expect(page.locator('.vue-flow img[src*="dropboxPlusTrigger"]').count()).resolves.toBeGreaterThanOrEqual(1);
		await expect(page.locator('.vue-flow img[src*="dropboxPlusInstant"]').count()).resolves.toBeGreaterThanOrEqual(1);
		await page.locator('.vue-flow').getByText('instant: file created', { exact: true }).first().waitFor();
		await shot('canvas-triggers');
	}, STEP_MS);

	/** A new workflow holding only the trigger picked in the nodes panel (entry, then event), its panel open. */
	const addTriggerAlone = async (entry: string, event: string) => {
		await page.goto(`${server.url}/workflow/new`);
		await byTestId('canvas-plus-button').click();
		await searchNodes('dropbox');
		await creatorItem(entry).click();
		await creatorItem(event).click();
		await byTestId('ndv').waitFor();
		await byTestId('trigger-execute-button').waitFor();
	};
	/** The trigger panel's "When will this node trigger my flow?" help, opened. */
	const triggerHelp = async (): Promise<string> => {
		await byTestId('ndv').getByText('When will this node trigger my flow?').click();
		return await byTestId('ndv').locator('[class*="accordion"]').innerText();
	};
	/** The output panel shows a file-created event for `file` (simplified: event and path_display). */
	const outputShowsEvent = async (file: string) => {
		const output = byTestId('output-panel');
		await output.getByText(file, { exact: true }).first().waitFor({ timeout: 30_000 });
		await output.getByText('fileCreated', { exact: true }).first().waitFor();
		await expect(byTestId('ndv-items-count').innerText()).resolves.toMatch(/^1 item/);
	};

	it('listens for a test event: Dropbox (the emulator) notifies the Instant Trigger’s Test URL and the change comes out', async () => {
		await addTriggerAlone('Dropbox Plus Instant', 'On file created');
		const mark = consoleErrors.length;
		// before listening, the panel says what to do, naming the button as n8n labels it
		const listen = byTestId('trigger-execute-button');
		const label = (await listen.innerText()).trim();
		expect(label).toBe('Execute step'); // n8n 2.41.1: "Listen for test event" labels only its own Webhook node
		expect(await triggerHelp()).toMatch(new RegExp(`To try it now, press "${escapeRe(label)}" \\(n8n then listens for a test event\\), put the Test URL \\(Webhook URLs above\\) in the App Console`));
		// the Test URL, copied from Webhook URLs as the help says
		await page.getByText('Webhook URLs', { exact: true }).click();
		await page.getByText('Test URL', { exact: true }).click();
		const testUrl = new RegExp(`${escapeRe(server.url)}/webhook-test/[\\w-]+/webhook`).exec(await byTestId('ndv').innerText())?.[0];
		expect(testUrl).toBeDefined();
		await listen.click();
		const listening = byTestId('trigger-listening');
		await listening.waitFor();
		// n8n's own words while it listens (a node cannot set them in 2.41.1), and the way to stop
		expect(await listening.innerText()).toMatch(/Listening for test event\s+Go to Dropbox Plus Instant and create an event\s+Stop Listening/);
		await shot('instant-trigger-listening');
		// what `npm run webhook -- <Test URL>` does: a file lands in /Inbox and the emulator POSTs the signed notification
		const sent = await sandbox.pointWebhookAt({ port: h.emulator.port, caFile: h.emulator.caFile, appKey: h.emulator.appKey }, testUrl!);
		expect(sent.verified).toBeUndefined(); // a Test URL gets no verification GET: n8n listens there for one call
		await outputShowsEvent(sent.added!);
		await shot('instant-trigger-event');
		expect(errorsSince(mark)).toEqual([]);
		await byTestId('ndv-close-button').click();
	}, STEP_MS);

	it('Execute step on the Long-Poll Trigger waits for the next change and shows it', async () => {
		await addTriggerAlone('Dropbox Plus Long-Poll', 'On file created');
		const mark = consoleErrors.length;
		await byTestId('trigger-header').getByText('Waits for the next change in the watched folder').waitFor();
		const listen = byTestId('trigger-execute-button');
		const label = (await listen.innerText()).trim();
		expect(label).toBe('Execute step');
		expect(await triggerHelp()).toMatch(new RegExp(`Press "${escapeRe(label)}" \\(or "Execute workflow"\\), then change something in the watched folder: the first change comes out here`));
		await listen.click();
		await listen.filter({ hasText: 'Stop Listening' }).waitFor();
		// the change must come after the trigger's cursor: made once its long-poll is open at Dropbox
		await waitFor('the manual run’s long-poll open at the emulator', async () => (await h.emulator.longpolls()).open >= 1, { timeoutMs: 30_000, intervalMs: 200 });
		const file = '/Inbox/long-poll-test.txt';
		await h.emulator.seed({ files: [{ path: file, content: 'added while the Long-Poll Trigger waits\n' }] });
		await outputShowsEvent(file);
		await shot('longpoll-trigger-event');
		expect(errorsSince(mark)).toEqual([]);
		await byTestId('ndv-close-button').click();
	}, STEP_MS);

	const openNewCredential = async (typeName: string) => {
		await page.goto(`${server.url}/home/credentials/create`);
		await page.locator('[data-test-id="new-credential-type-select"] input').fill('Dropbox Plus');
		await page.locator('[data-test-id="new-credential-type-select-option"]:visible', { hasText: typeName }).click();
		await byTestId('new-credential-type-button').click();
		await byTestId('editCredential-modal').waitFor();
	};

	it('creates a Dropbox Plus Refresh Token API credential and tests the connection', async () => {
		const mark = consoleErrors.length;
		await openNewCredential('Dropbox Plus Refresh Token API');
		// the setup as numbered steps, each command on a line of its own to copy, in the names the screen shows
		const dialog = byTestId('editCredential-modal');
		const steps = await dialog.innerText();
		expect(steps).toMatch(/1\. In a browser, open this address[\s\S]*2\. In a terminal[\s\S]*3\. Below, put the App key in Client ID/);
		// the address and the command each in a box of their own, to copy whole
		const notices = (await dialog.locator('[role="alert"], .n8n-notice, [class*="notice"]').allInnerTexts()).map((t) => t.trim());
		expect(notices).toEqual(
			expect.arrayContaining([
				'https://www.dropbox.com/oauth2/authorize?client_id=APP_KEY&response_type=code&token_access_type=offline',
				'curl https://api.dropboxapi.com/oauth2/token -d code=CODE -d grant_type=authorization_code -u APP_KEY:APP_SECRET',
			]),
		);
		for (const label of ['Client ID', 'Client Secret', 'Refresh Token']) {
			await dialog.locator('label', { hasText: new RegExp(`^${label}`) }).first().waitFor();
		}
		expect(steps).not.toMatch(/App Key|App Secret/); // the field names the screen shows are Client ID and Client Secret
		await shot('credential-refresh-token-steps');
		const token = await h.emulator.issueToken({ refreshToken: true });
		await page.fill('[data-test-id="parameter-input-clientId"] input', h.emulator.appKey);
		await page.fill('[data-test-id="parameter-input-clientSecret"] input', h.emulator.appSecret);
		await page.fill('[data-test-id="parameter-input-refreshToken"] input', token.refresh_token!);
		await byTestId('credential-save-button').click();
		await byTestId('credentials-config-container-test-success').waitFor({ timeout: 30_000 });
		await expect(byTestId('credentials-config-container-test-success').innerText()).resolves.toContain(
			'Connection tested successfully',
		);
		await shot('credential-refresh-token');
		expect(errorsSince(mark)).toEqual([]);
	}, STEP_MS);

	it('connects a Dropbox Plus OAuth2 API credential through the OAuth popup (the emulator’s /oauth2/authorize)', async () => {
		const mark = consoleErrors.length;
		await openNewCredential('Dropbox Plus OAuth2 API');
		await page.fill('[data-test-id="parameter-input-clientId"] input', h.emulator.appKey);
		await page.fill('[data-test-id="parameter-input-clientSecret"] input', h.emulator.appSecret);
		const modal = await byTestId('editCredential-modal').innerText();
		expect(modal).toContain(`${server.url}/rest/oauth2-credential/callback`); // the redirect URL to register
		// and where it goes in the App Console, in the Console's words
		expect(modal).toMatch(/Settings tab → OAuth 2 → Redirect URIs: paste the OAuth Redirect URL/);
		expect(modal).toMatch(/App key into Client ID and the App secret into Client Secret/);
		const popup = context.waitForEvent('page');
		await page
			.locator('[data-test-id="editCredential-modal"]')
			.locator('[data-test-id="quick-connect-button"], [data-test-id="oauth-connect-button"]')
			.first()
			.click();
		const p = await popup;
		await p.waitForEvent('close', { timeout: 30_000 }).catch(() => undefined);
		await page.getByText(/Account connected/i).first().waitFor({ timeout: 30_000 });
		await shot('credential-oauth2');
		expect(errorsSince(mark)).toEqual([]);
	}, STEP_MS);
});

function escapeRe(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
