#!/usr/bin/env node
'use strict';
// better-sqlite3 13 crashes older Node outright: say so before loading it.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`devstream needs Node.js 22 or newer (this is ${process.version}).`);
  process.exit(1);
}
const path = require('node:path');
const fs = require('node:fs');
const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
require(fs.existsSync(bundled) ? bundled : path.join(__dirname, '..', 'out', 'src', 'cli', 'main.js')).run();
