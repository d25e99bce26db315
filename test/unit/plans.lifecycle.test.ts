import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlanRepository } from '../../src/core/plans/planRepository';
import type { PhaseStatus, PlanStatus, TaskStatus } from '../../src/core/plans/types';
import { openTempStore } from '../helpers/tmp';
import { expectError } from '../helpers/errors';

const store = openTempStore();
const repo = new PlanRepository(store);
const { db } = store;

const newPlan = (title = 'Plan') => repo.createPlan({ title, objectives: ['ship it'], expectedOutcome: 'shipped' });
const newPhase = (planId = newPlan().id, extra: { isParallel?: boolean; dependencies?: string[] } = {}) =>
  repo.addPhase({ planId, name: 'Phase', ...extra });
const newTask = (phaseId = newPhase().id) => repo.addTask({ phaseId, title: 'Task', description: 'do it' });

/** A CURRENT_TIMESTAMP-style UTC text, close to now. */
function assertNowish(ts: string | null, what: string): void {
  assert.ok(ts, `${what} is set`);
  assert.match(ts, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, `${what} has SQLite's format`);
  const ms = Date.parse(`${ts.replace(' ', 'T')}Z`);
  assert.ok(Math.abs(ms - Date.now()) < 5000, `${what} = ${ts} is now, in UTC`);
}

// The expected rules, written out here independently of the implementation's tables.
const PLAN_RULES: Record<PlanStatus, PlanStatus[]> = {
  draft: ['active', 'cancelled'],
  active: ['completed', 'paused', 'cancelled'],
  paused: ['active', 'cancelled'],
  completed: ['archived'],
  archived: [],
  cancelled: [],
};
const PLAN_PATHS: Record<PlanStatus, PlanStatus[]> = {
  draft: [],
  active: ['active'],
  paused: ['active', 'paused'],
  completed: ['active', 'completed'],
  archived: ['active', 'completed', 'archived'],
  cancelled: ['cancelled'],
};
const PHASE_RULES: Record<PhaseStatus, PhaseStatus[]> = {
  pending: ['active', 'skipped', 'blocked'],
  active: ['completed', 'blocked', 'skipped'],
  blocked: ['active', 'pending', 'skipped'],
  completed: [],
  skipped: [],
};
const PHASE_PATHS: Record<PhaseStatus, PhaseStatus[]> = {
  pending: [],
  active: ['active'],
  blocked: ['blocked'],
  completed: ['active', 'completed'],
  skipped: ['skipped'],
};
const TASK_RULES: Record<TaskStatus, TaskStatus[]> = {
  pending: ['active', 'skipped'],
  active: ['completed', 'failed', 'pending', 'skipped'],
  failed: ['pending', 'active'],
  completed: [],
  skipped: [],
};
const TASK_PATHS: Record<TaskStatus, TaskStatus[]> = {
  pending: [],
  active: ['active'],
  failed: ['active', 'failed'],
  completed: ['active', 'completed'],
  skipped: ['skipped'],
};

/** Tries every (from, to) pair: allowed ones succeed, the same state is a no-op, the rest are conflicts. */
function checkAllPairs<S extends string>(
  rules: Record<S, S[]>,
  paths: Record<S, S[]>,
  make: () => string,
  set: (id: string, s: S) => { status: S },
  kind: string,
): void {
  const states = Object.keys(rules) as S[];
  for (const from of states) {
    for (const to of states) {
      const id = make();
      for (const step of paths[from]) set(id, step);
      if (to === from) {
        assert.equal(set(id, to).status, from, `${kind} ${from} → ${from} is a no-op`);
      } else if (rules[from].includes(to)) {
        assert.equal(set(id, to).status, to, `${kind} ${from} → ${to} is allowed`);
      } else {
        const listed = rules[from].length === 0 ? [/is final/] : rules[from].map((s) => new RegExp(`\\b${s}\\b`));
        expectError(() => set(id, to), 'conflict', new RegExp(`${kind} .*from ${from} to ${to}`), ...listed);
      }
    }
  }
}

