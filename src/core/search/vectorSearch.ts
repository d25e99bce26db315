import type { Store } from '../db/store';
import { filterSql, hasNarrowingFilter } from './filters';
import { vectorIndexFor, toVector } from './vectorIndexSync';
import type { VectorIndex } from './vectorIndex';
import type { SearchFilter } from './types';

export interface VectorSearchOptions {
  /** Hits wanted (the channel's depth). */
  limit: number;
  filters?: SearchFilter;
  /** Use the in-memory index when it is loaded (default true); false always asks vec0. */
  useIndex?: boolean;
  /** Index path: how many candidates the 1-bit codes pick for an exact distance (default max(4 × limit, 128)). */
  rescore?: number;
}

export interface VectorHit {
  rowid: number;
  id: string;
  /** Cosine distance (1 − cosine similarity) from the stored float32 vectors. */
  distance: number;
}

export interface VectorSearchResult {
  hits: VectorHit[];
  /** Which path answered: the in-memory index, vec0's KNN, or an exact scan of a small filtered set. */
  via: 'index' | 'vec0' | 'filtered-scan';
  /** How many widening rounds the filters needed (1 = none). */
  rounds: number;
}

/** vec0 refuses k above this. */
export const VEC0_MAX_K = 4096;
/** A pre-filtered set up to this size is scored exactly instead of over-fetching. */
const PREFILTER_MAX = 2000;
/** Each round that filters leave short asks for this many times more candidates. */
const WIDEN = 4;

interface Row {
  rowid: number;
  id: string;
  embedding: Buffer | string;
  distance?: number;
}

/**
 * Nearest memories to a query vector (cosine), honouring every filter. content_type is applied
 * inside the search (vec0 partition key, or the index's type column); the other filters are
 * SQL conditions on semantic_memory, applied to the candidates, widening the candidate set
 * until enough pass — or, when a narrowing filter leaves few memories, by scoring exactly
 * those. Runs in one read transaction, so index catch-up and row reads see one snapshot.
 */
export function vectorSearch(store: Store, query: Float32Array, opts: VectorSearchOptions): VectorSearchResult {
  const run = () => search(store, query, opts);
  return store.db.inTransaction ? run() : store.db.transaction(run).deferred();
}

function search(store: Store, query: Float32Array, opts: VectorSearchOptions): VectorSearchResult {
  const limit = Math.max(1, Math.floor(opts.limit));
  const f = opts.filters ?? {};
  const allowed = prefilter(store, f);
  const index = opts.useIndex === false ? null : vectorIndexFor(store).current();
  if (index && index.dimension === query.length) {
    return {
      via: 'index',
      ...viaIndex(store, index, query, f, limit, allowed, opts.rescore ?? Math.max(4 * limit, 128)),
    };
  }
  if (allowed) return { via: 'filtered-scan', rounds: 1, hits: exactScan(store, query, f, limit, allowed) };
  return viaVec0(store, query, f, limit);
}

/** With a narrowing filter (other than type), the matching rowids when there are few of them. */
function prefilter(store: Store, f: SearchFilter): Set<number> | undefined {
  if (!hasNarrowingFilter({ ...f, contentType: undefined })) return undefined;
  const { where, params } = filterSql(f);
  const rowids = store.db
    .prepare(`SELECT m.rowid FROM semantic_memory m WHERE ${where.join(' AND ')} LIMIT ?`)
    .pluck()
    .all(...params, PREFILTER_MAX + 1) as number[];
  return rowids.length <= PREFILTER_MAX ? new Set(rowids) : undefined;
}

function viaIndex(
  store: Store,
  index: VectorIndex,
  query: Float32Array,
  f: SearchFilter,
  limit: number,
  allowed: Set<number> | undefined,
  rescore: number,
): { hits: VectorHit[]; rounds: number } {
  const { where, params } = filterSql(f);
  const stmt = store.db.prepare(`SELECT m.rowid, m.id, m.embedding FROM semantic_memory m
    WHERE m.rowid IN (SELECT value FROM json_each(?)) AND m.embedding IS NOT NULL ${where.map((w) => 'AND ' + w).join(' ')}`);
  const want = Math.max(rescore, limit);
  const passed: Row[] = [];
  let count = want;
  let seen = 0;
  let rounds = 0;
  for (;;) {
    rounds++;
    // Each round re-ranks (the kernel is cheap) and checks only the candidates not seen yet.
    const candidates = index.search(query, { count, contentType: f.contentType, allowed });
    const fresh = candidates.slice(seen).map((c) => c.rowid);
    seen = candidates.length;
    if (fresh.length > 0) passed.push(...(stmt.all(JSON.stringify(fresh), ...params) as Row[]));
    if (passed.length >= want || candidates.length < count || count >= index.size) break;
    count = Math.min(count * WIDEN, index.size);
  }
  return { hits: nearest(passed, query, limit), rounds };
}

