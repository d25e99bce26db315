import { DevStreamError } from '../errors';
import type { Store } from '../db/store';

/** The one embedding space the vec index holds: vectors of other models are never mixed in. */
export interface VectorSpace {
  dimension: number;
  model: string | null;
  provider: string | null;
}

export function getVectorSpace(store: Store): VectorSpace {
  const rows = store.db.prepare(`SELECT key, value FROM devstream_meta WHERE key IN ('vector_dimension', 'embedding_model', 'embedding_provider')`).all() as { key: string; value: string | null }[];
  const get = (k: string) => rows.find((r) => r.key === k)?.value ?? null;
  return { dimension: Number(get('vector_dimension') ?? 768), model: get('embedding_model'), provider: get('embedding_provider') };
}

function setMeta(store: Store, key: string, value: string | null): void {
  store.db.prepare(`INSERT INTO devstream_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(key, value);
}

/**
 * Checks that a vector belongs to the index's space; the first embedding fixes the model.
 * Call inside the writing transaction.
 */
export function claimVectorSpace(store: Store, model: string, provider: string, dimension: number): void {
  const space = getVectorSpace(store);
  if (dimension !== space.dimension) {
    throw new DevStreamError(`Embedding has ${dimension} dimensions but the vector index holds ${space.dimension}. Re-index embeddings to switch models.`);
  }
  if (space.model === null) {
    setMeta(store, 'embedding_model', model);
    setMeta(store, 'embedding_provider', provider);
  } else if (space.model !== model) {
    throw new DevStreamError(`Embedding comes from '${model}' but the vector index holds '${space.model}' vectors. Re-index embeddings to switch models.`);
  }
}

/**
 * Switches the index to another model: in one transaction the vec table is recreated at the
 * new dimension and every stored embedding is cleared, so each memory is re-embedded by the
 * queue (resumable: what is left is exactly what has no embedding). Keyword search is
 * unaffected throughout.
 */
export function resetVectorSpace(store: Store, space: { dimension: number; model: string; provider: string }): number {
  if (!Number.isInteger(space.dimension) || space.dimension < 1 || space.dimension > 8192) {
    throw new DevStreamError(`Invalid embedding dimension ${space.dimension}.`);
  }
  return store.tx(() => {
    const cleared = store.db.prepare(`UPDATE semantic_memory SET embedding = NULL, embedding_model = NULL, embedding_dimension = NULL, embedding_provider = NULL WHERE embedding IS NOT NULL`).run().changes;
    // The shape of migrations/0003 (chunk_size included), at the new dimension.
    store.db.exec(`DROP TABLE vec_semantic_memory;
      CREATE VIRTUAL TABLE vec_semantic_memory USING vec0(
        embedding float[${space.dimension}] distance_metric=cosine,
        content_type TEXT PARTITION KEY, +memory_id TEXT, +content_preview TEXT, chunk_size=256);`);
    setMeta(store, 'vector_dimension', String(space.dimension));
    setMeta(store, 'embedding_model', space.model);
    setMeta(store, 'embedding_provider', space.provider);
    return cleared;
  });
}
