#!/usr/bin/env node
/**
 * `npm run webhook -- URL`, while `npm start` runs: the sandbox's Dropbox (the emulator) calls an
 * Instant Trigger's URL as the real Dropbox does once the URL is in the App Console — a
 * verification GET (Production URL only: n8n's Test URL listens for one call), then, after a
 * file is added to /Inbox, a signed notification POST. Later changes in the demo Dropbox notify
 * the same URL. `--no-file` leaves /Inbox alone.
 */
'use strict';

const fs = require('fs');

const { EMULATOR_FILE, pointWebhookAt } = require('./sandbox');

async function main() {
	const args = process.argv.slice(2);
	const url = args.find((a) => !a.startsWith('--'));
	if (!url) throw new Error('give the Instant Trigger\'s URL: npm run webhook -- http://localhost:5678/webhook/<id>/webhook');
	if (!fs.existsSync(EMULATOR_FILE)) throw new Error('the sandbox is not running: start it with npm start (in another terminal)');
	const info = JSON.parse(fs.readFileSync(EMULATOR_FILE, 'utf8'));
	const result = await pointWebhookAt(info, url, { touch: !args.includes('--no-file') });
	const lines = [
		`webhook of the sandbox app: ${result.url}`,
		result.verified === undefined
			? 'verification GET: skipped for a Test URL (n8n listens for one call there)'
			: 'verification GET: answered with the challenge',
		result.added ? `added ${result.added}: its notification POST is on its way` : 'no file added (--no-file)',
		'from now on every change in the demo Dropbox notifies this URL',
	];
	process.stdout.write(`${lines.map((l) => `[webhook] ${l}`).join('\n')}\n`);
}

main().catch((e) => {
	process.stderr.write(`[webhook] ${e.message}\n`);
	process.exit(1);
});
