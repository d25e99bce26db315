import type { Store } from './store';
import { currentVersion } from './migrate';
import { stagedTarget, countStaged, type StageTarget } from '../memory/reindexStage';
import { storedCodesStatus, type StoredCodesStatus } from '../search/storedCodes';
import { foreignVectors, getVectorSpace, storedSpaces, unmixVectorSpace, type SpaceCount } from '../memory/vectorSpace';

export interface DoctorReport {
  path: string;
  schemaVersion: string;
  integrity: string;
  vectorsEnabled: boolean;
  vectorSpace: { dimension: number; model: string | null; provider: string | null };
  /** The models the stored vectors say they come from: one entry when healthy. */
  storedSpaces: SpaceCount[];
  /** The vector index's codes stored for new processes (migration 0006); a cache, never a problem. */
  indexCodes?: StoredCodesStatus;
  /** An unfinished re-index (its staged vectors wait beside the index; search uses the old ones). */
  reindex?: StageTarget & { staged: number };
  counts: {
    plans: number;
    phases: number;
    tasks: number;
    memories: number;
    archived: number;
    embedded: number;
    pendingEmbedding: number;
    fts: number;
    vec: number;
  };
  /** Index rows that do not match their memory (0 everywhere when healthy). */
  problems: { ftsMissing: number; ftsOrphans: number; vecMissing: number; vecOrphans: number; foreignVectors: number };
  healthy: boolean;
}

const count = (store: Store, sql: string): number => store.db.prepare(sql).pluck().get() as number;

export function diagnose(store: Store, opts: { full?: boolean } = {}): DoctorReport {
  const integrityRows = store.db.pragma(opts.full === false ? 'quick_check' : 'integrity_check') as {
    integrity_check?: string;
    quick_check?: string;
  }[];
  const integrity = integrityRows.map((r) => r.integrity_check ?? r.quick_check).join('; ');
  const vec = store.vectorsEnabled;
  const problems = {
    ftsMissing: count(
      store,
      `SELECT count(*) FROM semantic_memory m WHERE NOT EXISTS (SELECT 1 FROM fts_semantic_memory f WHERE f.rowid = m.rowid AND f.memory_id = m.id)`,
    ),
    ftsOrphans: count(
      store,
      `SELECT count(*) FROM fts_semantic_memory f WHERE NOT EXISTS (SELECT 1 FROM semantic_memory m WHERE m.rowid = f.rowid AND m.id = f.memory_id)`,
    ),
    vecMissing: vec
      ? count(
          store,
          `SELECT count(*) FROM semantic_memory m WHERE m.embedding IS NOT NULL AND NOT EXISTS (SELECT 1 FROM vec_semantic_memory v WHERE v.rowid = m.rowid AND v.memory_id = m.id)`,
        )
      : 0,
    foreignVectors: foreignVectors(store),
    vecOrphans: vec
      ? count(
          store,
          `SELECT count(*) FROM vec_semantic_memory v WHERE NOT EXISTS (SELECT 1 FROM semantic_memory m WHERE m.rowid = v.rowid AND m.id = v.memory_id AND m.embedding IS NOT NULL)`,
        )
      : 0,
  };
  const report: DoctorReport = {
    path: store.path,
    schemaVersion: currentVersion(store.db),
    integrity,
    vectorsEnabled: vec,
    vectorSpace: getVectorSpace(store),
    storedSpaces: storedSpaces(store),
    counts: {
      plans: count(store, `SELECT count(*) FROM intervention_plans`),
      phases: count(store, `SELECT count(*) FROM phases`),
      tasks: count(store, `SELECT count(*) FROM micro_tasks`),
      memories: count(store, `SELECT count(*) FROM semantic_memory`),
      archived: count(store, `SELECT count(*) FROM semantic_memory WHERE is_archived = 1`),
      embedded: count(store, `SELECT count(*) FROM semantic_memory WHERE embedding IS NOT NULL`),
      pendingEmbedding: count(store, `SELECT count(*) FROM semantic_memory WHERE embedding IS NULL`),
      fts: count(store, `SELECT count(*) FROM fts_semantic_memory`),
      vec: vec ? count(store, `SELECT count(*) FROM vec_semantic_memory`) : 0,
    },
    problems,
    healthy: false,
  };
  const codes = storedCodesStatus(store);
  if (codes) report.indexCodes = codes;
  const staged = stagedTarget(store);
  if (staged) report.reindex = { ...staged, staged: countStaged(store) };
  report.healthy = integrity === 'ok' && Object.values(problems).every((n) => n === 0);
  return report;
}

export interface RepairReport {
  ftsRebuilt: number;
  vecRebuilt: number;
  /** Embeddings of the wrong size for the index: cleared so the queue embeds them again. */
  embeddingsCleared: number;
  /** Mixed vector spaces: the model now recorded for the index (when it changed) ... */
  spaceRecorded?: string;
  /** ... and the vectors of other models cleared, to be re-embedded with it. */
  foreignCleared: number;
}

/**
 * Rebuilds FTS and vec from the memory rows, the source of truth, in one transaction; vectors
 * of the wrong size or of another model than the index's are cleared first (re-embedded later).
 */
export function rebuildIndexes(store: Store): RepairReport {
  if (!store.vectorsEnabled) throw new Error('Cannot rebuild the vector index without the sqlite-vec extension.');
  const bytes = getVectorSpace(store).dimension * 4;
  return store.tx(() => {
    const db = store.db;
    const embeddingsCleared = db
      .prepare(
        `UPDATE semantic_memory SET embedding = NULL, embedding_model = NULL, embedding_dimension = NULL, embedding_provider = NULL
      WHERE embedding IS NOT NULL AND NOT (typeof(embedding) = 'blob' AND length(embedding) = ?)
        AND NOT (typeof(embedding) = 'text' AND json_valid(embedding) AND json_array_length(embedding) = ?)`,
      )
      .run(bytes, bytes / 4).changes;
    const unmixed = unmixVectorSpace(store);
    // rows written by plain SQL clients have no identifier parts or title indexed yet
    db.exec(
      `UPDATE semantic_memory SET search_terms = devstream_search_terms(content, keywords),
        title_terms = devstream_title_terms(content) WHERE search_terms IS NULL`,
    );
    db.exec(`DELETE FROM fts_semantic_memory; DELETE FROM vec_semantic_memory;`);
    const fts = db
      .prepare(
        `INSERT INTO fts_semantic_memory (rowid, content, content_type, memory_id, created_at, search_terms, title_terms)
      SELECT rowid, content, content_type, id, created_at, search_terms, title_terms FROM semantic_memory`,
      )
      .run().changes;
    const vec = db
      .prepare(
        `INSERT INTO vec_semantic_memory (rowid, embedding, content_type, memory_id, content_preview)
      SELECT rowid, embedding, content_type, id, substr(content, 1, 200) FROM semantic_memory WHERE embedding IS NOT NULL`,
      )
      .run().changes;
    return {
      ftsRebuilt: fts,
      vecRebuilt: vec,
      embeddingsCleared,
      ...(unmixed.recorded ? { spaceRecorded: unmixed.recorded } : {}),
      foreignCleared: unmixed.cleared,
    };
  });
}