describe('plan lifecycle', () => {
  it('allows exactly the documented transitions (all 36 pairs), paused included', () => {
    checkAllPairs(
      PLAN_RULES,
      PLAN_PATHS,
      () => newPlan().id,
      (id, s) => repo.setPlanStatus(id, s),
      'plan',
    );
  });

  it('refuses completed → active with a message naming both states and the only way on', () => {
    const p = newPlan('Login rewrite');
    repo.setPlanStatus(p.id, 'active');
    repo.setPlanStatus(p.id, 'completed');
    expectError(
      () => repo.setPlanStatus(p.id, 'active'),
      'conflict',
      /plan "Login rewrite" from completed to active/,
      /only go to archived/,
    );
    repo.setPlanStatus(p.id, 'archived');
    expectError(() => repo.setPlanStatus(p.id, 'active'), 'conflict', /archived is final/);
    assert.equal(repo.getPlan(p.id).status, 'archived');
  });

  it('rejects unknown statuses listing the valid ones', () => {
    const p = newPlan();
    expectError(
      () => repo.setPlanStatus(p.id, 'done' as PlanStatus),
      'invalid',
      /"done"/,
      /draft, active, completed, paused, archived, cancelled/,
    );
  });

  it('sets completed_at on completion and keeps updated_at current; a no-op writes nothing', () => {
    const p = newPlan();
    assert.equal(p.status, 'draft');
    assert.equal(p.completedAt, null);
    assertNowish(p.createdAt, 'created_at');
    const old = '2000-01-01 00:00:00';
    db.prepare(`UPDATE intervention_plans SET updated_at = ? WHERE id = ?`).run(old, p.id);
    assert.equal(repo.setPlanStatus(p.id, 'draft').updatedAt, old, 'same status: nothing written');
    const active = repo.setPlanStatus(p.id, 'active');
    assertNowish(active.updatedAt, 'updated_at after a status change');
    assert.equal(active.completedAt, null);
    db.prepare(`UPDATE intervention_plans SET updated_at = ? WHERE id = ?`).run(old, p.id);
    assertNowish(repo.updatePlan(p.id, { priority: 8 }).updatedAt, 'updated_at after an edit');
    const done = repo.setPlanStatus(p.id, 'completed');
    assertNowish(done.completedAt, 'completed_at');
    db.prepare(`UPDATE intervention_plans SET completed_at = ? WHERE id = ?`).run(old, p.id);
    assert.equal(repo.setPlanStatus(p.id, 'archived').completedAt, old, 'archiving keeps completed_at');
  });
});

