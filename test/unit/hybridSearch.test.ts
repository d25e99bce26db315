import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openStore, type OpenedStore } from '../../src/core/db/open';
import { BuiltinEmbedder } from '../../src/core/embeddings/builtin';
import type { EmbedPurpose, Embedder } from '../../src/core/embeddings/types';
import { DevStreamError } from '../../src/core/errors';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { CONTENT_TYPES } from '../../src/core/memory/types';
import { hybridSearch } from '../../src/core/search/hybridSearch';
import { assertIndexInSync } from '../helpers/invariants';
import { QUERY_ATOMS } from '../helpers/queryAtoms';
import { randomUnitVector, seededRandom } from '../helpers/random';
import { openTempStore, tempDir } from '../helpers/tmp';

/** Vectors chosen by the test: texts it knows map to fixed vectors, anything else to `fallback`. */
class TableEmbedder implements Embedder {
  readonly id = 'builtin' as const;
  readonly dimension = 768;
  calls = 0;
  constructor(
    readonly model: string,
    private readonly table: Map<string, Float32Array>,
    private readonly fallback: Float32Array,
  ) {}
  async embed(texts: string[], _p: EmbedPurpose, signal?: AbortSignal): Promise<Float32Array[]> {
    signal?.throwIfAborted();
    this.calls++;
    return texts.map((t) => this.table.get(t) ?? this.fallback);
  }
  async probe() {
    return { ok: true as const };
  }
}

class DownEmbedder extends TableEmbedder {
  override async embed(): Promise<Float32Array[]> {
    throw new DevStreamError('Ollama is not running at http://127.0.0.1:11434.', 'unavailable');
  }
}

const rnd = seededRandom(77);
const QUERY = randomUnitVector(rnd);
const FAR = Float32Array.from(QUERY, (x) => -x);

/** kw: matches "zebra" but has no vector yet; vec: no shared word, vector = the query's; both: both. */
function fixture(): {
  store: OpenedStore;
  repo: MemoryRepository;
  ids: Record<'kw' | 'vec' | 'both' | 'other', string>;
  embedder: TableEmbedder;
} {
  const store = openTempStore();
  const repo = new MemoryRepository(store);
  const model = { model: 'table-v1', provider: 'builtin' };
  const near = Float32Array.from(QUERY, (x, i) => x + (i % 3 === 0 ? 0.02 : 0));
  const ids = {
    kw: repo.add({ content: 'The zebra crossing handler retries twice', contentType: 'code' }).id,
    vec: repo.add({
      content: 'Pedestrian walkway controller backs off',
      contentType: 'decision',
      embedding: { vector: QUERY, ...model },
    }).id,
    both: repo.add({ content: 'zebra stripes renderer', contentType: 'code', embedding: { vector: near, ...model } })
      .id,
    other: repo.add({
      content: 'database migration notes',
      contentType: 'learning',
      embedding: { vector: FAR, ...model },
    }).id,
  };
  return { store, repo, ids, embedder: new TableEmbedder('table-v1', new Map([['zebra', QUERY]]), FAR) };
}

const quiet = { recordAccess: false, recordMetrics: false };

