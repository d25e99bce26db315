import type { Store } from '../db/store';
import { DevStreamError } from '../errors';
import { parseAnchor } from '../memory/anchor';
import { buildFtsQuery } from './ftsQuery';
import { filterSql, hasNarrowingFilter } from './filters';
import type { SearchFilter, SearchHit } from './types';

export interface KeywordSearchOptions extends SearchFilter {
  limit?: number;
  /** Pass the query to FTS5 as written (operators, phrases, NEAR); invalid syntax is a clear error. */
  advanced?: boolean;
  /** Search as you type: the last word matches as a prefix. */
  prefixLast?: boolean;
}

interface Row { rowid: number; id: string; content_type: string; context_snapshot: string | null; created_at: string; is_archived: number | null; bm25: number }

export const MAX_ADVANCED_QUERY = 1000;

// content weighs most; identifier parts and keywords (search_terms) a little less.
const BM25 = `bm25(fts_semantic_memory, 1.0, 0.0, 0.0, 0.0, 0.6)`;

/**
 * BM25 keyword search. Plain text first requires every word (precise); when that finds fewer
 * than asked, memories matching any of the words follow, so one rare typo cannot empty the list.
 */
export function keywordSearch(store: Store, query: string, opts: KeywordSearchOptions = {}): SearchHit[] {
  const limit = clampLimit(opts.limit);
  if (opts.advanced) {
    const match = query.trim();
    if (!match) return [];
    // FTS5's cost grows faster than the expression: a 30,000-character query takes seconds.
    if (match.length > MAX_ADVANCED_QUERY) throw new DevStreamError(`Advanced searches are at most ${MAX_ADVANCED_QUERY} characters (this one has ${match.length}).`);
    try {
      return withSnippets(store, match, ranked(store, match, limit, opts));
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_')) {
        throw new DevStreamError(`Invalid search syntax: ${(e as Error).message}. Turn off advanced mode to search plain text.`);
      }
      throw e;
    }
  }
  const all = buildFtsQuery(query, { mode: 'all', prefixLast: opts.prefixLast });
  if (!all) return [];
  let rows = ranked(store, all, limit, opts);
  let match = all;
  const any = buildFtsQuery(query, { mode: 'any', prefixLast: opts.prefixLast });
  if (rows.length < limit && any && any !== all) {
    const seen = new Set(rows.map((r) => r.rowid));
    rows = rows.concat(ranked(store, any, limit, opts).filter((r) => !seen.has(r.rowid)).slice(0, limit - rows.length));
    match = any;
  }
  return withSnippets(store, match, rows);
}

function ranked(store: Store, match: string, limit: number, f: SearchFilter): Row[] {
  const { where, params } = filterSql(f);
  // Without narrowing filters the best few FTS hits are the answer: rank only those.
  // With them, rank every match and filter afterwards (MATCH stays alone in its CTE).
  const inner = hasNarrowingFilter(f) ? null : limit * 2 + 16;
  const sql = (innerLimit: number | null) => `
    WITH hits AS MATERIALIZED (
      SELECT rowid, ${BM25} AS bm25 FROM fts_semantic_memory
      WHERE fts_semantic_memory MATCH ? ORDER BY bm25 ${innerLimit ? 'LIMIT ' + innerLimit : ''})
    SELECT hits.rowid, m.id, m.content_type, m.context_snapshot, m.created_at, m.is_archived, hits.bm25
    FROM hits JOIN semantic_memory m ON m.rowid = hits.rowid
    ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
    ORDER BY hits.bm25, m.rowid LIMIT ?`;
  let rows = store.db.prepare(sql(inner)).all(match, ...params, limit) as Row[];
  if (inner !== null && rows.length < limit) {
    const innerCount = store.db.prepare(`SELECT count(*) FROM (SELECT rowid FROM fts_semantic_memory WHERE fts_semantic_memory MATCH ? LIMIT ?)`).pluck().get(match, inner) as number;
    if (innerCount === inner) rows = store.db.prepare(sql(null)).all(match, ...params, limit) as Row[]; // archived rows crowded the top
  }
  return rows;
}

function withSnippets(store: Store, match: string, rows: Row[]): SearchHit[] {
  if (rows.length === 0) return [];
  const snippets = new Map<number, string>();
  const stmt = store.db.prepare(`SELECT rowid, snippet(fts_semantic_memory, 0, char(2), char(3), '…', 16) AS s
    FROM fts_semantic_memory WHERE fts_semantic_memory MATCH ? AND rowid IN (${rows.map(() => '?').join(',')})`);
  for (const r of stmt.all(match, ...rows.map((r) => r.rowid)) as { rowid: number; s: string }[]) snippets.set(r.rowid, r.s);
  const missing = rows.filter((r) => !snippets.get(r.rowid)?.includes('\u0002'));
  if (missing.length > 0) {
    // matched only through identifier parts or keywords: show the start of the memory instead
    const starts = store.db.prepare(`SELECT rowid, substr(content, 1, 160) AS s FROM semantic_memory WHERE rowid IN (${missing.map(() => '?').join(',')})`);
    for (const r of starts.all(...missing.map((r) => r.rowid)) as { rowid: number; s: string }[]) snippets.set(r.rowid, r.s);
  }
  return rows.map((r, i) => ({
    id: r.id,
    score: -r.bm25,
    keywordRank: i + 1,
    contentType: r.content_type as SearchHit['contentType'],
    snippet: snippets.get(r.rowid) ?? '',
    anchor: parseAnchor(r.context_snapshot),
    createdAt: r.created_at,
    isArchived: r.is_archived === 1,
  }));
}

export function clampLimit(limit: number | undefined, max = 200): number {
  if (limit === undefined || !Number.isFinite(limit)) return 20;
  return Math.min(Math.max(1, Math.floor(limit)), max);
}
