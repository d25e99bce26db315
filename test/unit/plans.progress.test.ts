import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type Database from 'better-sqlite3';
import { PlanRepository } from '../../src/core/plans/planRepository';
import { planProgress, progressByPlan, progressLabel } from '../../src/core/plans/progress';
import type { Progress, TaskStatus } from '../../src/core/plans/types';
import { openTempStore } from '../helpers/tmp';

const store = openTempStore();
const repo = new PlanRepository(store);
const newPlan = (title: string) => repo.createPlan({ title, objectives: [], expectedOutcome: 'o' });

const PATH: Record<TaskStatus, TaskStatus[]> = {
  pending: [],
  active: ['active'],
  completed: ['active', 'completed'],
  failed: ['active', 'failed'],
  skipped: ['skipped'],
};

function task(phaseId: string, status: TaskStatus, minutes: number, actual?: number): void {
  const t = repo.addTask({ phaseId, title: `${status} ${minutes}`, maxDurationMinutes: minutes });
  for (const s of PATH[status])
    repo.setTaskStatus(t.id, s, s === status && actual !== undefined ? { actualDurationMinutes: actual } : {});
}

/** A db whose prepare() calls are counted, to prove a rollup is not one query per phase. */
function counting(db: Database.Database): { db: Database.Database; prepares: () => number } {
  let n = 0;
  const proxy = new Proxy(db, {
    get(target, key) {
      if (key === 'prepare') return (sql: string) => (n++, target.prepare(sql));
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: proxy, prepares: () => n };
}

const counts = (p: Progress) => [p.total, p.completed, p.skipped, p.failed, p.active, p.pending];
const minutes = (p: Progress) => [p.percentDone, p.minutesLeft, p.estimatedMinutes, p.actualMinutes];

describe('progress rollups', () => {
  const plan = newPlan('rollup');
  const build = repo.addPhase({ planId: plan.id, name: 'build' });
  const ship = repo.addPhase({ planId: plan.id, name: 'ship' });
  const empty = repo.addPhase({ planId: plan.id, name: 'empty' });
  task(build.id, 'completed', 5, 4.5);
  task(build.id, 'skipped', 10);
  task(build.id, 'failed', 8, 3);
  task(build.id, 'active', 10);
  task(build.id, 'pending', 7);
  task(ship.id, 'completed', 10, 12.25);
  task(ship.id, 'pending', 6);
  const bare = newPlan('bare');

  it('counts per phase, with minutes left, estimated and actual', () => {
    const p = repo.planProgress(plan.id);
    assert.deepEqual(
      p.phases.map((ph) => ph.phaseId),
      [build.id, ship.id, empty.id],
      'in sequence order, empty phase included',
    );
    const [b, s, e] = p.phases;
    assert.deepEqual(counts(b), [5, 1, 1, 1, 1, 1]);
    assert.deepEqual(minutes(b), [40, 25, 40, 7.5]);
    assert.deepEqual(counts(s), [2, 1, 0, 0, 0, 1]);
    assert.deepEqual(minutes(s), [50, 6, 16, 12.25]);
    assert.deepEqual(counts(e), [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(minutes(e), [0, 0, 0, 0]);
    assert.deepEqual(repo.phaseProgress(build.id), b);
  });

  it('adds phases up to the plan', () => {
    const p = repo.planProgress(plan.id);
    assert.deepEqual(counts(p), [7, 2, 1, 1, 1, 2]);
    assert.deepEqual(minutes(p), [43, 31, 56, 19.75]); // 3/7 done = 42.9 %
    const { phases: _phases, planId, ...rest } = p;
    assert.equal(planId, plan.id);
    assert.deepEqual(repo.progressByPlan().get(plan.id), rest, 'the all-plans query agrees');
    assert.deepEqual(
      counts(repo.progressByPlan().get(bare.id)!),
      [0, 0, 0, 0, 0, 0],
      'plans without phases are listed',
    );
  });

  it('uses one query per plan and one for all plans, however many phases', () => {
    for (let i = 0; i < 5; i++)
      repo.addTask({ phaseId: repo.addPhase({ planId: plan.id, name: `extra ${i}` }).id, title: 't' });
    const c = counting(store.db);
    assert.equal(planProgress(c.db, plan.id).phases.length, 8);
    assert.equal(c.prepares(), 1);
    progressByPlan(c.db);
    assert.equal(c.prepares(), 2);
  });

  it('labels progress for tree views', () => {
    const base: Progress = {
      total: 7,
      pending: 3,
      active: 1,
      completed: 3,
      failed: 0,
      skipped: 0,
      percentDone: 43,
      minutesLeft: 45,
      estimatedMinutes: 70,
      actualMinutes: 20,
    };
    assert.equal(progressLabel(base), '3/7 · 45 min left');
    assert.equal(progressLabel({ ...base, completed: 2, skipped: 1, failed: 1 }), '3/7 · 45 min left · 1 failed');
    assert.equal(
      progressLabel({ ...base, completed: 6, skipped: 1, pending: 0, active: 0, minutesLeft: 0 }),
      '7/7 · done',
    );
    assert.equal(progressLabel({ ...base, total: 0 }), 'no tasks');
    assert.equal(progressLabel(repo.phaseProgress(ship.id)), '1/2 · 6 min left');
  });

  it('is refused for unknown ids', () => {
    assert.throws(() => repo.planProgress('nope'), /No plan with id nope/);
    assert.throws(() => repo.phaseProgress('nope'), /No phase with id nope/);
  });
});
