import assert from 'node:assert/strict';
import type { Store } from '../../src/core/db/store';

/** FTS rows = memories; vec rows = memories with an embedding; both keyed by the memory rowid. */
export function assertIndexInSync(store: Store): void {
  const c = (sql: string) => store.db.prepare(sql).pluck().get() as number;
  const memories = c(`SELECT count(*) FROM semantic_memory`);
  assert.equal(c(`SELECT count(*) FROM fts_semantic_memory`), memories, 'one FTS row per memory');
  assert.equal(
    c(
      `SELECT count(*) FROM fts_semantic_memory f JOIN semantic_memory m ON m.rowid = f.rowid AND m.id = f.memory_id AND m.content = f.content`,
    ),
    memories,
    'FTS rows match their memory',
  );
  const embedded = c(`SELECT count(*) FROM semantic_memory WHERE embedding IS NOT NULL`);
  assert.equal(c(`SELECT count(*) FROM vec_semantic_memory`), embedded, 'one vec row per embedded memory');
  assert.equal(
    c(
      `SELECT count(*) FROM vec_semantic_memory v JOIN semantic_memory m ON m.rowid = v.rowid AND m.id = v.memory_id AND m.content_type = v.content_type`,
    ),
    embedded,
    'vec rows match their memory',
  );
}
