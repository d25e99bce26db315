import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flagMissingAnchors, renameAnchors } from '../../src/core/hooks/anchors';
import { ensureHooks, listHooks, runHook, setHookActive, type HookDefinition } from '../../src/core/hooks/hooks';
import { InsightRepository } from '../../src/core/insights/insightRepository';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { PlanRepository } from '../../src/core/plans';
import { readStatistics } from '../../src/core/stats/statistics';
import { openTempStore } from '../helpers/tmp';

const HOOK: HookDefinition = {
  id: 'HOOK-test',
  name: 'Test hook',
  eventType: 'task_completed',
  actionType: 'offer_learning',
  description: 'd',
  order: 1,
};

describe('hooks', () => {
  it('records every run with its status and time, and honours the off switch', async () => {
    const store = openTempStore();
    ensureHooks(store, [HOOK]);
    assert.deepEqual(
      await runHook(store, HOOK.id, { task: 'T1' }, () => ({ status: 'success', result: { saved: 1 } })),
      { status: 'success', result: { saved: 1 } },
    );
    assert.deepEqual(
      await runHook(store, HOOK.id, {}, () => {
        throw new Error('boom');
      }),
      { status: 'failed', error: 'boom' },
    );
    setHookActive(store, HOOK.id, false);
    let ran = false;
    assert.equal(
      (
        await runHook(store, HOOK.id, {}, () => {
          ran = true;
          return { status: 'success' };
        })
      ).status,
      'skipped',
    );
    assert.equal(ran, false);
    ensureHooks(store, [HOOK]); // re-registering on the next start keeps the user's choice
    const [row] = listHooks(store);
    assert.deepEqual([row.isActive, row.runs, row.failures], [false, 3, 1]);
    const statuses = store.db
      .prepare(`SELECT status, error_message, event_data FROM hook_executions ORDER BY rowid`)
      .all() as { status: string; error_message: string | null; event_data: string }[];
    assert.deepEqual(
      statuses.map((s) => s.status),
      ['success', 'failed', 'skipped'],
    );
    assert.equal(statuses[1].error_message, 'boom');
    assert.equal(JSON.parse(statuses[0].event_data).task, 'T1');
  });

  it('moves anchors with renamed files and folders, and flags deleted ones without losing the memory', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const a = repo.add({ content: 'a', contentType: 'code', anchor: { file: 'src/a.ts', startLine: 1, endLine: 1 } });
    const b = repo.add({
      content: 'b',
      contentType: 'code',
      anchor: { file: 'src/lib/b.ts', startLine: 2, endLine: 3 },
    });
    const c = repo.add({ content: 'c', contentType: 'code', anchor: { file: 'src2/c.ts', startLine: 1, endLine: 1 } });
    assert.equal(renameAnchors(store, 'src/a.ts', 'src/alpha.ts'), 1);
    assert.equal(renameAnchors(store, 'src/lib', 'lib'), 1);
    assert.equal(repo.require(a.id).anchor?.file, 'src/alpha.ts');
    assert.equal(repo.require(b.id).anchor?.file, 'lib/b.ts');
    assert.equal(repo.require(c.id).anchor?.file, 'src2/c.ts', 'a folder with a similar name is not touched');
    assert.equal(flagMissingAnchors(store, 'src2'), 1);
    assert.equal(repo.require(c.id).anchor?.missing, true);
    assert.equal(repo.require(c.id).content, 'c');
    assert.equal(renameAnchors(store, 'src2/c.ts', 'src3/c.ts'), 1);
    assert.equal(repo.require(c.id).anchor?.missing, undefined, 'found again: no longer missing');
  });
});

describe('statistics', () => {
  it('counts from real rows', () => {
    const store = openTempStore();
    const plans = new PlanRepository(store);
    const plan = plans.createPlan({ title: 'P', objectives: [], expectedOutcome: 'o' });
    const phase = plans.addPhase({ planId: plan.id, name: 'Build' });
    const t1 = plans.addTask({ phaseId: phase.id, title: 't1', maxDurationMinutes: 8 });
    plans.addTask({ phaseId: phase.id, title: 't2' });
    plans.setTaskStatus(t1.id, 'active');
    plans.setTaskStatus(t1.id, 'completed', { actualDurationMinutes: 11 });
    const repo = new MemoryRepository(store);
    repo.add({ content: 'x', contentType: 'code' });
    repo.add({ content: 'y', contentType: 'code' });
    repo.add({ content: 'z', contentType: 'decision' });
    store.db
      .exec(`INSERT INTO performance_metrics (id, metric_type, entity_type, entity_id, metric_value, metric_unit) VALUES
      ('m1', 'search_latency', 'memory', 'search', 4, 'ms'), ('m2', 'search_latency', 'memory', 'search', 8, 'ms')`);
    const s = readStatistics(store);
    assert.deepEqual(s.memoriesByType, [
      { type: 'code', count: 2, embedded: 0 },
      { type: 'decision', count: 1, embedded: 0 },
    ]);
    assert.deepEqual(s.tasksPerPhase, [{ plan: 'P', phase: 'Build', completed: 1, total: 2 }]);
    assert.deepEqual(s.estimatedVsActual, [{ plan: 'P', estimatedMinutes: 8, actualMinutes: 11, tasks: 1 }]);
    assert.equal(s.searchesPerDay.length, 1);
    assert.deepEqual([s.searchesPerDay[0].searches, s.searchesPerDay[0].avgMs, s.searchesPerDay[0].maxMs], [2, 6, 8]);
    assert.equal(s.totals.memories, 3);
  });

  it('counts anchored memories by freshness, as last checked', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const checkedAt = new Date().toISOString();
    const anchor = (line: number) => ({ file: 'src/a.ts', startLine: line, endLine: line + 1 });
    repo.add({ content: 'never checked', contentType: 'code', anchor: anchor(1) });
    repo.add({
      content: 'a',
      contentType: 'code',
      anchor: { ...anchor(3), freshness: { state: 'fresh', similarity: 1, checkedAt } },
    });
    repo.add({
      content: 'b',
      contentType: 'code',
      anchor: { ...anchor(5), freshness: { state: 'changed', similarity: 0.7, checkedAt } },
    });
    repo.add({
      content: 'c',
      contentType: 'code',
      anchor: { ...anchor(7), freshness: { state: 'changed', similarity: 0.6, checkedAt } },
    });
    repo.add({ content: 'a note, no anchor', contentType: 'decision' });
    assert.deepEqual(readStatistics(store).anchorFreshness, [
      { state: 'changed', count: 2 },
      { state: 'fresh', count: 1 },
      { state: 'unchecked', count: 1 },
    ]);
  });
});

describe('learning insights', () => {
  it('records insights with evidence and validates input', () => {
    const store = openTempStore();
    const repo = new InsightRepository(store);
    const i = repo.add({
      type: 'anti_pattern',
      title: 'Blocking I/O in async functions',
      description: 'Use fs/promises in handlers.',
      confidence: 0.8,
      evidence: ['MEM1'],
    });
    assert.deepEqual([i.type, i.evidence, i.isValidated], ['anti_pattern', ['MEM1'], false]);
    repo.setValidated(i.id, true, 'seen twice');
    assert.equal(repo.list()[0].isValidated, true);
    assert.throws(() => repo.add({ type: 'tip' as never, title: 't', description: 'd' }), /Unknown insight type/);
    assert.throws(() => repo.add({ type: 'pattern', title: ' ', description: 'd' }), /needs a title/);
    assert.throws(() => repo.add({ type: 'pattern', title: 't', description: 'd', confidence: 2 }), /from 0 to 1/);
  });
});
