/**
 * A Jest environment whose process runs in a time zone far from UTC (Pacific/Auckland) while
 * one test file runs, so that any date read in the server's local time shows. Jest copies
 * process.env into the test sandbox, so the zone must be set here, outside it; it is put back
 * when the file is done. Use with the docblock `@jest-environment ./test/support/farTimeZoneEnvironment.js`.
 */
const { TestEnvironment } = require('jest-environment-node');

class FarTimeZoneEnvironment extends TestEnvironment {
	async setup() {
		this.savedTz = process.env.TZ;
		process.env.TZ = 'Pacific/Auckland';
		await super.setup();
	}

	async teardown() {
		if (this.savedTz === undefined) delete process.env.TZ;
		else process.env.TZ = this.savedTz;
		await super.teardown();
	}
}

module.exports = FarTimeZoneEnvironment;
