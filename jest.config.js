/** Every test of the project: unit (test/unit), emulator (test/emulator), end-to-end in real n8n (test/e2e). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// the wire-contract check: a test whose requests real Dropbox would refuse fails
	setupFilesAfterEnv: ['<rootDir>/test/support/wireContractSetup.ts', '<rootDir>/test/support/tempDirsSetup.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', isolatedModules: true }],
	},
	testTimeout: 60_000,
};
