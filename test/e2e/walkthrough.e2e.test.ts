// UI test: the first-run walkthrough (steps checked off by real events) and the Memories
// view's welcome content (a working command link, no literal Markdown).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXTENSION_ID, workbenchForSuite, type Workbench } from './harness';
import { activeEditor, answerCapture, AUTH_TS, openFile, searchFrame, selectLines } from './memoryUi';

const WALKTHROUGH = `${EXTENSION_ID}#firstRun`;
const STEPS = {
  save: 'Save a selection to memory',
  search: 'Search your memories',
  plan: 'Create a plan with a task',
  agent: 'Connect an AI agent',
};
type StepId = keyof typeof STEPS;

/** Welcome: Open Walkthrough… > the DevStream walkthrough, as a user opens it. */
async function openWalkthrough(w: Workbench): Promise<void> {
  const page = w.page;
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await page.keyboard.press('F1');
  await input.fill('>Welcome: Open Walkthrough');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Open Walkthrough' }).first().waitFor();
  await page.keyboard.press('Enter');
  const item = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get Started with DevStream' });
  await item.first().waitFor();
  await item.first().click();
  await input.waitFor({ state: 'hidden' });
  await step(w, 'save').waitFor({ state: 'visible' });
}

/** A step of the open walkthrough: its button (aria-checked says done). */
const stepSelector = (id: StepId) => `button.getting-started-step[data-step-id="${WALKTHROUGH}#${id}"]`;
const step = (w: Workbench, id: StepId) => w.page.locator(stepSelector(id));

async function waitForChecked(w: Workbench, id: StepId, checked: boolean): Promise<void> {
  await w.page.locator(`${stepSelector(id)}[aria-checked="${checked}"]`).waitFor({ state: 'visible' });
}

async function checkedSteps(w: Workbench): Promise<StepId[]> {
  const done: StepId[] = [];
  for (const id of Object.keys(STEPS) as StepId[]) {
    if ((await step(w, id).getAttribute('aria-checked')) === 'true') done.push(id);
  }
  return done;
}

describe('First run: the walkthrough and the Memories welcome', { timeout: 300_000 }, () => {
  const workbench = workbenchForSuite({ name: 'walkthrough', files: { 'src/auth.ts': AUTH_TS } });

  it('Welcome: Open Walkthrough… opens it with its four steps, none done yet', { timeout: 60_000 }, async () => {
    const w = workbench();
    await openWalkthrough(w);
    for (const [id, title] of Object.entries(STEPS)) {
      assert.equal(
        (
          await step(w, id as StepId)
            .locator('h3.step-title')
            .textContent()
        )?.trim(),
        title,
        id,
      );
    }
    assert.deepEqual(await checkedSteps(w), []);
    // The selected step's media: media/walkthrough/save.md rendered into the walkthrough's webview document.
    const media = w.page.frameLocator('.getting-started-media iframe.webview.ready').frameLocator('iframe');
    await media.locator('h1', { hasText: 'Save a selection' }).waitFor({ state: 'attached', timeout: 30_000 });
    await w.screenshot('steps');
  });

  it("the search step's button runs Search Memories and checks the step off", { timeout: 60_000 }, async () => {
    const w = workbench();
    await step(w, 'search').click();
    const description = w.page.locator(`[x-step-description-for="${WALKTHROUGH}#search"]`);
    await description.locator('.monaco-button', { hasText: 'Search Memories' }).click();
    // The command ran: it shows the Search view.
    await searchFrame(w.page).locator('vscode-textfield.query').waitFor({ state: 'visible', timeout: 30_000 });
    await waitForChecked(w, 'search', true);
    assert.deepEqual(await checkedSteps(w), ['search']);
  });

  it('the Memories welcome links Save Selection (no literal **); the link saves', { timeout: 60_000 }, async () => {
    const w = workbench();
    await w.openContainer('DevStream', 'devstream');
    await w.waitForTreeProvider('devstream', 'Memories', 30_000);
    const welcome = w
      .viewPane('devstream', 'Memories')
      .locator('.welcome-view-content', { hasText: 'No memories yet' });
    await welcome.waitFor({ state: 'visible' });
    assert.doesNotMatch((await welcome.textContent()) ?? '', /\*/);
    const link = welcome.locator('a', { hasText: 'Save Selection' });
    assert.equal(await link.count(), 1, 'one Save Selection link');
    assert.match((await link.getAttribute('href')) ?? '', /^command:devstream\.saveSelection$/);

    await openFile(w.page, 'auth.ts');
    await selectLines(w.page, 3, 5);
    await activeEditor(w.page).locator('.selected-text').first().waitFor({ state: 'visible' });
    await link.click();
    await answerCapture(w.page, undefined, 'auth');
    assert.match(await w.waitForNotification('Saved memory'), /Saved memory \(code, 3 lines\)/);
    await welcome.waitFor({ state: 'hidden' });
  });

  it('the saved memory checks off the save step (a context key the extension sets)', { timeout: 60_000 }, async () => {
    const w = workbench();
    await openWalkthrough(w);
    await waitForChecked(w, 'save', true);
    assert.deepEqual(await checkedSteps(w), ['save', 'search']);
    await w.screenshot('checked');
  });
});
