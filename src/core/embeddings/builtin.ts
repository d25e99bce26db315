import { addHashed, hash3, hashString } from './hashing';
import { stem, tokenize } from './tokenize';
import type { EmbedPurpose, Embedder, ProbeResult } from './types';
import { normalizeInPlace } from './vectorMath';
import { loadCodeVectors, loadWordVectors, type WordVectors } from './wordVectors';

export const BUILTIN_DIMENSION = 768;
/** Changing the tokenizer, weights, seeds or asset changes every vector: bump the version. */
export const BUILTIN_MODEL = 'devstream-builtin-v2';
/** Every model name this embedder ever used: a store holding an older one is re-embedded, not mixed. */
export const BUILTIN_MODEL_PREFIX = 'devstream-builtin-';

const HASH_SEED_WORD = 0x5eed0001;
const HASH_SEED_TRIGRAM = 0x5eed0002;
/** ^ and $ mark word boundaries in character trigrams (as in fastText). */
const BOW = 0x5e;
const EOW = 0x24;

/**
 * Squared block weights = each block's share of the cosine (the blocks are normalised
 * separately): English meaning from GloVe, code meaning from the code vectors (words used
 * together in code), exact words/identifiers, and spelling (pool ~ pooling). Tuned on the dev
 * split of `npm run bench -- --only quality-dev` (docs/search.md).
 */
const SHARE_GLOVE = 0.3;
const SHARE_CODE = 0.4;
const SHARE_WORDS = 0.15;
const SHARE_TRIGRAMS = 0.15;

/**
 * SIF-style weight a / (a + p(w)) with Zipf's p(w) ∝ 1 / rank: frequent words count less.
 * Words missing from the table are rarer than all of it, so they get the top weight.
 */
const SIF_RANK = 100;
const sifWeight = (row: number) => (row + 1) / (row + 1 + SIF_RANK);
const UNKNOWN_WEIGHT = 1;
/**
 * Words of the first line (a signature, a title) count HEAD_BOOST times more: a field weight,
 * as in BM25F. Dev split MRR@10 of the vector channel rose 0.36 → 0.42 (python) for 0 → 8 and
 * stayed flat beyond; 8 still lets a long body speak.
 */
const HEAD_BOOST = 8;
const YIELD_EVERY = 200;

/**
 * Offline embedder: weighted averages of GloVe word vectors (100 dims) and of code word vectors
 * (128 dims, trained on source code) joined with signed hashed word and character-trigram
 * features (540 dims). Deterministic, no network. Good at shared vocabulary, identifiers,
 * synonyms GloVe knows and words code uses together; not a sentence model.
 */
export class BuiltinEmbedder implements Embedder {
  readonly id = 'builtin' as const;
  readonly model = BUILTIN_MODEL;
  readonly dimension = BUILTIN_DIMENSION;

  constructor(
    private readonly load: () => WordVectors = loadWordVectors,
    private readonly loadCode: () => WordVectors = loadCodeVectors,
  ) {}

  async embed(texts: string[], _purpose: EmbedPurpose, signal?: AbortSignal): Promise<Float32Array[]> {
    const wv = this.load();
    const cv = this.loadCode();
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i++) {
      // ~0.1 ms per snippet: yield now and then so a big batch does not freeze the host.
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      out.push(embedText(wv, texts[i], cv));
    }
    return out;
  }

  async probe(): Promise<ProbeResult> {
    try {
      this.load();
      this.loadCode();
      return { ok: true };
    } catch (e) {
      return {
        ok: false,
        reason: e instanceof Error ? e.message : String(e),
        hint: 'Reinstall the DevStream extension.',
      };
    }
  }
}

let scratch: { glove: Float32Array; code: Float32Array; words: Float32Array; trigrams: Float32Array } | undefined;

