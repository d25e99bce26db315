import { BUILTIN_MODEL_PREFIX } from '../embeddings/builtin';

export interface FusionDefaults {
  /** 'score': normalised scores summed (scoreFusion.ts); 'rrf': ranks only (rrf.ts). */
  method: 'score' | 'rrf';
  /** Per-channel weights. */
  weights: { keyword: number; vector: number };
  /** In hybrid mode a hit only the vector channel found is dropped below this cosine similarity. */
  minSimilarity: number;
}

/**
 * Fusion settings for the model whose vectors the index holds. For the built-in embedder, RRF
 * with equal weights, chosen on the dev split of `npm run bench -- --only quality-dev` and the
 * hand-written retrieval test (docs/search.md has the numbers, and why score-aware fusion,
 * better on paraphrased notes, is not the default). Other models (Ollama's nomic-embed-text) are
 * not measured by that benchmark and keep equal weights too. Either way a vector-only hit with
 * (almost) no similarity to the query is never fused in.
 */
export function fusionDefaults(model: string | null): FusionDefaults {
  if (model?.startsWith(BUILTIN_MODEL_PREFIX)) {
    return {
      method: 'rrf',
      weights: { keyword: 1, vector: BUILTIN_VECTOR_WEIGHT },
      minSimilarity: BUILTIN_MIN_SIMILARITY,
    };
  }
  return { method: 'rrf', weights: { keyword: 1, vector: 1 }, minSimilarity: 0 };
}

/**
 * Dev split MRR@10 (python, JS, notes) with the keyword title field: 0.460, 0.675, 0.313 at 1;
 * 0.444, 0.661, 0.321 at 3. (Before the title field, when keyword was the weaker channel, 3 won.)
 */
const BUILTIN_VECTOR_WEIGHT = 1;
/** Built-in cosines of related texts are 0.15-0.5; below 0.05 a text shares next to nothing. */
const BUILTIN_MIN_SIMILARITY = 0.05;
