import type { Store } from '../db/store';
import type { Embedder } from '../embeddings/types';
import { getVectorSpace } from '../memory/vectorSpace';
import type { EmbeddingValue } from '../memory/types';

/**
 * The vector for a memory an agent saves, so vector search finds it in this session rather
 * than after some embedding queue runs. None (and the memory waits for the queue, still found
 * by keywords) when the embedder belongs to another vector space or fails.
 */
export async function embeddingFor(
  store: Store,
  embedder: Embedder | undefined,
  content: string,
  log?: (m: string) => void,
): Promise<EmbeddingValue | undefined> {
  if (!embedder || !store.vectorsEnabled) return undefined;
  const space = getVectorSpace(store);
  if (embedder.dimension !== space.dimension || (space.model !== null && space.model !== embedder.model))
    return undefined;
  try {
    const [vector] = await embedder.embed([content], 'document');
    return vector ? { vector, model: embedder.model, provider: embedder.id } : undefined;
  } catch (e) {
    log?.(`could not embed the memory (${(e as Error).message}); it is saved without a vector`);
    return undefined;
  }
}
