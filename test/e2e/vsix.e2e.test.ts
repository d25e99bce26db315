// The packaged extension as a user gets it: `vsce package` builds a VSIX offline, code-server
// installs it (no development path), and the installed copy opens the workspace database with
// the native modules shipped inside the VSIX.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, RESULTS_DIR, Workbench } from './harness';

describe('Packaged VSIX', { timeout: 300_000 }, () => {
  let wb: Workbench | undefined;
  const vsix = path.join(RESULTS_DIR, 'devstream-test.vsix');

  before(async () => {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.rmSync(vsix, { force: true });
    const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'esbuild.mjs'), '--production'], { cwd: REPO_ROOT, stdio: 'pipe' });
    try {
      execFileSync(process.execPath, [vsce, 'package', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix], { cwd: REPO_ROOT, stdio: 'pipe', timeout: 180_000 });
    } finally {
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'esbuild.mjs')], { cwd: REPO_ROOT, stdio: 'pipe' }); // back to the dev build
    }
    assert.ok(fs.statSync(vsix).size > 1_000_000, 'a VSIX with the native binaries');
    wb = await Workbench.open({ name: 'vsix', installVsix: vsix, extensionDevelopmentPath: null, files: { 'notes.md': '# notes\n' } });
  }, { timeout: 240_000 });

  after(() => wb?.close(), { timeout: 30_000 });

  it('installs and works: commands run and the database opens', { timeout: 90_000 }, async () => {
    assert.ok(wb);
    await wb.runCommand('DevStream: Show Info');
    await wb.waitForNotification('DevStream is ready');
    await wb.runCommand('DevStream: Show Statistics'); // opens (creates) .devstream/devstream.db
    const frame = wb.page
      .frameLocator('iframe.webview.ready[src*="extensionId=devstream.devstream"]:not([src*="purpose=webviewView"])')
      .frameLocator('iframe#active-frame');
    await frame.locator('h1', { hasText: 'DevStream statistics' }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok(fs.existsSync(path.join(wb.workspace, '.devstream', 'devstream.db')), 'the installed extension created the database');
    assert.ok(fs.existsSync(path.join(wb.workspace, '.devstream', '.gitignore')));
  });
});
