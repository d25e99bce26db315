#!/usr/bin/env node
'use strict';
// better-sqlite3 13 crashes older Node outright: say so before loading it.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`devstream needs Node.js 22 or newer (this is ${process.version}).`);
  process.exit(1);
}
// Compiled code cached on disk (Node's own cache, in the temp folder; NODE_DISABLE_COMPILE_CACHE=1
// turns it off): a one-shot command then skips parsing its 1 MB bundle, ~15-30 ms of each run.
require('node:module').enableCompileCache?.();
const path = require('node:path');
const fs = require('node:fs');
const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
require(fs.existsSync(bundled) ? bundled : path.join(__dirname, '..', 'out', 'src', 'cli', 'main.js')).run();
