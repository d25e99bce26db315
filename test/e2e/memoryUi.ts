// UI steps shared by the memory and search UI tests (selectors checked against VS Code 1.117).
import type { FrameLocator, Page } from 'playwright-core';
import { EXTENSION_ID, UI_TIMEOUT_MS } from './harness';

export { AUTH_TS } from '../fixtures/authTs';

const quickInput = (page: Page) => page.locator('.quick-input-widget .quick-input-box input');

/** Quick-open a workspace file and wait for its tab. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await quickInput(page).waitFor({ state: 'visible' });
  await quickInput(page).fill(name);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
  await page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor({ state: 'visible' });
}

export const activeEditor = (page: Page) => page.locator('.editor-group-container.active .monaco-editor').first();

/** Selects whole lines first..last (1-based) of the active editor with the keyboard. */
export async function selectLines(page: Page, first: number, last: number): Promise<void> {
  await activeEditor(page).locator('.view-lines').click();
  await page.keyboard.press('Control+Home');
  for (let i = 1; i < first; i++) await page.keyboard.press('ArrowDown');
  for (let i = first; i <= last; i++) await page.keyboard.press('Shift+ArrowDown');
  await page.locator('#status\\.editor\\.selection', { hasText: 'selected' }).waitFor({ state: 'visible' });
}

/**
 * Clicks an item of the open context menu. Menu items ignore clicks for ~100 ms after they
 * render, so: wait, click, check that the menu closed, retry.
 */
export async function clickContextMenuItem(page: Page, label: string, attempts = 3): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  const item = menu.locator('.action-item .action-label', { hasText: label }).first();
  await item.waitFor({ state: 'visible' });
  for (let i = 0; i < attempts; i++) {
    await page.waitForTimeout(250);
    await item.click();
    if (
      await menu.waitFor({ state: 'hidden', timeout: 1500 }).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  throw new Error(`context menu item "${label}" did not trigger after ${attempts} clicks`);
}

/** Answers Save Selection's two questions: the type (typed to filter, or the suggested one) and the keywords. */
export async function answerCapture(page: Page, type: string | undefined, keywords: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: type ?? 'suggested' }).first();
  await row.waitFor({ state: 'visible' });
  if (type) await quickInput(page).fill(type);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget', { hasText: 'Keywords' }).waitFor({ state: 'visible' });
  await quickInput(page).fill(keywords);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
}

/** The Search view's page: two nested iframes. */
export function searchFrame(page: Page): FrameLocator {
  return page
    .frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"][src*="purpose=webviewView"]`)
    .frameLocator('iframe#active-frame');
}

/** "Ln X, Col Y" of the status bar, once it reads that line. */
export async function waitForCursorLine(page: Page, line: number, timeout = UI_TIMEOUT_MS): Promise<string> {
  const item = page.locator('#status\\.editor\\.selection', { hasText: new RegExp(`Ln ${line}, Col \\d+`) });
  await item.waitFor({ state: 'visible', timeout });
  return ((await item.textContent()) ?? '').trim();
}

/** Expands or collapses a view pane of the DevStream container (to give the others room). */
export async function setPaneExpanded(page: Page, viewName: string, expanded: boolean): Promise<void> {
  const header = page.locator('[id="workbench.view.extension.devstream"] .pane-header', {
    has: page.locator('h3.title', { hasText: viewName }),
  });
  if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
}
