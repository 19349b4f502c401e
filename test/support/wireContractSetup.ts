import { takeWireProblems } from './wireContract';

/**
 * After every test outside the emulator's own suites (which send bad requests on purpose to see
 * them refused): fail it if the node sent anything real Dropbox would answer with a 400.
 */
afterEach(() => {
	const problems = takeWireProblems();
	if (/[\\/]test[\\/]emulator[\\/]/.test(expect.getState().testPath ?? '')) return;
	if (problems.length > 0) {
		throw new Error(`The node sent requests that Dropbox refuses by its specification (HTTP 400):\n${problems.join('\n')}`);
	}
});
