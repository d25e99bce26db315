import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topK } from '../../src/core/search/topK';
import { VectorIndex } from '../../src/core/search/vectorIndex';
import { instantiateKernel, kernelModule, newWasmMemory } from '../../src/core/search/vectorKernel';
import { randomUnitVector, seededRandom } from '../helpers/random';

describe('wasm SIMD dot-product kernel', () => {
  it('compiles here and computes exact int8 · int16 dot products', () => {
    assert.ok(kernelModule(), 'Node 22 runs wasm SIMD');
    const dim = 96;
    const n = 37;
    const mem = newWasmMemory(1 << 16)!;
    const dots = instantiateKernel(mem)!;
    const rnd = seededRandom(1);
    const q = new Int16Array(mem.buffer, 0, dim);
    const v = new Int8Array(mem.buffer, 256, n * dim);
    for (let i = 0; i < dim; i++) q[i] = Math.round((rnd() * 2 - 1) * 8191);
    for (let i = 0; i < n * dim; i++) v[i] = Math.round((rnd() * 2 - 1) * 127);
    v[0] = -128; // extremes: sign extension must be right
    q[0] = -8191;
    const outAt = 256 + n * dim;
    dots(0, 256, n, dim, outAt);
    const out = new Int32Array(mem.buffer, outAt, n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += v[j * dim + d] * q[d];
      assert.equal(out[j], s, `vector ${j}`);
    }
  });
});

describe('VectorIndex (int8, in memory)', () => {
  it('ranks like exact cosine, with approximate similarities within 0.01', () => {
    const dim = 100; // not a multiple of the kernel's 32: padded
    const index = VectorIndex.create(dim, 4)!;
    const rnd = seededRandom(2);
    const vecs = Array.from({ length: 500 }, () => randomUnitVector(rnd, dim).map((x) => x * 3)); // not unit: cosine normalises
    vecs.forEach((v, i) => assert.ok(index.upsert(i + 1, 'code', v)));
    const q = randomUnitVector(rnd, dim);
    const exact = vecs.map((v, i) => ({ rowid: i + 1, cos: v.reduce((s, x, d) => s + x * q[d], 0) / Math.hypot(...v) }))
      .sort((a, b) => b.cos - a.cos);
    const approx = index.search(q, { count: 20 });
    for (const h of approx) assert.ok(Math.abs(h.approx - exact.find((e) => e.rowid === h.rowid)!.cos) < 0.01);
    const top10 = new Set(exact.slice(0, 10).map((e) => e.rowid));
    assert.ok(approx.slice(0, 20).filter((h) => top10.has(h.rowid)).length === 10, 'the exact top 10 are among the first 20 candidates');
  });

  it('replaces, removes (moving the last vector into the hole) and filters by type and allowed set', () => {
    const dim = 64;
    const index = VectorIndex.create(dim, 2)!;
    const rnd = seededRandom(3);
    const q = randomUnitVector(rnd, dim);
    for (let i = 1; i <= 10; i++) index.upsert(i, i % 2 ? 'code' : 'note-type-unknown', randomUnitVector(rnd, dim));
    index.upsert(5, 'code', q);
    assert.equal(index.search(q, { count: 1 })[0].rowid, 5);
    assert.equal(index.size, 10);
    assert.ok(index.remove(1));
    assert.ok(!index.remove(1));
    assert.equal(index.search(q, { count: 1 })[0].rowid, 5, 'the moved vector is still found at its new slot');
    assert.ok(!index.search(q, { count: 20 }).some((h) => h.rowid === 1));
    assert.deepEqual(index.search(q, { count: 20, contentType: 'code' }).map((h) => h.rowid).sort((a, b) => a - b), [3, 5, 7, 9]);
    assert.deepEqual(index.search(q, { count: 20, allowed: new Set([2, 4]) }).map((h) => h.rowid).sort(), [2, 4]);
    assert.ok(!index.upsert(99, 'code', new Float32Array(3)), 'wrong dimension refused');
  });
});

describe('topK', () => {
  it('selects the k best, best first, ties by lower index, honouring accept', () => {
    const s = [5, 1, 9, 9, 3, 7, Number.NaN, 8];
    assert.deepEqual(topK(s.length, 3, (i) => s[i]), [2, 3, 7]);
    assert.deepEqual(topK(s.length, 3, (i) => s[i], (i) => i % 2 === 1), [3, 7, 5]);
    assert.deepEqual(topK(s.length, 100, (i) => s[i]).length, 7, 'NaN skipped');
    assert.deepEqual(topK(0, 3, () => 0), []);
  });
});
