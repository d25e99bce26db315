// UI test: save selected lines through the editor context menu, see the memory in the
// Memories tree and as a CodeLens in the editor.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workbenchForSuite } from './harness';
import {
  activeEditor,
  answerCapture,
  AUTH_TS,
  clickContextMenuItem,
  openFile,
  setPaneExpanded,
  selectLines,
} from './memoryUi';

describe('Memories: save a selection from the editor context menu', { timeout: 300_000 }, () => {
  const workbench = workbenchForSuite({ name: 'memories', files: { 'src/auth.ts': AUTH_TS } });

  it('the Memories view starts with its welcome content', { timeout: 60_000 }, async () => {
    const w = workbench();
    await w.openContainer('DevStream', 'devstream');
    await w.waitForTreeProvider('devstream', 'Memories', 30_000);
    await w
      .viewPane('devstream', 'Memories')
      .locator('.welcome-view-content', { hasText: 'No memories yet' })
      .waitFor({ state: 'visible' });
  });

  it('right-click > Save Selection to Memory saves the selected lines', { timeout: 60_000 }, async () => {
    const w = workbench();
    const page = w.page;
    await openFile(page, 'auth.ts');
    await selectLines(page, 3, 5);
    await activeEditor(page).locator('.selected-text').first().click({ button: 'right', force: true });
    await clickContextMenuItem(page, 'Save Selection to Memory');
    await answerCapture(page, undefined, 'auth, token refresh'); // the suggested type for TypeScript: code
    assert.match(await w.waitForNotification('Saved memory'), /Saved memory \(code, 3 lines\)/);
  });

  it('the memory shows in the tree under Code, with file:line, and as a CodeLens', { timeout: 60_000 }, async () => {
    const w = workbench();
    const page = w.page;
    await setPaneExpanded(page, 'Plans', false);
    const pane = w.viewPane('devstream', 'Memories');
    const row = pane.locator('.monaco-list-row', { hasText: 'export async function refreshToken' });
    await row.waitFor({ state: 'visible' });
    assert.equal((await row.locator('.label-description').textContent())?.trim(), 'auth.ts:3');
    const group = pane.locator('.monaco-list-row', { hasText: 'Code' }).first();
    assert.equal((await group.locator('.label-description').textContent())?.trim(), '1');
    assert.ok(await row.locator('.codicon-code').count(), 'the code icon');
    // The user looks back at the code: VS Code re-asks for the lenses of an editor that lost focus
    // (here to the tree) only once it has focus again; the gutter mark is there either way.
    await activeEditor(page)
      .locator('.view-lines')
      .click({ position: { x: 300, y: 200 } });
    await activeEditor(page).locator('.codelens-decoration', { hasText: '1 memory' }).waitFor({ state: 'visible' });
    // The tooltip: escaped markdown with the anchor and the keywords.
    await w.runCommand('Notifications: Clear All Notifications');
    await row.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'src/auth.ts:3-5' }).first();
    await hover.waitFor({ state: 'visible' });
    assert.match((await hover.textContent()) ?? '', /auth,\s+token,\s+refresh/); // appendText writes &nbsp;
    await w.screenshot('tree');
  });
});
