import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DevStreamError } from '../../src/core/errors';
import { PlanRepository } from '../../src/core/plans/planRepository';
import { openTempStore } from '../helpers/tmp';
import { seededRandom } from '../helpers/random';

const store = openTempStore();
const repo = new PlanRepository(store);
const newPlan = (title: string) => repo.createPlan({ title, objectives: [], expectedOutcome: 'o' });

/** The plan's phases are exactly `expected`, numbered 1..n with no gaps or duplicates. */
function assertDense(planId: string, expected: string[], step: string): void {
  const phases = repo.listPhases(planId);
  assert.deepEqual(
    phases.map((p) => p.id),
    expected,
    `order after ${step}`,
  );
  assert.deepEqual(
    phases.map((p) => p.sequenceOrder),
    expected.map((_, i) => i + 1),
    `numbers 1..n after ${step}`,
  );
  const raw = store.db
    .prepare(`SELECT sequence_order FROM phases WHERE plan_id = ? ORDER BY sequence_order`)
    .pluck()
    .all(planId);
  assert.deepEqual(
    raw,
    expected.map((_, i) => i + 1),
    `stored numbers after ${step}`,
  );
}

describe('phase order', () => {
  it('stays dense 1..n through a random sequence of add, insert, move and remove', () => {
    const random = seededRandom(20240611);
    const pick = (n: number) => Math.floor(random() * n);
    const plan = newPlan('ordered');
    const neighbour = newPlan('neighbour');
    const neighbours = ['x', 'y', 'z'].map((name) => repo.addPhase({ planId: neighbour.id, name }).id);
    const model: string[] = [];
    const counts = { append: 0, insert: 0, move: 0, remove: 0 };

    for (let i = 0; i < 250; i++) {
      const r = random();
      let step: string;
      if (model.length === 0 || r < 0.3) {
        model.push(repo.addPhase({ planId: plan.id, name: `p${i}` }).id);
        step = `#${i} append`;
        counts.append++;
      } else if (r < 0.55) {
        const pos = 1 + pick(model.length + 1);
        const ph = repo.addPhase({ planId: plan.id, name: `p${i}`, position: pos });
        assert.equal(ph.sequenceOrder, pos);
        model.splice(pos - 1, 0, ph.id);
        step = `#${i} insert at ${pos}`;
        counts.insert++;
      } else if (r < 0.8) {
        const id = model[pick(model.length)];
        const pos = 1 + pick(model.length);
        assert.equal(repo.movePhase(id, pos).sequenceOrder, pos);
        model.splice(model.indexOf(id), 1);
        model.splice(pos - 1, 0, id);
        step = `#${i} move to ${pos}`;
        counts.move++;
      } else {
        const id = model.splice(pick(model.length), 1)[0];
        repo.removePhase(id);
        step = `#${i} remove`;
        counts.remove++;
      }
      assertDense(plan.id, model, step);
    }
    assert.ok(
      Object.values(counts).every((n) => n > 20),
      `every operation was exercised: ${JSON.stringify(counts)}`,
    );
    assertDense(neighbour.id, neighbours, 'all steps (other plan untouched)');
  });

  it('refuses positions out of range and leaves the order as it was', () => {
    const plan = newPlan('bounds');
    const ids = ['a', 'b', 'c'].map((name) => repo.addPhase({ planId: plan.id, name }).id);
    const isInvalid = (e: unknown) =>
      e instanceof DevStreamError && e.code === 'invalid' && /from 1 to \d/.test(e.message);
    assert.throws(() => repo.addPhase({ planId: plan.id, name: 'd', position: 0 }), isInvalid);
    assert.throws(() => repo.addPhase({ planId: plan.id, name: 'd', position: 5 }), isInvalid);
    assert.throws(() => repo.addPhase({ planId: plan.id, name: 'd', position: 1.5 }), isInvalid);
    assert.throws(() => repo.movePhase(ids[0], 4), isInvalid);
    assert.throws(() => repo.movePhase(ids[0], 0), isInvalid);
    assertDense(plan.id, ids, 'refused changes');
    assert.equal(repo.addPhase({ planId: plan.id, name: 'd', position: 4 }).sequenceOrder, 4, 'n + 1 appends');
  });

  it('repairs gaps and duplicates left by other tools on the next change', () => {
    const plan = newPlan('legacy');
    const ids = ['a', 'b', 'c'].map((name) => repo.addPhase({ planId: plan.id, name }).id);
    store.db
      .prepare(`UPDATE phases SET sequence_order = CASE id WHEN ? THEN 5 WHEN ? THEN 9 ELSE 9 END WHERE plan_id = ?`)
      .run(ids[0], ids[1], plan.id);
    const d = repo.addPhase({ planId: plan.id, name: 'd', position: 2 });
    assertDense(plan.id, [ids[0], d.id, ids[1], ids[2]], 'insert into a gappy plan');
  });
});
