import type { Store } from '../db/store';
import type { Embedder } from '../embeddings/types';
import { DevStreamError } from '../errors';
import { getVectorSpace } from '../memory/vectorSpace';
import { buildFtsQuery } from './ftsQuery';
import { fusionDefaults, type FusionDefaults } from './fusionDefaults';
import { hitDetails } from './hitDetails';
import { clampLimit, keywordChannel, type KeywordChannelResult } from './keywordSearch';
import { keywordScale } from './keywordScale';
import { DEFAULT_RRF_K, reciprocalRankFusion, type RankedList } from './rrf';
import { scoreFusion } from './scoreFusion';
import { recordSearch } from './searchSideEffects';
import type { SearchFilter, SearchHit } from './types';
import { similarities, vectorSearch, type VectorSearchResult } from './vectorSearch';

export type SearchMode = 'hybrid' | 'keyword' | 'vector';

export interface HybridSearchOptions {
  /** Embeds the query for the vector channel; without one (or when it fails) hybrid is keyword-only. */
  embedder?: Embedder;
  /** A ready query vector: skips the embedder (benchmarks, callers that cache embeddings). */
  queryVector?: Float32Array;
  mode?: SearchMode;
  limit?: number;
  filters?: SearchFilter;
  /** 'score' (scores and ranks summed) or 'rrf' (ranks only); default: fusionDefaults for the index's model. */
  fusion?: FusionDefaults['method'];
  /** RRF constant (default 60), also for score fusion's rank term. */
  rrfK?: number;
  /** Per-channel weights (default: fusionDefaults for the index's model). */
  weights?: { keyword?: number; vector?: number };
  /** Score fusion: weight of the rank term (default: fusionDefaults; 0 = scores only). */
  rankWeight?: number;
  /** Hybrid: drop hits only the vector channel found below this cosine similarity (default: fusionDefaults). */
  minSimilarity?: number;
  signal?: AbortSignal;
  /** Search as you type: the last word matches as a prefix. */
  prefixLast?: boolean;
  /** Count the returned hits as accessed (access_count, last_accessed_at). Default true. */
  recordAccess?: boolean;
  /** Write the latency to performance_metrics. Default true. */
  recordMetrics?: boolean;
  /** Use the in-memory vector index when loaded (default true); false always asks vec0. */
  useIndex?: boolean;
}

export interface ChannelReport {
  ran: boolean;
  hits: number;
  ms: number;
  /** Why it did not run (not an error: e.g. keyword-only mode, no embedder). */
  skipped?: string;
  /** Why it failed (the search went on without it). */
  error?: string;
}

export interface HybridSearchResult {
  hits: SearchHit[];
  mode: SearchMode;
  channels: {
    keyword: ChannelReport;
    vector: ChannelReport & { via?: VectorSearchResult['via']; rounds?: number };
  };
  /** Set when the answer is weaker than asked, in words for the user. */
  degraded?: string;
  /** Keyword matches beyond the ranked newest ones were not ranked (a query of very common words). */
  keywordCapped?: boolean;
  /** embedMs: the query embedding; searchMs: everything else in the database and in memory. */
  timings: { embedMs: number; searchMs: number; totalMs: number };
}

const MODES: readonly SearchMode[] = ['hybrid', 'keyword', 'vector'];
/** Longer text says nothing more to an embedder and costs time. */
const MAX_QUERY_EMBED_CHARS = 2000;

/**
 * Hybrid search: BM25 keyword hits and vector KNN hits fused by normalised scores or by
 * Reciprocal Rank Fusion (fusionDefaults.ts picks per embedding model).
 * Either channel alone still answers (a hit found by one channel is kept), and a channel that
 * is unavailable — no embedder, the provider down, another model's vectors — is reported in
 * `channels` and `degraded` rather than thrown. Both channels read one database snapshot.
 * Only an aborted signal or invalid options throw.
 */
