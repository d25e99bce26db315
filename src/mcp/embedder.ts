import type { Store } from '../core/db/store';
import { DevStreamError } from '../core/errors';
import { createEmbedder, type Embedder } from '../core/embeddings';
import { getVectorSpace } from '../core/memory/vectorSpace';

export const EMBEDDER_CHOICES = ['builtin', 'ollama', 'auto', 'none'] as const;
export type EmbedderPreference = (typeof EMBEDDER_CHOICES)[number];

/**
 * The embedder for search queries and saved memories. Without a preference: the model the
 * index already holds when it is an Ollama one, else the offline built-in embedder. A choice
 * that does not match the index is reported: search then runs on keywords alone, which works.
 */
export async function chooseEmbedder(store: Store, preference: EmbedderPreference | undefined, log: (m: string) => void): Promise<Embedder | undefined> {
  if (preference !== undefined && !EMBEDDER_CHOICES.includes(preference)) {
    throw new DevStreamError(`Unknown embedder '${String(preference)}'; use one of: ${EMBEDDER_CHOICES.join(', ')}.`);
  }
  if (preference === 'none') return undefined;
  const space = getVectorSpace(store);
  const heldByOllama = space.provider === 'ollama' && space.model !== null;
  const provider = preference ?? (heldByOllama ? 'ollama' : 'builtin');
  const { embedder, reason } = await createEmbedder({ provider, ollamaModel: heldByOllama ? space.model ?? undefined : undefined });
  log(`embedder: ${embedder.model} (${reason})`);
  if (space.model !== null && (space.model !== embedder.model || space.dimension !== embedder.dimension)) {
    log(`the index holds ${space.model} vectors (${space.dimension}-d), not ${embedder.model}: search is keyword-only and saved memories wait for re-embedding.`);
  }
  return embedder;
}
