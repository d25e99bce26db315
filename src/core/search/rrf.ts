import { DevStreamError } from '../errors';

/** The usual constant (Cormack et al. 2009): damps the head of each list without ignoring its tail. */
export const DEFAULT_RRF_K = 60;

export interface RankedList {
  /** Channel name, e.g. 'keyword' or 'vector'. */
  name: string;
  /** Ids best first; an id listed twice counts at its first (best) rank. */
  ids: readonly string[];
  /** Multiplies this channel's contribution (default 1). */
  weight?: number;
}

export interface FusedItem {
  id: string;
  /** Σ weight / (k + rank) over the channels that found it. */
  score: number;
  /** 1-based rank in each channel that found it. */
  ranks: Record<string, number>;
  /** Its best rank in any single channel: the first tie-breaker. */
  bestRank: number;
}

/**
 * Reciprocal Rank Fusion. Ranks, not scores, are fused, so BM25 and cosine need no common scale.
 * An item found by one channel only keeps its share: nothing is dropped by a threshold, so when
 * one channel returns nothing (or is down) the result is just the other channel's order.
 * Ties (equal score) are broken by best single-channel rank, then by id: the order is
 * deterministic whatever the input order of the lists.
 */
export function reciprocalRankFusion(lists: readonly RankedList[], k = DEFAULT_RRF_K): FusedItem[] {
  if (!Number.isFinite(k) || k < 0) throw new DevStreamError(`The RRF constant k must be a number ≥ 0 (got ${k}).`);
  const items = new Map<string, FusedItem>();
  const parts = new Map<string, number[]>();
  for (const list of lists) {
    const weight = list.weight ?? 1;
    if (!Number.isFinite(weight) || weight < 0)
      throw new DevStreamError(`The weight of channel '${list.name}' must be a number ≥ 0 (got ${weight}).`);
    list.ids.forEach((id, i) => {
      let item = items.get(id);
      if (!item) {
        items.set(id, (item = { id, score: 0, ranks: {}, bestRank: Infinity }));
        parts.set(id, []);
      }
      if (item.ranks[list.name] !== undefined) return;
      const rank = i + 1;
      item.ranks[list.name] = rank;
      parts.get(id)!.push(weight / (k + rank));
      item.bestRank = Math.min(item.bestRank, rank);
    });
  }
  // Summed in a fixed order so that the same ranks give bit-identical scores whatever the list order.
  for (const item of items.values())
    item.score = parts
      .get(item.id)!
      .sort((a, b) => a - b)
      .reduce((s, x) => s + x, 0);
  return [...items.values()].sort(compareFused);
}

export function compareFused(a: FusedItem, b: FusedItem): number {
  return b.score - a.score || a.bestRank - b.bestRank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
