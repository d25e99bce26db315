import { BUILTIN_MODEL_PREFIX } from '../embeddings/builtin';

export interface FusionDefaults {
  /** 'score': scores and ranks summed (scoreFusion.ts); 'rrf': ranks only (rrf.ts). */
  method: 'score' | 'rrf';
  /** Per-channel weights. */
  weights: { keyword: number; vector: number };
  /** Score fusion: the weight of its rank term (0 = scores only). */
  rankWeight: number;
  /** In hybrid mode a hit only the vector channel found is dropped below this cosine similarity. */
  minSimilarity: number;
}

/**
 * Fusion settings for the model whose vectors the index holds. For the built-in embedder, score
 * fusion (BM25 as a share of the query, cosine × 3.5, RRF's rank term × 0.5), chosen on the dev
 * split of `npm run bench -- --only quality-dev` and the hand-written retrieval test
 * (docs/search.md has the numbers). Other models (Ollama's nomic-embed-text) are not measured by
 * that benchmark and keep equal-weight RRF: their cosines live on another scale. Either way a
 * vector-only hit with (almost) no similarity to the query is never fused in.
 */
export function fusionDefaults(model: string | null): FusionDefaults {
  if (model?.startsWith(BUILTIN_MODEL_PREFIX)) {
    return {
      method: 'score',
      weights: { keyword: 1, vector: BUILTIN_VECTOR_WEIGHT },
      rankWeight: BUILTIN_RANK_WEIGHT,
      minSimilarity: BUILTIN_MIN_SIMILARITY,
    };
  }
  return { method: 'rrf', weights: { keyword: 1, vector: 1 }, rankWeight: 0, minSimilarity: 0 };
}

/**
 * Dev split MRR@10 (python, JS, notes) of score fusion without the rank term: 0.491, 0.707, 0.446
 * at 3; 0.490, 0.704, 0.478 at 3.5; 0.486, 0.706, 0.475 at 4.
 */
const BUILTIN_VECTOR_WEIGHT = 3.5;
/**
 * Without it the hand-written retrieval test ranks one query fewer in the top 3 than keyword
 * search alone (15 vs 16 of 19); at 0.5 hybrid is back to 16 (keyword 16, vector 14), at a cost
 * of 0.001-0.002 MRR@10 on the docstring sets and 0.12 on the 20 dev notes (0.478 → 0.355).
 */
const BUILTIN_RANK_WEIGHT = 0.5;
/** Built-in cosines of related texts are 0.15-0.5; below 0.05 a text shares next to nothing. */
const BUILTIN_MIN_SIMILARITY = 0.05;
