// Bundles the extension host, the search worker, the CLI and the webview (+ its CSS and the
// codicon font) into dist/.
//   node esbuild.mjs [--production] [--watch]
// Native modules (better-sqlite3, sqlite-vec) stay external: they load their own binaries.
// The webview has its own tsconfig (DOM, only src/shared/protocol.ts from src/): esbuild does
// not type-check, so a one-shot build runs `tsc -p webview` first.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

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
  // Hybrid search off the extension host's main thread (worker_threads).
  { ...nodeTarget, entryPoints: ['src/host/search/searchWorker.ts'], outfile: 'dist/searchWorker.js' },
  { ...nodeTarget, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
  },
  {
    ...common,
    entryPoints: ['webview/style.css'],
    outfile: 'dist/webview.css',
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
  },
];

if (!watch) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'webview'], { stdio: 'inherit' });
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
