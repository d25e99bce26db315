// UI test: lines inserted above a memory move its gutter icon and CodeLens live (before any
// save); editing the saved snippet and saving shows the memory as `changed` in the tree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { UI_TIMEOUT_MS, workbenchForSuite } from './harness';
import { activeEditor, answerCapture, openFile, selectLines, setPaneExpanded, waitForCursorLine } from './memoryUi';

const CODE = [
  '// queue.ts',
  '',
  'export function retryQueue(job: Job) {',
  '  const delay = backoff(job.tries);',
  '  return schedule(job, delay);',
  '}',
  '',
  'export const LIMIT = 10;',
  '',
].join('\n');

/**
 * The editor line (1-based, from the line numbers) where the memory's CodeLens and gutter icon
 * are drawn now: the CodeLens sits right above its line, the gutter icon on it.
 */
// Run in the page (a DOM there; this project's TypeScript has no DOM library).
interface PageGlobals {
  getComputedStyle(e: Element): { backgroundImage: string };
  requestAnimationFrame(cb: () => void): void;
}
type Element = {
  textContent: string | null;
  getBoundingClientRect(): { top: number; bottom: number };
  querySelectorAll(s: string): Iterable<Element>;
};

async function markedLines(page: Page): Promise<{ lens?: number; gutter?: number }> {
  return activeEditor(page).evaluate((editor: Element) => {
    const { getComputedStyle } = globalThis as unknown as PageGlobals;
    const numbers = [...editor.querySelectorAll('.line-numbers')].map((el) => ({
      n: Number(el.textContent),
      r: el.getBoundingClientRect(),
    }));
    const lineAt = (y: number) => numbers.find((l) => y >= l.r.top - 1 && y < l.r.bottom - 1)?.n;
    const lens = [...editor.querySelectorAll('.codelens-decoration')].find((el) => /memor/.test(el.textContent ?? ''));
    const gutter = [...editor.querySelectorAll('.margin *')].find((el) =>
      getComputedStyle(el).backgroundImage.includes('memory-'),
    );
    return {
      lens: lens ? lineAt(lens.getBoundingClientRect().bottom + 2) : undefined,
      gutter: gutter
        ? lineAt((gutter.getBoundingClientRect().top + gutter.getBoundingClientRect().bottom) / 2)
        : undefined,
    };
  });
}

async function waitForMarks(page: Page, line: number): Promise<void> {
  const end = Date.now() + UI_TIMEOUT_MS;
  let last: { lens?: number; gutter?: number } = {};
  while (Date.now() < end) {
    last = await markedLines(page);
    if (last.lens === line && last.gutter === line) return;
    await page.waitForFunction(
      () => new Promise((r) => (globalThis as unknown as PageGlobals).requestAnimationFrame(() => r(true))),
    ); // the next frame, not a fixed sleep
  }
  throw new Error(`the CodeLens and gutter icon are not on line ${line}: ${JSON.stringify(last)}`);
}

describe('Anchors: memories follow the code as it is edited', { timeout: 300_000 }, () => {
  const workbench = workbenchForSuite({ name: 'anchors', files: { 'src/queue.ts': CODE } });

  it('saves lines 3-6 as a memory: CodeLens and gutter icon on line 3', { timeout: 90_000 }, async () => {
    const w = workbench();
    await w.openContainer('DevStream', 'devstream');
    await w.waitForTreeProvider('devstream', 'Memories', 30_000);
    await setPaneExpanded(w.page, 'Plans', false);
    await openFile(w.page, 'queue.ts');
    await selectLines(w.page, 3, 6);
    await w.runCommand('DevStream: Save Selection to Memory');
    await answerCapture(w.page, 'decision', 'retry');
    await w.waitForNotification('Saved memory');
    await w.runCommand('Notifications: Clear All Notifications');
    await activeEditor(w.page)
      .locator('.view-lines')
      .click({ position: { x: 300, y: 5 } });
    await activeEditor(w.page).locator('.codelens-decoration', { hasText: '1 memory' }).waitFor({ state: 'visible' });
    await waitForMarks(w.page, 3);
  });

  it(
    'two lines typed above it move the CodeLens and the gutter icon to line 5 before any save',
    { timeout: 60_000 },
    async () => {
      const w = workbench();
      const page = w.page;
      await page.keyboard.press('Control+Home');
      await waitForCursorLine(page, 1);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await waitForCursorLine(page, 3);
      await waitForMarks(page, 5);
      await w.screenshot('moved-live');
    },
  );

  it(
    'editing a line of the snippet and saving shows the memory as changed in the tree',
    { timeout: 60_000 },
    async () => {
      const w = workbench();
      const page = w.page;
      await activeEditor(page)
        .locator('.view-lines')
        .click({ position: { x: 300, y: 5 } }); // focus, line 1
      await waitForCursorLine(page, 1);
      for (let i = 1; i < 7; i++) await page.keyboard.press('ArrowDown');
      await waitForCursorLine(page, 7);
      await page.keyboard.press('End');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.insertText('return enqueue(job, delay * 2);'); // insertText: no auto-closed brackets
      await page.keyboard.press('Control+S');
      await page
        .locator('.tabs-container .tab.active:not(.dirty)[aria-label^="queue.ts"]')
        .waitFor({ state: 'visible' });
      const row = w
        .viewPane('devstream', 'Memories')
        .locator('.monaco-list-row', { hasText: 'export function retryQueue' });
      await row
        .locator('.label-description', { hasText: /queue\.ts:5 · changed \(\d+% alike\)/ })
        .waitFor({ state: 'visible' });
      assert.ok(await row.locator('.codicon-diff-modified').count(), 'the changed icon');
      await w.screenshot('changed');
    },
  );
});
