const { rmSync } = require('node:fs');
const { src, dest, series } = require('gulp');

/** Empties dist/ before a build, so nothing stale is ever published. */
function clean(done) {
	rmSync('dist', { recursive: true, force: true });
	done();
}

/** Copies icons and the nodes' other assets (codex JSON, SVG, PNG) beside the compiled code. */
function copyIcons() {
	return src('icons/**/*.{svg,png}', { encoding: false }).pipe(dest('dist/icons'));
}

function copyNodeAssets() {
	return src(['nodes/**/*.{svg,png,json}', '!nodes/**/tsconfig*.json'], { encoding: false, allowEmpty: true }).pipe(
		dest('dist/nodes'),
	);
}

exports.clean = clean;
exports['build:assets'] = series(copyIcons, copyNodeAssets);
