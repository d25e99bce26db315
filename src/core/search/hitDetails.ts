import type { Store } from '../db/store';
import { parseAnchor } from '../memory/anchor';
import type { SearchHit } from './types';

type Details = Pick<SearchHit, 'id' | 'contentType' | 'snippet' | 'anchor' | 'createdAt' | 'isArchived'>;

interface Row {
  rowid: number;
  id: string;
  content_type: string;
  context_snapshot: string | null;
  created_at: string;
  is_archived: number | null;
  start: string;
}

/**
 * What a result list shows for each hit: type, anchor, date and a snippet. The snippet marks
 * the query's words (\u0002…\u0003) when the memory contains them — vector hits included —
 * and is the start of the memory otherwise. One FTS lookup per hit: `rowid IN (…)` beside
 * MATCH walks the whole doclist, a rowid equality does not.
 */
export function hitDetails(store: Store, rowids: readonly number[], match: string | null): Map<number, Details> {
  const out = new Map<number, Details>();
  if (rowids.length === 0) return out;
  const rows = store.db
    .prepare(
      `SELECT rowid, id, content_type, context_snapshot, created_at, is_archived, substr(content, 1, 160) AS start
    FROM semantic_memory WHERE rowid IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(rowids)) as Row[];
  // The rowid is bound as a BigInt: better-sqlite3 binds a JS number as REAL, and FTS5 then
  // ignores the rowid constraint and returns every match, so the first would be another row's.
  // The rowid that comes back is still checked.
  const snippet = match
    ? store.db
        .prepare(`SELECT rowid, snippet(fts_semantic_memory, 0, char(2), char(3), '…', 16) AS s FROM fts_semantic_memory
        WHERE fts_semantic_memory MATCH ? AND rowid = ?`)
    : null;
  for (const r of rows) {
    const found = snippet?.get(match, BigInt(r.rowid)) as { rowid: number; s: string } | undefined;
    const marked = found?.rowid === r.rowid ? found.s : undefined;
    out.set(r.rowid, {
      id: r.id,
      contentType: r.content_type as SearchHit['contentType'],
      // matched only through identifier parts or keywords: no mark in content, show its start
      snippet: marked?.includes('\u0002') ? marked : r.start,
      anchor: parseAnchor(r.context_snapshot),
      createdAt: r.created_at,
      isArchived: r.is_archived === 1,
    });
  }
  return out;
}
