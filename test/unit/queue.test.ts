import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/core/db/store';
import { BuiltinEmbedder } from '../../src/core/embeddings/builtin';
import { EmbeddingQueue, type QueueClock, type QueueProgress } from '../../src/core/embeddings/queue';
import type { EmbedPurpose, Embedder } from '../../src/core/embeddings/types';
import { DevStreamError } from '../../src/core/errors';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { getVectorSpace } from '../../src/core/memory/vectorSpace';
import { hybridSearch } from '../../src/core/search/hybridSearch';
import { assertIndexInSync } from '../helpers/invariants';
import { randomUnitVector, seededRandom } from '../helpers/random';
import { openTempStore } from '../helpers/tmp';

/** Timers that fire only when the test says so. */
class FakeClock implements QueueClock {
  readonly delays: number[] = [];
  private pending = new Map<number, () => void>();
  private next = 0;
  setTimeout(fn: () => void, ms: number): unknown {
    this.delays.push(ms);
    this.pending.set(++this.next, fn);
    return this.next;
  }
  clearTimeout(h: unknown): void {
    this.pending.delete(h as number);
  }
  get scheduled(): number {
    return this.pending.size;
  }
  fireAll(): void {
    const fns = [...this.pending.values()];
    this.pending.clear();
    for (const f of fns) f();
  }
}

/** The built-in embedder behind a switch: down = throws like an unreachable Ollama; gate = hold calls. */
class SwitchableEmbedder implements Embedder {
  readonly id = 'builtin' as const;
  readonly dimension = 768;
  readonly model: string;
  up = true;
  calls = 0;
  gate: Promise<void> | null = null;
  refuse?: (text: string) => boolean;
  private readonly inner = new BuiltinEmbedder();
  constructor(model?: string) {
    this.model = model ?? this.inner.model;
  }
  async embed(texts: string[], purpose: EmbedPurpose, signal?: AbortSignal): Promise<Float32Array[]> {
    this.calls++;
    if (this.gate) await this.gate;
    signal?.throwIfAborted();
    if (!this.up) throw new DevStreamError('Ollama is not running at http://127.0.0.1:11434.', 'unavailable');
    if (this.refuse && texts.some(this.refuse))
      throw new DevStreamError('Ollama rejected the request (HTTP 400): input too long', 'invalid');
    return this.inner.embed(texts, purpose);
  }
  async probe() {
    return { ok: true as const };
  }
}

/** Lets the queue's promises run until `done()` holds (bounded: a hang fails the test). */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !done(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(done(), `timed out waiting for: ${what}`);
}

const pendingCount = (store: Store) =>
  store.db.prepare(`SELECT count(*) FROM semantic_memory WHERE embedding IS NULL`).pluck().get() as number;
const quiet = { recordAccess: false, recordMetrics: false };

