/**
 * Every message the docs quote is one the node really prints: the bad-input table
 * (docs/reliability.md) is read row by row, each quoted message and fix is cut into its literal
 * pieces (around "…", quoted values, "item N" and "/"-separated alternatives), and every piece
 * must be in the source of the nodes or credentials.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.join(__dirname, '..', '..');

function sourceText(): string {
	const texts: string[] = [];
	const scan = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) scan(full);
			else if (entry.name.endsWith('.ts')) texts.push(fs.readFileSync(full, 'utf8'));
		}
	};
	scan(path.join(REPO_ROOT, 'nodes'));
	scan(path.join(REPO_ROOT, 'credentials'));
	// a string's own escapes as the user reads them
	return texts.join('\n').replace(/\\(["'`])/g, '$1');
}

/** The rows of the markdown table that follows `heading`: [input, message]. */
export function tableRows(markdown: string, heading: string): Array<[string, string]> {
	const start = markdown.indexOf(heading);
	if (start === -1) throw new Error(`no "${heading}" section`);
	const rows: Array<[string, string]> = [];
	let inTable = false;
	for (const line of markdown.slice(start).split('\n').slice(1)) {
		if (line.startsWith('#')) break;
		if (!line.startsWith('|')) {
			if (inTable) break;
			continue;
		}
		inTable = true;
		const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
		if (cells[0] === 'input' || /^-+$/.test(cells[0])) continue;
		rows.push([cells[0], cells[1]]);
	}
	return rows;
}

/** The literal pieces of a quoted message: what stays the same whatever the item and value. */
export function literalPieces(quoted: string): string[] {
	return quoted
		.replace(/[`*]/g, '')
		// Dropbox's error tags (path/not_found, (invalid_access_token)) are filled in from its answer
		.replace(/\([a-z_]+\)|\b[a-z_]+(?:\/[a-z_]+)+\b|: [a-z_]+_[a-z_]+\b/g, '…')
		.split(/…|"[^"]*"|\{\{[^}]*\}\}|\bitem [N0-9]\b|\s\/\s|\(or\b[^)]*\)|\(on every item[^)]*\)|\bsuch as\b|\b\d[\d,.]*\b/)
		.map((piece) =>
			piece
				.trim()
				// "The File …", "The Chunk Size option …": the field's name is filled in
				.replace(/^The\s+(?:[A-Z][\w-]*\s+)+/, '')
				.replace(/^(?:The|the|of|and)\s+|\s+(?:of|and|to)$/g, '')
				.replace(/^[,.;:(]\s*|[\s,;:(]+$/g, '')
				.trim(),
		)
		.filter((piece) => piece.split(/\s+/).length >= 2);
}

describe('the bad-input table quotes what the node prints', () => {
	const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'reliability.md'), 'utf8');
	const rows = tableRows(doc, '### Bad input: what each gets');
	const source = sourceText();

	it('has its rows', () => {
		expect(rows.length).toBeGreaterThanOrEqual(20);
	});

	it.each(rows.filter(([, message]) => message.includes(' — ')).map(([input, message]) => [input, message] as const))(
		'%s: every piece of the message and of the fix is in the code',
		(_input, message) => {
			const [said, fix] = message.split(' — ');
			const quotedFix = fix.replace(/^\*|\*$/g, '');
			const missing = [...literalPieces(said), ...literalPieces(quotedFix)].filter((piece) => !source.includes(piece));
			expect(missing).toEqual([]);
		},
	);
});

describe("the README's troubleshooting table quotes what the node prints", () => {
	const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
	const start = readme.indexOf('## Troubleshooting');
	const rows = readme
		.slice(start, readme.indexOf('\n## ', start + 1))
		.split('\n')
		.filter((line) => line.startsWith('| *'))
		.map((line) => line.split('|')[1].trim());
	const source = sourceText();

	it('has its rows', () => {
		expect(rows.length).toBeGreaterThanOrEqual(10);
	});

	it.each(rows.map((message) => [message] as const))('%s: every piece is in the code', (message) => {
		const quoted = message.slice(1, message.indexOf('*', 1));
		expect(literalPieces(quoted).filter((piece) => !source.includes(piece))).toEqual([]);
	});
});