export async function hybridSearch(
  store: Store,
  query: string,
  opts: HybridSearchOptions = {},
): Promise<HybridSearchResult> {
  const started = performance.now();
  const mode = opts.mode ?? 'hybrid';
  if (!MODES.includes(mode))
    throw new DevStreamError(`Unknown search mode '${String(mode)}'; use one of: ${MODES.join(', ')}.`);
  const limit = clampLimit(opts.limit);
  const depth = Math.min(Math.max(limit * 2, 30), 200); // each channel's list for fusion
  const filters = opts.filters ?? {};
  const rrfK = opts.rrfK ?? DEFAULT_RRF_K;
  const defaults = fusionDefaults(getVectorSpace(store).model);
  const weights = {
    keyword: opts.weights?.keyword ?? defaults.weights.keyword,
    vector: opts.weights?.vector ?? defaults.weights.vector,
  };
  const minSimilarity = opts.minSimilarity ?? defaults.minSimilarity;
  const rankWeight = opts.rankWeight ?? defaults.rankWeight;
  if (!Number.isFinite(rankWeight) || rankWeight < 0)
    throw new DevStreamError(`rankWeight must be a number ≥ 0 (got ${rankWeight}).`);
  const method = opts.fusion ?? defaults.method;
  if (method !== 'score' && method !== 'rrf')
    throw new DevStreamError(`Unknown fusion '${String(method)}'; use score or rrf.`);
  if (!Number.isFinite(minSimilarity) || minSimilarity < -1 || minSimilarity > 1) {
    throw new DevStreamError(`minSimilarity must be a number from -1 to 1 (got ${minSimilarity}).`);
  }
  reciprocalRankFusion(
    [
      { name: 'keyword', ids: [], weight: weights.keyword },
      { name: 'vector', ids: [], weight: weights.vector },
    ],
    rrfK,
  ); // validates
  const text = typeof query === 'string' ? query : '';
  const blank = text.trim().length === 0;

  const keyword: ChannelReport = { ran: false, hits: 0, ms: 0 };
  const vector: HybridSearchResult['channels']['vector'] = { ran: false, hits: 0, ms: 0 };
  if (mode === 'vector') keyword.skipped = 'vector-only mode';
  if (mode === 'keyword') vector.skipped = 'keyword-only mode';

  let queryVector: Float32Array | null = null;
  let embedMs = 0;
  if (mode !== 'keyword' && !blank) {
    const unavailable = vectorUnavailable(store, opts);
    if (unavailable) vector.skipped = unavailable;
    else {
      const t = performance.now();
      try {
        queryVector =
          opts.queryVector ??
          (await opts.embedder!.embed([text.slice(0, MAX_QUERY_EMBED_CHARS)], 'query', opts.signal))[0] ??
          null;
        if (!queryVector) vector.error = 'the embedder returned no vector';
      } catch (e) {
        opts.signal?.throwIfAborted();
        vector.error = `the embedding provider failed: ${e instanceof Error ? e.message : String(e)}`;
      }
      embedMs = performance.now() - t;
    }
  }
  opts.signal?.throwIfAborted();

  const t0 = performance.now();
  let keywordResult: KeywordChannelResult | null = null;
  let vectorResult: VectorSearchResult | null = null;
  const hits = store.db
    .transaction(() => {
      if (mode !== 'vector' && !blank) {
        const t = performance.now();
        keywordResult = keywordChannel(store, text, { limit: depth, filters, prefixLast: opts.prefixLast });
        Object.assign(keyword, { ran: true, hits: keywordResult.hits.length, ms: performance.now() - t });
      }
      if (queryVector) {
        const t = performance.now();
        try {
          vectorResult = vectorSearch(store, queryVector, { limit: depth, filters, useIndex: opts.useIndex });
          Object.assign(vector, {
            ran: true,
            hits: vectorResult.hits.length,
            via: vectorResult.via,
            rounds: vectorResult.rounds,
          });
        } catch (e) {
          vector.error = `vector search failed: ${e instanceof Error ? e.message : String(e)}`;
        }
        vector.ms = performance.now() - t;
      }
      return fuse(store, mode, limit, text, keywordResult, vectorResult, queryVector, {
        method,
        rrfK,
        weights,
        rankWeight,
        minSimilarity,
        prefixLast: opts.prefixLast === true,
      });
    })
    .deferred();
  const searchMs = performance.now() - t0;

  const degraded = degradation(mode, vector, blank);
  const result: HybridSearchResult = {
    hits,
    mode,
    channels: { keyword, vector },
    ...(degraded ? { degraded } : {}),
    ...((keywordResult as KeywordChannelResult | null)?.capped ? { keywordCapped: true } : {}),
    timings: { embedMs, searchMs, totalMs: performance.now() - started },
  };
  recordSearch(store, result, { access: opts.recordAccess !== false, metrics: opts.recordMetrics !== false });
  return result;
}

