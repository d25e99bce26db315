import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { smallestK, topK } from '../../src/core/search/topK';
import { VectorIndex } from '../../src/core/search/vectorIndex';
import { instantiateKernel, kernelModule, newWasmMemory } from '../../src/core/search/vectorKernel';
import { randomUnitVector, seededRandom } from '../helpers/random';

describe('wasm POPCNT Hamming kernel', () => {
  for (const words of [1, 3, 12, 24]) {
    it(`compiles here and computes exact Hamming distances (codes of ${words} 64-bit words)`, () => {
      assert.ok(kernelModule(words), 'Node 22 runs WebAssembly');
      const n = 37;
      const mem = newWasmMemory(1 << 16)!;
      const hamming = instantiateKernel(mem, words)!;
      const rnd = seededRandom(1);
      const bytes = new Uint8Array(mem.buffer);
      const q = bytes.subarray(0, words * 8);
      const codes = bytes.subarray(64, 64 + n * words * 8);
      for (let i = 0; i < q.length; i++) q[i] = Math.floor(rnd() * 256);
      for (let i = 0; i < codes.length; i++) codes[i] = Math.floor(rnd() * 256);
      codes.fill(0xff, 0, words * 8); // extremes: all bits set, and an identical code
      codes.set(q, words * 8);
      const outAt = 64 + n * words * 8;
      hamming(0, 64, n, words, outAt);
      const out = new Uint16Array(mem.buffer, outAt, n);
      for (let j = 0; j < n; j++) {
        let d = 0;
        for (let b = 0; b < words * 8; b++) d += bitsSet(codes[j * words * 8 + b] ^ q[b]);
        assert.equal(out[j], d, `code ${j}`);
      }
      assert.equal(out[1], 0, 'identical code');
      assert.equal(out[0], words * 64 - q.reduce((sum, b) => sum + bitsSet(b), 0), 'all bits set');
    });
  }
});

const bitsSet = (x: number) => x.toString(2).replace(/0/g, '').length;

describe('VectorIndex (1-bit codes, in memory)', () => {
  it('puts the near neighbours first, with approximate similarities that follow the exact ones', () => {
    const dim = 100; // not a power of two: the rotation pads
    const index = VectorIndex.create(dim, 4)!;
    assert.equal(index.bits, 128);
    const rnd = seededRandom(2);
    const q = randomUnitVector(rnd, dim);
    const vecs = Array.from({ length: 500 }, () => randomUnitVector(rnd, dim).map((x) => x * 3)); // not unit
    // Ten planted neighbours at cosine ~0.9 from the query, among 500 random vectors (cosine ~0 ± 0.1).
    for (let i = 0; i < 10; i++) {
      const noise = randomUnitVector(rnd, dim);
      vecs[i * 37] = q.map((x, d) => 2 * (x + 0.45 * noise[d]));
    }
    vecs.forEach((v, i) => assert.ok(index.upsert(i + 1, 'code', v)));
    const cos = (v: Float32Array) => v.reduce((s, x, d) => s + x * q[d], 0) / Math.hypot(...v);
    const planted = new Set(Array.from({ length: 10 }, (_, i) => i * 37 + 1));
    const approx = index.search(q, { count: 20 });
    assert.equal(approx.length, 20);
    assert.deepEqual(new Set(approx.slice(0, 10).map((h) => h.rowid)), planted, 'the ten near neighbours come first');
    for (const h of approx) assert.ok(Math.abs(h.approx - cos(vecs[h.rowid - 1])) < 0.35, `rowid ${h.rowid}`);
    for (let i = 1; i < approx.length; i++) assert.ok(approx[i].approx <= approx[i - 1].approx, 'best first');
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
    assert.deepEqual(
      index
        .search(q, { count: 20, contentType: 'code' })
        .map((h) => h.rowid)
        .sort((a, b) => a - b),
      [3, 5, 7, 9],
    );
    assert.deepEqual(
      index
        .search(q, { count: 20, allowed: new Set([2, 4]) })
        .map((h) => h.rowid)
        .sort(),
      [2, 4],
    );
    assert.ok(!index.upsert(99, 'code', new Float32Array(3)), 'wrong dimension refused');
  });

  it('restores exactly what codes() gave, and names the code length the stored codes check', () => {
    for (const d of [1, 64, 100, 384, 768, 1536])
      assert.equal(VectorIndex.bitsFor(d), VectorIndex.create(d, 1)!.bits, `${d}`);
    const dim = 96;
    const index = VectorIndex.create(dim, 2)!;
    const rnd = seededRandom(4);
    const vecs = Array.from({ length: 40 }, () => randomUnitVector(rnd, dim));
    vecs.forEach((v, i) => index.upsert(100 + i, i % 2 ? 'code' : 'decision', v));
    index.remove(105);
    const copy = VectorIndex.fromCodes(dim, index.codes())!;
    assert.equal(copy.size, 39);
    for (const q of vecs.slice(0, 5)) {
      assert.deepEqual(copy.search(q, { count: 10 }), index.search(q, { count: 10 }));
      assert.deepEqual(
        copy.search(q, { count: 5, contentType: 'code' }),
        index.search(q, { count: 5, contentType: 'code' }),
      );
    }
    assert.ok(copy.has(100) && !copy.has(105));
    assert.ok(copy.remove(139) && copy.upsert(200, 'code', vecs[0]) && copy.has(200), 'usable for replays');
    assert.equal(copy.search(vecs[0], { count: 1 })[0].approx, 1);
    assert.equal(VectorIndex.fromCodes(dim, { ...index.codes(), bits: 64 }), null, 'codes of another length');
  });
});

describe('topK', () => {
  it('smallestK selects the k smallest small integers, ties by lower index, honouring accept', () => {
    const d = Uint16Array.from([5, 1, 9, 1, 3, 7, 0, 8, 1]);
    assert.deepEqual(smallestK(d, d.length, 9, 3), [6, 1, 3]);
    assert.deepEqual(smallestK(d, d.length, 9, 5), [6, 1, 3, 8, 4]);
    assert.deepEqual(
      smallestK(d, d.length, 9, 3, (i) => i % 2 === 0),
      [6, 8, 4],
    );
    assert.deepEqual(smallestK(d, 4, 9, 100), [1, 3, 0, 2], 'only the first n values, all of them when k > n');
    assert.deepEqual(smallestK(d, 0, 9, 3), []);
    assert.deepEqual(smallestK(d, d.length, 9, 0), []);
  });

  it('selects the k best, best first, ties by lower index, honouring accept', () => {
    const s = [5, 1, 9, 9, 3, 7, Number.NaN, 8];
    assert.deepEqual(
      topK(s.length, 3, (i) => s[i]),
      [2, 3, 7],
    );
    assert.deepEqual(
      topK(
        s.length,
        3,
        (i) => s[i],
        (i) => i % 2 === 1,
      ),
      [3, 7, 5],
    );
    assert.deepEqual(topK(s.length, 100, (i) => s[i]).length, 7, 'NaN skipped');
    assert.deepEqual(
      topK(0, 3, () => 0),
      [],
    );
  });
});
