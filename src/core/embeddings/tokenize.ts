import { STOP_WORDS } from './stopWords';

export interface Tokens {
  /** Lower-case words and identifier parts, stop words removed (kept when nothing else is left). */
  words: string[];
  /** Whole multi-part identifiers, lower-cased and joined: `getUserById` → `getuserbyid`. */
  compounds: string[];
}

const OTHER = 0;
const LOWER = 1; // also caseless letters (most non-Latin scripts)
const UPPER = 2;
const DIGIT = 3;
const UNDERSCORE = 4;

/** Longer parts are hashes, base64 or minified junk rather than words. */
const MAX_PART = 40;
/** Long digit runs (timestamps, ids) never match anything useful. */
const MAX_NUMBER = 4;

const LETTER = /\p{L}/u;

function kindAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 97 && c <= 122) return LOWER;
  if (c >= 65 && c <= 90) return UPPER;
  if (c >= 48 && c <= 57) return DIGIT;
  if (c === 95) return UNDERSCORE;
  if (c < 128) return OTHER;
  // Surrogates: treat astral characters (emoji, rare scripts) as separators.
  if (c >= 0xd800 && c <= 0xdfff) return OTHER;
  const ch = s[i];
  if (!LETTER.test(ch)) return OTHER;
  return ch !== ch.toLowerCase() ? UPPER : LOWER;
}

/**
 * Splits text into words the way identifiers are written: camelCase, PascalCase, snake_case,
 * kebab-case, SCREAMING_CASE and letter/digit boundaries all separate words
 * (`parseHTTPResponse2` → parse, http, response; `user-id` → user, id).
 */
export function tokenize(text: string): Tokens {
  const words: string[] = [];
  const compounds: string[] = [];
  const stopped: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && kindAt(text, i) === OTHER) i++;
    const start = i;
    while (i < n && kindAt(text, i) !== OTHER) i++;
    if (i > start) splitRun(text, start, i, words, compounds, stopped);
  }
  return { words: words.length > 0 || compounds.length > 0 ? words : stopped, compounds };
}

function splitRun(
  s: string,
  start: number,
  end: number,
  words: string[],
  compounds: string[],
  stopped: string[],
): void {
  let parts = 0;
  let partStart = start;
  const emit = (to: number) => {
    if (to <= partStart) return;
    parts++;
    const len = to - partStart;
    const isNumber = kindAt(s, partStart) === DIGIT;
    if (len < 2 || len > MAX_PART || (isNumber && len > MAX_NUMBER)) return;
    const w = s.slice(partStart, to).toLowerCase();
    (STOP_WORDS.has(w) ? stopped : words).push(w);
  };
  let prev = OTHER;
  for (let j = start; j < end; j++) {
    const k = kindAt(s, j);
    if (k === UNDERSCORE) {
      emit(j);
      partStart = j + 1;
    } else if (
      j > partStart &&
      ((prev === LOWER && k === UPPER) ||
        (prev === DIGIT) !== (k === DIGIT) ||
        (prev === UPPER && k === UPPER && j + 1 < end && kindAt(s, j + 1) === LOWER))
    ) {
      emit(j);
      partStart = j;
    }
    prev = k;
  }
  emit(end);
  if (parts > 1) {
    const whole = s.slice(start, end).replace(/_/g, '').toLowerCase();
    if (whole.length <= MAX_PART) compounds.push(whole);
  }
}

/**
 * A light suffix stripper so that inflections share one entry (parse, parses, parsed, parsing
 * → pars; entries → entry): plural -s/-es/-ies, -ed, -ing, a final -e, doubled final consonants.
 * Cruder than Porter's, but cheap and good enough for a lookup key; both the code-vector table
 * builder and the embedder use it.
 */
export function stem(w: string): string {
  if (w.length <= 3) return w;
  let s = w;
  if (s.endsWith('ies') && s.length > 4) s = s.slice(0, -3) + 'y';
  else if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (/(?:ch|sh|[sxz])es$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith('s') && !/(?:ss|us|is)$/.test(s)) s = s.slice(0, -1);
  if (s.endsWith('ing') && s.length > 5) s = s.slice(0, -3);
  else if (s.endsWith('ed') && s.length > 4) s = s.slice(0, -2);
  else if (s.endsWith('e') && s.length > 4) s = s.slice(0, -1);
  if (s.length > 3 && s[s.length - 1] === s[s.length - 2] && !/[aeiouls]/.test(s[s.length - 1])) s = s.slice(0, -1);
  return s;
}