describe('embedding queue', () => {
  it('keeps a new memory keyword-searchable while the provider is down, and vector-searchable once it is back', async () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const { id } = repo.add({
      content: 'Webhook retries use exponential backoff with jitter',
      contentType: 'decision',
    });
    assert.deepEqual(
      (await hybridSearch(store, 'webhook backoff', { mode: 'keyword', ...quiet })).hits.map((h) => h.id),
      [id],
    );

    const clock = new FakeClock();
    const embedder = new SwitchableEmbedder();
    embedder.up = false;
    const queue = new EmbeddingQueue(store, embedder, { clock, minBackoffMs: 1000, maxBackoffMs: 4000 });
    const states: QueueProgress[] = [];
    queue.onProgress((p) => states.push(p));
    queue.start();
    for (let i = 0; i < 5; i++) {
      await until(() => clock.scheduled === 1, 'a back-off wait');
      const calls = embedder.calls;
      for (let j = 0; j < 50; j++) await new Promise((r) => setImmediate(r));
      assert.equal(embedder.calls, calls, 'no retry before the wait is over (never spins)');
      clock.fireAll();
    }
    assert.deepEqual(clock.delays, [1000, 2000, 4000, 4000, 4000], 'exponential, bounded');
    assert.match(states.find((p) => p.state === 'waiting')!.lastError!, /not running/);

    const vectorOnly = { embedder: new BuiltinEmbedder(), mode: 'vector' as const, ...quiet };
    assert.deepEqual((await hybridSearch(store, 'retrying failed deliveries', vectorOnly)).hits, [], 'no vector yet');
    assert.equal(pendingCount(store), 1, 'still pending: nothing lost');

    await until(() => clock.scheduled === 1, 'the next wait');
    embedder.up = true;
    clock.fireAll();
    await until(() => queue.progress.state === 'idle', 'the queue to finish');
    assert.deepEqual(
      { done: queue.progress.done, total: queue.progress.total, lastError: queue.progress.lastError },
      { done: 1, total: 1, lastError: undefined },
    );
    assert.equal(pendingCount(store), 0);
    assert.deepEqual(
      (await hybridSearch(store, 'webhook retries', vectorOnly)).hits.map((h) => h.id),
      [id],
    );
    assertIndexInSync(store);
    const metric = store.db
      .prepare(
        `SELECT entity_id, metric_unit, json_extract(context, '$.batch') AS batch FROM performance_metrics WHERE metric_type = 'embedding_time'`,
      )
      .all();
    assert.deepEqual(
      metric,
      [{ entity_id: id, metric_unit: 'ms', batch: 1 }],
      'embedding time recorded once, for the successful batch',
    );
  });

  it("does not store the old text's vector for a memory edited while it was being embedded", async () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const { id } = repo.add({ content: 'old text about caching', contentType: 'context' });
    const embedder = new SwitchableEmbedder();
    let release!: () => void;
    embedder.gate = new Promise((r) => {
      release = r;
    });
    const queue = new EmbeddingQueue(store, embedder, { clock: new FakeClock() });
    const drained = queue.drain();
    await until(() => embedder.calls === 1, 'the embed call');
    repo.update(id, { content: 'new text about parsing' });
    embedder.gate = null;
    release();
    await drained;
    const stored = store.db.prepare(`SELECT embedding FROM semantic_memory WHERE id = ?`).pluck().get(id) as Buffer;
    const [expected] = await new BuiltinEmbedder().embed(['new text about parsing'], 'document');
    assert.deepEqual(
      new Float32Array(stored.buffer.slice(stored.byteOffset, stored.byteOffset + stored.byteLength)),
      expected,
      "the new text's vector",
    );
    assert.equal(embedder.calls, 2, 'embedded again with the new text');
  });

  it('loses nothing when stopped mid-queue: another queue (a restart) continues', async () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    repo.addMany(
      Array.from({ length: 50 }, (_, i) => ({
        content: `note ${i} about topic ${i % 7}`,
        contentType: 'context' as const,
      })),
    );
    const embedder = new SwitchableEmbedder();
    const first = new EmbeddingQueue(store, embedder, { batchSize: 10, clock: new FakeClock() });
    const seen: number[] = [];
    first.onProgress((p) => {
      seen.push(p.done);
      if (p.done >= 20) void first.stop();
    });
    await first.drain();
    assert.equal(first.progress.state, 'stopped');
    assert.equal(first.progress.total, 50);
    assert.equal(pendingCount(store), 50 - first.progress.done);
    assert.ok(first.progress.done >= 20 && first.progress.done < 50);

    const second = new EmbeddingQueue(store, embedder, { batchSize: 10, clock: new FakeClock() });
    const p = await second.drain();
    assert.equal(p.state, 'idle');
    assert.equal(p.done + first.progress.done, 50);
    assert.equal(pendingCount(store), 0);
    assertIndexInSync(store);
  });

  it('re-indexes to another model with progress; cancelled, the old vectors stay; run again, it resumes', async () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const rnd = seededRandom(4);
    repo.addMany(
      Array.from({ length: 30 }, (_, i) => ({
        content: `memory ${i}`,
        contentType: 'code' as const,
        embedding: { vector: randomUnitVector(rnd), model: 'old-model', provider: 'ollama' },
      })),
    );
    const embedder = new SwitchableEmbedder();
    const queue = new EmbeddingQueue(store, embedder, { batchSize: 8, clock: new FakeClock() });
    const progress: QueueProgress[] = [];
    const sub = queue.onProgress((p) => {
      progress.push(p);
      if (p.done >= 8) void queue.stop();
    });
    const cancelled = await queue.reindex();
    sub.dispose();
    assert.equal(cancelled.state, 'stopped');
    assert.equal(getVectorSpace(store).model, 'old-model', 'the index still belongs to the old model');
    assert.equal(
      store.db.prepare(`SELECT count(*) FROM semantic_memory WHERE embedding_model = 'old-model'`).pluck().get(),
      30,
    );
    assert.equal(pendingCount(store), 0, 'no vector was taken away');
    assert.equal(cancelled.total, 30);
    assert.ok(
      progress.some((p) => p.state === 'running' && p.done === 8 && p.total === 30),
      'done/total progress',
    );
    assertIndexInSync(store);

    const callsBefore = embedder.calls;
    const resumed = await new EmbeddingQueue(store, embedder, { batchSize: 8, clock: new FakeClock() }).reindex();
    assert.equal(resumed.state, 'idle');
    assert.equal(resumed.total, 30 - cancelled.done, 'what the cancelled run staged is kept');
    assert.equal(embedder.calls - callsBefore, Math.ceil((30 - cancelled.done) / 8));
    assert.equal(getVectorSpace(store).model, embedder.model);
    assert.equal(pendingCount(store), 0);
    assert.equal(
      store.db.prepare(`SELECT count(*) FROM semantic_memory WHERE embedding_model = ?`).pluck().get(embedder.model),
      30,
    );
    assertIndexInSync(store);
  });

  it('re-index: a memory edited while staged is embedded again with its new text', async () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const rnd = seededRandom(5);
    const ids = repo.addMany(
      Array.from({ length: 12 }, (_, i) => ({
        content: `memory ${i}`,
        contentType: 'code' as const,
        embedding: { vector: randomUnitVector(rnd), model: 'old-model', provider: 'ollama' },
      })),
    );
    const embedder = new SwitchableEmbedder();
    const queue = new EmbeddingQueue(store, embedder, { batchSize: 4, clock: new FakeClock() });
    let edited = false;
    queue.onProgress((p) => {
      if (p.done >= 4 && !edited) {
        edited = true;
        repo.update(ids[0], { content: 'memory 0, edited while staged' });
      }
    });
    const p = await queue.reindex();
    assert.equal(p.state, 'idle');
    assert.ok(edited);
    const row = store.db.prepare(`SELECT embedding_model, embedding FROM semantic_memory WHERE id = ?`).get(ids[0]) as {
      embedding_model: string;
      embedding: Buffer;
    };
    assert.equal(row.embedding_model, embedder.model);
    const [expected] = await new BuiltinEmbedder().embed(['memory 0, edited while staged'], 'document');
    assert.deepEqual(
      new Float32Array(row.embedding.buffer, row.embedding.byteOffset, 768),
      expected,
      'the vector of the new text',
    );
    assertIndexInSync(store);
  });

  it('re-index refuses an embedder that does not answer its probe, changing nothing', async () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    repo.add({
      content: 'kept',
      contentType: 'code',
      embedding: { vector: randomUnitVector(seededRandom(6)), model: 'old-model', provider: 'ollama' },
    });
    const embedder = new SwitchableEmbedder();
    embedder.probe = async () => ({ ok: false, reason: 'Ollama is not running at http://127.0.0.1:9.' }) as never;
    await assert.rejects(
      new EmbeddingQueue(store, embedder, { clock: new FakeClock() }).reindex(),
      (e: DevStreamError) => e.code === 'unavailable' && /Nothing was changed/.test(e.message),
    );
    assert.equal(embedder.calls, 0);
    assert.equal(getVectorSpace(store).model, 'old-model');
    assert.equal(pendingCount(store), 0);
  });

  it('skips a memory the provider refuses as invalid without holding up the others', async () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    repo.addMany(
      ['alpha', 'POISON beta', 'gamma', 'delta'].map((content) => ({ content, contentType: 'context' as const })),
    );
    const embedder = new SwitchableEmbedder();
    embedder.refuse = (t) => t.includes('POISON');
    const p = await new EmbeddingQueue(store, embedder, { clock: new FakeClock() }).drain();
    assert.equal(p.state, 'idle');
    assert.equal(p.done, 3);
    assert.equal(p.failed, 1);
    assert.match(p.lastError!, /rejected/);
    assert.deepEqual(
      store.db.prepare(`SELECT content FROM semantic_memory WHERE embedding IS NULL`).pluck().all(),
      ['POISON beta'],
      'left pending for a later run',
    );
  });

  it('is blocked, without calling the provider, when the index holds another model', async () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    repo.add({
      content: 'embedded by another model',
      contentType: 'code',
      embedding: { vector: randomUnitVector(seededRandom(1)), model: 'nomic-embed-text', provider: 'ollama' },
    });
    repo.add({ content: 'waiting', contentType: 'code' });
    const embedder = new SwitchableEmbedder();
    const p = await new EmbeddingQueue(store, embedder, { clock: new FakeClock() }).drain();
    assert.equal(p.state, 'blocked');
    assert.match(p.lastError!, /Re-index/);
    assert.equal(embedder.calls, 0);
  });
});
