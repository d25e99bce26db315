import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_MODEL, BuiltinEmbedder } from '../../src/core/embeddings/builtin';
import { DevStreamError } from '../../src/core/errors';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { buildFtsQuery } from '../../src/core/search/ftsQuery';
import { fusionDefaults } from '../../src/core/search/fusionDefaults';
import { hybridSearch } from '../../src/core/search/hybridSearch';
import { scoreFusion } from '../../src/core/search/scoreFusion';
import { openTempStore } from '../helpers/tmp';

const quiet = { recordAccess: false, recordMetrics: false };

describe('score-aware fusion', () => {
  it('sums weighted normalised scores: best-relative for BM25, worst..best for cosine', () => {
    const fused = scoreFusion([
      {
        name: 'keyword',
        items: [
          { id: 'a', score: 10 },
          { id: 'b', score: 5 },
        ],
        normalize: 'best',
      },
      {
        name: 'vector',
        items: [
          { id: 'b', score: 0.75 },
          { id: 'c', score: 0.5 },
          { id: 'a', score: 0.25 },
        ],
        normalize: 'range',
        weight: 2,
      },
    ]);
    const score = new Map(fused.map((f) => [f.id, f.score]));
    assert.ok(Math.abs(score.get('a')! - 1) < 1e-12); // 10/10 + 2 * 0
    assert.ok(Math.abs(score.get('b')! - 2.5) < 1e-12); // 5/10 + 2 * 1
    assert.ok(Math.abs(score.get('c')! - 1) < 1e-12); // 2 * 0.5
    assert.deepEqual(
      fused.map((f) => f.id),
      ['b', 'a', 'c'],
      'a and c tie at 1: a has the better single rank',
    );
    assert.deepEqual(fused[0].ranks, { keyword: 2, vector: 1 });
  });

  it('gives a one-hit or flat list full marks, and an empty list nothing', () => {
    const fused = scoreFusion([
      { name: 'keyword', items: [], normalize: 'best' },
      {
        name: 'vector',
        items: [
          { id: 'x', score: 0.2 },
          { id: 'y', score: 0.2 },
        ],
        normalize: 'range',
      },
    ]);
    assert.deepEqual(
      fused.map((f) => [f.id, f.score]),
      [
        ['x', 1],
        ['y', 1],
      ],
    );
  });

  it('rejects a negative or non-finite weight', () => {
    assert.throws(() => scoreFusion([{ name: 'vector', items: [], normalize: 'range', weight: -1 }]), DevStreamError);
    assert.throws(() => scoreFusion([{ name: 'vector', items: [], normalize: 'range', weight: NaN }]), DevStreamError);
  });
});

describe('fusion defaults per embedding model', () => {
  it('fuses the built-in channels 1 : 1 and drops weak vector-only hits; other models keep equal RRF', () => {
    assert.deepEqual(fusionDefaults(BUILTIN_MODEL), {
      method: 'rrf',
      weights: { keyword: 1, vector: 1 },
      minSimilarity: 0.05,
    });
    assert.deepEqual(fusionDefaults('devstream-builtin-v1'), fusionDefaults(BUILTIN_MODEL));
    assert.deepEqual(fusionDefaults('nomic-embed-text'), {
      method: 'rrf',
      weights: { keyword: 1, vector: 1 },
      minSimilarity: 0,
    });
    assert.deepEqual(fusionDefaults(null), fusionDefaults('nomic-embed-text'));
  });

  it('never fuses in a vector-only hit below the similarity floor', async () => {
    const store = openTempStore();
    const embedder = new BuiltinEmbedder();
    const texts = ['postgres connection pool size', 'zebra stripes in the savannah'];
    const vectors = await embedder.embed(texts, 'document');
    new MemoryRepository(store).addMany(
      texts.map((content, i) => ({
        content,
        contentType: 'context',
        embedding: { vector: vectors[i], model: embedder.model, provider: embedder.id },
      })),
    );
    // A query vector orthogonal to both documents' main directions: every cosine is ~0.
    const q = new Float32Array(768);
    q[767] = 1;
    const vectorOnly = await hybridSearch(store, 'pool', { ...quiet, mode: 'vector', queryVector: q });
    assert.equal(vectorOnly.hits.length, 2, 'vector mode shows every neighbour');
    const hybrid = await hybridSearch(store, 'pool', { ...quiet, queryVector: q });
    assert.deepEqual(
      hybrid.hits.map((h) => h.snippet.replace(/[\u0002\u0003]/g, '')),
      ['postgres connection pool size'],
      'keyword hit kept, unrelated vector-only hit dropped',
    );
    const noFloor = await hybridSearch(store, 'pool', { ...quiet, queryVector: q, minSimilarity: -1 });
    assert.equal(noFloor.hits.length, 2);
    await assert.rejects(hybridSearch(store, 'pool', { ...quiet, queryVector: q, minSimilarity: 2 }), /minSimilarity/);
    await assert.rejects(
      hybridSearch(store, 'pool', { ...quiet, queryVector: q, fusion: 'max' as never }),
      /Unknown fusion/,
    );
    const scored = await hybridSearch(store, 'pool', { ...quiet, queryVector: q, fusion: 'score' });
    assert.equal(scored.hits.length, 1);
  });
});

describe('keyword query inflections', () => {
  it('matches other forms of a word as a stem prefix, only when asked and only for long stems', () => {
    assert.equal(
      buildFtsQuery('parsing files', { mode: 'any', stems: true }),
      '("parsing" OR "pars"*) OR ("files" OR "file"*)',
    );
    assert.equal(buildFtsQuery('parsing files', { mode: 'any' }), '"parsing" OR "files"');
    assert.equal(buildFtsQuery('uses', { stems: true }), '"uses"', 'stem "use" is too short to be a prefix');
    assert.equal(
      buildFtsQuery('getUserById', { stems: true }),
      '("getuserbyid" OR ("get" AND "user" AND "by" AND "id"))',
    );
  });

  it('finds a memory that uses another inflection than the query', async () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    repo.addMany([
      { content: 'The importer parses every row of the spreadsheet', contentType: 'context' },
      { content: 'unrelated note about colours', contentType: 'context' },
    ]);
    const r = await hybridSearch(store, 'parsing rows', { ...quiet, mode: 'keyword' });
    assert.equal(r.hits.length, 1);
    assert.match(r.hits[0].snippet, /parses/);
  });
});
