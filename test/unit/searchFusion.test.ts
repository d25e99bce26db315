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
  const fuse = (over: Partial<Parameters<typeof scoreFusion>[0]> = {}) =>
    scoreFusion({
      keyword: [
        { id: 'a', bm25: 10 },
        { id: 'b', bm25: 5 },
      ],
      keywordScale: 10,
      vector: [
        { id: 'b', similarity: 0.5 },
        { id: 'c', similarity: 0.4 },
      ],
      similarity: new Map([['a', 0.1]]),
      weights: { keyword: 1, vector: 2 },
      rankWeight: 0,
      ...over,
    });

  it('adds BM25 over the query scale and the weighted cosine of every candidate', () => {
    const fused = fuse();
    const score = new Map(fused.map((f) => [f.id, f.score]));
    assert.ok(Math.abs(score.get('a')! - 1.2) < 1e-12); // 10/10 + 2 * 0.1 (looked-up similarity)
    assert.ok(Math.abs(score.get('b')! - 1.5) < 1e-12); // 5/10 + 2 * 0.5
    assert.ok(Math.abs(score.get('c')! - 0.8) < 1e-12); // 2 * 0.4
    assert.deepEqual(
      fused.map((f) => f.id),
      ['b', 'a', 'c'],
    );
    assert.deepEqual(fused[0].ranks, { keyword: 2, vector: 1 });
    assert.deepEqual(fused[1].ranks, { keyword: 1 }, 'a looked-up similarity is not a vector rank');
  });

  it('scales keyword shares by the query, not by the best hit', () => {
    // The same BM25 is a small share of a long query (large scale) and a large share of a short one.
    const long = fuse({ keywordScale: 100 }).map((f) => f.id);
    const short = fuse({ keywordScale: 1 }).map((f) => f.id);
    assert.deepEqual(long, ['b', 'c', 'a'], 'cosine decides when the keywords match little of the query');
    assert.deepEqual(short, ['a', 'b', 'c'], 'BM25 decides when the keywords match all of it');
  });

  it('gives a candidate without a stored vector no vector share, and breaks ties by best rank', () => {
    const fused = fuse({ similarity: new Map(), weights: { keyword: 1, vector: 0 } });
    assert.deepEqual(
      fused.map((f) => [f.id, f.score]),
      [
        ['a', 1],
        ['b', 0.5],
        ['c', 0],
      ],
    );
    const tie = scoreFusion({
      keyword: [{ id: 'y', bm25: 1 }],
      keywordScale: 1,
      vector: [{ id: 'x', similarity: 0.5 }],
      similarity: new Map(),
      weights: { keyword: 1, vector: 2 },
      rankWeight: 0,
    });
    assert.deepEqual(
      tie.map((f) => f.id),
      ['x', 'y'],
      'equal scores, equal best ranks: by id',
    );
  });

  it('adds the rank term for each list a candidate is in', () => {
    const score = new Map(fuse({ rankWeight: 0.5 }).map((f) => [f.id, f.score]));
    const term = (rank: number) => (0.5 * 61) / (60 + rank);
    assert.ok(Math.abs(score.get('a')! - (1.2 + term(1))) < 1e-12, 'keyword rank 1 only');
    assert.ok(Math.abs(score.get('b')! - (1.5 + term(2) + term(1))) < 1e-12, 'in both lists');
    assert.ok(Math.abs(score.get('c')! - (0.8 + term(2))) < 1e-12);
  });

  it('rejects a negative or non-finite weight', () => {
    assert.throws(() => fuse({ weights: { keyword: 1, vector: -1 } }), DevStreamError);
    assert.throws(() => fuse({ weights: { keyword: NaN, vector: 1 } }), DevStreamError);
    assert.throws(() => fuse({ rankWeight: -0.5 }), DevStreamError);
  });
});

describe('fusion defaults per embedding model', () => {
  it('fuses the built-in channels by score and drops weak vector-only hits; other models keep equal RRF', () => {
    assert.deepEqual(fusionDefaults(BUILTIN_MODEL), {
      method: 'score',
      weights: { keyword: 1, vector: 3.5 },
      rankWeight: 0.5,
      minSimilarity: 0.05,
    });
    assert.deepEqual(fusionDefaults('devstream-builtin-v1'), fusionDefaults(BUILTIN_MODEL));
    assert.deepEqual(fusionDefaults('nomic-embed-text'), {
      method: 'rrf',
      weights: { keyword: 1, vector: 1 },
      rankWeight: 0,
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
    const ranked = await hybridSearch(store, 'pool', { ...quiet, queryVector: q, fusion: 'rrf' });
    assert.equal(ranked.hits.length, 1, 'the floor holds for RRF too');
    await assert.rejects(hybridSearch(store, 'pool', { ...quiet, queryVector: q, rankWeight: -1 }), /rankWeight/);
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
