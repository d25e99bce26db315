import { DevStreamError } from '../errors';
import { compareFused, DEFAULT_RRF_K, type FusedItem } from './rrf';

export interface ScoreFusionInput {
  /** The keyword channel's hits, best first, with their BM25 (higher is better). */
  keyword: readonly { id: string; bm25: number }[];
  /** What BM25 gives a memory matching every query word once (keywordScale.ts). */
  keywordScale: number;
  /** The vector channel's hits, best first, with their cosine similarity. */
  vector: readonly { id: string; similarity: number }[];
  /** Cosine similarity of keyword hits the vector channel did not return (from their stored vectors). */
  similarity: ReadonlyMap<string, number>;
  weights: { keyword: number; vector: number };
  /** Weight of the rank term (RRF's, scaled to 1 at rank 1) added for each list a candidate is in. */
  rankWeight: number;
  /** RRF's constant for the rank term (default 60). */
  rrfK?: number;
}

/**
 * Score-aware fusion: each candidate of either channel gets
 *   weights.keyword × BM25 / keywordScale + weights.vector × cosine similarity
 *   + rankWeight × Σ over the lists it is in of (k + 1) / (k + rank)
 * The first two are on scales that mean the same for every query and database size (the share of
 * the query a keyword hit matches; the cosine itself), where RRF keeps only ranks. Every keyword
 * hit is scored by the vector channel too (its similarity is looked up when the vector list
 * missed it), so a keyword hit about something else sinks and a paraphrase the keywords miss
 * still rises. The rank term is RRF's: being near the top of both lists counts even when both
 * scores are modest. A candidate without a stored vector gets no vector share. Ties: best
 * single-channel rank, then id. docs/search.md has the measurements behind each part.
 */
export function scoreFusion(input: ScoreFusionInput): FusedItem[] {
  const { keyword: wk, vector: wv } = input.weights;
  const rankWeight = input.rankWeight;
  const k = input.rrfK ?? DEFAULT_RRF_K;
  for (const [name, w] of Object.entries({ ...input.weights, rank: rankWeight }))
    if (!Number.isFinite(w) || w < 0) throw new DevStreamError(`The ${name} weight must be a number ≥ 0 (got ${w}).`);
  const scale = input.keywordScale > 0 ? input.keywordScale : 1;
  const items = new Map<string, FusedItem & { kw: number; sim?: number }>();
  const item = (id: string) => {
    let it = items.get(id);
    if (!it) items.set(id, (it = { id, score: 0, ranks: {}, bestRank: Infinity, kw: 0 }));
    return it;
  };
  input.keyword.forEach(({ id, bm25 }, i) => {
    const it = item(id);
    if (it.ranks.keyword !== undefined) return;
    it.ranks.keyword = i + 1;
    it.bestRank = Math.min(it.bestRank, i + 1);
    it.kw = Number.isFinite(bm25) ? Math.max(bm25, 0) / scale : 0;
  });
  input.vector.forEach(({ id, similarity }, i) => {
    const it = item(id);
    if (it.ranks.vector !== undefined) return;
    it.ranks.vector = i + 1;
    it.bestRank = Math.min(it.bestRank, i + 1);
    it.sim = similarity;
  });
  for (const it of items.values()) {
    const sim = it.sim ?? input.similarity.get(it.id);
    it.score = wk * it.kw + (sim !== undefined && Number.isFinite(sim) ? wv * sim : 0);
    // The rank term: (k + 1) / (k + rank) is 1 at the top of a list, ~0.5 at rank k.
    for (const r of Object.values(it.ranks)) it.score += (rankWeight * (k + 1)) / (k + r);
  }
  return [...items.values()]
    .map(({ id, score, ranks, bestRank }) => ({ id, score, ranks, bestRank }))
    .sort(compareFused);
}
