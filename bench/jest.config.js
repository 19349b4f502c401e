/** `npm run bench`: the comparison only (bench/compare.bench.ts); the other *.bench.ts run by their own commands. */
const base = require('../jest.config.js');

module.exports = { ...base, rootDir: '..', roots: ['<rootDir>/bench'], testMatch: ['**/bench/compare.bench.ts'], testTimeout: 6 * 60 * 60_000 };