describe('phase lifecycle', () => {
  it('allows exactly the phase transitions (all 25 pairs)', () => {
    checkAllPairs(
      PHASE_RULES,
      PHASE_PATHS,
      () => newPhase().id,
      (id, s) => repo.setPhaseStatus(id, s, { reason: 'waiting for review' }),
      'phase',
    );
  });

  it('needs a reason to block, and clears it when the phase leaves blocked', () => {
    const ph = newPhase();
    expectError(() => repo.setPhaseStatus(ph.id, 'blocked'), 'invalid', /reason/);
    expectError(() => repo.setPhaseStatus(ph.id, 'blocked', { reason: '   ' }), 'invalid', /reason/);
    assert.equal(repo.getPhase(ph.id).status, 'pending');
    const blocked = repo.setPhaseStatus(ph.id, 'blocked', { reason: 'API keys not issued yet' });
    assert.equal(blocked.blockingReason, 'API keys not issued yet');
    const back = repo.setPhaseStatus(ph.id, 'pending');
    assert.equal(back.blockingReason, null);
    repo.setPhaseStatus(ph.id, 'blocked', { reason: 'again' });
    assert.equal(repo.setPhaseStatus(ph.id, 'active').blockingReason, null);
  });

  it('sets started_at on first activation only, and completed_at on completion', () => {
    const ph = newPhase();
    assert.equal(ph.startedAt, null);
    assertNowish(repo.setPhaseStatus(ph.id, 'active').startedAt, 'started_at');
    const first = '2001-02-03 04:05:06';
    db.prepare(`UPDATE phases SET started_at = ? WHERE id = ?`).run(first, ph.id);
    repo.setPhaseStatus(ph.id, 'blocked', { reason: 'waiting' });
    const again = repo.setPhaseStatus(ph.id, 'active');
    assert.equal(again.startedAt, first, 're-entering active keeps the first start');
    assert.equal(again.completedAt, null);
    assertNowish(repo.setPhaseStatus(ph.id, 'completed').completedAt, 'completed_at');
  });

  it('cannot start before the phases it depends on are completed or skipped, unless parallel', () => {
    const plan = newPlan();
    const design = repo.addPhase({ planId: plan.id, name: 'Design' });
    const review = repo.addPhase({ planId: plan.id, name: 'Review' });
    const build = repo.addPhase({ planId: plan.id, name: 'Build', dependencies: [design.id, review.id] });
    const docs = repo.addPhase({ planId: plan.id, name: 'Docs', dependencies: [design.id], isParallel: true });

    expectError(
      () => repo.setPhaseStatus(build.id, 'active'),
      'conflict',
      /Cannot start phase "Build"/,
      /"Design" \([0-9a-f]{8}\), which is pending/,
    );
    assert.equal(repo.getPhase(build.id).status, 'pending');
    assert.equal(repo.setPhaseStatus(docs.id, 'active').status, 'active', 'a parallel phase starts anyway');

    repo.setPhaseStatus(design.id, 'active');
    repo.setPhaseStatus(design.id, 'completed');
    repo.setPhaseStatus(review.id, 'blocked', { reason: 'reviewer away' });
    expectError(() => repo.setPhaseStatus(build.id, 'active'), 'conflict', /"Review" .*which is blocked/);
    repo.setPhaseStatus(review.id, 'skipped');
    assert.equal(repo.setPhaseStatus(build.id, 'active').status, 'active');
  });
});

describe('task lifecycle', () => {
  it('allows exactly the task transitions (all 25 pairs)', () => {
    checkAllPairs(
      TASK_RULES,
      TASK_PATHS,
      () => newTask().id,
      (id, s) => repo.setTaskStatus(id, s),
      'task',
    );
  });

  it('keeps the first started_at across a pause, and computes the duration on completion', () => {
    const t = newTask();
    assert.equal(t.startedAt, null);
    assertNowish(repo.setTaskStatus(t.id, 'active').startedAt, 'started_at');
    db.prepare(`UPDATE micro_tasks SET started_at = datetime('now', '-5 minutes') WHERE id = ?`).run(t.id);
    const started = repo.getTask(t.id).startedAt;
    assert.equal(repo.setTaskStatus(t.id, 'pending').startedAt, started, 'pausing keeps started_at');
    assert.equal(repo.setTaskStatus(t.id, 'active').startedAt, started, 'resuming keeps started_at');
    const done = repo.setTaskStatus(t.id, 'completed');
    assertNowish(done.completedAt, 'completed_at');
    assert.ok(
      done.actualDurationMinutes !== null && done.actualDurationMinutes >= 4.9 && done.actualDurationMinutes <= 5.2,
      `about 5 minutes, got ${done.actualDurationMinutes}`,
    );
  });

  it('records a given duration instead of computing one', () => {
    const t = newTask();
    repo.setTaskStatus(t.id, 'active');
    db.prepare(`UPDATE micro_tasks SET started_at = datetime('now', '-30 minutes') WHERE id = ?`).run(t.id);
    assert.equal(repo.setTaskStatus(t.id, 'completed', { actualDurationMinutes: 3.5 }).actualDurationMinutes, 3.5);
  });

  it('counts retries of failed tasks and keeps the error log', () => {
    const t = newTask();
    repo.setTaskStatus(t.id, 'active');
    const failed = repo.setTaskStatus(t.id, 'failed', {
      errorLog: 'TypeError: x is undefined',
      actualDurationMinutes: 4,
    });
    assert.equal(failed.errorLog, 'TypeError: x is undefined');
    assert.equal(failed.actualDurationMinutes, 4);
    assert.equal(failed.retryCount, 0);
    assert.equal(failed.lastRetryAt, null);
    assert.equal(failed.completedAt, null);

    const retried = repo.setTaskStatus(t.id, 'pending');
    assert.equal(retried.retryCount, 1);
    assertNowish(retried.lastRetryAt, 'last_retry_at');
    assert.equal(retried.errorLog, 'TypeError: x is undefined', 'the log of the failure stays readable');

    repo.setTaskStatus(t.id, 'active');
    assert.equal(repo.getTask(t.id).retryCount, 1, 'pending → active is not a retry');
    repo.setTaskStatus(t.id, 'failed');
    assert.equal(repo.setTaskStatus(t.id, 'active').retryCount, 2, 'failed → active is a retry');
    assert.equal(repo.setTaskStatus(t.id, 'active').retryCount, 2, 'same status again: no-op');
  });

  it('refuses to reopen completed and skipped tasks', () => {
    const t = newTask();
    repo.setTaskStatus(t.id, 'skipped');
    expectError(
      () => repo.setTaskStatus(t.id, 'active'),
      'conflict',
      /task "Task" from skipped to active/,
      /skipped is final/,
    );
    expectError(
      () => repo.setTaskStatus(t.id, 'blocked' as TaskStatus),
      'invalid',
      /pending, active, completed, failed, skipped/,
    );
  });
});

