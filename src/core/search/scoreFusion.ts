import { DevStreamError } from '../errors';
import { compareFused, type FusedItem } from './rrf';

export interface ScoredList {
  name: string;
  /** Best first; higher score is better (BM25 as -bm25, cosine similarity). */
  items: readonly { id: string; score: number }[];
  /** How to bring the scores to [0, 1]: 'best' divides by the top score, 'range' maps worst..best. */
  normalize: 'best' | 'range';
  weight?: number;
}

/**
 * Score-aware fusion (weighted CombSUM of normalised scores). Unlike RRF it keeps how far apart
 * the hits of one channel are: a keyword hit far ahead of the rest stays ahead, and a vector hit
 * that is barely better than the tail gains little. An item missing from a channel gets 0 there.
 * Ties are broken like RRF's (best single-channel rank, then id).
 */
export function scoreFusion(lists: readonly ScoredList[]): FusedItem[] {
  const items = new Map<string, FusedItem>();
  const parts = new Map<string, number[]>();
  for (const list of lists) {
    const weight = list.weight ?? 1;
    if (!Number.isFinite(weight) || weight < 0)
      throw new DevStreamError(`The weight of channel '${list.name}' must be a number ≥ 0 (got ${weight}).`);
    const norm = normalizer(list);
    list.items.forEach(({ id, score }, i) => {
      let item = items.get(id);
      if (!item) {
        items.set(id, (item = { id, score: 0, ranks: {}, bestRank: Infinity }));
        parts.set(id, []);
      }
      if (item.ranks[list.name] !== undefined) return;
      item.ranks[list.name] = i + 1;
      item.bestRank = Math.min(item.bestRank, i + 1);
      parts.get(id)!.push(weight * norm(score));
    });
  }
  // Summed in a fixed order so that the same inputs give bit-identical scores whatever the list order.
  for (const item of items.values())
    item.score = parts
      .get(item.id)!
      .sort((a, b) => a - b)
      .reduce((s, x) => s + x, 0);
  return [...items.values()].sort(compareFused);
}

function normalizer(list: ScoredList): (score: number) => number {
  const scores = list.items.map((x) => x.score).filter(Number.isFinite);
  if (scores.length === 0) return () => 0;
  const best = Math.max(...scores);
  if (list.normalize === 'best') return best > 0 ? (s) => (Number.isFinite(s) ? Math.max(s, 0) / best : 0) : () => 1;
  const worst = Math.min(...scores);
  // One hit, or all equal: each is as good as the channel's best.
  return best > worst ? (s) => (Number.isFinite(s) ? (s - worst) / (best - worst) : 0) : () => 1;
}
