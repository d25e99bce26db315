import assert from 'node:assert/strict';
import { it } from 'node:test';
import { BuiltinEmbedder } from '../../src/core/embeddings';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { HISTORY_LIMIT, reviseMemory } from '../../src/core/memory/revise';
import { openTempStore } from '../helpers/tmp';

const store = openTempStore();
const memories = new MemoryRepository(store);

it('keeps replaced versions in metadata.history, at most HISTORY_LIMIT, oldest dropped', () => {
  const m = memories.add({ content: 'v0', contentType: 'decision', metadata: { origin: 'kept' } });
  for (let i = 1; i <= HISTORY_LIMIT + 2; i++) reviseMemory(store, m.id, { content: `v${i}`, by: 'test:unit' });
  const after = memories.require(m.id);
  const history = after.metadata.history as { content: string; replaced_by: string }[];
  assert.equal(after.content, `v${HISTORY_LIMIT + 2}`);
  assert.equal(history.length, HISTORY_LIMIT);
  assert.equal(history[0].content, 'v2', 'the two oldest versions were dropped');
  assert.equal(history.at(-1)!.content, `v${HISTORY_LIMIT + 1}`);
  assert.equal(history[0].replaced_by, 'test:unit');
  assert.equal(after.metadata.origin, 'kept', 'other metadata survives');
});

it('changes nothing (no history entry) when nothing differs', () => {
  const m = memories.add({ content: 'same', contentType: 'learning', keywords: ['a'] });
  const r = reviseMemory(store, m.id, { content: 'same', keywords: ['a'], by: 'test:unit' });
  assert.equal(r.changed, false);
  assert.equal(memories.require(m.id).metadata.history, undefined);
});

it('stores the new content with its new vector, or without one for the queue', async () => {
  const embedder = new BuiltinEmbedder();
  const [vector] = await embedder.embed(['old text'], 'document');
  const m = memories.add({
    content: 'old text',
    contentType: 'context',
    embedding: { vector, model: embedder.model, provider: embedder.id },
  });
  const [next] = await embedder.embed(['new text'], 'document');
  const r = reviseMemory(store, m.id, {
    content: 'new text',
    by: 'x',
    embedding: { vector: next, model: embedder.model, provider: embedder.id },
  });
  assert.equal(r.memory.hasEmbedding, true);
  assert.equal(
    reviseMemory(store, m.id, { content: 'newer text', by: 'x' }).memory.hasEmbedding,
    false,
    'the old vector is not kept',
  );
  assert.throws(() => reviseMemory(store, 'nope', { content: 'x', by: 'x' }), /No memory with id nope/);
});
