import { splitCompound } from './compounds';

/**
 * FTS5's unicode61 tokenizer keeps `getUserById` as one token, so a search for "user id" would
 * miss it. We index the parts of such identifiers in a separate FTS column (search_terms).
 */
// An identifier with an inner capital (`getUserById`, `HTTPResponse`), captured from its first
// letter. The look-behind lets a match start only where a word starts, and each part of the
// pattern can only fail forward, so the scan stays linear: a looser pattern backtracked
// quadratically on long lower-case runs (minutes for 1 MB).
const IDENTIFIER = /(?<![A-Za-z0-9])[0-9]*([A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*)/g;
const MAX_TERMS = 4000;

// The same identifiers recur across memories: their parts are remembered (bounded).
const partsCache = new Map<string, readonly string[]>();
const PARTS_CACHE_SIZE = 20_000;

function identifierParts(word: string): readonly string[] {
  let parts = partsCache.get(word);
  if (!parts) {
    if (partsCache.size >= PARTS_CACHE_SIZE) partsCache.clear();
    parts = splitIdentifier(word);
    partsCache.set(word, parts);
  }
  return parts;
}

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
  const scan = new RegExp(IDENTIFIER); // own lastIndex: callers may interleave
  for (let match = scan.exec(content); match !== null && terms.size < MAX_TERMS; match = scan.exec(content)) {
    // Identifiers are short; a 100+ character run is data (hashes, base64), and splitting it
    // would cost quadratic time in splitIdentifier's replacements.
    if (match[1].length > 100) continue;
    for (const part of identifierParts(match[1])) terms.add(part);
  }
  // Lower-case words of the text and lower-case parts of identifiers (getFilename → filename).
  const compounds = new RegExp(COMPOUND);
  for (let match = compounds.exec(content); match !== null && terms.size < MAX_TERMS; match = compounds.exec(content)) {
    for (const part of splitCompound(match[0])) terms.add(part);
  }
  for (const term of [...terms]) {
    if (term.length >= MIN_COMPOUND && terms.size < MAX_TERMS) for (const part of splitCompound(term)) terms.add(part);
  }
  return terms.size > 0 ? [...terms].join(' ') : null;
}

/** Words long enough to be two (splitCompound needs parts of 3+ letters), all lower case. */
const MIN_COMPOUND = 6;
const COMPOUND = new RegExp(`(?<![A-Za-z])[a-z]{${MIN_COMPOUND},30}(?![A-Za-z])`, 'g');

/** A longer first line is data (minified code, a log line), not a title. */
const MAX_TITLE_CHARS = 300;

/**
 * The title_terms column: the first line of a memory of several lines (a signature, a heading)
 * and its identifier parts. FTS indexes it as a field of its own that BM25 weighs above the
 * body (BM25F): on the retrieval benchmark it lifted the keyword channel's MRR@10 by 12 %
 * (python) and 14 % (JS/TS) (docs/search.md). A memory of one line has no title: all of it is body.
 */
export function titleTerms(content: string): string | null {
  const nl = content.indexOf('\n');
  if (nl <= 0 || nl > MAX_TITLE_CHARS || content.slice(nl).trim() === '') return null;
  const line = content.slice(0, nl).trim();
  if (!line) return null;
  const name = signatureName(line);
  const parts = name ? splitIdentifier(name) : [];
  const named = name
    ? [name, ...parts.filter((p) => p !== name), ...parts.flatMap((p) => splitCompound(p))].join(' ')
    : '';
  return [line, searchTerms(line), named].filter(Boolean).join(' ');
}

const MODIFIERS = '(?:(?:export|default|async|static|public|private|protected|pub|abstract|override|readonly)\\s+)*';
/** `def name`, `class Name`, `function name`, `fn name`… */
const DEFINED = new RegExp(
  `^${MODIFIERS}(?:def|class|function\\*?|interface|fn|func|type|struct|enum)\\s+([A-Za-z_$][\\w$]*)`,
);
/** `name(`, `name<T>(`, `get name(`, `const name = (`, `name = function`… */
const CALLED = new RegExp(
  `^${MODIFIERS}(?:(?:get|set|const|let|var)\\s+)?([A-Za-z_$][\\w$]*)\\s*(?:[(<]|=\\s*(?:async\\s*)?(?:function\\b|\\())`,
);

/**
 * The name a signature line defines, if the line is one: it goes into the title field once more
 * (with its parts: `tar_open` → tar open), since a function's name says most about it. Dev split
 * MRR@10 of the keyword channel: 0.443 → 0.455 (Python), 0.648 → 0.656 (JS/TS).
 */
function signatureName(line: string): string | null {
  const m = DEFINED.exec(line) ?? CALLED.exec(line);
  return m ? m[1].replace(/_/g, ' ').trim() || null : null;
}
