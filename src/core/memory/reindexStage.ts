import type { Store } from '../db/store';
import { resetVectorSpace, setMeta } from './vectorSpace';

/** The vector space a re-index fills: the model that embeds into the staging table. */
export interface StageTarget {
  model: string;
  provider: string;
  dimension: number;
}

/**
 * A re-index writes the new model's vectors here, beside the index it replaces; search keeps
 * using the old vectors until swapStage() moves the new ones in, in one transaction. The table
 * outlives the process on purpose: an interrupted re-index (killed, cancelled, the provider
 * gone) keeps what it embedded, and running it again for the same model continues from there.
 * Each row keeps the text it embedded, so a memory edited meanwhile is embedded again.
 */
const TABLE = 'devstream_reindex_stage';
const KEYS = { model: 'reindex_model', provider: 'reindex_provider', dimension: 'reindex_dimension' } as const;

function tableExists(store: Store): boolean {
  return store.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(TABLE) !== undefined;
}

/** The target of an unfinished re-index, if one was started and not swapped in. */
export function stagedTarget(store: Store): StageTarget | null {
  if (!tableExists(store)) return null;
  const rows = store.db
    .prepare(`SELECT key, value FROM devstream_meta WHERE key IN (?, ?, ?)`)
    .all(KEYS.model, KEYS.provider, KEYS.dimension) as { key: string; value: string | null }[];
  const get = (k: string) => rows.find((r) => r.key === k)?.value ?? null;
  const model = get(KEYS.model);
  if (model === null) return null;
  return { model, provider: get(KEYS.provider) ?? 'unknown', dimension: Number(get(KEYS.dimension)) };
}

/** Starts (or continues, for the same target) a staged re-index. Changes nothing search reads. */
export function beginStage(store: Store, target: StageTarget): void {
  store.tx(() => {
    const previous = stagedTarget(store);
    const same = previous !== null && previous.model === target.model && previous.dimension === target.dimension;
    if (!same) store.db.exec(`DROP TABLE IF EXISTS ${TABLE}`);
    store.db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (
      memory_id TEXT PRIMARY KEY, content TEXT NOT NULL, embedding BLOB NOT NULL) WITHOUT ROWID`);
    setMeta(store, KEYS.model, target.model);
    setMeta(store, KEYS.provider, target.provider);
    setMeta(store, KEYS.dimension, String(target.dimension));
  });
}

/** Memories without a staged vector of their current text, oldest first. */
export function unstaged(store: Store, limit: number): { id: string; content: string }[] {
  return store.db
    .prepare(
      `SELECT m.id, m.content FROM semantic_memory m LEFT JOIN ${TABLE} s ON s.memory_id = m.id
    WHERE s.memory_id IS NULL OR s.content IS NOT m.content ORDER BY m.rowid LIMIT ?`,
    )
    .all(limit) as { id: string; content: string }[];
}

export function countUnstaged(store: Store): number {
  return store.db
    .prepare(
      `SELECT count(*) FROM semantic_memory m LEFT JOIN ${TABLE} s ON s.memory_id = m.id
    WHERE s.memory_id IS NULL OR s.content IS NOT m.content`,
    )
    .pluck()
    .get() as number;
}

export function countStaged(store: Store): number {
  return tableExists(store) ? (store.db.prepare(`SELECT count(*) FROM ${TABLE}`).pluck().get() as number) : 0;
}

/** Keeps vectors of texts that are still the memories' texts; returns how many were kept. */
export function stageVectors(store: Store, items: { id: string; content: string; vector: Float32Array }[]): number {
  return store.tx(() => {
    const current = store.db.prepare(`SELECT content FROM semantic_memory WHERE id = ?`).pluck();
    const put = store.db.prepare(`INSERT INTO ${TABLE} (memory_id, content, embedding) VALUES (?, ?, ?)
      ON CONFLICT (memory_id) DO UPDATE SET content = excluded.content, embedding = excluded.embedding`);
    let kept = 0;
    for (const m of items) {
      if (current.get(m.id) !== m.content) continue; // edited or deleted meanwhile
      put.run(m.id, m.content, Buffer.from(m.vector.buffer, m.vector.byteOffset, m.vector.byteLength));
      kept++;
    }
    return kept;
  });
}

/**
 * Replaces the index with the staged vectors in one transaction: the vec table is rebuilt at
 * the target's dimension, every memory whose staged text is still its text gets its new
 * vector, any other memory is left without one (the queue embeds it with the new model).
 * Returns how many memories got a vector.
 */
export function swapStage(store: Store, target: StageTarget): number {
  return store.tx(() => {
    resetVectorSpace(store, target);
    const moved = store.db
      .prepare(
        `UPDATE semantic_memory SET embedding = s.embedding, embedding_model = ?,
        embedding_dimension = ?, embedding_provider = ?
      FROM ${TABLE} s WHERE s.memory_id = semantic_memory.id AND s.content = semantic_memory.content`,
      )
      .run(target.model, target.dimension, target.provider).changes;
    discardStage(store);
    return moved;
  });
}

/** Forgets an unfinished re-index (the index it would have replaced is untouched). */
export function discardStage(store: Store): void {
  store.tx(() => {
    store.db.exec(`DROP TABLE IF EXISTS ${TABLE}`);
    store.db
      .prepare(`DELETE FROM devstream_meta WHERE key IN (?, ?, ?)`)
      .run(KEYS.model, KEYS.provider, KEYS.dimension);
  });
}