/** Embeds one text synchronously (the whole pipeline; exported for benchmarks). */
export function embedText(wv: WordVectors, text: string, cv: WordVectors = loadCodeVectors()): Float32Array {
  const dims = wv.dims;
  const codeDims = cv.dims;
  const hashDims = BUILTIN_DIMENSION - dims - codeDims;
  // Scratch blocks reused across calls (this function is synchronous, so never re-entered).
  if (scratch?.glove.length !== dims || scratch.code.length !== codeDims) {
    const f32 = (n: number) => new Float32Array(n);
    scratch = { glove: f32(dims), code: f32(codeDims), words: f32(hashDims), trigrams: f32(hashDims) };
  }
  const { glove, code, words, trigrams } = scratch;
  glove.fill(0);
  code.fill(0);
  words.fill(0);
  trigrams.fill(0);
  const tokens = tokenize(text);

  // Every feature is linear in the word's weight, so each distinct word is processed once.
  const addWord = (w: string, count: number, withTrigrams: boolean) => {
    const row = wv.index.get(w);
    const weight = count * (row === undefined ? UNKNOWN_WEIGHT : sifWeight(row));
    if (row !== undefined) {
      const k = weight * wv.scales[row];
      const base = row * dims;
      for (let d = 0; d < dims; d++) glove[d] += k * wv.table[base + d];
    }
    // Code vectors are keyed by stem (parse, parsed, parsing share a row), as is the exact-word feature.
    const s = stem(w);
    const codeRow = cv.index.get(s);
    if (codeRow !== undefined) {
      const k = count * sifWeight(codeRow) * cv.scales[codeRow];
      const base = codeRow * codeDims;
      for (let d = 0; d < codeDims; d++) code[d] += k * cv.table[base + d];
    }
    addHashed(words, 0, hashDims, hashString(s, HASH_SEED_WORD), weight);
    if (withTrigrams) {
      // Each word's trigrams together weigh about as much as the word itself.
      const k = weight / Math.sqrt(w.length);
      for (let i = -1; i < w.length - 1; i++) {
        const a = i < 0 ? BOW : w.charCodeAt(i);
        const c = i + 2 < w.length ? w.charCodeAt(i + 2) : EOW;
        addHashed(trigrams, 0, hashDims, hash3(a, w.charCodeAt(i + 1), c, HASH_SEED_TRIGRAM), k);
      }
    }
  };
  // The first line says most about what follows: its words count extra (HEAD_BOOST).
  const nl = text.indexOf('\n');
  const head = nl > 0 && nl < text.length - 1 ? tokenize(text.slice(0, nl)) : null;
  // sqrt: a word repeated ten times is not ten times the topic (linear counts cost 0.04 MRR@10).
  const tf = Math.sqrt;
  const wordCounts = counts(tokens.words);
  const compoundCounts = counts(tokens.compounds);
  if (head) {
    for (const w of head.words) wordCounts.set(w, (wordCounts.get(w) ?? 0) + HEAD_BOOST);
    for (const c of head.compounds) compoundCounts.set(c, (compoundCounts.get(c) ?? 0) + HEAD_BOOST);
  }
  for (const [w, n] of wordCounts) addWord(w, tf(n), true);
  // A whole identifier matches itself exactly, and GloVe knows some (javascript, postgresql).
  for (const [c, n] of compoundCounts) addWord(c, tf(n), false);

  const out = new Float32Array(BUILTIN_DIMENSION);
  if (normalizeInPlace(glove)) out.set(scaled(glove, Math.sqrt(SHARE_GLOVE)), 0);
  if (normalizeInPlace(code)) out.set(scaled(code, Math.sqrt(SHARE_CODE)), dims);
  const hasWords = normalizeInPlace(words);
  const hasTrigrams = normalizeInPlace(trigrams);
  const kw = hasWords ? Math.sqrt(SHARE_WORDS) : 0;
  const kt = hasTrigrams ? Math.sqrt(SHARE_TRIGRAMS) : 0;
  const at = dims + codeDims;
  for (let i = 0; i < hashDims; i++) out[at + i] = kw * words[i] + kt * trigrams[i];
  if (!normalizeInPlace(out)) {
    // No words at all (empty or only punctuation): one fixed unit vector for "nothing".
    out[BUILTIN_DIMENSION - 1] = 1;
  }
  return out;
}

function counts(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of items) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

function scaled(v: Float32Array, k: number): Float32Array {
  for (let i = 0; i < v.length; i++) v[i] *= k;
  return v;
}
