// Bundles the extension host, the CLI and the webview into dist/.
//   node esbuild.mjs [--production] [--watch]
// Native modules (better-sqlite3, sqlite-vec) stay external: they load their own binaries.
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'info',
};
const nodeTarget = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['vscode', 'better-sqlite3', 'sqlite-vec'],
};

const builds = [
  { ...nodeTarget, entryPoints: ['src/host/extension.ts'], outfile: 'dist/extension.js' },
  // Written by other parts of the project; built once they exist.
  fs.existsSync('src/cli/main.ts') &&
    { ...nodeTarget, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  fs.existsSync('webview/main.ts') &&
    { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js' },
].filter(Boolean);

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
