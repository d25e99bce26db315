import { loadWordRanks } from '../embeddings/wordVectors';

/**
 * Lower-case compounds, common in code (`readline`, `tarfile`, `getvalue`, `localtime`), split
 * into the two English words they are made of, so that "read a line" finds `readline`. A split
 * needs both parts among the COMMON_WORDS most frequent English words (media/word-vectors.bin's
 * list) and, when the compound is itself a word, the compound rarer than both parts: `timestamp`
 * → time stamp, but `important` stays whole (not import + ant). Of several splits the one with the
 * most frequent parts wins. On the retrieval benchmark (dev split) it lifted the keyword
 * channel's MRR@10 on the Python standard library from 0.427 to 0.443 (docs/search.md).
 */
export function splitCompound(word: string): readonly string[] {
  let parts = cache.get(word);
  if (parts) return parts;
  if (cache.size >= CACHE_SIZE) cache.clear();
  parts = split(word);
  cache.set(word, parts);
  return parts;
}

/** Parts of one or two letters (is, no, to) make more wrong splits than right ones. */
const MIN_PART = 3;
const COMMON_WORDS = 20_000;
const CACHE_SIZE = 20_000;
const cache = new Map<string, readonly string[]>();
function split(word: string): readonly string[] {
  const ranks = loadWordRanks();
  const rank = (w: string) => {
    const r = ranks.get(w);
    return r === undefined || r >= COMMON_WORDS ? Infinity : r;
  };
  const whole = ranks.get(word) ?? Infinity;
  let best: readonly string[] = NONE;
  let bestCost = Infinity;
  for (let i = MIN_PART; i <= word.length - MIN_PART; i++) {
    const a = word.slice(0, i);
    const b = word.slice(i);
    const ra = rank(a);
    const rb = rank(b);
    if (ra === Infinity || rb === Infinity || whole < Math.max(ra, rb)) continue;
    // Zipf: a word's probability ~ 1 / rank, so the likeliest split has the smallest Σ log rank.
    const cost = Math.log(ra + 10) + Math.log(rb + 10);
    if (cost < bestCost) [best, bestCost] = [[a, b], cost];
  }
  return best;
}

const NONE: readonly string[] = [];