describe('hybrid search', () => {
  it('fuses both channels and keeps hits that only one channel found', async () => {
    const { store, ids, embedder } = fixture();
    const r = await hybridSearch(store, 'zebra', { embedder, ...quiet });
    assert.equal(r.degraded, undefined);
    assert.ok(r.channels.keyword.ran && r.channels.vector.ran);
    const byId = new Map(r.hits.map((h) => [h.id, h]));
    assert.equal(r.hits[0].id, ids.both, 'found by both channels: first');
    assert.ok(byId.get(ids.kw)?.keywordRank && byId.get(ids.kw)?.vectorRank === undefined, 'keyword-only hit kept');
    assert.ok(byId.get(ids.vec)?.vectorRank && byId.get(ids.vec)?.keywordRank === undefined, 'vector-only hit kept');
    assert.ok(byId.get(ids.vec)!.distance! < 1e-6);
    assert.equal(byId.get(ids.both)!.score, 1 / 61 + 1 / 62, 'RRF score: keyword rank 1 + vector rank 2');
    assert.match(byId.get(ids.both)!.snippet, /\u0002zebra\u0003/);
    const sorted = [...r.hits].sort((a, b) => b.score - a.score);
    assert.deepEqual(
      r.hits.map((h) => h.id),
      sorted.map((h) => h.id),
    );
    assert.deepEqual((await hybridSearch(store, 'zebra', { embedder, ...quiet })).hits, r.hits, 'deterministic');
  });

  it('weights and k change the fusion', async () => {
    const { store, ids, embedder } = fixture();
    const vectorHeavy = await hybridSearch(store, 'zebra', { embedder, weights: { keyword: 0, vector: 1 }, ...quiet });
    assert.equal(vectorHeavy.hits[0].id, ids.vec);
    const r = await hybridSearch(store, 'zebra', { embedder, rrfK: 0, ...quiet });
    assert.equal(r.hits.find((h) => h.id === ids.kw)!.score, 1 / 2, 'k = 0: keyword rank 2 scores 1/2');
    await assert.rejects(hybridSearch(store, 'zebra', { embedder, rrfK: -5 }), DevStreamError);
  });

  it('scores by the channel in single-channel modes', async () => {
    const { store, ids, embedder } = fixture();
    const kw = await hybridSearch(store, 'zebra', { embedder, mode: 'keyword', ...quiet });
    assert.deepEqual(new Set(kw.hits.map((h) => h.id)), new Set([ids.kw, ids.both]));
    assert.equal(embedder.calls, 0, 'keyword mode never embeds');
    assert.ok(kw.hits.every((h) => h.vectorRank === undefined && h.score > 0));
    const vec = await hybridSearch(store, 'zebra', { embedder, mode: 'vector', ...quiet });
    assert.deepEqual(
      vec.hits.map((h) => h.id),
      [ids.vec, ids.both, ids.other],
    );
    assert.ok(Math.abs(vec.hits[0].score - 1) < 1e-6, 'vector mode: cosine similarity');
    assert.match(vec.hits[1].snippet, /\u0002zebra\u0003/, 'vector hits are highlighted too');
  });

  it('degrades to keyword search, and says so, when the embedder fails or does not fit the index', async () => {
    const { store, ids } = fixture();
    const down = new DownEmbedder('table-v1', new Map(), FAR);
    const r = await hybridSearch(store, 'zebra', { embedder: down, ...quiet });
    assert.deepEqual(new Set(r.hits.map((h) => h.id)), new Set([ids.kw, ids.both]));
    assert.match(r.degraded!, /Keyword results only: .*Ollama is not running/);
    assert.equal(r.channels.vector.ran, false);
    assert.match(r.channels.vector.error!, /Ollama is not running/);
    const vecOnly = await hybridSearch(store, 'zebra', { embedder: down, mode: 'vector', ...quiet });
    assert.deepEqual(vecOnly.hits, []);
    assert.match(vecOnly.degraded!, /No vector results/);

    const otherModel = new TableEmbedder('another-model', new Map(), QUERY);
    const mismatch = await hybridSearch(store, 'zebra', { embedder: otherModel, ...quiet });
    assert.equal(otherModel.calls, 0);
    assert.match(mismatch.degraded!, /re-index/);
    assert.equal(mismatch.hits.length, 2);
    const none = await hybridSearch(store, 'zebra', quiet);
    assert.match(none.degraded!, /no embedding provider/);
  });

  it('works keyword-only on a database opened without sqlite-vec', async () => {
    const file = path.join(tempDir(), 'kw.db');
    const { id } = new MemoryRepository(openStore(file)).add({ content: 'zebra notes', contentType: 'context' });
    const store = openStore(file, { withoutVectors: true });
    try {
      const r = await hybridSearch(store, 'zebra', { embedder: new BuiltinEmbedder(), ...quiet });
      assert.deepEqual(
        r.hits.map((h) => h.id),
        [id],
      );
      assert.match(r.degraded!, /sqlite-vec/);
    } finally {
      store.close();
    }
  });

  it('counts returned hits as accessed and records its latency, without rewriting any index row', async () => {
    const { store, ids, embedder, repo } = fixture();
    const changelog = () => store.db.prepare(`SELECT count(*) FROM vec_changelog`).pluck().get() as number;
    const before = changelog();
    const r = await hybridSearch(store, 'zebra', { embedder, limit: 2 });
    assert.equal(r.hits.length, 2);
    for (const h of r.hits) {
      assert.equal(repo.get(h.id)!.accessCount, 1);
      assert.ok(repo.get(h.id)!.lastAccessedAt);
    }
    const notReturned = Object.values(ids).filter((id) => !r.hits.some((h) => h.id === id));
    for (const id of notReturned) assert.equal(repo.get(id)!.accessCount, 0);
    const metric = store.db.prepare(`SELECT * FROM performance_metrics WHERE metric_type = 'search_latency'`).all() as {
      entity_type: string;
      entity_id: string;
      metric_unit: string;
      metric_value: number;
      context: string;
    }[];
    assert.equal(metric.length, 1);
    assert.equal(metric[0].entity_type, 'memory');
    assert.equal(metric[0].metric_unit, 'ms');
    assert.ok(metric[0].metric_value >= 0);
    assert.deepEqual(JSON.parse(metric[0].context).mode, 'hybrid');
    assert.equal(JSON.parse(metric[0].context).hits, 2);
    assert.equal(changelog(), before, 'access tracking logs no vector change');
    assertIndexInSync(store);

    await hybridSearch(store, 'zebra', { embedder, ...quiet });
    assert.equal(repo.get(r.hits[0].id)!.accessCount, 1, 'recordAccess: false writes nothing');
    assert.equal(store.db.prepare(`SELECT count(*) FROM performance_metrics`).pluck().get(), 1);
  });

  it('applies filters to both channels', async () => {
    const { store, ids, embedder } = fixture();
    const r = await hybridSearch(store, 'zebra', { embedder, filters: { contentType: 'decision' }, ...quiet });
    assert.deepEqual(
      r.hits.map((h) => h.id),
      [ids.vec],
    );
  });

  it('stops on an aborted signal', async () => {
    const { store, embedder } = fixture();
    const ac = new AbortController();
    ac.abort(new Error('user typed again'));
    await assert.rejects(hybridSearch(store, 'zebra', { embedder, signal: ac.signal, ...quiet }), /user typed again/);
  });

  it('never throws on hostile query strings (fuzz, fixed seed, every mode)', async () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const embedder = new BuiltinEmbedder();
    const texts = [
      'export function getUserById(id) {}',
      'Decision: retry webhooks "with" backoff',
      'naïve café — 中文 notes',
      'SELECT * FROM t; -- drop',
    ];
    const vectors = await embedder.embed(texts, 'document');
    texts.forEach((content, i) =>
      repo.add({
        content,
        contentType: CONTENT_TYPES[i],
        embedding: { vector: vectors[i], model: embedder.model, provider: embedder.id },
      }),
    );
    const r = seededRandom(2025);
    // The keyword test's atoms plus what the vector channel and fusion might trip on.
    const atoms = [...QUERY_ATOMS, 'vec_f32(', 'k = 5', 'MATCH', 'the', '\u0002', '\u0003'];
    const modes = ['hybrid', 'keyword', 'vector'] as const;
    for (let i = 0; i < 300; i++) {
      const q = Array.from({ length: 1 + Math.floor(r() * 6) }, () => atoms[Math.floor(r() * atoms.length)]).join(
        r() < 0.5 ? '' : ' ',
      );
      const res = await hybridSearch(store, q, {
        embedder,
        mode: modes[i % 3],
        limit: 1 + Math.floor(r() * 30),
        prefixLast: r() < 0.3,
        filters:
          r() < 0.2
            ? {
                contentType: CONTENT_TYPES[Math.floor(r() * CONTENT_TYPES.length)],
                filePrefix: atoms[i % atoms.length],
              }
            : undefined,
        ...quiet,
      });
      assert.ok(Array.isArray(res.hits), JSON.stringify(q));
      for (const h of res.hits) assert.ok(Number.isFinite(h.score));
    }
    assert.deepEqual((await hybridSearch(store, '   ', { embedder, ...quiet })).hits, []);
  });
});
