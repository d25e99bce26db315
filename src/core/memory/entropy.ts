/**
 * Randomness heuristics used by the secret detector (secrets.ts): Shannon entropy,
 * character-class statistics and a few "this is obviously not a key" shapes (UUIDs,
 * hex digests, base64 of plain text). Plain functions over short strings; no I/O.
 */

/** Shannon entropy in bits per character (0 for the empty string). */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

export interface CharStats {
  lower: number;
  upper: number;
  digit: number;
  other: number;
  /** How many of lower/upper/digit/other occur at least once. */
  classes: number;
  /** Fraction of adjacent pairs whose characters are of different classes. */
  transitionRatio: number;
  /** Fraction of characters inside word-like runs: 4+ lowercase letters, or a capital and 3+ lowercase. */
  wordyRatio: number;
}

const enum Cls {
  Lower,
  Upper,
  Digit,
  Other,
}

function classOf(c: number): Cls {
  if (c >= 97 && c <= 122) return Cls.Lower;
  if (c >= 65 && c <= 90) return Cls.Upper;
  if (c >= 48 && c <= 57) return Cls.Digit;
  return Cls.Other;
}

export function charStats(s: string): CharStats {
  const n = [0, 0, 0, 0];
  let transitions = 0;
  let wordy = 0;
  let run = 0; // current run of lowercase letters
  let runHasCap = false; // the run is preceded by a single capital ("Word")
  let prev: Cls | -1 = -1;
  const closeRun = () => {
    if (run >= 4 || (runHasCap && run >= 3)) wordy += run + (runHasCap ? 1 : 0);
    run = 0;
    runHasCap = false;
  };
  for (let i = 0; i < s.length; i++) {
    const k = classOf(s.charCodeAt(i));
    n[k]++;
    if (prev !== -1 && k !== prev) transitions++;
    if (k === Cls.Lower) {
      if (run === 0) runHasCap = prev === Cls.Upper;
      run++;
    } else closeRun();
    prev = k;
  }
  closeRun();
  return {
    lower: n[Cls.Lower],
    upper: n[Cls.Upper],
    digit: n[Cls.Digit],
    other: n[Cls.Other],
    classes: n.filter((x) => x > 0).length,
    transitionRatio: s.length > 1 ? transitions / (s.length - 1) : 0,
    wordyRatio: s.length ? wordy / s.length : 0,
  };
}

/**
 * Entropy a string must reach to count as random: a uniformly random string over a
 * base62/base64 alphabet of length L scores about log2(L) - 0.3 (L <= 64), so the bar is
 * set below that but above what words, identifiers and paths reach at the same length.
 */
export function entropyThreshold(length: number): number {
  return Math.min(4.3, 0.82 * Math.log2(Math.max(length, 2)));
}

/**
 * True for token-like strings that look machine-generated: upper, lower and digits all
 * present, entropy over the length-adjusted threshold, frequent class changes
 * (random text switches class on ~60% of pairs), few separators and few word-like runs.
 */
export function looksRandom(s: string): boolean {
  if (s.length < 16) return false;
  const st = charStats(s);
  if (st.lower === 0 || st.upper === 0 || st.digit === 0) return false;
  if (st.transitionRatio < 0.3) return false;
  // Random base62/64 text has ~3% symbols and rarely half its length in word-like runs
  // (p99 of wordyRatio is 0.5 at length 24-32); identifiers and paths have far more of both.
  if (st.wordyRatio > 0.5 || st.other / s.length > 0.15) return false;
  return shannonEntropy(s) >= entropyThreshold(s.length);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEXISH_RE = /^(?:0x)?[0-9a-f]+(?:[-:][0-9a-f]+)*$/i;

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

/** Hex digests, git SHAs, MAC-like and UUID-like hex groups. */
export function isHexish(s: string): boolean {
  return HEXISH_RE.test(s);
}

/**
 * True when s is base64 (standard or url-safe, padded to a multiple of 4 or not) of
 * mostly printable text: `SGVsbG8sIFdvcmxkIQ==` is "Hello, World!", not a key.
 */
export function isBase64OfText(s: string): boolean {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s) || s.length < 8) return false;
  const bytes = Buffer.from(s.replace(/=+$/, ''), s.includes('-') || s.includes('_') ? 'base64url' : 'base64');
  if (bytes.length < 4) return false;
  let printable = 0;
  for (const b of bytes) if ((b >= 32 && b < 127) || b === 9 || b === 10 || b === 13) printable++;
  return printable / bytes.length >= 0.95;
}
