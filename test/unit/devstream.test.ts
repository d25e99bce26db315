import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { DevStreamChange } from '../../src/core/changes';
import { openStore } from '../../src/core/db/open';
import { DevStream } from '../../src/core/devstream';
import { BuiltinEmbedder } from '../../src/core/embeddings/builtin';
import { tempDir } from '../helpers/tmp';

function openTemp(): DevStream {
  const ds = DevStream.open(path.join(tempDir(), 'devstream.db'));
  after(() => ds.isOpen && ds.close());
  return ds;
}

/** Every change reported, as sorted topic lists ('outside:' first for outside writes). */
async function recorder(ds: DevStream): Promise<{ seen: string[][]; settle: () => Promise<void> }> {
  await settle(); // earlier writes are reported before we start listening
  const seen: string[][] = [];
  ds.onDidChange((c: DevStreamChange) => seen.push([...(c.outside ? ['outside'] : []), ...[...c.topics].sort()]));
  return { seen, settle };
}

/** Reports are delivered on the next microtask: one turn of the event loop lets them arrive. */
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('DevStream: the use-case layer reports its own writes', () => {
  it('one burst of plan writes is one report, with the topic "plans"', async () => {
    const ds = openTemp();
    const { seen } = await recorder(ds);
    const plan = ds.plans.createPlan({
      title: 'Ship search',
      objectives: ['rank well'],
      expectedOutcome: 'users find things',
    });
    const phase = ds.plans.addPhase({ planId: plan.id, name: 'Fusion' });
    ds.plans.addTask({ phaseId: phase.id, title: 'Weigh channels', description: 'per embedder' });
    assert.deepEqual(seen, [], 'reported after the burst, not in the middle of it');
    await settle();
    assert.deepEqual(seen, [['plans']]);
  });

  it('reads report nothing; deleting a plan reports plans and memories (linked memories go with it)', async () => {
    const ds = openTemp();
    const plan = ds.plans.createPlan({ title: 'P', objectives: ['o'], expectedOutcome: 'e' });
    ds.memories.add({ content: 'decided to keep RRF', contentType: 'decision', planId: plan.id });
    const { seen } = await recorder(ds);
    ds.plans.listPlans();
    ds.memories.list({});
    ds.plans.progressByPlan();
    await settle();
    assert.deepEqual(seen, []);
    assert.equal(ds.plans.linkedMemoryCount({ planId: plan.id }), 1);
    ds.plans.deletePlan(plan.id);
    await settle();
    assert.deepEqual(seen, [['memories', 'plans']]);
    assert.equal(ds.memories.count(), 0);
  });

  it('access counts are quiet: a search does not make every view refresh', async () => {
    const ds = openTemp();
    const m = ds.memories.add({ content: 'quiet bookkeeping', contentType: 'context' });
    const { seen } = await recorder(ds);
    ds.memories.recordAccess([m.id]);
    await settle();
    assert.deepEqual(seen, []);
    assert.equal(ds.memories.require(m.id).accessCount, 1, 'the write itself happened');
  });

  it('a failed write reports nothing', async () => {
    const ds = openTemp();
    const { seen } = await recorder(ds);
    assert.throws(() => ds.plans.createPlan({ title: '', objectives: [], expectedOutcome: '' }));
    await settle();
    assert.deepEqual(seen, []);
  });

  it('writes by another connection are noticed as outside changes; its own writes never are', async () => {
    const ds = openTemp();
    const { seen } = await recorder(ds);
    ds.memories.add({ content: 'mine', contentType: 'context' });
    assert.equal(ds.checkOutsideChanges(), false, 'own writes do not move data_version');
    const other = openStore(ds.path);
    new DevStream(other).plans.createPlan({ title: 'Theirs', objectives: ['o'], expectedOutcome: 'e' });
    other.close();
    assert.equal(ds.checkOutsideChanges(), true);
    assert.equal(ds.checkOutsideChanges(), false, 'each outside commit is reported once');
    await settle();
    assert.equal(seen.length, 2, JSON.stringify(seen));
    assert.ok(
      seen.some((t) => t.join() === 'memories'),
      'our write, reported as ours',
    );
    const outside = seen.find((t) => t[0] === 'outside');
    assert.ok(outside?.includes('plans') && outside.includes('memories'), 'outside writes may have touched anything');
    assert.equal(
      ds.plans
        .listPlans()
        .map((p) => p.title)
        .join(),
      'Theirs',
    );
  });

  it('the embedding queue reports memories once it stores vectors', async () => {
    const ds = openTemp();
    ds.memories.add({ content: 'needs a vector', contentType: 'context' });
    const { seen } = await recorder(ds);
    const queue = ds.embeddingQueue(new BuiltinEmbedder());
    const done = await queue.drain();
    queue.dispose();
    await settle();
    assert.equal(done.done, 1);
    assert.ok(
      seen.some((t) => t.includes('memories')),
      JSON.stringify(seen),
    );
    assert.equal(ds.memories.pendingEmbedding().length, 0);
  });
});

