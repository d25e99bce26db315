import type { Store } from '../db/store';
import { getVectorSpace, resetVectorSpace } from '../memory/vectorSpace';
import { BUILTIN_DIMENSION, BUILTIN_MODEL, BUILTIN_MODEL_PREFIX, BuiltinEmbedder } from './builtin';
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
export async function embedderForStore(
  store: Store,
  opts: StoreEmbedderOptions = {},
): Promise<EmbedderChoice & { mismatch?: string }> {
  const outdated = await upgradeBuiltinSpace(store, opts);
  if (outdated) return outdated;
  const space = getVectorSpace(store);
  if (!opts.provider && space.model) {
    if (space.model === BUILTIN_MODEL)
      return { embedder: new BuiltinEmbedder(), reason: 'The index holds built-in embeddings.' };
    const ollama = new OllamaEmbedder({ host: opts.ollamaUrl, model: space.model });
    return { embedder: ollama, reason: `The index holds ${space.model} embeddings (Ollama at ${ollama.host}).` };
  }
  const choice = await createEmbedder({
    provider: opts.provider ?? 'auto',
    ollamaUrl: opts.ollamaUrl,
    ollamaModel: opts.ollamaModel,
  });
  const mismatch =
    space.model && space.model !== choice.embedder.model
      ? `The index holds ${space.model} vectors but ${choice.embedder.model} was chosen: re-index to switch (nothing is mixed meanwhile).`
      : undefined;
  return { ...choice, mismatch };
}

/**
 * An index of an older built-in embedder's vectors (devstream-builtin-v1...) cannot be searched
 * with today's built-in vectors, and that embedder is gone: the space is reset to the current
 * built-in model, which clears those vectors so the queue re-embeds every memory (keyword search
 * is unaffected meanwhile). Only when the built-in embedder is what would run anyway.
 */
async function upgradeBuiltinSpace(
  store: Store,
  opts: StoreEmbedderOptions,
): Promise<(EmbedderChoice & { mismatch?: string }) | undefined> {
  const { model } = getVectorSpace(store);
  if (!model?.startsWith(BUILTIN_MODEL_PREFIX) || model === BUILTIN_MODEL) return undefined;
  if (opts.provider && opts.provider !== 'builtin') return undefined;
  const embedder = new BuiltinEmbedder();
  try {
    const cleared = resetVectorSpace(store, {
      dimension: BUILTIN_DIMENSION,
      model: BUILTIN_MODEL,
      provider: embedder.id,
    });
    const reason = `The index held ${model} vectors; ${cleared} memories are being re-embedded with ${BUILTIN_MODEL}.`;
    return { embedder, reason };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const mismatch = `The index holds ${model} vectors and could not be switched to ${BUILTIN_MODEL} (${why}): re-index embeddings.`;
    return { embedder, reason: 'The index holds older built-in embeddings.', mismatch };
  }
}
