import { promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary folders of test contexts (their binary stores), removed when the test file ends
 * (test/support/tempDirsSetup.ts): a 300 MiB upload test leaves 300 MiB behind otherwise, and
 * repeated runs filled a machine's disk.
 */
const made = new Set<string>();

export async function makeTempDir(prefix: string): Promise<string> {
	const dir = await fs.mkdtemp(join(tmpdir(), prefix));
	made.add(dir);
	return dir;
}

export function removeTempDirs(): void {
	for (const dir of made) rmSync(dir, { recursive: true, force: true });
	made.clear();
}
