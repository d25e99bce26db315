// UI test of the Search view (a webview built with @vscode-elements/elements): search as you
// type with highlighted matches, click and keyboard to jump to the source, filters, and the
// CSP refusing a script without the page's nonce.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workbenchForSuite } from './harness';
import {
  answerCapture,
  AUTH_TS,
  openFile,
  setPaneExpanded,
  searchFrame,
  selectLines,
  waitForCursorLine,
} from './memoryUi';

describe('Search view: hybrid search in a webview', { timeout: 300_000 }, () => {
  const consoleCsp: string[] = [];
  const workbench = workbenchForSuite(
    {
      name: 'search',
      files: { 'src/auth.ts': AUTH_TS, 'notes/ops.md': '# Deploys\n\nRestart the worker after a deploy.\n' },
    },
    // Chromium reports CSP violations of every frame on the console.
    (wb) => {
      wb.page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) consoleCsp.push(m.text());
      });
    },
  );

  it('Ctrl+Alt+M saves selections (the keybinding)', { timeout: 90_000 }, async () => {
    const w = workbench();
    const page = w.page;
    await w.openContainer('DevStream', 'devstream');
    await w.waitForTreeProvider('devstream', 'Memories', 30_000);
    await openFile(page, 'auth.ts');
    await selectLines(page, 3, 5);
    await page.keyboard.press('Control+Alt+M');
    await answerCapture(page, undefined, 'auth token');
    await w.waitForNotification('Saved memory (code, 3 lines)');
    await selectLines(page, 7, 10);
    await page.keyboard.press('Control+Alt+M');
    await answerCapture(page, 'decision', 'logout session');
    await w.waitForNotification('Saved memory (decision, 4 lines)');
    await openFile(page, 'ops.md');
    await selectLines(page, 3, 3);
    await page.keyboard.press('Control+Alt+M');
    await answerCapture(page, undefined, 'deploy'); // markdown suggests documentation
    await w.waitForNotification('Saved memory (documentation, 1 line)');
  });

  it('typing a query shows results with the matched terms highlighted', { timeout: 60_000 }, async () => {
    const w = workbench();
    const page = w.page;
    await setPaneExpanded(page, 'Plans', false);
    await setPaneExpanded(page, 'Search', true);
    const frame = searchFrame(page);
    const input = frame.locator('vscode-textfield.query input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.pressSequentially('session token', { delay: 30 }); // as typed: debounced, stale replies dropped
    await frame.locator('ul.results[data-query="session token"] .result mark').first().waitFor({ state: 'visible' });
    const results = frame.locator('.result');
    for (const r of await results.all()) {
      const marks = (await r.locator('mark').allTextContents()).map((s) => s.toLowerCase());
      if (!marks.length) continue; // a vector-only neighbour has no keyword to mark
      assert.ok(marks.includes('session') && marks.some((m) => m.startsWith('token')), `marks: ${marks.join(', ')}`);
    }
    // Every memory comes back (the vector channel ranks all 3 of them): find each by its title.
    const auth = results.filter({ has: frame.locator('.title', { hasText: 'refreshToken(' }) });
    assert.match((await auth.locator('.title').textContent()) ?? '', /export async function refreshToken/);
    assert.match((await auth.locator('.meta').textContent()) ?? '', /auth\.ts:3–5/);
    assert.match((await auth.getAttribute('title')) ?? '', /RRF score [\d.]+ · keyword rank #\d/);
    assert.match((await frame.locator('.status').textContent()) ?? '', /\d+ results? · \d+ ms/);
    await w.screenshot('results');
  });

  it('clicking a result opens the file with the cursor on the snippet', { timeout: 60_000 }, async () => {
    const w = workbench();
    const page = w.page;
    await openFile(page, 'ops.md'); // somewhere else first
    const frame = searchFrame(page);
    await frame.locator('.result', { has: frame.locator('.title', { hasText: 'refreshToken(' }) }).click();
    assert.match(await waitForCursorLine(page, 3), /^Ln 3, Col 1\b/);
    await page.locator('.tabs-container .tab.active[aria-label^="auth.ts"]').waitFor({ state: 'visible' });
    await w.runCommand('Notifications: Clear All Notifications');
    await frame.locator('.result', { has: frame.locator('.title', { hasText: 'refreshToken(' }) }).hover();
    await w.screenshot('jump');
    await w
      .viewPane('devstream', 'Memories')
      .locator('.monaco-list-row', { hasText: 'export function logout' })
      .hover();
    await page
      .locator('.monaco-hover, .workbench-hover')
      .filter({ hasText: 'src/auth.ts:7-10' })
      .first()
      .waitFor({ state: 'visible' });
    await w.screenshot('tree');
  });

  it('arrow keys and Enter open a result from the keyboard', { timeout: 60_000 }, async () => {
    const w = workbench();
    const page = w.page;
    const frame = searchFrame(page);
    const input = frame.locator('vscode-textfield.query input');
    await input.fill('logout');
    await frame.locator('ul.results[data-query="logout"] .result').first().waitFor({ state: 'visible' });
    const activeTitle = frame.locator('.result.active .title');
    for (
      let i = 0;
      i < 3 && !((await activeTitle.count()) && /logout/.test((await activeTitle.textContent()) ?? ''));
      i++
    ) {
      await input.press('ArrowDown');
      await frame.locator('.result.active').waitFor({ state: 'visible' });
    }
    assert.match((await frame.locator('.result.active .title').textContent()) ?? '', /logout/);
    await input.press('Enter');
    assert.match(await waitForCursorLine(page, 7), /^Ln 7, Col 1\b/);
  });

  it('the file-prefix filter narrows the results', { timeout: 60_000 }, async () => {
    const frame = searchFrame(workbench().page);
    const input = frame.locator('vscode-textfield.query input');
    await input.fill('deploy');
    await frame.locator('.result .title', { hasText: 'Restart the worker' }).waitFor({ state: 'visible' });
    await frame.locator('.toggle').click();
    const prefix = frame.locator('vscode-textfield.file-filter input');
    await prefix.fill('src/');
    await frame.locator('.result .title', { hasText: 'Restart the worker' }).waitFor({ state: 'hidden' });
    await prefix.fill('notes/');
    await frame.locator('.result .title', { hasText: 'Restart the worker' }).waitFor({ state: 'visible' });
    await prefix.fill('');
    await frame.locator('.toggle').click();
  });

  it(
    'the CSP blocks a script without the nonce; the page itself caused no violation',
    { timeout: 30_000 },
    async () => {
      const w = workbench();
      assert.deepEqual(consoleCsp, [], 'vscode-elements and the page load within the CSP (no unsafe-inline)');
      // Runs inside the webview's page (as a string: this file compiles without the DOM lib).
      const probe = `new Promise((resolve) => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__devstreamInjected = true;';
      document.body.append(script);
      const styled = document.createElement('div');
      styled.setAttribute('style', 'width: 123px');
      document.body.append(styled);
      setTimeout(() => resolve({ ran: window.__devstreamInjected === true, styled: styled.getBoundingClientRect().width === 123, violations }), 300);
    })`; // an expression (not a function): evaluate() awaits the promise it yields
      const result = (await searchFrame(w.page).locator('body').evaluate(probe)) as {
        ran: boolean;
        styled: boolean;
        violations: string[];
      };
      assert.equal(result.ran, false, 'the injected script did not run');
      assert.equal(result.styled, false, 'an inline style attribute is refused too');
      assert.ok(result.violations.includes('script-src-elem'), `violations: ${result.violations.join(', ')}`);
      await w.screenshot('csp');
    },
  );
});
