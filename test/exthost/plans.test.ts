// Plans in the real extension host: commands (with automation arguments, so no quick input
// opens), the Plans tree provider, drag and drop, the active task and the work session.
//
// The running extension is the bundle (dist/); this file is compiled to out/. The App comes
// from the extension's exports (the live store, active task and events); the provider and
// drag-and-drop classes are the same sources compiled to out/, built over that live App.
/// <reference types="mocha" />
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MicroTask, Phase, Plan } from '../../src/core/plans';
import type { App } from '../../src/host/app';
import type { PlansNode } from '../../src/host/views/plans/context';
import { PlansDragAndDrop } from '../../src/host/views/plans/dragAndDrop';
import { WorkSession } from '../../src/host/status/workSession';
import { PlansTreeProvider } from '../../src/host/views/plans/provider';

const run = <T>(id: string, arg?: unknown) => vscode.commands.executeCommand<T>(id, arg);

/** Replaces a window message function for the duration of fn; returns the messages shown. */
async function capture(
  kind: 'showErrorMessage' | 'showWarningMessage',
  fn: () => PromiseLike<unknown>,
): Promise<string[]> {
  const win = vscode.window as unknown as Record<string, unknown>;
  const original = win[kind];
  const shown: string[] = [];
  win[kind] = (message: string) => {
    shown.push(message);
    return Promise.resolve(undefined);
  };
  try {
    await fn();
  } finally {
    win[kind] = original;
  }
  return shown;
}