function viaVec0(store: Store, query: Float32Array, f: SearchFilter, limit: number): VectorSearchResult {
  const { where, params } = filterSql(f);
  const partition = f.contentType ? 'AND content_type = ?' : '';
  // Every KNN row comes back with a pass/fail flag, so one query tells both the hits and whether
  // vec0 ran out of candidates (fewer than k rows) — the KNN stays alone in its CTE (vec0 rejects
  // `k = ?` beside a LIMIT).
  const stmt = store.db.prepare(`WITH knn AS MATERIALIZED (
      SELECT rowid, distance FROM vec_semantic_memory WHERE embedding MATCH ? AND k = ? ${partition})
    SELECT knn.rowid, m.id, knn.distance,
      (m.rowid IS NOT NULL ${where.map((w) => 'AND ' + w).join(' ')}) AS ok
    FROM knn LEFT JOIN semantic_memory m ON m.rowid = knn.rowid ORDER BY knn.distance, knn.rowid`);
  const blob = Buffer.from(query.buffer, query.byteOffset, query.byteLength);
  let k = Math.min(Math.max(limit * 2, 32), VEC0_MAX_K);
  for (let rounds = 1; ; rounds++) {
    const rows = stmt.all(blob, BigInt(k), ...(f.contentType ? [f.contentType] : []), ...params) as (Row & {
      ok: number;
    })[];
    const hits = rows
      .filter((r) => r.ok === 1)
      .slice(0, limit)
      .map((r) => ({ rowid: r.rowid, id: r.id, distance: r.distance! }));
    if (hits.length >= limit || rows.length < k) return { hits, via: 'vec0', rounds }; // enough, or vec0 has no more
    if (k >= VEC0_MAX_K) return { hits: exactScan(store, query, f, limit), via: 'filtered-scan', rounds: rounds + 1 };
    k = Math.min(k * WIDEN, VEC0_MAX_K);
  }
}

/** Exact distances over the filtered memories (optionally only `rowids`), computed by sqlite-vec: always right. */
function exactScan(
  store: Store,
  query: Float32Array,
  f: SearchFilter,
  limit: number,
  rowids?: Set<number>,
): VectorHit[] {
  const { where, params } = filterSql(f);
  if (rowids) {
    where.push(`m.rowid IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify([...rowids]));
  }
  return store.db
    .prepare(
      `SELECT m.rowid, m.id, vec_distance_cosine(m.embedding, ?) AS distance FROM semantic_memory m
    WHERE m.embedding IS NOT NULL ${where.map((w) => 'AND ' + w).join(' ')} ORDER BY distance, m.rowid LIMIT ?`,
    )
    .all(Buffer.from(query.buffer, query.byteOffset, query.byteLength), ...params, limit) as VectorHit[];
}

/** Exact cosine distances, nearest first (ties: lower rowid first). */
function nearest(rows: Row[], query: Float32Array, limit: number): VectorHit[] {
  const out: VectorHit[] = [];
  for (const r of rows) {
    const v = toVector(r.embedding, query.length);
    if (!v) continue;
    const distance = cosineDistance(query, v);
    // a zero vector: as if orthogonal
    out.push({ rowid: r.rowid, id: r.id, distance: Number.isNaN(distance) ? 1 : distance });
  }
  out.sort((a, b) => a.distance - b.distance || a.rowid - b.rowid);
  return out.slice(0, limit);
}

const f32 = Math.fround;

/**
 * sqlite-vec's cosine distance, step for step (float32 sums, double square roots, float32
 * result), so that the index path and the vec0 path give bit-identical distances and orders.
 */
export function cosineDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot = f32(dot + f32(a[i] * b[i]));
    aa = f32(aa + f32(a[i] * a[i]));
    bb = f32(bb + f32(b[i] * b[i]));
  }
  return f32(1 - dot / (Math.sqrt(aa) * Math.sqrt(bb)));
}

/**
 * Cosine similarity of the query to each given memory, by id, from its stored vector (as the
 * rescoring computes it). Memories not embedded yet, or holding another dimension, are absent.
 */
export function similarities(
  store: Store,
  query: Float32Array,
  memories: readonly { rowid: number }[],
): Map<string, number> {
  if (memories.length === 0) return new Map();
  const rows = store.db
    .prepare(
      `SELECT rowid, id, embedding FROM semantic_memory
       WHERE rowid IN (SELECT value FROM json_each(?)) AND embedding IS NOT NULL`,
    )
    .all(JSON.stringify(memories.map((m) => m.rowid))) as Row[];
  return new Map(nearest(rows, query, rows.length).map((h) => [h.id, 1 - h.distance]));
}
