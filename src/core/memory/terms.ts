/**
 * FTS5's unicode61 tokenizer keeps `getUserById` as one token, so a search for "user id" would
 * miss it. We index the parts of such identifiers in a separate FTS column (search_terms).
 */
// Words are matched linearly, then tested for an inner capital: a single regex for "a word with
// an inner capital" backtracks quadratically on long lower-case runs (minutes for 1 MB).
const WORD = /[A-Za-z][A-Za-z0-9]*/g;
const INNER_CAPITAL = /.[A-Z]/;
const MAX_TERMS = 4000;

/** Splits one identifier into lower-case parts: `parseHTTPResponse2` → parse, http, response, 2. */
export function splitIdentifier(word: string): string[] {
  return word
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_]+/)
    .filter((p) => p.length > 0);
}

/** The search_terms column: identifier parts and keywords, each once. */
export function searchTerms(content: string, keywords: readonly string[] = []): string | null {
  const terms = new Set<string>();
  for (const k of keywords) {
    for (const part of k.toLowerCase().split(/\s+/)) if (part) terms.add(part);
  }
  for (const match of content.matchAll(WORD)) {
    if (terms.size >= MAX_TERMS) break;
    // Identifiers are short; a 100+ character run is data (hashes, base64), and splitting it
    // would cost quadratic time in splitIdentifier's replacements.
    if (match[0].length > 100 || !INNER_CAPITAL.test(match[0])) continue;
    for (const part of splitIdentifier(match[0])) terms.add(part);
  }
  return terms.size > 0 ? [...terms].join(' ') : null;
}