suite('Plans (extension host)', () => {
  let app: App;
  let tree: PlansTreeProvider;

  const item = (n: PlansNode) => tree.getTreeItem(n);
  const rootFor = (planId: string) => {
    const node = tree.getChildren().find((n) => n.kind === 'plan' && n.plan.id === planId);
    assert.ok(node, `plan ${planId} is a root of the tree`);
    return node;
  };
  const childLabels = (n: PlansNode) => tree.getChildren(n).map((c) => item(c).label);

  /** A plan with phases (and their tasks), made through the commands. */
  async function makePlan(
    title: string,
    phases: Record<string, string[]>,
  ): Promise<{ plan: Plan; phases: Phase[]; tasks: MicroTask[] }> {
    const plan = await run<Plan>('devstream.createPlan', {
      title,
      objectives: 'fast; safe',
      expectedOutcome: 'it works',
      priority: 7,
    });
    const made: Phase[] = [];
    const tasks: MicroTask[] = [];
    for (const [name, titles] of Object.entries(phases)) {
      const phase = await run<Phase>('devstream.addPhase', { planId: plan.id, name });
      made.push(phase);
      for (const t of titles)
        tasks.push(
          await run<MicroTask>('devstream.addTask', {
            phaseId: phase.id,
            title: t,
            maxDurationMinutes: 8,
            taskType: 'coding',
          }),
        );
    }
    return { plan, phases: made, tasks };
  }

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<App>('devstream.devstream');
    assert.ok(ext);
    app = await ext.activate();
    assert.ok(app?.activeTask, 'activate() returns the App');
    tree = new PlansTreeProvider(app);
  });

  suiteTeardown(() => tree?.dispose());

  test('a plan, phase and task created through commands show in the tree with progress', async () => {
    let refreshed = 0;
    const sub = tree.onDidChangeTreeData(() => refreshed++);
    const { plan } = await makePlan('Ship the login page', { Build: ['Write the form'] });
    sub.dispose();
    assert.ok(refreshed >= 3, 'each write refreshes the tree');
    assert.equal(plan.status, 'draft');
    assert.deepEqual(plan.objectives, ['fast', 'safe']);

    const planNode = rootFor(plan.id);
    const planItem = item(planNode);
    assert.equal(planItem.label, 'Ship the login page');
    assert.equal(planItem.description, '0/1 · 8 min left · draft');
    assert.equal(planItem.contextValue, 'plan.draft');
    assert.equal(planItem.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.equal((planItem.iconPath as vscode.ThemeIcon).id, 'circle-large-outline');
    assert.ok(
      planItem.tooltip instanceof vscode.MarkdownString &&
        /\*\*Expected outcome:\*\* it(&nbsp;| )works/.test(planItem.tooltip.value),
    );

    const [phaseNode] = tree.getChildren(planNode);
    assert.equal(item(phaseNode).label, 'Build');
    assert.equal(item(phaseNode).description, '0/1 · 8 min left');
    assert.equal(item(phaseNode).contextValue, 'phase.pending');

    const [taskNode] = tree.getChildren(phaseNode);
    assert.equal(item(taskNode).label, 'Write the form');
    assert.equal(item(taskNode).description, '8 min · coding');
    assert.equal(item(taskNode).contextValue, 'task.pending');
    assert.equal(tree.getParent(taskNode), phaseNode);
  });

  test('sub-tasks hang under their task', async () => {
    const {
      plan,
      tasks: [parent],
    } = await makePlan('Sub-task plan', { Only: ['Parent task'] });
    await run('devstream.addSubTask', { taskId: parent.id, title: 'Child task', maxDurationMinutes: 3 });
    const [phaseNode] = tree.getChildren(rootFor(plan.id));
    const [parentNode] = tree.getChildren(phaseNode);
    assert.equal(item(parentNode).description, '8 min · coding · 0/1 sub-tasks');
    assert.deepEqual(childLabels(parentNode), ['Child task']);
    assert.equal(item(phaseNode).description, '0/2 · 11 min left');
  });

  test('status transitions through commands, offering only allowed states', async () => {
    const {
      plan,
      phases: [phase],
    } = await makePlan('Lifecycle plan', { Phase: ['Task'] });
    assert.equal((await run<Plan>('devstream.setPlanStatus', { planId: plan.id, status: 'active' })).status, 'active');
    assert.equal((await run<Plan>('devstream.setPlanStatus', { planId: plan.id, status: 'paused' })).status, 'paused');
    assert.equal(item(rootFor(plan.id)).contextValue, 'plan.paused');
    assert.equal(
      ((item(rootFor(plan.id)).iconPath as vscode.ThemeIcon).color as vscode.ThemeColor).id,
      'charts.yellow',
    );

    const blocked = await run<Phase>('devstream.blockPhase', { phaseId: phase.id, reason: 'waiting for API keys' });
    assert.equal(blocked.status, 'blocked');
    const phaseItem = item(tree.getChildren(rootFor(plan.id))[0]);
    assert.equal(phaseItem.contextValue, 'phase.blocked');
    assert.equal(phaseItem.description, '0/1 · 8 min left · blocked: waiting for API keys');
    assert.equal(
      (await run<Phase>('devstream.setPhaseStatus', { phaseId: phase.id, status: 'active' })).status,
      'active',
    );
  });

  test('an invalid transition shows an error and leaves the database unchanged', async () => {
    const { plan } = await makePlan('Invalid move plan', {});
    const before = app.stores.plans.getPlan(plan.id);
    let result: unknown = 'not run';
    const errors = await capture('showErrorMessage', async () => {
      result = await run('devstream.setPlanStatus', { planId: plan.id, status: 'archived' });
    });
    assert.equal(result, undefined);
    assert.equal(errors.length, 1);
    assert.match(
      errors[0],
      /^DevStream: Cannot change plan "Invalid move plan" from draft to archived: from draft it can only go to active or cancelled\.$/,
    );
    assert.deepEqual(app.stores.plans.getPlan(plan.id), before);

    const bad = await capture('showErrorMessage', () =>
      run('devstream.addTask', {
        phaseId: app.stores.plans.addPhase({ planId: plan.id, name: 'P' }).id,
        title: 'Too long',
        maxDurationMinutes: 25,
      }),
    );
    assert.match(bad[0], /from 1 to 10/);
  });

  test('drag and drop moves a task between phases and reorders phases', async () => {
    const {
      plan,
      phases: [first, second],
      tasks: [moving],
    } = await makePlan('Drag plan', { First: ['Move me', 'Stay'], Second: [] });
    const dnd = new PlansDragAndDrop(app);
    const [firstNode, secondNode] = tree.getChildren(rootFor(plan.id));
    const movingNode = tree.getChildren(firstNode).find((n) => n.kind === 'task' && n.task.id === moving.id);
    assert.ok(movingNode);

    const data = new vscode.DataTransfer();
    await dnd.handleDrag([movingNode], data);
    await dnd.handleDrop(secondNode, data);
    assert.equal(app.stores.plans.getTask(moving.id).phaseId, second.id);
    const [f2, s2] = tree.getChildren(rootFor(plan.id));
    assert.deepEqual(childLabels(f2), ['Stay']);
    assert.deepEqual(childLabels(s2), ['Move me']);

    // A phase dropped on another phase takes its position.
    const phaseData = new vscode.DataTransfer();
    await dnd.handleDrag([s2], phaseData);
    await dnd.handleDrop(f2, phaseData);
    assert.deepEqual(
      app.stores.plans.listPhases(plan.id).map((p) => p.id),
      [second.id, first.id],
    );

    // Tasks dropped on a plan, or phases on another plan, are refused with a reason.
    const other = await makePlan('Other plan', { Elsewhere: [] });
    const [secondNow] = tree.getChildren(rootFor(plan.id));
    const taskData = new vscode.DataTransfer();
    await dnd.handleDrag(tree.getChildren(secondNow), taskData);
    const phaseToOther = new vscode.DataTransfer();
    await dnd.handleDrag([secondNow], phaseToOther);
    const warnings = await capture('showWarningMessage', async () => {
      await dnd.handleDrop(rootFor(plan.id), taskData);
      await dnd.handleDrop(tree.getChildren(rootFor(other.plan.id))[0], phaseToOther);
    });
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /Drop tasks on a phase/);
    assert.match(warnings[1], /only be reordered within their plan: "Second" belongs to "Drag plan", not "Other plan"/);
    assert.equal(app.stores.plans.getTask(moving.id).phaseId, second.id);
    assert.equal(app.stores.plans.getPhase(second.id).planId, plan.id);
  });

  test('the active task: set → started and in the status bar; completed → cleared, session and metrics kept true', async () => {
    const {
      plan,
      phases: [phase],
      tasks: [task],
    } = await makePlan('Focus plan', { Work: ['Focus task'] });
    let changes = 0;
    const sub = app.activeTask.onDidChange(() => changes++);
    const active = await run<MicroTask>('devstream.setActiveTask', { taskId: task.id });
    assert.equal(active.status, 'active');
    assert.equal(app.activeTask.id, task.id);
    assert.equal(changes, 1);
    assert.equal(app.activeTask.statusBar.text, '$(target) Focus task · 0m');
    // Work on a task puts its phase and plan under way.
    assert.equal(app.stores.plans.getPhase(phase.id).status, 'active');
    assert.equal(app.stores.plans.getPlan(plan.id).status, 'active');
    const taskItem = item(tree.getChildren(tree.getChildren(rootFor(plan.id))[0])[0]);
    assert.equal((taskItem.iconPath as vscode.ThemeIcon).id, 'target');
    assert.equal(taskItem.description, 'current · 8 min · coding');

    const db = app.stores.store.db;
    const sessionId = app.activeTask.session.id;
    assert.ok(sessionId, 'a work session row exists once the database is open');
    type SessionRow = {
      session_name: string;
      status: string;
      plan_id: string | null;
      active_tasks: string;
      completed_tasks: string;
    };
    const session = () => db.prepare(`SELECT * FROM work_sessions WHERE id = ?`).get(sessionId) as SessionRow;
    assert.equal(session().status, 'active');
    assert.match(session().session_name, /^vscode:/);
    assert.equal(session().plan_id, plan.id);
    assert.ok((JSON.parse(session().active_tasks) as string[]).includes(task.id));

    const done = await run<MicroTask>('devstream.completeTask', { taskId: task.id, actualDurationMinutes: 6 });
    sub.dispose();
    assert.equal(done.status, 'completed');
    assert.equal(done.actualDurationMinutes, 6);
    assert.equal(app.activeTask.id, undefined);
    assert.equal(app.activeTask.statusBar.text, '$(target) No active task');
    assert.ok(!(JSON.parse(session().active_tasks) as string[]).includes(task.id));
    assert.ok((JSON.parse(session().completed_tasks) as string[]).includes(task.id));
    const metric = db
      .prepare(`SELECT * FROM performance_metrics WHERE entity_type = 'task' AND entity_id = ?`)
      .get(task.id) as { metric_type: string; metric_value: number; metric_unit: string };
    assert.deepEqual([metric.metric_type, metric.metric_value, metric.metric_unit], ['execution_time', 6, 'min']);
    assert.equal(item(rootFor(plan.id)).description, '1/1 · done');
  });

  test('a work session ends (completed, ended_at) when its window goes', () => {
    // A second session over the live store, disposed here as the window's is on shutdown.
    const session = new WorkSession(app.stores, app.output, () => undefined);
    const id = session.id;
    assert.ok(id && id !== app.activeTask.session.id);
    session.dispose();
    const row = app.stores.store.db.prepare(`SELECT status, ended_at FROM work_sessions WHERE id = ?`).get(id) as {
      status: string;
      ended_at: string | null;
    };
    assert.equal(row.status, 'completed');
    assert.ok(row.ended_at);
  });

  test('failTask keeps what went wrong; a failed task can be started again', async () => {
    const {
      tasks: [task],
    } = await makePlan('Retry plan', { Work: ['Flaky task'] });
    await run('devstream.startTask', { taskId: task.id });
    const failed = await run<MicroTask>('devstream.failTask', { taskId: task.id, errorLog: 'fixture missing' });
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errorLog, 'fixture missing');
    assert.equal(app.activeTask.id, undefined, 'a failed task is not worked on any more');
    const again = await run<MicroTask>('devstream.startTask', { taskId: task.id });
    assert.equal(again.status, 'active');
    assert.equal(again.retryCount, 1);
    assert.equal(app.activeTask.id, task.id);
    await run('devstream.clearActiveTask');
    assert.equal(app.activeTask.id, undefined);
    assert.equal(app.stores.plans.getTask(task.id).status, 'active', 'clearing the focus leaves the status');
  });

  test('the status filter hides archived and cancelled plans by default and remembers a choice', async () => {
    const { plan } = await makePlan('Cancelled plan', {});
    await run('devstream.setPlanStatus', { planId: plan.id, status: 'cancelled' });
    const ids = () => tree.getChildren().flatMap((n) => (n.kind === 'plan' ? [n.plan.id] : []));
    assert.ok(!ids().includes(plan.id), 'cancelled plans are hidden by default');
    let description: string | undefined;
    const sub = tree.onDidDescribeFilter((d) => {
      description = d;
    });
    try {
      await run('devstream.filterPlans', ['cancelled']);
      assert.deepEqual(
        ids()
          .map((id) => app.stores.plans.getPlan(id).status)
          .filter((s) => s !== 'cancelled'),
        [],
      );
      assert.ok(ids().includes(plan.id));
      assert.match(description ?? '', /^showing cancelled \(\d+ hidden\)$/);
      await run('devstream.filterPlans', []);
      const [hidden] = tree.getChildren();
      assert.equal(hidden.kind, 'hidden');
      assert.match(String(item(hidden).label), /plans? hidden by the status filter/);
    } finally {
      await run('devstream.filterPlans', ['draft', 'active', 'paused', 'completed']);
      sub.dispose();
    }
    assert.ok(!ids().includes(plan.id));
  });

  test('Escape in Create Plan writes nothing', async () => {
    const before = app.stores.plans.listPlans().length;
    const pending = run('devstream.createPlan');
    await new Promise((r) => setTimeout(r, 500)); // the first input box opens
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await pending, undefined);
    assert.equal(app.stores.plans.listPlans().length, before);
  });

  test('deletePlan with confirmation from automation removes the plan and clears its active task', async () => {
    const {
      plan,
      tasks: [task],
    } = await makePlan('Doomed plan', { Work: ['Doomed task'] });
    await run('devstream.setActiveTask', { taskId: task.id });
    assert.equal(await run('devstream.deletePlan', { planId: plan.id, confirmed: true }), true);
    assert.throws(() => app.stores.plans.getPlan(plan.id), /No plan/);
    assert.equal(app.activeTask.id, undefined);
  });
});
