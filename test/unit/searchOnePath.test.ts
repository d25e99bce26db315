// The Search view's worker and the agents' search tool rank exactly like core hybridSearch with
// the index's fusion defaults: one search path, whichever front-end asks.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { notePairs } from '../../bench/qualityNotes';
import { hybridSearchFn } from '../../src/core/agents/tools';
import { BuiltinEmbedder } from '../../src/core/embeddings/builtin';
import { EmbeddingQueue } from '../../src/core/embeddings/queue';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { hybridSearch } from '../../src/core/search/hybridSearch';
import { SearchClient } from '../../src/host/search/searchClient';
import { openTempStore } from '../helpers/tmp';

const WORKER = path.join(__dirname, '../../src/host/search/searchWorker.js');
// Paraphrased queries over developer notes: keyword and vector disagree often, so the weights matter.
const NOTES = notePairs('test');

describe('one search path', () => {
  const store = openTempStore();
  const repo = new MemoryRepository(store);
  for (const d of NOTES.docs) repo.add({ content: d.text, contentType: d.type });
  const embedder = new BuiltinEmbedder();
  const client = new SearchClient(WORKER, () => {});
  after(() => client.dispose());

  it('ranks alike in core, the Search view worker (no weights set) and the agent tool', async () => {
    await new EmbeddingQueue(store, embedder).drain();
    client.configure({ dbPath: store.path, embedder: { provider: 'builtin' } });
    let defaultsMattered = 0;
    for (const { text: query } of NOTES.queries) {
      const quiet = { embedder, limit: 5, recordAccess: false, recordMetrics: false };
      const core = await hybridSearch(store, query, quiet);
      // Other fusion settings than the built-in model's defaults (RRF 1 : 1, similarity floor 0.05).
      const other = await hybridSearch(store, query, {
        ...quiet,
        weights: { keyword: 1, vector: 3 },
        minSimilarity: 0,
      });
      if (other.hits.map((h) => h.id).join() !== core.hits.map((h) => h.id).join()) defaultsMattered++;
      assert.ok(core.channels.vector.ran, query);
      const view = await client.search(query, { limit: 5, rrfK: 60, weights: {}, filters: {}, prefixLast: false });
      const agent = await hybridSearchFn(store, embedder)(query, { limit: 5 });
      const ids = core.hits.map((h) => h.id);
      assert.deepEqual(
        view.result.hits.map((h) => h.id),
        ids,
        `view: ${query}`,
      );
      assert.deepEqual(
        agent.hits.map((h) => h.id),
        ids,
        `agent tool: ${query}`,
      );
    }
    // Otherwise this test could not tell the model's defaults from other settings hard-coded in a front-end.
    assert.ok(
      defaultsMattered >= 3,
      `other fusion settings changed ${defaultsMattered} of ${NOTES.queries.length} rankings`,
    );
  });
});
