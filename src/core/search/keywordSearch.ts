import type { Store } from '../db/store';
import { DevStreamError } from '../errors';
import { buildFtsQuery } from './ftsQuery';
import { filterSql } from './filters';
import { hitDetails } from './hitDetails';
import type { SearchFilter, SearchHit } from './types';

export interface KeywordChannelOptions {
  limit: number;
  filters?: SearchFilter;
  /** Search as you type: the last word matches as a prefix. */
  prefixLast?: boolean;
  /** Pass the query to FTS5 as written (operators, phrases, NEAR); invalid syntax is a clear error. */
  advanced?: boolean;
  /** Matches ranked by BM25 at most (newest first); see MAX_RANKED. */
  maxRanked?: number;
}

export interface KeywordHit {
  rowid: number;
  id: string;
  bm25: number;
}

export interface KeywordChannelResult {
  hits: KeywordHit[];
  /** The FTS5 expression that found the last hits (for snippets); null when the query has no words. */
  match: string | null;
  /** True when more memories matched than were ranked (the query is mostly very common words). */
  capped: boolean;
}

export type KeywordSearchOptions = SearchFilter &
  Omit<KeywordChannelOptions, 'limit' | 'filters' | 'maxRanked'> & { limit?: number };

/**
 * FTS5 ranks every match with bm25() before LIMIT applies, so a query of words that are in
 * most memories ("the", "it was not") costs time in proportion to the whole corpus (15 ms for
 * 30K matches at 100K memories, 100+ ms for an OR of stop words). Such a query carries almost
 * no BM25 signal (its idf is ~0), so only the newest MAX_RANKED matches are ranked: exact BM25
 * whenever a query matches fewer memories than that, bounded time when it matches more.
 */
export const MAX_RANKED = 4000;

/** FTS5's cost grows faster than the expression: a 30,000-character query takes seconds. */
export const MAX_ADVANCED_QUERY = 1000;

/**
 * BM25F-style field weights: the title (a multi-line memory's first line, title_terms) weighs
 * TITLE_WEIGHT times the body; identifier parts and keywords (search_terms) a little less than
 * the body. Dev split MRR@10 of the keyword channel (python, JS) by title weight: 0 → 0.384, 0.507;
 * 4 → 0.421, 0.643; 6 → 0.427, 0.653; 10 → 0.432, 0.657 (10 lets one title word outweigh a body).
 */
export const TITLE_WEIGHT = 6;
const BM25 = `bm25(fts_semantic_memory, 1.0, 0.0, 0.0, 0.0, 0.6, ${TITLE_WEIGHT})`;

/** Keyword search with what a result list shows (snippet, type, anchor, date): the CLI and agents. */
export function keywordSearch(store: Store, query: string, opts: KeywordSearchOptions = {}): SearchHit[] {
  const { limit, prefixLast, advanced, ...filters } = opts;
  const { hits, match } = keywordChannel(store, query, { limit: clampLimit(limit), filters, prefixLast, advanced });
  const details = hitDetails(
    store,
    hits.map((h) => h.rowid),
    match,
  );
  return hits.flatMap((h, i) => {
    const d = details.get(h.rowid);
    return d ? [{ ...d, score: -h.bm25, keywordRank: i + 1 }] : [];
  });
}

/**
 * The keyword channel (hybrid search uses it as is). Plain text: every word must match first
 * (precise); when that finds fewer than asked, memories matching any of the words follow, so
 * one rare typo cannot empty the list; every character reaches FTS5 as quoted text
 * (buildFtsQuery). Advanced: the query is FTS5 syntax, run as written.
 */
export function keywordChannel(store: Store, query: string, opts: KeywordChannelOptions): KeywordChannelResult {
  const limit = Math.max(1, Math.floor(opts.limit));
  const cap = opts.maxRanked ?? MAX_RANKED;
  const filters = opts.filters ?? {};
  if (opts.advanced) return advancedChannel(store, query.trim(), limit, cap, filters);
  const all = buildFtsQuery(query, { mode: 'all', prefixLast: opts.prefixLast });
  if (!all) return { hits: [], match: null, capped: false };
  let { hits, capped } = ranked(store, all, limit, cap, filters);
  let match = all;
  const any = buildFtsQuery(query, { mode: 'any', prefixLast: opts.prefixLast, stems: true });
  if (hits.length < limit && any && any !== all) {
    const seen = new Set(hits.map((h) => h.rowid));
    const more = ranked(store, any, limit, cap, filters);
    hits = hits.concat(more.hits.filter((h) => !seen.has(h.rowid)).slice(0, limit - hits.length));
    capped ||= more.capped;
    match = any;
  }
  return { hits, match, capped };
}

function advancedChannel(
  store: Store,
  match: string,
  limit: number,
  cap: number,
  filters: SearchFilter,
): KeywordChannelResult {
  if (!match) return { hits: [], match: null, capped: false };
  if (match.length > MAX_ADVANCED_QUERY)
    throw new DevStreamError(
      `Advanced searches are at most ${MAX_ADVANCED_QUERY} characters (this one has ${match.length}).`,
    );
  try {
    return { ...ranked(store, match, limit, cap, filters), match };
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('SQLITE_')) {
      throw new DevStreamError(
        `Invalid search syntax: ${(e as Error).message}. Turn off advanced mode to search plain text.`,
      );
    }
    throw e;
  }
}

function ranked(
  store: Store,
  match: string,
  limit: number,
  cap: number,
  f: SearchFilter,
): { hits: KeywordHit[]; capped: boolean } {
  const { where, params } = filterSql(f);
  // MATCH stays alone in its CTE; FTS5 walks rowids newest first natively, so the cap is cheap.
  const sql = (bounded: boolean) => `
    WITH hits AS MATERIALIZED (
      SELECT rowid, ${BM25} AS bm25 FROM fts_semantic_memory
      WHERE fts_semantic_memory MATCH ? ${bounded ? 'ORDER BY rowid DESC LIMIT ' + cap : ''})
    SELECT hits.rowid, m.id, hits.bm25, (SELECT count(*) FROM hits) AS matched
    FROM hits JOIN semantic_memory m ON m.rowid = hits.rowid
    ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
    ORDER BY hits.bm25, m.rowid LIMIT ?`;
  const rows = store.db.prepare(sql(true)).all(match, ...params, limit) as (KeywordHit & { matched: number })[];
  const capped = rows.length > 0 ? rows[0].matched >= cap : countMatches(store, match, cap) >= cap;
  if (capped && rows.length < limit) {
    // The filters removed too many of the newest matches: rank them all (slow, but right).
    const all = store.db.prepare(sql(false)).all(match, ...params, limit) as KeywordHit[];
    return { hits: all.map(strip), capped: false };
  }
  return { hits: rows.map(strip), capped };
}

function countMatches(store: Store, match: string, cap: number): number {
  return store.db
    .prepare(`SELECT count(*) FROM (SELECT rowid FROM fts_semantic_memory WHERE fts_semantic_memory MATCH ? LIMIT ?)`)
    .pluck()
    .get(match, cap) as number;
}

const strip = (r: KeywordHit): KeywordHit => ({ rowid: r.rowid, id: r.id, bm25: r.bm25 });

export function clampLimit(limit: number | undefined, max = 200): number {
  if (limit === undefined || !Number.isFinite(limit)) return 20;
  return Math.min(Math.max(1, Math.floor(limit)), max);
}
