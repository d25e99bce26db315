import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_MODEL, BuiltinEmbedder } from '../../src/core/embeddings/builtin';
import { embedderForStore } from '../../src/core/embeddings/forStore';
import { EmbeddingQueue } from '../../src/core/embeddings/queue';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { getVectorSpace } from '../../src/core/memory/vectorSpace';
import { hybridSearch } from '../../src/core/search/hybridSearch';
import { openTempStore } from '../helpers/tmp';

const OLD_MODEL = 'devstream-builtin-v1';

/** A store as the previous built-in embedder left it: every memory has a v1 vector. */
function storeWithOldVectors() {
  const store = openTempStore();
  const repo = new MemoryRepository(store);
  const old = (seed: number) => {
    const v = new Float32Array(768);
    v[seed % 768] = 1;
    return { vector: v, model: OLD_MODEL, provider: 'builtin' };
  };
  repo.addMany([
    { content: 'Retry failed HTTP requests with exponential backoff', contentType: 'learning', embedding: old(1) },
    { content: 'The staging cluster is torn down every night', contentType: 'context', embedding: old(2) },
  ]);
  return { store, repo };
}

describe('an index of an older built-in model', () => {
  it('is switched to the current built-in model and re-embedded, never mixed', async () => {
    const { store, repo } = storeWithOldVectors();
    assert.equal(getVectorSpace(store).model, OLD_MODEL);

    const choice = await embedderForStore(store);
    assert.equal(choice.embedder.model, BUILTIN_MODEL);
    assert.equal(choice.mismatch, undefined);
    assert.match(choice.reason, /held devstream-builtin-v1 vectors; 2 memories are being re-embedded/);
    assert.equal(getVectorSpace(store).model, BUILTIN_MODEL);
    assert.equal(repo.pendingEmbedding(10).length, 2, 'old vectors cleared, both memories pending');

    const queue = new EmbeddingQueue(store, choice.embedder);
    const done = await queue.drain();
    assert.equal(done.state, 'idle');
    assert.equal(repo.pendingEmbedding(10).length, 0);
    const models = store.db.prepare(`SELECT DISTINCT embedding_model FROM semantic_memory`).pluck().all();
    assert.deepEqual(models, [BUILTIN_MODEL]);

    const r = await hybridSearch(store, 'backoff for failing requests', {
      embedder: choice.embedder,
      mode: 'vector',
      recordAccess: false,
      recordMetrics: false,
    });
    assert.ok(r.channels.vector.ran, r.degraded);
    assert.match(r.hits[0].snippet, /Retry failed HTTP/);
  });

  it('keeps asking for a re-index when another provider is chosen explicitly', async () => {
    const { store } = storeWithOldVectors();
    const choice = await embedderForStore(store, { provider: 'ollama', ollamaUrl: 'http://127.0.0.1:9' });
    assert.equal(getVectorSpace(store).model, OLD_MODEL, 'nothing reset for an explicit other provider');
    assert.match(choice.mismatch ?? '', /re-index/);
  });

  it('leaves an index of the current model alone', async () => {
    const store = openTempStore();
    const embedder = new BuiltinEmbedder();
    const [vector] = await embedder.embed(['a note about caching'], 'document');
    new MemoryRepository(store).addMany([
      {
        content: 'a note about caching',
        contentType: 'context',
        embedding: { vector, model: embedder.model, provider: embedder.id },
      },
    ]);
    const choice = await embedderForStore(store);
    assert.equal(choice.reason, 'The index holds built-in embeddings.');
    assert.equal(new MemoryRepository(store).pendingEmbedding(10).length, 0);
  });
});
