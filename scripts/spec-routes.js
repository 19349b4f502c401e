#!/usr/bin/env node
// Writes docs/development.md's table of every Dropbox route the nodes call (host, style, argument type,
// scope from Dropbox's spec). Run through `npm run docs:routes`; a test fails when it is stale.
const fs = require('node:fs');
const path = require('node:path');
const { readmeWithRouteTable } = require('../sandbox/dist/spec/nodeRoutes');

const readme = path.join(__dirname, '..', 'docs', 'development.md');
fs.writeFileSync(readme, readmeWithRouteTable(fs.readFileSync(readme, 'utf8')));
console.log('docs/development.md: route table written');