describe('DevStream: one rule for every front-end', () => {
  it('starting a task starts its pending phase and its draft plan, in the same transaction', () => {
    const ds = openTemp();
    const plan = ds.plans.createPlan({ title: 'P', objectives: ['o'], expectedOutcome: 'e' });
    const phase = ds.plans.addPhase({ planId: plan.id, name: 'First' });
    const task = ds.plans.addTask({ phaseId: phase.id, title: 'T', description: 'd' });
    ds.plans.setTaskStatus(task.id, 'active');
    assert.equal(ds.plans.getPhase(phase.id).status, 'active');
    assert.equal(ds.plans.getPlan(plan.id).status, 'active');
  });

  it('a phase waiting for an unfinished dependency stays pending; the task starts anyway', () => {
    const ds = openTemp();
    const plan = ds.plans.createPlan({ title: 'P', objectives: ['o'], expectedOutcome: 'e' });
    const first = ds.plans.addPhase({ planId: plan.id, name: 'First' });
    const second = ds.plans.addPhase({ planId: plan.id, name: 'Second', dependencies: [first.id] });
    const task = ds.plans.addTask({ phaseId: second.id, title: 'Early', description: 'd' });
    assert.equal(ds.plans.setTaskStatus(task.id, 'active').status, 'active');
    assert.equal(ds.plans.getPhase(second.id).status, 'pending');
    assert.equal(ds.plans.getPlan(plan.id).status, 'active');
  });

  it('a paused plan resumes when one of its tasks is started', () => {
    const ds = openTemp();
    const plan = ds.plans.createPlan({ title: 'P', objectives: ['o'], expectedOutcome: 'e' });
    const phase = ds.plans.addPhase({ planId: plan.id, name: 'Only' });
    const a = ds.plans.addTask({ phaseId: phase.id, title: 'A', description: 'd' });
    const b = ds.plans.addTask({ phaseId: phase.id, title: 'B', description: 'd' });
    ds.plans.setTaskStatus(a.id, 'active');
    ds.plans.setPlanStatus(plan.id, 'paused');
    ds.plans.setTaskStatus(b.id, 'active');
    assert.equal(ds.plans.getPlan(plan.id).status, 'active');
  });

  it("a window's work session: lists and the task's minutes in one write, with telemetry's JSON keys", () => {
    const ds = openTemp();
    const plan = ds.plans.createPlan({ title: 'P', objectives: ['o'], expectedOutcome: 'e' });
    const phase = ds.plans.addPhase({ planId: plan.id, name: 'Only' });
    const task = ds.plans.addTask({ phaseId: phase.id, title: 'T', description: 'd' });
    const id = ds.sessions.open({ name: 'vscode:test', planId: plan.id });
    ds.plans.setTaskStatus(task.id, 'active');
    const done = ds.plans.setTaskStatus(task.id, 'completed', { actualDurationMinutes: 12 });
    ds.sessions.taskCompleted(id, done, { activeTasks: [], completedTasks: [task.id] });
    ds.sessions.close(id);
    const other = openStore(ds.path, { readonly: true });
    after(() => other.close());
    const row = other.db
      .prepare(`SELECT status, completed_tasks, ended_at FROM work_sessions WHERE id = ?`)
      .get(id) as { status: string; completed_tasks: string; ended_at: string | null };
    assert.equal(row.status, 'completed');
    assert.deepEqual(JSON.parse(row.completed_tasks), [task.id]);
    assert.ok(row.ended_at);
    const metric = other.db
      .prepare(`SELECT metric_value, metric_unit, context FROM performance_metrics WHERE entity_id = ?`)
      .get(task.id) as { metric_value: number; metric_unit: string; context: string };
    assert.equal(metric.metric_value, 12);
    assert.equal(metric.metric_unit, 'min');
    assert.deepEqual(JSON.parse(metric.context), { session_id: id, estimated_minutes: done.maxDurationMinutes });
  });
});
