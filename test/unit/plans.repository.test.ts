import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlanRepository } from '../../src/core/plans/planRepository';
import type { TaskType } from '../../src/core/plans/types';
import { openTempStore } from '../helpers/tmp';
import { expectError } from '../helpers/errors';

const store = openTempStore();
const repo = new PlanRepository(store);
const { db } = store;

const newPlan = (title = 'Plan') => repo.createPlan({ title, objectives: ['ship it'], expectedOutcome: 'shipped' });
const count = (sql: string, ...args: unknown[]) =>
  db
    .prepare(sql)
    .pluck()
    .get(...args) as number;

const unitVector = (seed: number) => {
  const v = Array.from({ length: 768 }, (_, i) => Math.sin(seed * 31 + i));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe('row models', () => {
  it('maps columns to camelCase and parses JSON columns both ways', () => {
    const plan = repo.createPlan({
      title: '  Payments  ',
      description: 'Stripe integration',
      objectives: ['charge cards', 'refunds'],
      technicalSpecs: { framework: 'FastAPI', versions: [3, 11] },
      expectedOutcome: 'cards charged',
      priority: 8,
      estimatedHours: 12.5,
      tags: ['backend', 'api'],
      metadata: { owner: 'ana' },
    });
    assert.deepEqual(
      { ...plan, id: undefined, createdAt: undefined, updatedAt: undefined },
      {
        id: undefined,
        title: 'Payments',
        description: 'Stripe integration',
        objectives: ['charge cards', 'refunds'],
        technicalSpecs: { framework: 'FastAPI', versions: [3, 11] },
        expectedOutcome: 'cards charged',
        status: 'draft',
        priority: 8,
        estimatedHours: 12.5,
        actualHours: null,
        tags: ['backend', 'api'],
        metadata: { owner: 'ana' },
        createdAt: undefined,
        updatedAt: undefined,
        completedAt: null,
      },
    );
    const raw = db
      .prepare(`SELECT objectives, technical_specs, tags FROM intervention_plans WHERE id = ?`)
      .get(plan.id);
    assert.deepEqual(raw, {
      objectives: '["charge cards","refunds"]',
      technical_specs: '{"framework":"FastAPI","versions":[3,11]}',
      tags: '["backend","api"]',
    });

    const phase = repo.addPhase({
      planId: plan.id,
      name: 'Gateway',
      isParallel: true,
      estimatedMinutes: 90,
      completionCriteria: 'tests green',
    });
    assert.equal(phase.isParallel, true);
    assert.deepEqual(phase.dependencies, []);
    assert.equal(phase.sequenceOrder, 1);
    assert.equal(phase.estimatedMinutes, 90);
    const task = repo.addTask({
      phaseId: phase.id,
      title: 'Webhook handler',
      description: 'verify signatures',
      taskType: 'coding',
      priority: 9,
      maxDurationMinutes: 8,
      assignedAgent: '@python-specialist',
      inputFiles: ['api/hooks.py'],
      outputFiles: ['api/hooks.py', 'tests/test_hooks.py'],
      maxContextTokens: 8000,
    });
    assert.equal(task.phaseId, phase.id);
    assert.equal(task.maxDurationMinutes, 8);
    assert.equal(task.assignedAgent, '@python-specialist');
    assert.deepEqual(task.inputFiles, ['api/hooks.py']);
    assert.deepEqual(task.outputFiles, ['api/hooks.py', 'tests/test_hooks.py']);
    assert.equal(task.retryCount, 0);
    assert.equal(task.parentTaskId, null);
    assert.equal(
      repo.addTask({ phaseId: phase.id, title: 'Defaults' }).maxDurationMinutes,
      10,
      'defaults to the 10-minute maximum',
    );
  });

  it('reads JSON columns written badly by other tools without crashing or losing them', () => {
    db.exec(`INSERT INTO intervention_plans (id, title, objectives, expected_outcome, tags, metadata)
      VALUES ('LEGACY-1', 'old', 'just one objective', 'x', NULL, 'not json')`);
    const p = repo.getPlan('LEGACY-1');
    assert.deepEqual(p.objectives, ['just one objective']);
    assert.deepEqual(p.tags, []);
    assert.deepEqual(p.metadata, { value: 'not json' });
  });
});

describe('validation before SQL', () => {
  it('enforces the 10-minute micro-task rule with an explanation', () => {
    const phase = repo.addPhase({ planId: newPlan().id, name: 'P' });
    const before = count(`SELECT count(*) FROM micro_tasks`);
    for (const bad of [11, 60, 0, -1, 2.5]) {
      expectError(
        () => repo.addTask({ phaseId: phase.id, title: 'Big', maxDurationMinutes: bad }),
        'invalid',
        /from 1 to 10/,
        /micro-tasks are at most 10 minutes of focused work: split larger work into several tasks or sub-tasks/,
      );
    }
    assert.equal(count(`SELECT count(*) FROM micro_tasks`), before, 'nothing written');
    const t = repo.addTask({ phaseId: phase.id, title: 'Ok', maxDurationMinutes: 1 });
    assert.equal(repo.updateTask(t.id, { maxDurationMinutes: 10 }).maxDurationMinutes, 10);
    expectError(
      () => repo.updateTask(t.id, { maxDurationMinutes: 15 }),
      'invalid',
      /micro-tasks are at most 10 minutes/,
    );
    assert.equal(repo.getTask(t.id).maxDurationMinutes, 10);
  });

  it('checks priority, titles and enums, listing what is allowed', () => {
    const plan = newPlan();
    for (const p of [0, 11, 5.5])
      expectError(() => repo.updatePlan(plan.id, { priority: p }), 'invalid', /1 \(lowest\) to 10 \(highest\)/);
    expectError(() => newPlan(''), 'invalid', /plan title must not be empty/);
    expectError(() => newPlan('   '), 'invalid', /must not be empty/);
    expectError(() => newPlan('x'.repeat(201)), 'invalid', /201 characters long; the limit is 200/);
    assert.equal(newPlan('x'.repeat(200)).title.length, 200);
    expectError(
      () => repo.createPlan({ title: 't', objectives: 'one' as unknown as string[], expectedOutcome: 'o' }),
      'invalid',
      /objectives must be a list/,
    );
    const phase = repo.addPhase({ planId: plan.id, name: 'P' });
    expectError(() => repo.addPhase({ planId: plan.id, name: '' }), 'invalid', /phase name must not be empty/);
    expectError(
      () => repo.addTask({ phaseId: phase.id, title: 'x', taskType: 'deploy' as TaskType }),
      'invalid',
      /"deploy" is not a valid task type: use one of analysis, coding, documentation, testing, review, research/,
    );
    expectError(() => repo.addTask({ phaseId: phase.id, title: 'x', priority: 42 }), 'invalid', /Priority/);
    expectError(() => repo.listTasks({ minPriority: 0 }), 'invalid', /Priority/);
    expectError(() => repo.addTask({ phaseId: 'nope', title: 'x' }), 'not_found', /No phase with id nope/);
    expectError(() => repo.getPlan('nope'), 'not_found', /No plan/);
    assert.equal(repo.getPlan(plan.id).priority, 5);
  });
});

describe('plans, phases and tasks', () => {
  it('updates only the fields given, and null clears optional ones', () => {
    const p = repo.createPlan({
      title: 'A',
      objectives: [],
      expectedOutcome: 'o',
      description: 'd',
      estimatedHours: 3,
    });
    const u = repo.updatePlan(p.id, {
      title: 'B',
      description: null,
      tags: ['x'],
      objectives: ['o1'],
      expectedOutcome: 'o2',
      actualHours: 1.5,
    });
    assert.equal(u.title, 'B');
    assert.equal(u.description, null);
    assert.equal(u.estimatedHours, 3, 'untouched');
    assert.deepEqual([u.tags, u.objectives, u.expectedOutcome, u.actualHours], [['x'], ['o1'], 'o2', 1.5]);

    const ph = repo.addPhase({ planId: p.id, name: 'P', description: 'd' });
    const uph = repo.updatePhase(ph.id, { name: 'Q', isParallel: true, actualMinutes: 30 });
    assert.deepEqual([uph.name, uph.isParallel, uph.actualMinutes, uph.description], ['Q', true, 30, 'd']);

    const t = repo.addTask({ phaseId: ph.id, title: 'T', description: 'd' });
    const ut = repo.updateTask(t.id, {
      title: 'U',
      taskType: 'testing',
      generatedCode: 'x = 1',
      outputFiles: ['a.py'],
      assignedAgent: '@qa',
    });
    assert.deepEqual(
      [ut.title, ut.taskType, ut.generatedCode, ut.outputFiles, ut.assignedAgent, ut.description],
      ['U', 'testing', 'x = 1', ['a.py'], '@qa', 'd'],
    );
  });

  it('lists plans by status and tasks by phase, plan, status and priority', () => {
    const a = newPlan('list-a');
    const b = newPlan('list-b');
    repo.setPlanStatus(b.id, 'active');
    const active = repo.listPlans({ status: 'active' }).map((p) => p.id);
    assert.ok(active.includes(b.id) && !active.includes(a.id));
    assert.ok(repo.listPlans({ status: ['draft', 'active'] }).some((p) => p.id === a.id));
    assert.ok(repo.listPlans().length >= 2);

    const pa1 = repo.addPhase({ planId: a.id, name: 'a1' });
    const pa2 = repo.addPhase({ planId: a.id, name: 'a2' });
    const pb = repo.addPhase({ planId: b.id, name: 'b1' });
    const t1 = repo.addTask({ phaseId: pa2.id, title: 't1', priority: 9 });
    const t2 = repo.addTask({ phaseId: pa1.id, title: 't2', priority: 3 });
    const t3 = repo.addTask({ phaseId: pa1.id, title: 't3', priority: 7 });
    const t4 = repo.addTask({ phaseId: pb.id, title: 't4', priority: 9 });
    repo.setTaskStatus(t3.id, 'active');
    const ids = (ts: { id: string }[]) => ts.map((t) => t.id);
    assert.deepEqual(ids(repo.listTasks({ planId: a.id })), [t2.id, t3.id, t1.id], 'phase order, then insertion order');
    assert.deepEqual(ids(repo.listTasks({ phaseId: pa1.id })), [t2.id, t3.id]);
    assert.deepEqual(ids(repo.listTasks({ planId: a.id, status: 'active' })), [t3.id]);
    assert.deepEqual(ids(repo.listTasks({ planId: a.id, minPriority: 7 })), [t3.id, t1.id]);
    assert.ok(ids(repo.listTasks({ minPriority: 9 })).includes(t4.id));
  });

  it('moves a task with its sub-tasks; a sub-task moved alone becomes top-level', () => {
    const plan = newPlan();
    const from = repo.addPhase({ planId: plan.id, name: 'from' });
    const to = repo.addPhase({ planId: plan.id, name: 'to' });
    const parent = repo.addTask({ phaseId: from.id, title: 'parent' });
    const child = repo.addTask({ phaseId: from.id, title: 'child', parentTaskId: parent.id });
    const grandchild = repo.addTask({ phaseId: from.id, title: 'grandchild', parentTaskId: child.id });
    const other = repo.addTask({ phaseId: from.id, title: 'other' });

    assert.equal(repo.moveTask(parent.id, to.id).phaseId, to.id);
    assert.deepEqual(
      repo.listTasks({ phaseId: to.id }).map((t) => t.title),
      ['parent', 'child', 'grandchild'],
    );
    assert.equal(repo.getTask(child.id).parentTaskId, parent.id, 'the tree is kept');
    assert.equal(repo.getTask(other.id).phaseId, from.id);

    const moved = repo.moveTask(child.id, from.id);
    assert.equal(moved.parentTaskId, null, 'its parent stayed behind');
    assert.equal(repo.getTask(grandchild.id).phaseId, from.id);
    assert.equal(repo.getTask(grandchild.id).parentTaskId, child.id);
    expectError(() => repo.moveTask(child.id, 'nope'), 'not_found', /No phase/);
  });
});

describe('phase dependencies', () => {
  it('must exist, be in the same plan, not be the phase itself, and not form a cycle', () => {
    const plan = newPlan();
    const a = repo.addPhase({ planId: plan.id, name: 'A' });
    const b = repo.addPhase({ planId: plan.id, name: 'B', dependencies: [a.id, a.id] });
    assert.deepEqual(b.dependencies, [a.id], 'duplicates dropped');
    const c = repo.addPhase({ planId: plan.id, name: 'C', dependencies: [b.id] });
    const elsewhere = repo.addPhase({ planId: newPlan().id, name: 'Elsewhere' });

    expectError(
      () => repo.addPhase({ planId: plan.id, name: 'X', dependencies: ['missing'] }),
      'not_found',
      /No phase with id missing/,
    );
    expectError(
      () => repo.updatePhase(a.id, { dependencies: [elsewhere.id] }),
      'invalid',
      /"Elsewhere" .*another plan/,
    );
    expectError(() => repo.updatePhase(a.id, { dependencies: [a.id] }), 'invalid', /cannot depend on itself/);
    expectError(() => repo.updatePhase(a.id, { dependencies: [c.id] }), 'conflict', /cycle: "A" → "C" → "B" → "A"/);
    expectError(() => repo.updatePhase(b.id, { dependencies: [a.id, c.id] }), 'conflict', /"B" → "C" → "B"/);
    assert.deepEqual(repo.getPhase(a.id).dependencies, [], 'nothing written');
    assert.equal(count(`SELECT count(*) FROM phases WHERE plan_id = ?`, plan.id), 3);

    expectError(() => repo.updatePhase(a.id, { dependencies: [b.id] }), 'conflict', /"A" → "B" → "A"/);
    repo.updatePhase(c.id, { dependencies: [] });
    assert.deepEqual(
      repo.updatePhase(a.id, { dependencies: [c.id] }).dependencies,
      [c.id],
      'no cycle once C waits for nothing',
    );
  });

  it('are removed from other phases when the phase they name is removed', () => {
    const plan = newPlan();
    const a = repo.addPhase({ planId: plan.id, name: 'A' });
    const b = repo.addPhase({ planId: plan.id, name: 'B' });
    const c = repo.addPhase({ planId: plan.id, name: 'C', dependencies: [a.id, b.id] });
    repo.removePhase(a.id);
    assert.deepEqual(repo.getPhase(c.id).dependencies, [b.id]);
    assert.equal(repo.setPhaseStatus(b.id, 'skipped').status, 'skipped');
    assert.equal(repo.setPhaseStatus(c.id, 'active').status, 'active', 'the removed phase no longer holds C back');
  });
});

describe('sub-tasks', () => {
  it('need an existing parent in the same phase, and cannot form a cycle', () => {
    const plan = newPlan();
    const p1 = repo.addPhase({ planId: plan.id, name: 'p1' });
    const p2 = repo.addPhase({ planId: plan.id, name: 'p2' });
    const a = repo.addTask({ phaseId: p1.id, title: 'A' });
    const b = repo.addTask({ phaseId: p1.id, title: 'B', parentTaskId: a.id });
    const c = repo.addTask({ phaseId: p1.id, title: 'C', parentTaskId: b.id });
    assert.equal(c.parentTaskId, b.id);

    expectError(
      () => repo.addTask({ phaseId: p2.id, title: 'X', parentTaskId: a.id }),
      'invalid',
      /"A" is in another phase/,
    );
    expectError(
      () => repo.addTask({ phaseId: p1.id, title: 'X', parentTaskId: 'missing' }),
      'not_found',
      /No task with id missing/,
    );
    expectError(() => repo.updateTask(a.id, { parentTaskId: a.id }), 'invalid', /its own parent/);
    expectError(() => repo.updateTask(a.id, { parentTaskId: c.id }), 'conflict', /"A" → "C" → "B" → "A"/);
    assert.equal(repo.getTask(a.id).parentTaskId, null, 'nothing written');
    assert.equal(repo.updateTask(c.id, { parentTaskId: null }).parentTaskId, null);
    assert.equal(repo.updateTask(a.id, { parentTaskId: c.id }).parentTaskId, c.id, 'fine once C is no longer below A');
  });

  it('are deleted with their parent, memories included', () => {
    const phase = repo.addPhase({ planId: newPlan().id, name: 'p' });
    const a = repo.addTask({ phaseId: phase.id, title: 'A' });
    const b = repo.addTask({ phaseId: phase.id, title: 'B', parentTaskId: a.id });
    const c = repo.addTask({ phaseId: phase.id, title: 'C', parentTaskId: b.id });
    const keep = repo.addTask({ phaseId: phase.id, title: 'keep' });
    db.prepare(
      `INSERT INTO semantic_memory (id, task_id, content, content_type) VALUES ('mem-sub', ?, 'note on C', 'learning')`,
    ).run(c.id);
    repo.deleteTask(a.id);
    assert.deepEqual(
      repo.listTasks({ phaseId: phase.id }).map((t) => t.id),
      [keep.id],
    );
    assert.equal(count(`SELECT count(*) FROM semantic_memory WHERE id = 'mem-sub'`), 0);
    assert.equal(count(`SELECT count(*) FROM fts_semantic_memory WHERE memory_id = 'mem-sub'`), 0);
    expectError(() => repo.deleteTask(a.id), 'not_found', /No task/);
  });
});

describe('deleting', () => {
  it('a plan removes its phases, tasks and linked memories with their FTS and vector rows', () => {
    const plan = newPlan('doomed');
    const phase = repo.addPhase({ planId: plan.id, name: 'p' });
    const task = repo.addTask({ phaseId: phase.id, title: 't' });
    repo.addTask({ phaseId: phase.id, title: 'sub', parentTaskId: task.id });
    const survivor = repo.addTask({
      phaseId: repo.addPhase({ planId: newPlan('survivor').id, name: 'q' }).id,
      title: 's',
    });

    const insert = db.prepare(
      `INSERT INTO semantic_memory (id, plan_id, phase_id, task_id, content, content_type, embedding) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    insert.run('m-task', null, null, task.id, 'decided to use retries', 'decision', JSON.stringify(unitVector(1)));
    insert.run(
      'm-phase',
      null,
      phase.id,
      null,
      'phase notes',
      'context',
      Buffer.from(new Float32Array(unitVector(2)).buffer),
    );
    insert.run('m-plan', plan.id, null, null, 'plan notes', 'documentation', null);
    insert.run('m-keep', null, null, survivor.id, 'other plan', 'decision', JSON.stringify(unitVector(3)));
    db.exec(`INSERT INTO work_sessions (id, plan_id) VALUES ('ws-1', '${plan.id}');
      INSERT INTO context_injections (id, session_id, task_id) VALUES ('ci-1', 'ws-1', '${task.id}')`);
    const ids = `('m-task', 'm-phase', 'm-plan')`;
    assert.equal(
      count(`SELECT count(*) FROM vec_semantic_memory WHERE memory_id IN ${ids}`),
      2,
      'two memories embedded',
    );
    assert.equal(count(`SELECT count(*) FROM fts_semantic_memory WHERE memory_id IN ${ids}`), 3);

    repo.deletePlan(plan.id);

    expectError(() => repo.getPlan(plan.id), 'not_found');
    assert.equal(count(`SELECT count(*) FROM phases WHERE plan_id = ?`, plan.id), 0);
    assert.equal(count(`SELECT count(*) FROM micro_tasks WHERE phase_id = ?`, phase.id), 0);
    assert.equal(count(`SELECT count(*) FROM semantic_memory WHERE id IN ${ids}`), 0);
    assert.equal(count(`SELECT count(*) FROM fts_semantic_memory WHERE memory_id IN ${ids}`), 0);
    assert.equal(count(`SELECT count(*) FROM vec_semantic_memory WHERE memory_id IN ${ids}`), 0);
    assert.equal(
      count(`SELECT count(*) FROM vec_semantic_memory WHERE memory_id = 'm-keep'`),
      1,
      'other plans untouched',
    );
    assert.equal(repo.getTask(survivor.id).title, 's');
    // History is kept, unlinked, instead of blocking the delete.
    assert.equal(db.prepare(`SELECT plan_id FROM work_sessions WHERE id = 'ws-1'`).pluck().get(), null);
    assert.equal(db.prepare(`SELECT task_id FROM context_injections WHERE id = 'ci-1'`).pluck().get(), null);
  });

  it('a phase removes its tasks and closes the gap in the order', () => {
    const plan = newPlan();
    const [a, b, c] = ['a', 'b', 'c'].map((name) => repo.addPhase({ planId: plan.id, name }));
    repo.addTask({ phaseId: b.id, title: 't' });
    repo.removePhase(b.id);
    assert.equal(count(`SELECT count(*) FROM micro_tasks WHERE phase_id = ?`, b.id), 0);
    assert.deepEqual(
      repo.listPhases(plan.id).map((p) => [p.id, p.sequenceOrder]),
      [
        [a.id, 1],
        [c.id, 2],
      ],
    );
  });
});

describe('resolveId', () => {
  it('accepts a full id or a unique prefix of at least 4 characters', () => {
    const plan = newPlan('Resolvable');
    assert.equal(repo.resolveId('plan', plan.id), plan.id);
    assert.equal(repo.resolveId('plan', ` ${plan.id} `), plan.id, 'whitespace trimmed');
    db.exec(`INSERT INTO intervention_plans (id, title, objectives, expected_outcome) VALUES
      ('feed1111aaaa', 'First', '[]', 'o'), ('feed2222bbbb', 'Second', '[]', 'o')`);
    assert.equal(repo.resolveId('plan', 'feed1'), 'feed1111aaaa');
    assert.equal(repo.resolveId('plan', 'FEED2'), 'feed2222bbbb', 'case-insensitive');
    expectError(
      () => repo.resolveId('plan', 'feed'),
      'invalid',
      /"feed" matches more than one plan/,
      /feed1111aaaa "First"/,
      /feed2222bbbb "Second"/,
      /type more/,
    );
    expectError(() => repo.resolveId('plan', 'fee'), 'invalid', /too short .*at least 4 characters/);
    expectError(() => repo.resolveId('plan', 'zzzz'), 'not_found', /No plan has an id starting with "zzzz"/);
    expectError(() => repo.resolveId('plan', ''), 'invalid', /Give a plan id/);
  });

  it('looks only at the kind asked for', () => {
    const plan = newPlan();
    const phase = repo.addPhase({ planId: plan.id, name: 'p' });
    const task = repo.addTask({ phaseId: phase.id, title: 't' });
    assert.equal(repo.resolveId('phase', phase.id.slice(0, 12)), phase.id);
    assert.equal(repo.resolveId('task', task.id.slice(0, 12)), task.id);
    expectError(() => repo.resolveId('plan', phase.id.slice(0, 12)), 'not_found', /No plan/);
  });
});
