import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DevStreamError } from '../../src/core/errors';
import { reciprocalRankFusion } from '../../src/core/search/rrf';

describe('reciprocal rank fusion', () => {
  it('scores Σ weight / (k + rank) with k = 60 by default', () => {
    const fused = reciprocalRankFusion([
      { name: 'keyword', ids: ['a', 'b', 'c'] },
      { name: 'vector', ids: ['b', 'd'] },
    ]);
    const byId = new Map(fused.map((f) => [f.id, f]));
    assert.ok(Math.abs(byId.get('b')!.score - (1 / 62 + 1 / 61)) < 1e-15);
    assert.ok(Math.abs(byId.get('a')!.score - 1 / 61) < 1e-15);
    assert.ok(Math.abs(byId.get('d')!.score - 1 / 62) < 1e-15);
    assert.deepEqual(byId.get('b')!.ranks, { keyword: 2, vector: 1 });
    assert.deepEqual(
      fused.map((f) => f.id),
      ['b', 'a', 'd', 'c'],
    );
  });

  it('honours k and per-channel weights', () => {
    const fused = reciprocalRankFusion(
      [
        { name: 'keyword', ids: ['a'], weight: 0.5 },
        { name: 'vector', ids: ['b'], weight: 2 },
      ],
      10,
    );
    assert.deepEqual(
      fused.map((f) => [f.id, f.score]),
      [
        ['b', 2 / 11],
        ['a', 0.5 / 11],
      ],
    );
    // with k = 0 the head dominates: rank 1 alone beats ranks 2 + 3 together (1 > 1/2 + 1/3)
    const sharp = reciprocalRankFusion(
      [
        { name: 'x', ids: ['a', 'b', 'c'] },
        { name: 'y', ids: ['d', 'c', 'b'] },
      ],
      0,
    );
    assert.equal(sharp[0].id, 'a');
  });

  it('keeps items found by one channel only, and equals that channel when the other is empty', () => {
    const only = reciprocalRankFusion([
      { name: 'keyword', ids: ['x', 'y', 'z'] },
      { name: 'vector', ids: [] },
    ]);
    assert.deepEqual(
      only.map((f) => f.id),
      ['x', 'y', 'z'],
    );
    assert.ok(only.every((f) => f.score > 0 && f.ranks.vector === undefined));
  });

  it('breaks ties by best single-channel rank, then id, whatever the input order', () => {
    // c: ranks 1 and 4; a and b: ranks 2 and 3 in some order. 1/61 + 1/64 vs 1/62 + 1/63 differ;
    // so build exact ties instead: a = (1, 3), b = (3, 1), d = (2, 2) → a and b tie exactly.
    const lists = [
      { name: 'keyword', ids: ['a', 'd', 'b'] },
      { name: 'vector', ids: ['b', 'd', 'a'] },
    ];
    const one = reciprocalRankFusion(lists);
    const two = reciprocalRankFusion([...lists].reverse());
    assert.equal(one.find((f) => f.id === 'a')!.score, one.find((f) => f.id === 'b')!.score);
    assert.deepEqual(
      one.map((f) => f.id),
      two.map((f) => f.id),
    );
    assert.deepEqual(one.map((f) => f.id).slice(0, 2), ['a', 'b'], 'equal score and best rank: by id');
    const tieOnScore = reciprocalRankFusion([
      { name: 'k', ids: ['z'] },
      { name: 'v', ids: ['y'] },
    ]);
    assert.deepEqual(
      tieOnScore.map((f) => f.id),
      ['y', 'z'],
    );
  });

  it('counts an id listed twice in one channel once, at its best rank', () => {
    const fused = reciprocalRankFusion([{ name: 'keyword', ids: ['a', 'b', 'a'] }]);
    assert.equal(fused.find((f) => f.id === 'a')!.score, 1 / 61);
  });

  it('rejects a negative or non-finite k or weight', () => {
    assert.throws(() => reciprocalRankFusion([], -1), DevStreamError);
    assert.throws(() => reciprocalRankFusion([], Number.NaN), DevStreamError);
    assert.throws(
      () => reciprocalRankFusion([{ name: 'v', ids: ['a'], weight: Number.POSITIVE_INFINITY }]),
      DevStreamError,
    );
  });
});