describe('closing a container over active work', () => {
  it('refuses to complete or skip a phase while one of its tasks is active, naming the tasks', () => {
    const ph = newPhase();
    repo.setPhaseStatus(ph.id, 'active');
    const a = repo.addTask({ phaseId: ph.id, title: 'Write the parser' });
    const b = repo.addTask({ phaseId: ph.id, title: 'Test the parser' });
    repo.setTaskStatus(a.id, 'active');
    expectError(
      () => repo.setPhaseStatus(ph.id, 'completed'),
      'conflict',
      /phase "Phase" completed/,
      /task "Write the parser" \([0-9a-f]{8}\) is still active/,
    );
    repo.setTaskStatus(b.id, 'active');
    expectError(
      () => repo.setPhaseStatus(ph.id, 'skipped'),
      'conflict',
      /2 tasks "Write the parser" .*, "Test the parser" .* are still active/,
    );
    assert.equal(repo.getPhase(ph.id).status, 'active', 'nothing changed');
    const blocked = repo.setPhaseStatus(ph.id, 'blocked', { reason: 'review' });
    assert.equal(blocked.status, 'blocked', 'blocking is not closing');
    repo.setTaskStatus(a.id, 'completed');
    repo.setTaskStatus(b.id, 'pending');
    assert.equal(repo.setPhaseStatus(ph.id, 'skipped').status, 'skipped');
  });

  it('refuses to complete or cancel a plan while any of its tasks is active', () => {
    const plan = newPlan('Login rewrite');
    repo.setPlanStatus(plan.id, 'active');
    const ph = newPhase(plan.id);
    const t = repo.addTask({ phaseId: ph.id, title: 'Hash the passwords' });
    repo.setTaskStatus(t.id, 'active');
    for (const to of ['completed', 'cancelled'] as const) {
      const named = new RegExp(`plan "Login rewrite" ${to}`);
      expectError(() => repo.setPlanStatus(plan.id, to), 'conflict', named, /"Hash the passwords"/);
    }
    assert.equal(repo.setPlanStatus(plan.id, 'paused').status, 'paused', 'pausing is not closing');
    repo.setTaskStatus(t.id, 'completed');
    assert.equal(repo.setPlanStatus(plan.id, 'cancelled').status, 'cancelled');
  });
});
