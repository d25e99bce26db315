import { stem } from '../embeddings/tokenize';
import { splitIdentifier } from '../memory/terms';

/** Words that match nearly every memory: dropped from queries unless nothing else is left. */
export const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for from has have i if in into is it its of on or so such that the their then there ' +
    'these they this to was we were will with you your'
  ).split(' '),
);

const MAX_QUERY_CHARS = 1000;
const MAX_TERMS = 24;
const WORD = /[\p{L}\p{N}]+/gu;

export interface FtsQueryOptions {
  /** 'all': every word must match (precise); 'any': at least one (for recall). */
  mode?: 'all' | 'any';
  /** Treat the last word as a prefix (search as you type). */
  prefixLast?: boolean;
  /** Also match other inflections of each word: `"parsing" OR "pars"*` (stems of >= MIN_STEM letters). */
  stems?: boolean;
}

/** Shorter stems as prefixes match unrelated words (`us`* from "uses"). */
const MIN_STEM = 4;

/**
 * Turns what a person typed into a safe FTS5 MATCH expression, or null when nothing
 * searchable is left. Every word is emitted as a quoted string, so no input can reach FTS5
 * as syntax: quotes, operators, column filters, parentheses and `*` are all plain text.
 * A camelCase word also matches its parts (indexed in search_terms).
 */
export function buildFtsQuery(input: string, opts: FtsQueryOptions = {}): string | null {
  const kept = keptWords(input);
  if (kept.length === 0) return null;
  const clauses = kept.map((word, i) => {
    const lower = word.toLowerCase();
    const prefix = opts.prefixLast && i === kept.length - 1 && lower.length >= 2 ? '*' : '';
    const parts = splitIdentifier(word);
    if (parts.length > 1) return `("${lower}"${prefix} OR (${parts.map((p) => `"${p}"`).join(' AND ')}))`;
    const s = opts.stems && !prefix && /^\p{L}+$/u.test(lower) ? stem(lower) : lower;
    if (s !== lower && s.length >= MIN_STEM) return `("${lower}" OR "${s}"*)`;
    return `"${lower}"${prefix}`;
  });
  return [...new Set(clauses)].join(opts.mode === 'any' ? ' OR ' : ' AND ');
}

/** The words a query searches for, as typed: stop words dropped unless nothing else is left. */
function keptWords(input: string): string[] {
  const words = (input.normalize('NFKC').slice(0, MAX_QUERY_CHARS).match(WORD) ?? []).slice(0, MAX_TERMS);
  const meaningful = words.filter((w) => !STOP_WORDS.has(w.toLowerCase()));
  return meaningful.length > 0 ? meaningful : words;
}

/** The distinct lower-case words buildFtsQuery looks for (each is one FTS5 term). */
export function queryTerms(input: string): string[] {
  return [...new Set(keptWords(input).map((w) => w.toLowerCase()))];
}

/** The words a query looks for, for highlighting and fuzz tests. */
export function queryWords(input: string): string[] {
  return (input.normalize('NFKC').slice(0, MAX_QUERY_CHARS).match(WORD) ?? []).map((w) => w.toLowerCase());
}