function vectorUnavailable(store: Store, opts: HybridSearchOptions): string | undefined {
  if (!store.vectorsEnabled) return 'the sqlite-vec extension is not loaded';
  const space = getVectorSpace(store);
  if (opts.queryVector) {
    return opts.queryVector.length === space.dimension
      ? undefined
      : `the query vector has ${opts.queryVector.length} dimensions, the index ${space.dimension}`;
  }
  const e = opts.embedder;
  if (!e) return 'no embedding provider is configured';
  if (e.dimension !== space.dimension || (space.model !== null && space.model !== e.model)) {
    return `the index holds ${space.model ?? 'no'} vectors (${space.dimension}-d) but the provider is ${e.model} (${e.dimension}-d): re-index embeddings`;
  }
  return undefined;
}

function degradation(mode: SearchMode, vector: ChannelReport, blank: boolean): string | undefined {
  if (mode === 'keyword' || vector.ran || blank) return undefined;
  const why = vector.error ?? vector.skipped ?? 'unknown reason';
  return mode === 'hybrid' ? `Keyword results only: ${why}.` : `No vector results: ${why}.`;
}

interface FuseOptions {
  method: FusionDefaults['method'];
  rrfK: number;
  weights: { keyword: number; vector: number };
  rankWeight: number;
  minSimilarity: number;
  prefixLast: boolean;
}

function fuse(
  store: Store,
  mode: SearchMode,
  limit: number,
  text: string,
  kw: KeywordChannelResult | null,
  vec: VectorSearchResult | null,
  queryVector: Float32Array | null,
  { method, rrfK, weights, rankWeight, minSimilarity, prefixLast }: FuseOptions,
): SearchHit[] {
  const kwRank = new Map<string, { rank: number; rowid: number; bm25: number }>();
  kw?.hits.forEach((h, i) => kwRank.set(h.id, { rank: i + 1, rowid: h.rowid, bm25: h.bm25 }));
  const vecRank = new Map<string, { rank: number; rowid: number; distance: number }>();
  vec?.hits.forEach((h, i) => vecRank.set(h.id, { rank: i + 1, rowid: h.rowid, distance: h.distance }));

  let ranked: { id: string; score: number }[];
  if (mode === 'keyword') ranked = (kw?.hits ?? []).map((h) => ({ id: h.id, score: -h.bm25 }));
  else if (mode === 'vector') ranked = (vec?.hits ?? []).map((h) => ({ id: h.id, score: 1 - h.distance }));
  else {
    // A vector-only hit below the floor is noise (at distance 1 it shares nothing with the query).
    const kept = vec?.hits.filter((h) => kwRank.has(h.id) || 1 - h.distance >= minSimilarity);
    if (method === 'score') {
      // Keyword hits the vector list missed are scored by their stored vectors, in this snapshot.
      const missed = (kw?.hits ?? []).filter((h) => !vecRank.has(h.id));
      ranked = scoreFusion({
        keyword: (kw?.hits ?? []).map((h) => ({ id: h.id, bm25: -h.bm25 })),
        keywordScale: kw ? keywordScale(store, text, { prefixLast }) : 1,
        vector: (kept ?? []).map((h) => ({ id: h.id, similarity: 1 - h.distance })),
        similarity: queryVector ? similarities(store, queryVector, missed) : new Map(),
        weights,
        rankWeight,
        rrfK,
      });
    } else {
      const lists: RankedList[] = [];
      if (kw) lists.push({ name: 'keyword', ids: kw.hits.map((h) => h.id), weight: weights.keyword });
      if (kept) lists.push({ name: 'vector', ids: kept.map((h) => h.id), weight: weights.vector });
      ranked = reciprocalRankFusion(lists, rrfK);
    }
  }
  ranked = ranked.slice(0, limit);

  const rowidOf = (id: string) => (kwRank.get(id)?.rowid ?? vecRank.get(id)?.rowid)!;
  const match = kw?.match ?? buildFtsQuery(text, { mode: 'any' });
  const details = hitDetails(
    store,
    ranked.map((r) => rowidOf(r.id)),
    match,
  );
  const hits: SearchHit[] = [];
  for (const r of ranked) {
    const d = details.get(rowidOf(r.id));
    if (!d) continue; // cannot happen inside one snapshot; never show a memory that is gone
    const k = kwRank.get(r.id);
    const v = vecRank.get(r.id);
    hits.push({
      ...d,
      score: r.score,
      ...(k ? { keywordRank: k.rank } : {}),
      ...(v ? { vectorRank: v.rank, distance: v.distance } : {}),
    });
  }
  return hits;
}
