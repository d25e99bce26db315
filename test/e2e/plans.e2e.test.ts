// UI test of the Plans view in a real VS Code workbench (code-server + Chromium, harness.ts):
// a plan, a phase and a task created by typing into the real quick inputs, shown in the tree
// with their progress, then started and completed from the row's inline actions.
//   node --test out/test/e2e/        (after: node esbuild.mjs && npx tsc -p .)
// UPDATE_SCREENSHOTS=1 also refreshes media/screenshots/plans.png (the README's picture).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../../src/core/db/open';
import { PlanRepository } from '../../src/core/plans';
import { defaultDbPath } from '../../src/core/workspace';
import { REPO_ROOT, workbenchForSuite } from './harness';

/** A few plans in every state, so the tree shows its icons, colours and rollups. */
function seed(workspace: string): void {
  const store = openStore(defaultDbPath(workspace));
  try {
    const r = new PlanRepository(store);
    const checkout = r.createPlan({
      title: 'Checkout redesign',
      objectives: ['Fewer steps', 'Clear errors'],
      expectedOutcome: 'Checkout in two screens',
      priority: 8,
    });
    r.setPlanStatus(checkout.id, 'active');
    const research = r.addPhase({ planId: checkout.id, name: 'Research' });
    for (const [title, minutes] of [
      ['Audit the current flow', 7],
      ['Collect funnel analytics', 9],
    ] as const) {
      const t = r.addTask({ phaseId: research.id, title, taskType: 'analysis', maxDurationMinutes: 10 });
      r.setTaskStatus(t.id, 'active');
      r.setTaskStatus(t.id, 'completed', { actualDurationMinutes: minutes });
    }
    r.setPhaseStatus(research.id, 'active');
    r.setPhaseStatus(research.id, 'completed');
    const build = r.addPhase({ planId: checkout.id, name: 'Build' });
    r.setPhaseStatus(build.id, 'active');
    const summary = r.addTask({ phaseId: build.id, title: 'Cart summary component', maxDurationMinutes: 8 });
    r.setTaskStatus(summary.id, 'active');
    r.setTaskStatus(summary.id, 'completed', { actualDurationMinutes: 6 });
    const errors = r.addTask({ phaseId: build.id, title: 'Payment error states', maxDurationMinutes: 10 });
    r.setTaskStatus(errors.id, 'active');
    r.setTaskStatus(errors.id, 'failed', { errorLog: 'Sandbox returns 500 for declined cards' });
    const totals = r.addTask({
      phaseId: build.id,
      title: 'Unit tests for totals',
      taskType: 'testing',
      maxDurationMinutes: 9,
    });
    r.addTask({
      phaseId: build.id,
      parentTaskId: totals.id,
      title: 'Rounding edge cases',
      taskType: 'testing',
      maxDurationMinutes: 4,
    });
    const release = r.addPhase({ planId: checkout.id, name: 'Release' });
    r.setPhaseStatus(release.id, 'blocked', { reason: 'payments sandbox' });
    r.addTask({ phaseId: release.id, title: 'Feature-flag rollout', taskType: 'review', maxDurationMinutes: 5 });

    const limits = r.createPlan({ title: 'API rate limiting', objectives: [], expectedOutcome: '', priority: 6 });
    r.setPlanStatus(limits.id, 'active');
    r.setPlanStatus(limits.id, 'paused');
    r.addTask({
      phaseId: r.addPhase({ planId: limits.id, name: 'Design' }).id,
      title: 'Pick a token bucket library',
      taskType: 'research',
      maxDurationMinutes: 10,
    });

    const docs = r.createPlan({ title: 'Docs refresh', objectives: [], expectedOutcome: '', priority: 4 });
    r.setPlanStatus(docs.id, 'active');
    r.setPlanStatus(docs.id, 'completed');
    const old = r.createPlan({ title: 'Old prototype', objectives: [], expectedOutcome: '', priority: 3 });
    r.setPlanStatus(old.id, 'cancelled');
  } finally {
    store.close();
  }
}

