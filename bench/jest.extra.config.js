/** `npm run bench:triggers` and `npm run bench:queue`: the benchmarks too long for `npm run bench`, one file each (given on the command line). */
const base = require('./jest.config.js');

module.exports = { ...base, testMatch: ['**/bench/triggers.bench.ts', '**/bench/queue.bench.ts'] };
