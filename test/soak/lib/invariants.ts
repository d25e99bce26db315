import type { Store } from '../../../src/core/db/store';
import type { Checks } from './report';

/** What assertIndexInSync (test/helpers/invariants.ts) asserts, as counts instead of assertions. */
export interface IndexState {
  memories: number;
  fts: number;
  /** FTS rows whose rowid, memory_id and content match their memory. */
  ftsMatching: number;
  embedded: number;
  vec: number;
  /** vec rows whose rowid, memory_id and content_type match an embedded memory. */
  vecMatching: number;
  integrity: string;
  /** FTS5's own check of its index against its content ('ok' or the error). */
  ftsIntegrity: string;
}

export function indexState(store: Store, opts: { integrity?: boolean } = {}): IndexState {
  const c = (sql: string) => store.db.prepare(sql).pluck().get() as number;
  const state: IndexState = {
    memories: c(`SELECT count(*) FROM semantic_memory`),
    fts: c(`SELECT count(*) FROM fts_semantic_memory`),
    ftsMatching: c(
      `SELECT count(*) FROM fts_semantic_memory f JOIN semantic_memory m ON m.rowid = f.rowid AND m.id = f.memory_id AND m.content = f.content`,
    ),
    embedded: c(`SELECT count(*) FROM semantic_memory WHERE embedding IS NOT NULL`),
    vec: c(`SELECT count(*) FROM vec_semantic_memory`),
    vecMatching: c(
      `SELECT count(*) FROM vec_semantic_memory v JOIN semantic_memory m ON m.rowid = v.rowid AND m.id = v.memory_id AND m.content_type = v.content_type AND m.embedding IS NOT NULL`,
    ),
    integrity: 'skipped',
    ftsIntegrity: 'skipped',
  };
  if (opts.integrity !== false) {
    state.integrity = (store.db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    if (!store.db.readonly) {
      try {
        store.db.prepare(`INSERT INTO fts_semantic_memory (fts_semantic_memory) VALUES ('integrity-check')`).run();
        state.ftsIntegrity = 'ok';
      } catch (e) {
        state.ftsIntegrity = (e as Error).message;
      }
    }
  }
  return state;
}

export function inSync(s: IndexState): boolean {
  return s.fts === s.memories && s.ftsMatching === s.memories && s.vec === s.embedded && s.vecMatching === s.embedded;
}

export function describeIndex(s: IndexState): string {
  return `memories ${s.memories}, fts ${s.fts} (${s.ftsMatching} matching), embedded ${s.embedded}, vec ${s.vec} (${s.vecMatching} matching), integrity ${s.integrity}, fts5 ${s.ftsIntegrity}`;
}

/** Adds the index invariants to checks; returns the state. */
export function checkIndex(
  checks: Checks,
  label: string,
  store: Store,
  opts: { integrity?: boolean } = {},
): IndexState {
  const s = indexState(store, opts);
  checks.ok(
    `${label}: FTS rows = memories, vec rows = embedded memories, rowids and ids match`,
    inSync(s),
    describeIndex(s),
  );
  if (opts.integrity !== false) {
    checks.ok(`${label}: PRAGMA integrity_check ok`, s.integrity === 'ok', s.integrity.slice(0, 300));
    if (s.ftsIntegrity !== 'skipped')
      checks.ok(`${label}: FTS5 integrity-check ok`, s.ftsIntegrity === 'ok', s.ftsIntegrity);
  }
  return s;
}
