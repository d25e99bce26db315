import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore, type OpenedStore } from '../../src/core/db/open';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import type { ContentType } from '../../src/core/memory/types';
import { resetVectorSpace } from '../../src/core/memory/vectorSpace';
import type { SearchFilter } from '../../src/core/search/types';
import { vectorIndexFor } from '../../src/core/search/vectorIndexSync';
import {
  cosineDistance,
  similarities,
  vectorSearch,
  type VectorSearchResult,
} from '../../src/core/search/vectorSearch';
import { randomUnitVector, seededRandom } from '../helpers/random';
import { openTempStore } from '../helpers/tmp';

const TYPES: ContentType[] = ['code', 'decision', 'learning', 'error'];
const MODEL = { model: 'test-model', provider: 'builtin' };

interface Mem {
  id: string;
  vector: Float32Array;
  type: ContentType;
  plan: boolean;
  file: string;
  archived: boolean;
  old: boolean;
}

/** 240 memories with seeded random vectors and a spread of filterable attributes. */
function seed(store: OpenedStore, n = 240): Mem[] {
  const repo = new MemoryRepository(store);
  store.db.exec(
    `INSERT INTO intervention_plans (id, title, objectives, expected_outcome) VALUES ('PLAN1', 'Plan', '[]', 'done')`,
  );
  const rnd = seededRandom(42);
  const mems: Mem[] = [];
  const inputs = Array.from({ length: n }, (_, i) => {
    const m: Mem = {
      id: `mem${String(i).padStart(4, '0')}`,
      vector: randomUnitVector(rnd),
      type: TYPES[i % TYPES.length],
      plan: i % 37 === 0,
      file: i % 3 === 0 ? `src/auth/f${i}.ts` : `lib/x${i}.ts`,
      archived: i % 5 === 1,
      old: i % 7 === 0,
    };
    mems.push(m);
    return {
      id: m.id,
      content: `memory number ${i}`,
      contentType: m.type,
      planId: m.plan ? 'PLAN1' : null,
      anchor: { file: m.file, startLine: 1, endLine: 2 },
      embedding: { vector: m.vector, ...MODEL },
    };
  });
  repo.addMany(inputs);
  for (const m of mems) if (m.archived) repo.archive(m.id);
  store.db
    .prepare(
      `UPDATE semantic_memory SET created_at = '2020-01-01 10:00:00' WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .run(JSON.stringify(mems.filter((m) => m.old).map((m) => m.id)));
  return mems;
}

function bruteForce(mems: Mem[], q: Float32Array, k: number, keep: (m: Mem) => boolean): string[] {
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);
  return mems
    .filter(keep)
    .map((m) => ({ id: m.id, s: dot(q, m.vector) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, k)
    .map((x) => x.id);
}

const FILTERS: { name: string; f: SearchFilter; keep: (m: Mem) => boolean }[] = [
  { name: 'none (archived excluded)', f: {}, keep: (m) => !m.archived },
  { name: 'archived included', f: { includeArchived: true }, keep: () => true },
  { name: 'type (partition)', f: { contentType: 'decision' }, keep: (m) => !m.archived && m.type === 'decision' },
  { name: 'plan', f: { planId: 'PLAN1' }, keep: (m) => !m.archived && m.plan },
  { name: 'file prefix', f: { filePrefix: 'src/auth/' }, keep: (m) => !m.archived && m.file.startsWith('src/auth/') },
  { name: 'date range', f: { createdBefore: '2020-12-31' }, keep: (m) => !m.archived && m.old },
  {
    name: 'type + file prefix',
    f: { contentType: 'code', filePrefix: 'src/' },
    keep: (m) => !m.archived && m.type === 'code' && m.file.startsWith('src/'),
  },
];

describe('vector search', () => {
  it('returns the exact nearest memories under every filter, through the index and through vec0', () => {
    const store = openTempStore();
    const mems = seed(store);
    vectorIndexFor(store).loadSync();
    assert.equal(vectorIndexFor(store).status, 'ready');
    const rnd = seededRandom(7);
    for (let qi = 0; qi < 4; qi++) {
      const q = randomUnitVector(rnd);
      for (const { name, f, keep } of FILTERS) {
        const expected = bruteForce(mems, q, 10, keep);
        // Isotropic noise is the worst case for 1-bit codes: rescoring every candidate checks the
        // filters and distances exactly here; the next test checks the default depth's recall.
        const viaIndex = vectorSearch(store, q, { limit: 10, filters: f, rescore: mems.length });
        const viaVec0 = vectorSearch(store, q, { limit: 10, filters: f, useIndex: false });
        assert.equal(viaIndex.via, 'index', name);
        assert.deepEqual(
          viaIndex.hits.map((h) => h.id),
          expected,
          `index, ${name}`,
        );
        assert.deepEqual(
          viaVec0.hits.map((h) => h.id),
          expected,
          `vec0, ${name}`,
        );
        assert.deepEqual(viaIndex.hits, viaVec0.hits, 'bit-identical distances on both paths');
      }
    }
  });

  it('finds the exact top 10 of clustered vectors with the default rescoring depth', () => {
    const store = openTempStore();
    const rnd = seededRandom(21);
    const dim = 768;
    // 3,000 memories around 30 topics (as real notes cluster), queries near a topic.
    const centres = Array.from({ length: 30 }, () => randomUnitVector(rnd, dim));
    const near = (c: Float32Array, spread: number) => {
      const noise = randomUnitVector(rnd, dim);
      return Float32Array.from(c, (x, d) => x + spread * noise[d]);
    };
    const mems = Array.from({ length: 3000 }, (_, i) => ({ id: `m${i}`, vector: near(centres[i % 30], 1.2) }));
    new MemoryRepository(store).addMany(
      mems.map((m) => ({
        id: m.id,
        content: m.id,
        contentType: 'code' as const,
        embedding: { vector: m.vector, ...MODEL },
      })),
    );
    vectorIndexFor(store).loadSync();
    const cos = (a: Float32Array, b: Float32Array) =>
      a.reduce((s, x, d) => s + x * b[d], 0) / Math.hypot(...a) / Math.hypot(...b);
    let found = 0;
    const queries = 20;
    for (let qi = 0; qi < queries; qi++) {
      const q = near(centres[qi % 30], 1.2);
      const truth = mems
        .map((m) => ({ id: m.id, s: cos(q, m.vector) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, 10)
        .map((x) => x.id);
      const r = vectorSearch(store, q, { limit: 10 });
      assert.equal(r.via, 'index');
      const got = new Set(r.hits.map((h) => h.id));
      found += truth.filter((id) => got.has(id)).length;
    }
    const recall = found / (queries * 10);
    assert.ok(recall >= 0.95, `recall@10 ${recall}`);
  });

  it('scores a small pre-filtered set exactly, and widens the candidates when filters remove too many', () => {
    const store = openTempStore();
    const mems = seed(store);
    const q = randomUnitVector(seededRandom(99));
    const plan = vectorSearch(store, q, { limit: 5, filters: { planId: 'PLAN1' }, useIndex: false });
    assert.equal(plan.via, 'filtered-scan');
    assert.deepEqual(
      plan.hits.map((h) => h.id),
      bruteForce(mems, q, 5, (m) => !m.archived && m.plan),
    );

    // Archive all but 6 memories: the archived filter is not "narrowing", so only widening finds them.
    const repo = new MemoryRepository(store);
    const kept = new Set(mems.filter((_, i) => i % 40 === 0).map((m) => m.id));
    store.tx(() => {
      for (const m of mems) repo.archive(m.id, !kept.has(m.id));
    });
    const expected = bruteForce(mems, q, 10, (m) => kept.has(m.id));
    const vec0 = vectorSearch(store, q, { limit: 10, useIndex: false });
    assert.deepEqual(
      vec0.hits.map((h) => h.id),
      expected,
    );
    assert.ok(vec0.rounds > 1, 'vec0 was asked again with a larger k');
    vectorIndexFor(store).loadSync();
    const index = vectorSearch(store, q, { limit: 10, rescore: 10 });
    assert.equal(index.via, 'index');
    assert.deepEqual(
      index.hits.map((h) => h.id),
      expected,
    );
    assert.ok(index.rounds > 1, 'the index widened its candidates');
  });

  it('binds the partition key and k correctly for a type with no vectors', () => {
    const store = openTempStore();
    seed(store, 20);
    const q = randomUnitVector(seededRandom(3));
    assert.equal(vectorSearch(store, q, { limit: 5 }).via, 'vec0', 'not loaded: vec0 answers');
    assert.equal(vectorIndexFor(store).status, 'idle', 'a one-shot search starts no background load');
    assert.deepEqual(
      vectorSearch(store, q, { limit: 5, filters: { contentType: 'output' }, useIndex: false }).hits,
      [],
    );
    vectorIndexFor(store).loadSync();
    assert.deepEqual(vectorSearch(store, q, { limit: 5, filters: { contentType: 'output' } }).hits, []);
  });
});

describe('in-memory vector index beside a second connection', () => {
  const ids = (r: VectorSearchResult) => r.hits.map((h) => h.id);

  it('sees inserts, updates, type moves and deletes made by another connection, and never returns a deleted memory', () => {
    const a = openTempStore();
    seed(a, 120);
    vectorIndexFor(a).loadSync();
    const b = openStore(a.path);
    try {
      const repoB = new MemoryRepository(b);
      const q = randomUnitVector(seededRandom(5));
      const near = Float32Array.from(q, (x, i) => x + (i % 2 ? 0.001 : -0.001));

      repoB.add({
        id: 'fromB',
        content: 'written by the other connection',
        contentType: 'learning',
        embedding: { vector: near, ...MODEL },
      });
      let r = vectorSearch(a, q, { limit: 3 });
      assert.equal(r.via, 'index');
      assert.equal(ids(r)[0], 'fromB', 'a new vector from another connection is found');

      repoB.update('fromB', { contentType: 'error' }); // moves partition, same vector
      assert.equal(ids(vectorSearch(a, q, { limit: 3, filters: { contentType: 'error' } }))[0], 'fromB');
      assert.ok(!ids(vectorSearch(a, q, { limit: 3, filters: { contentType: 'learning' } })).includes('fromB'));

      const far = Float32Array.from(q, (x) => -x);
      repoB.setEmbedding('mem0003', { vector: far, ...MODEL });
      repoB.setEmbedding('mem0004', { vector: q, ...MODEL });
      r = vectorSearch(a, q, { limit: 3, filters: { includeArchived: true } });
      assert.equal(ids(r)[0], 'mem0004', 'an updated vector is used');
      assert.ok(Math.abs(r.hits[0].distance) < 1e-6);

      repoB.delete('mem0004');
      repoB.delete('fromB');
      b.db.prepare(`DELETE FROM semantic_memory WHERE id = 'mem0008'`).run(); // plain SQL writers are tracked too
      r = vectorSearch(a, q, { limit: 200, filters: { includeArchived: true } });
      for (const gone of ['mem0004', 'fromB', 'mem0008']) assert.ok(!ids(r).includes(gone), `${gone} was deleted`);
      assert.equal(r.hits.length, 120 - 2, 'every remaining vector, none twice');
      assert.equal(vectorIndexFor(a).status, 'ready', 'caught up by replaying the changelog, no reload');
      assert.equal(vectorIndexFor(a).stats.vectors, 118);
    } finally {
      b.close();
    }
  });

  it('falls back to vec0 and reloads when it fell too far behind or the vector space changed', async () => {
    const a = openTempStore();
    const mems = seed(a, 60);
    const index = vectorIndexFor(a, { maxReplay: 3 });
    index.loadSync();
    const b = openStore(a.path);
    try {
      const repoB = new MemoryRepository(b);
      const rnd = seededRandom(11);
      for (let i = 0; i < 5; i++) repoB.setEmbedding(mems[i].id, { vector: randomUnitVector(rnd), ...MODEL });
      const q = randomUnitVector(rnd);
      const r = vectorSearch(a, q, { limit: 5, filters: { includeArchived: true } });
      assert.equal(r.via, 'vec0', 'too many changes to replay: vec0 answers while the index reloads');
      await index.load();
      assert.equal(index.status, 'ready');
      const again = vectorSearch(a, q, { limit: 5, filters: { includeArchived: true } });
      assert.equal(again.via, 'index');
      assert.deepEqual(ids(again), ids(r), 'the reloaded index agrees with vec0');

      // Entries trimmed away (as when the log wraps) are detected the same way.
      repoB.setEmbedding(mems[10].id, { vector: q, ...MODEL });
      b.db.exec(`DELETE FROM vec_changelog`);
      repoB.setEmbedding(mems[11].id, { vector: randomUnitVector(rnd), ...MODEL });
      assert.equal(vectorSearch(a, q, { limit: 1, filters: { includeArchived: true } }).via, 'vec0');
      await index.load();
      assert.equal(ids(vectorSearch(a, q, { limit: 1, filters: { includeArchived: true } }))[0], mems[10].id);

      resetVectorSpace(b, { dimension: 384, model: 'other', provider: 'ollama' });
      assert.equal(index.current(), null, 'another dimension: the old index is never used again');
      await index.load();
      assert.equal(index.status, 'ready');
      assert.equal(index.stats.vectors, 0);
    } finally {
      b.close();
    }
  });
});

describe('similarities of given memories (score fusion of keyword hits)', () => {
  it('scores each embedded memory from its stored vector and leaves out the rest', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const rnd = seededRandom(7);
    const [a, b, query] = [randomUnitVector(rnd), randomUnitVector(rnd), randomUnitVector(rnd)];
    repo.addMany([
      { id: 'a', content: 'first', contentType: 'code', embedding: { vector: a, ...MODEL } },
      { id: 'b', content: 'second', contentType: 'code', embedding: { vector: b, ...MODEL } },
      { id: 'pending', content: 'not embedded yet', contentType: 'code' },
    ]);
    const rowids = store.db.prepare(`SELECT rowid FROM semantic_memory ORDER BY rowid`).all() as { rowid: number }[];
    const sims = similarities(store, query, rowids);
    assert.deepEqual([...sims.keys()].sort(), ['a', 'b']);
    assert.equal(sims.get('a'), 1 - cosineDistance(query, a));
    assert.equal(sims.get('b'), 1 - cosineDistance(query, b));
    assert.equal(similarities(store, query, []).size, 0);
    store.close();
  });
});
