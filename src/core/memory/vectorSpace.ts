import { DevStreamError } from '../errors';
import type { Store } from '../db/store';
import { clearStoredCodes } from '../search/storedCodes';

/** What reading and recording the space needs: a connection (the legacy upgrade has no Store). */
type Db = Pick<Store, 'db'>;

/** The one embedding space the vec index holds: vectors of other models are never mixed in. */
export interface VectorSpace {
  dimension: number;
  model: string | null;
  provider: string | null;
}

export function getVectorSpace(store: Db): VectorSpace {
  const rows = store.db
    .prepare(
      `SELECT key, value FROM devstream_meta WHERE key IN ('vector_dimension', 'embedding_model', 'embedding_provider')`,
    )
    .all() as { key: string; value: string | null }[];
  const get = (k: string) => rows.find((r) => r.key === k)?.value ?? null;
  return {
    dimension: Number(get('vector_dimension') ?? 768),
    model: get('embedding_model'),
    provider: get('embedding_provider'),
  };
}

export function setMeta(store: Db, key: string, value: string | null): void {
  store.db
    .prepare(
      `INSERT INTO devstream_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    )
    .run(key, value);
}

/**
 * Checks that a vector belongs to the index's space; the first embedding fixes the model.
 * Call inside the writing transaction.
 */
export function claimVectorSpace(store: Store, model: string, provider: string, dimension: number): void {
  const space = getVectorSpace(store);
  if (dimension !== space.dimension) {
    throw new DevStreamError(
      `Embedding has ${dimension} dimensions but the vector index holds ${space.dimension}. Re-index embeddings to switch models.`,
    );
  }
  if (space.model === null) {
    // Vectors that arrived without recording their model (an older upgrade or import, plain SQL):
    // claiming now would rank them against this model's queries.
    const other = store.db
      .prepare(
        `SELECT coalesce(embedding_model, 'an unknown model') FROM semantic_memory
      WHERE embedding IS NOT NULL AND embedding_model IS NOT ? LIMIT 1`,
      )
      .pluck()
      .get(model) as string | undefined;
    if (other !== undefined) {
      throw new DevStreamError(
        `The vector index holds vectors of ${other} but does not record its model; run \`devstream doctor --repair\` first.`,
      );
    }
    setMeta(store, 'embedding_model', model);
    setMeta(store, 'embedding_provider', provider);
  } else if (space.model !== model) {
    throw new DevStreamError(
      `Embedding comes from '${model}' but the vector index holds '${space.model}' vectors. Re-index embeddings to switch models.`,
    );
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
    const cleared = store.db
      .prepare(
        `UPDATE semantic_memory SET embedding = NULL, embedding_model = NULL, embedding_dimension = NULL, embedding_provider = NULL WHERE embedding IS NOT NULL`,
      )
      .run().changes;
    // The shape of migrations/0003 (chunk_size included), at the new dimension.
    store.db.exec(`DROP TABLE vec_semantic_memory;
      CREATE VIRTUAL TABLE vec_semantic_memory USING vec0(
        embedding float[${space.dimension}] distance_metric=cosine,
        content_type TEXT PARTITION KEY, +memory_id TEXT, +content_preview TEXT, chunk_size=256);`);
    setMeta(store, 'vector_dimension', String(space.dimension));
    setMeta(store, 'embedding_model', space.model);
    setMeta(store, 'embedding_provider', space.provider);
    clearStoredCodes(store);
    return cleared;
  });
}

/** Embedded memories grouped by the model (and dimension) their vectors say they come from. */
export interface SpaceCount {
  model: string | null;
  provider: string | null;
  dimension: number | null;
  memories: number;
}

export function storedSpaces(store: Db): SpaceCount[] {
  return store.db
    .prepare(
      `SELECT embedding_model AS model, embedding_provider AS provider, embedding_dimension AS dimension,
      count(*) AS memories FROM semantic_memory WHERE embedding IS NOT NULL
    GROUP BY embedding_model, embedding_provider, embedding_dimension ORDER BY memories DESC, model`,
    )
    .all() as SpaceCount[];
}

/** Embedded memories whose vectors do not belong to the index's space (0 when healthy). */
export function foreignVectors(store: Db): number {
  const space = getVectorSpace(store);
  return store.db
    .prepare(
      `SELECT count(*) FROM semantic_memory WHERE embedding IS NOT NULL
    AND (embedding_model IS NOT ? OR embedding_model IS NULL OR coalesce(embedding_dimension, ?) <> ?)`,
    )
    .pluck()
    .get(space.model, space.dimension, space.dimension) as number;
}

/**
 * Makes the index one vector space again. The model most of its vectors (of the index's
 * dimension) come from becomes the index's model, recorded if it was missing or different (a
 * model that claimed the index while other vectors were already there loses it); vectors of
 * any other model, or of none, are cleared so the queue embeds those memories again with the
 * index's model. Memories themselves are untouched. Call inside a transaction.
 */
export function unmixVectorSpace(store: Db, fallbackProvider = 'ollama'): { recorded?: string; cleared: number } {
  const space = getVectorSpace(store);
  let recorded: string | undefined;
  const major = storedSpaces(store).find(
    (s) => s.model !== null && (s.dimension ?? space.dimension) === space.dimension,
  );
  if (major && major.model !== space.model) {
    recorded = major.model!;
    setMeta(store, 'embedding_model', recorded);
    setMeta(store, 'embedding_provider', major.provider ?? fallbackProvider);
  }
  const model = recorded ?? space.model;
  if (model !== null) {
    // 2.1.0 rows have no provider: record the index's for them
    store.db
      .prepare(
        `UPDATE semantic_memory SET embedding_provider = (SELECT value FROM devstream_meta WHERE key = 'embedding_provider')
      WHERE embedding IS NOT NULL AND embedding_model = ? AND embedding_provider IS NULL`,
      )
      .run(model);
  }
  const cleared = store.db
    .prepare(
      `UPDATE semantic_memory SET embedding = NULL, embedding_model = NULL, embedding_dimension = NULL,
      embedding_provider = NULL
    WHERE embedding IS NOT NULL AND (embedding_model IS NOT ? OR embedding_model IS NULL OR coalesce(embedding_dimension, ?) <> ?)`,
    )
    .run(model, space.dimension, space.dimension).changes;
  return { ...(recorded ? { recorded } : {}), cleared };
}
