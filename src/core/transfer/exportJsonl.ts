import type { Store } from '../db/store';
import { currentVersion } from '../db/migrate';
import { getVectorSpace } from '../memory/vectorSpace';
import { EXPORT_TABLES, FORMAT, FORMAT_VERSION, ORDER_BY, type ExportHeader } from './tables';

/**
 * Streams the whole database as JSON lines: a header, then one `{ table, row }` per row.
 * BLOBs (embeddings) travel as `{ "$base64": … }`, so the round trip is exact.
 */
export function* exportJsonl(store: Store): Generator<string> {
  const header: ExportHeader = {
    format: FORMAT,
    version: FORMAT_VERSION,
    schema: currentVersion(store.db),
    exportedAt: new Date().toISOString(),
    vectorSpace: getVectorSpace(store),
  };
  yield JSON.stringify(header);
  for (const table of EXPORT_TABLES) {
    const stmt = store.db.prepare(`SELECT t.* FROM ${table} t ${ORDER_BY[table] ?? 'ORDER BY t.rowid'}`);
    for (const row of stmt.iterate() as Iterable<Record<string, unknown>>) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) out[k] = Buffer.isBuffer(v) ? { $base64: v.toString('base64') } : v;
      yield JSON.stringify({ table, row: out });
    }
  }
}