describe('Plans view in the VS Code workbench', { timeout: 300_000 }, () => {
  // Seeded before the extension activates (on opening the view), as if made earlier.
  const workbench = workbenchForSuite({ name: 'plans' }, (wb) => seed(wb.workspace));
  const plans = () => workbench().viewPane('devstream', 'Plans');
  const row = (label: string) =>
    plans()
      .locator('.monaco-list-row', { has: workbench().page.locator('.label-name', { hasText: label }) })
      .first();
  const description = async (label: string) =>
    ((await row(label).locator('.label-description').textContent()) ?? '').trim();
  /** The tree refreshes after the command returns: poll the row's description until it matches. */
  async function expectDescription(label: string, expected: string | RegExp, timeout = 10_000): Promise<void> {
    const matches = (d: string) => (typeof expected === 'string' ? d === expected : expected.test(d));
    let last = '';
    for (const end = Date.now() + timeout; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
      last = await description(label).catch(() => '');
      if (matches(last)) return;
    }
    assert.fail(`description of "${label}" is ${JSON.stringify(last)}, expected ${String(expected)}`);
  }
  const quickInput = () => workbench().page.locator('.quick-input-widget');

  /** Waits for the quick input titled `title`, types `text` and presses Enter. */
  async function answer(title: string, text: string | undefined): Promise<void> {
    const w = workbench();
    await quickInput().locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible' });
    const input = quickInput().locator('.quick-input-box input');
    if (text !== undefined) await input.fill(text);
    await w.page.keyboard.press('Enter');
  }

  /** A quick pick step (found by its placeholder): filter by `text`, accept the row that shows it. */
  async function choose(placeHolder: string, text: string): Promise<void> {
    const w = workbench();
    await quickInput().locator(`.quick-input-box input[placeholder="${placeHolder}"]`).waitFor({ state: 'visible' });
    await quickInput().locator('.quick-input-box input').fill(text);
    await quickInput()
      .locator('.quick-input-list .monaco-list-row', { hasText: text })
      .first()
      .waitFor({ state: 'visible' });
    await w.page.keyboard.press('Enter');
  }

  /**
   * F1 + command title + Enter; unlike Workbench.runCommand it does not wait for the quick input to close (ours opens
   * next).
   */
  async function palette(title: string): Promise<void> {
    const w = workbench();
    await w.page.keyboard.press('F1');
    const input = quickInput().locator('.quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>' + title);
    await quickInput().locator('.monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
    await w.page.keyboard.press('Enter');
  }

  async function inlineAction(label: string, action: string): Promise<void> {
    await row(label).hover();
    await row(label).locator(`.actions .action-label[aria-label^="${action}"]`).click();
  }

  /** The side bar and the status bar (plus extraWidth of the editor area, for hovers). */
  async function sidebarShot(name: string, extraWidth = 0): Promise<string> {
    const w = workbench();
    const box = await w.page.locator('.part.sidebar').boundingBox();
    assert.ok(box);
    const viewport = w.page.viewportSize() ?? { width: 1400, height: 900 };
    const file = path.join(REPO_ROOT, 'test-results', `${w.name}-${name}.png`);
    await w.page.screenshot({
      path: file,
      clip: { x: 0, y: 0, width: Math.ceil(box.x + box.width) + extraWidth, height: viewport.height },
      animations: 'disabled',
    });
    return file;
  }

  /** Drags the side bar's edge until it is `width` wide (the default cuts descriptions off). */
  async function widenSidebar(width: number): Promise<void> {
    const { page } = workbench();
    const bar = page.locator('.part.sidebar');
    for (let attempt = 0; attempt < 5; attempt++) {
      const box = await bar.boundingBox();
      assert.ok(box);
      if (box.width >= width - 10) return;
      const edge = box.x + box.width;
      await page.mouse.move(edge - 1, 400);
      await page.waitForTimeout(400); // the sash reacts after a hover delay
      await page.mouse.down();
      await page.mouse.move(box.x + width, 400, { steps: 10 });
      await page.mouse.up();
      await page.waitForTimeout(200);
    }
    assert.fail('could not widen the side bar');
  }

  it('shows seeded plans with status, progress and the default filter', { timeout: 60_000 }, async () => {
    const w = workbench();
    await w.openContainer('DevStream', 'devstream');
    await w.waitForTreeProvider('devstream', 'Plans', 30_000);
    // Room for the tree: fold the other views of the container.
    for (const name of ['Memories', 'Search']) {
      const pane = w.viewPane('devstream', name);
      if ((await pane.count()) && (await pane.locator('.pane-header.expanded').count()))
        await pane.locator('.pane-header').click();
    }
    await row('Checkout redesign').waitFor({ state: 'visible' });
    await widenSidebar(460);
    await expectDescription('Checkout redesign', '3/7 · 28 min left · 1 failed');
    await expectDescription('API rate limiting', '0/1 · 10 min left · paused');
    await expectDescription('Release', '0/1 · 5 min left · blocked: payments sandbox');
    await expectDescription('Unit tests for totals', '9 min · testing · 0/1 sub-tasks');
    assert.equal(await row('Old prototype').count(), 0, 'cancelled plans are hidden by default');
    assert.match(
      (await plans().locator('.pane-header .description').textContent()) ?? '',
      /hiding archived, cancelled \(1 hidden\)/,
    );
  });

  it('creates a plan, a phase and a task through the palette', { timeout: 90_000 }, async () => {
    await palette('DevStream: Create Plan');
    await answer('Create Plan (1/4)', 'Ship the login page');
    await answer('Create Plan (2/4)', 'Email sign-in; Clear errors');
    await answer('Create Plan (3/4)', 'Users sign in with email and password');
    // Priority: an out-of-range value is refused with a message, then a valid one.
    await quickInput().locator('.quick-input-title', { hasText: 'Create Plan (4/4)' }).waitFor({ state: 'visible' });
    await quickInput().locator('.quick-input-box input').fill('11');
    await quickInput()
      .locator('.quick-input-message', { hasText: 'from 1 (lowest) to 10 (highest)' })
      .waitFor({ state: 'visible' });
    await answer('Create Plan (4/4)', '9');
    await row('Ship the login page').waitFor({ state: 'visible' });
    await expectDescription('Ship the login page', 'no tasks · draft');

    await palette('DevStream: Add Phase');
    await choose('Add a phase to which plan?', 'Ship the login page');
    await answer('(1/2)', 'Login form');
    await answer('(2/2)', 'The form and its validation');
    await row('Login form').waitFor({ state: 'visible' });

    await palette('DevStream: Add Task');
    await choose('Add a task to which phase?', 'Login form');
    await answer('(1/5)', 'Write the form');
    await answer('(2/5)', 'Email and password fields with inline errors');
    await choose('What kind of work is it?', 'coding');
    await quickInput().locator('.quick-input-title', { hasText: '(4/5)' }).waitFor({ state: 'visible' });
    await quickInput().locator('.quick-input-box input').fill('25');
    await quickInput()
      .locator('.quick-input-message', { hasText: 'A micro-task is 1 to 10 minutes' })
      .waitFor({ state: 'visible' });
    await answer('(4/5)', '8');
    await answer('(5/5)', undefined); // default priority
    await row('Write the form').waitFor({ state: 'visible' });
    await expectDescription('Write the form', '8 min · coding');
    await expectDescription('Login form', '0/1 · 8 min left');
    await expectDescription('Ship the login page', '0/1 · 8 min left · draft');
    await sidebarShot('created');
  });

  it('starts and completes the task from its inline actions; the status bar follows', { timeout: 60_000 }, async () => {
    const w = workbench();
    await inlineAction('Write the form', 'Start Task');
    await w.page
      .locator('.part.statusbar .statusbar-item', { hasText: 'Write the form · 0m' })
      .waitFor({ state: 'visible' });
    await expectDescription('Write the form', 'current · 8 min · coding');
    // Starting work puts the plan under way.
    await expectDescription('Ship the login page', '0/1 · 8 min left');
    // The plan's tooltip: objectives, outcome and rollup, as a user sees on hover.
    const planRow = row('Checkout redesign');
    const rowBox = await planRow.boundingBox();
    assert.ok(rowBox);
    // The hover opens right of the pointer: point at the row's end (left of its inline action), clear of the tree.
    // A hover needs the pointer to arrive and rest; if the workbench missed it, move away and back.
    const tooltip = w.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Expected outcome' }).first();
    for (let attempt = 1; ; attempt++) {
      await w.page.mouse.move(5, 5);
      await planRow.hover({ position: { x: rowBox.width - 40, y: rowBox.height / 2 } });
      try {
        await tooltip.waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    const shot = await sidebarShot('started', 415);
    // The README's picture: refreshed on request only, so test runs leave the tree clean.
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      fs.mkdirSync(path.join(REPO_ROOT, 'media/screenshots'), { recursive: true });
      fs.copyFileSync(shot, path.join(REPO_ROOT, 'media/screenshots/plans.png'));
    }

    await inlineAction('Write the form', 'Complete Task');
    await w.page
      .locator('.part.statusbar .statusbar-item', { hasText: 'No active task' })
      .waitFor({ state: 'visible' });
    await expectDescription('Write the form', /^8 min · coding · took (<1|\d+(\.\d)?) min$/);
    await expectDescription('Ship the login page', '1/1 · done');
    await sidebarShot('completed');
  });
});
