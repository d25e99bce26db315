import type { Store } from '../db/store';
import { getVectorSpace } from '../memory/vectorSpace';
import { BUILTIN_MODEL, BuiltinEmbedder } from './builtin';
import { createEmbedder, type EmbedderChoice, type EmbeddingProvider } from './factory';
import { OllamaEmbedder } from './ollama';

export interface StoreEmbedderOptions {
  /** Asked for explicitly (a flag, a setting); otherwise the index's own model decides. */
  provider?: EmbeddingProvider;
  ollamaUrl?: string;
  ollamaModel?: string;
}

/**
 * The embedder whose vectors fit this database. Vectors of two models are never mixed: once
 * the index holds a model's vectors, that model embeds new memories and queries until the
 * user re-indexes. An explicit choice that does not match is returned with `mismatch` set, so
 * the caller can say "re-index to switch" instead of failing later.
 */
export async function embedderForStore(store: Store, opts: StoreEmbedderOptions = {}): Promise<EmbedderChoice & { mismatch?: string }> {
  const space = getVectorSpace(store);
  if (!opts.provider && space.model) {
    if (space.model === BUILTIN_MODEL) return { embedder: new BuiltinEmbedder(), reason: 'The index holds built-in embeddings.' };
    const ollama = new OllamaEmbedder({ host: opts.ollamaUrl, model: space.model });
    return { embedder: ollama, reason: `The index holds ${space.model} embeddings (Ollama at ${ollama.host}).` };
  }
  const choice = await createEmbedder({ provider: opts.provider ?? 'auto', ollamaUrl: opts.ollamaUrl, ollamaModel: opts.ollamaModel });
  const mismatch = space.model && space.model !== choice.embedder.model
    ? `The index holds ${space.model} vectors but ${choice.embedder.model} was chosen: re-index to switch (nothing is mixed meanwhile).`
    : undefined;
  return { ...choice, mismatch };
}
