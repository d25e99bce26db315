// UI test in a real VS Code workbench (code-server + Chromium, see harness.ts):
// the DevStream activity-bar container, the Plans welcome view and a palette command.
//   node --test out/test/e2e/        (after: node esbuild.mjs && npx tsc -p .)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workbenchForSuite } from './harness';

describe('DevStream in the VS Code workbench', { timeout: 240_000 }, () => {
  const workbench = workbenchForSuite({ name: 'ui' });

  it('the activity-bar item opens the DevStream container with Plans and Memories', { timeout: 30_000 }, async () => {
    const w = workbench();
    await w.openContainer('DevStream', 'devstream');
    await w.viewPane('devstream', 'Plans').waitFor({ state: 'visible' });
    await w.viewPane('devstream', 'Memories').waitFor({ state: 'visible' });
    // Opening the container activates the extension (onView), which registers the providers.
    await w.waitForTreeProvider('devstream', 'Plans', 20_000);
    await w.waitForTreeProvider('devstream', 'Memories', 20_000);
  });

  it('Plans shows its welcome view with a Create Plan button', { timeout: 30_000 }, async () => {
    const w = workbench();
    const plans = w.viewPane('devstream', 'Plans');
    await plans.locator('.welcome-view-content', { hasText: 'No plans yet' }).waitFor({ state: 'visible' });
    const button = plans.locator('.welcome-view-content .monaco-button', { hasText: 'Create Plan' });
    await button.waitFor({ state: 'visible' });
    assert.deepEqual(await w.treeRows('devstream'), [], 'no tree items yet');
    await w.screenshot('plans-welcome');
    // The button runs Create Plan: its first step opens; Escape leaves nothing behind.
    await button.click();
    const title = w.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Create Plan (1/4)' });
    await title.waitFor({ state: 'visible' });
    await w.page.keyboard.press('Escape');
    await title.waitFor({ state: 'hidden' });
    assert.deepEqual(await w.treeRows('devstream'), [], 'nothing was created');
  });

  it('"DevStream: Show Info" from the command palette shows a notification', { timeout: 30_000 }, async () => {
    const w = workbench();
    await w.runCommand('DevStream: Show Info');
    assert.equal(await w.waitForNotification('DevStream is ready'), 'DevStream is ready');
    await w.screenshot('show-info');
  });
});
