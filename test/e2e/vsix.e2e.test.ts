// The packaged extension as users get it: `npm run package:all` (scripts/package.mjs) builds one
// VSIX per platform offline but for the other platforms' sqlite-vec packages, fetched from the
// npm registry. Each VSIX must hold exactly its own platform's native binaries, checked by their
// file headers (format and CPU), and this machine's VSIX, installed in code-server (no
// development path), must open the workspace database with the binaries it ships.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nativeBinaryKind, zipEntries } from '../helpers/zip';
import { REPO_ROOT, RESULTS_DIR, Workbench } from './harness';

/** What each vsce target must carry: its better-sqlite3 prebuild and sqlite-vec package, and their kind. */
const TARGETS = {
  'linux-x64': { prebuild: 'linux-x64', vec: 'sqlite-vec-linux-x64/vec0.so', kind: 'elf-x64' },
  'linux-arm64': { prebuild: 'linux-arm64', vec: 'sqlite-vec-linux-arm64/vec0.so', kind: 'elf-arm64' },
  'darwin-x64': { prebuild: 'darwin-x64', vec: 'sqlite-vec-darwin-x64/vec0.dylib', kind: 'macho-x64' },
  'darwin-arm64': { prebuild: 'darwin-arm64', vec: 'sqlite-vec-darwin-arm64/vec0.dylib', kind: 'macho-arm64' },
  'win32-x64': { prebuild: 'win32-x64', vec: 'sqlite-vec-windows-x64/vec0.dll', kind: 'pe-x64' },
} as const;
type Target = keyof typeof TARGETS;

describe('Packaged VSIX, one per platform', { timeout: 600_000 }, () => {
  const outDir = path.join(RESULTS_DIR, 'vsix-packages');
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const vsixOf = (t: Target) => path.join(outDir, `devstream-${t}-${version}.vsix`);
  let wb: Workbench | undefined;

  before(
    () => {
      fs.rmSync(outDir, { recursive: true, force: true });
      try {
        execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts/package.mjs'), '--all', '--out', outDir], {
          cwd: REPO_ROOT,
          stdio: 'pipe',
          timeout: 480_000,
        });
      } finally {
        execFileSync(process.execPath, [path.join(REPO_ROOT, 'esbuild.mjs')], { cwd: REPO_ROOT, stdio: 'pipe' }); // back to the dev build
      }
    },
    { timeout: 540_000 },
  );

  after(() => wb?.close(), { timeout: 30_000 });

  for (const [target, want] of Object.entries(TARGETS) as [Target, (typeof TARGETS)[Target]][]) {
    it(`${target}: exactly its own better-sqlite3 and sqlite-vec binaries`, async () => {
      const entries = await zipEntries(vsixOf(target));
      const names = [...entries.keys()];
      const natives = names.filter((n) => /\.(node|so|dylib|dll)$/.test(n)).sort();
      const prebuild = `extension/node_modules/better-sqlite3/prebuilds/${want.prebuild}.node`;
      const vec = `extension/node_modules/${want.vec}`;
      assert.deepEqual(natives, [prebuild, vec].sort(), 'no native file of another platform');
      assert.deepEqual(
        names
          .filter((n) => /node_modules\/sqlite-vec-/.test(n))
          .map((n) => n.split('/')[2])
          .filter((v, i, a) => a.indexOf(v) === i),
        [want.vec.split('/')[0]],
        'one sqlite-vec platform package',
      );
      assert.equal(nativeBinaryKind(entries.get(prebuild)!), want.kind, 'better-sqlite3 binary built for the target');
      assert.equal(nativeBinaryKind(entries.get(vec)!), want.kind, 'vec0 library built for the target');
      const manifest = entries.get('extension.vsixmanifest')!.toString('utf8');
      assert.match(manifest, new RegExp(`TargetPlatform="${target}"`));
      for (const need of [
        'extension/package.json',
        'extension/dist/extension.js',
        'extension/dist/cli.js',
        'extension/media/icon.png',
        'extension/changelog.md',
        'extension/node_modules/better-sqlite3/lib/index.js',
        'extension/node_modules/sqlite-vec/index.cjs',
      ]) {
        assert.ok(entries.has(need), `${need} in the VSIX`);
      }
      const shims = names.filter((n) => /better-sqlite3\/lib\/(linux|linuxmusl|darwin|win32)-[a-z0-9]+\.js$/.test(n));
      assert.deepEqual(shims, [`extension/node_modules/better-sqlite3/lib/${want.prebuild}.js`]);
    });
  }

  it('installs and works on this machine: commands run and the database opens', { timeout: 240_000 }, async () => {
    const here = `${process.platform}-${process.arch}` as Target;
    assert.ok(TARGETS[here], `a VSIX target for ${here}`);
    wb = await Workbench.open({
      name: 'vsix',
      installVsix: vsixOf(here),
      extensionDevelopmentPath: null,
      files: { 'notes.md': '# notes\n' },
    });
    await wb.runCommand('DevStream: Show Info');
    await wb.waitForNotification('DevStream is ready');
    await wb.runCommand('DevStream: Show Statistics'); // opens (creates) .devstream/devstream.db
    const frame = wb.page
      .frameLocator('iframe.webview.ready[src*="extensionId=devstream.devstream"]:not([src*="purpose=webviewView"])')
      .frameLocator('iframe#active-frame');
    await frame.locator('h1', { hasText: 'DevStream statistics' }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok(
      fs.existsSync(path.join(wb.workspace, '.devstream', 'devstream.db')),
      'the installed extension created the database',
    );
    assert.ok(fs.existsSync(path.join(wb.workspace, '.devstream', '.gitignore')));
  });
});
