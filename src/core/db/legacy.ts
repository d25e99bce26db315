import { EXPORT_TABLES } from '../transfer/tables';
import type Database from 'better-sqlite3';
import { DevStreamError } from '../errors';
import { unmixVectorSpace } from '../memory/vectorSpace';
import { record, type Migration } from './migrations';

/** What upgrading a DevStream 2.1.0 database found and repaired. */
export interface LegacyReport {
  memories: number;
  /** FTS rows before (the original indexed only embedded memories) and after (all of them). */
  ftsBefore: number;
  ftsAfter: number;
  /** vec rows before (with duplicates and orphans) and after (one per embedded memory). */
  vecBefore: number;
  vecAfter: number;
  embeddingsConverted: number;
  /** Embeddings that were not 768 valid numbers: cleared, so they get re-embedded. */
  embeddingsDropped: number;
  /** References to deleted rows: nullable ones cleared, rows that cannot exist without them removed. */
  danglingCleared: number;
  orphansRemoved: number;
  /** The model the kept vectors come from, now recorded as the index's (none without vectors). */
  vectorModel: string | null;
  /** Vectors of other models than that one (or of none): cleared, so they get re-embedded. */
  foreignVectorsCleared: number;
}

/** Tables in copy order (parents first); the 0001 migration creates each of them anew. */
const TABLES = EXPORT_TABLES;

const NULLABLE_REFS: ReadonlyArray<[string, string, string]> = [
  ['semantic_memory', 'plan_id', 'intervention_plans'],
  ['semantic_memory', 'phase_id', 'phases'],
  ['semantic_memory', 'task_id', 'micro_tasks'],
  ['micro_tasks', 'parent_task_id', 'micro_tasks'],
  ['work_sessions', 'plan_id', 'intervention_plans'],
  ['context_injections', 'task_id', 'micro_tasks'],
];
const REQUIRED_REFS: ReadonlyArray<[string, string, string]> = [
  ['phases', 'plan_id', 'intervention_plans'],
  ['micro_tasks', 'phase_id', 'phases'],
  ['hook_executions', 'hook_id', 'hooks'],
  ['context_injections', 'session_id', 'work_sessions'],
];

const count = (db: Database.Database, sql: string): number => db.prepare(sql).pluck().get() as number;
const exists = (db: Database.Database, name: string): boolean =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(name) !== undefined;
const columns = (db: Database.Database, table: string): string[] =>
  db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];

/**
 * Upgrades a database made by the original DevStream 2.1.0 schema in place: every table is
 * rebuilt by migration 0001 and its rows copied over, JSON embeddings become float32 BLOBs,
 * and the new triggers rebuild FTS (every memory) and vec (one row per embedded memory, under
 * the memory's rowid). All in one transaction: it either completes or leaves the file as it was.
 */
export function upgradeLegacy(db: Database.Database, initial: Migration): LegacyReport {
  try {
    db.prepare(`SELECT vec_version()`).get();
  } catch {
    throw new DevStreamError(
      'This DevStream 2.1.0 database needs the sqlite-vec extension to be upgraded, and it could not be loaded. Reinstall DevStream for your platform.',
      'unavailable',
    );
  }
  const report: LegacyReport = {
    memories: count(db, `SELECT count(*) FROM semantic_memory`),
    ftsBefore: exists(db, 'fts_semantic_memory') ? count(db, `SELECT count(*) FROM fts_semantic_memory`) : 0,
    ftsAfter: 0,
    vecBefore: exists(db, 'vec_semantic_memory') ? count(db, `SELECT count(*) FROM vec_semantic_memory`) : 0,
    vecAfter: 0,
    embeddingsConverted: 0,
    embeddingsDropped: 0,
    danglingCleared: 0,
    orphansRemoved: 0,
    vectorModel: null,
    foreignVectorsCleared: 0,
  };

  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      const objects = db
        .prepare(`SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'index') AND sql IS NOT NULL`)
        .all() as { type: string; name: string }[];
      for (const o of objects) db.exec(`DROP ${o.type.toUpperCase()} IF EXISTS "${o.name}"`);
      db.exec(`DROP TABLE IF EXISTS vec_semantic_memory; DROP TABLE IF EXISTS fts_semantic_memory;`);
      const present = TABLES.filter((t) => exists(db, t));
      for (const t of present) db.exec(`ALTER TABLE ${t} RENAME TO _legacy_${t}`);

      db.exec(initial.sql);

      for (const t of present) {
        const shared = columns(db, `_legacy_${t}`).filter((c) => columns(db, t).includes(c));
        const target = ['rowid', ...shared];
        const source = ['rowid', ...shared.map((c) => `"${c}"`)];
        if (t === 'semantic_memory') {
          report.embeddingsConverted = count(
            db,
            `SELECT count(*) FROM _legacy_semantic_memory WHERE typeof(embedding) = 'text' AND ${VALID_JSON}`,
          );
          report.embeddingsDropped = count(
            db,
            `SELECT count(*) FROM _legacy_semantic_memory WHERE embedding IS NOT NULL AND NOT (${VALID_JSON} OR ${VALID_BLOB})`,
          );
          const replace: Record<string, string> = {
            embedding: `CASE WHEN ${VALID_BLOB} THEN embedding WHEN ${VALID_JSON} THEN vec_f32(embedding) END`,
            embedding_model: `CASE WHEN ${VALID_BLOB} OR ${VALID_JSON} THEN embedding_model END`,
            embedding_dimension: `CASE WHEN ${VALID_BLOB} OR ${VALID_JSON} THEN 768 END`,
          };
          for (let i = 1; i < target.length; i++) source[i] = replace[target[i]] ?? source[i];
          target.push('search_terms');
          source.push(`devstream_search_terms(content, keywords)`);
        }
        db.exec(`INSERT INTO ${t} (${target.join(', ')}) SELECT ${source.join(', ')} FROM _legacy_${t}`);
      }
      for (const t of [...present].reverse()) db.exec(`DROP TABLE _legacy_${t}`);

      for (const [table, col, parent] of NULLABLE_REFS) {
        report.danglingCleared += db
          .prepare(
            `UPDATE ${table} SET ${col} = NULL WHERE ${col} IS NOT NULL AND ${col} NOT IN (SELECT id FROM ${parent})`,
          )
          .run().changes;
      }
      for (const [table, col, parent] of REQUIRED_REFS) {
        report.orphansRemoved += db
          .prepare(`DELETE FROM ${table} WHERE ${col} NOT IN (SELECT id FROM ${parent})`)
          .run().changes;
      }
      const violations = db.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) {
        throw new DevStreamError(
          `Upgrade left ${violations.length} broken references; nothing was changed.`,
          'corrupt',
        );
      }
      // Record which model the vectors come from (2.1.0 used Ollama), or the next embedder to
      // come along would claim the index and rank its queries against them.
      const unmixed = unmixVectorSpace({ db });
      report.vectorModel = unmixed.recorded ?? null;
      report.foreignVectorsCleared = unmixed.cleared;
      record(db, initial);
      report.ftsAfter = count(db, `SELECT count(*) FROM fts_semantic_memory`);
      report.vecAfter = count(db, `SELECT count(*) FROM vec_semantic_memory`);
    }).immediate();
  } finally {
    db.pragma('foreign_keys = ON');
  }
  return report;
}

const VALID_JSON = `(typeof(embedding) = 'text' AND json_valid(embedding) AND json_array_length(embedding) = 768)`;
const VALID_BLOB = `(typeof(embedding) = 'blob' AND length(embedding) = 3072)`;
