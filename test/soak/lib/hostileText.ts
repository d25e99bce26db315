import { seededRandom } from '../../helpers/random';

/** Pieces a hostile query is built from: FTS5 syntax, SQL, quoting, odd Unicode, control codes. */
const FTS_SYNTAX = [
  'AND',
  'OR',
  'NOT',
  'NEAR',
  'NEAR(',
  'NEAR(a b, 3)',
  'NEAR/2',
  '^',
  '*',
  '^retry',
  'retry*',
  '*retry',
  '"',
  '""',
  '"""',
  "'",
  "''",
  '(',
  ')',
  '((',
  '))',
  '()',
  ')(',
  '{',
  '}',
  '{content}:',
  'content:',
  'memory_id:',
  'search_terms:',
  '-content:',
  '{content search_terms}:',
  ':',
  '+',
  '-',
  '.',
  ',',
  ';',
  '\\',
  '/',
  '|',
  '&',
  '~',
  '`',
  '$',
  '%',
  '_',
  '?',
  '!',
  '@',
  '#',
  '=',
  '<',
  '>',
  '<=',
  '!=',
  '[',
  ']',
  'rank',
  'bm25',
  'MATCH',
  'rowid',
  'fts_semantic_memory:',
  'NEAR("a" "b")',
  '"a" + "b"',
  'a NOT',
  'NOT a',
  'OR OR',
  'AND AND',
  '* *',
];

const SQL = [
  "'; DROP TABLE semantic_memory; --",
  '" OR 1=1 --',
  "') OR ('1'='1",
  '/* comment */',
  '-- comment',
  'UNION SELECT * FROM devstream_meta',
  '%00',
  '%',
  '_%_',
  'NULL',
  'char(0)',
];

const WORDS = [
  'retry',
  'queue',
  'webhook',
  'backoff',
  'parser',
  'cache',
  'token',
  'schema',
  'getUserById',
  'HTTPServer',
  'snake_case_name',
  'x',
  'ab',
  'the',
  'a',
  'of',
  'and',
  'or',
  'not',
  'near',
  '42',
  '3.14',
  '0x1f',
  'café',
  'naïve',
  'Straße',
  'İstanbul',
  'ﬁle',
];

const UNICODE = [
  '日本語の検索',
  '中文搜索',
  '한국어',
  'עברית',
  'العربية',
  'Ελληνικά',
  'русский',
  'हिन्दी',
  'ไทย',
  'e\u0301',
  '\u0301\u0301\u0301',
  'Z̴̡̛̗̘a̷l̵g̶o̸',
  '\u200b',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\ufffd',
  '\ufffe',
  '\uffff',
  '\u00a0',
  '\u3000',
  '\u2028',
  '\u2029',
  'ﾊﾝｶｸ',
  'ｆｕｌｌｗｉｄｔｈ',
  '①②③',
  'Ⅻ',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '𝟙𝟚𝟛',
];

const EMOJI = ['😀', '👩‍💻', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇮🇹', '👍🏽', '🔥', '❤️', '1️⃣', '🧑🏿‍🚀', '\u{1F600}\u{1F600}\u{1F600}'];

/** Lone surrogates, NUL and other control characters: strings that are not well-formed text. */
const BROKEN = [
  '\ud800',
  '\udc00',
  '\udbff',
  'a\ud800b',
  '\udc00\ud800',
  '\0',
  'a\0b',
  '\0\0\0',
  '\x01',
  '\x07',
  '\x08',
  '\x1b[31m',
  '\x7f',
  '\x1f',
  '\r',
  '\n',
  '\t',
  '\v',
  '\f',
  '\r\n',
  '\u0085',
];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)];
}

/**
 * Deterministic hostile search queries: FTS5 operators and column filters, unbalanced quotes and
 * parentheses, SQL, control characters and NUL, lone surrogates, emoji, combining marks, RTL,
 * very long strings (up to 100 000 characters), many words, empty and blank.
 */
export function hostileQueries(seed: number, count: number): string[] {
  const rnd = seededRandom(seed);
  const fixed = [
    '',
    ' ',
    '\t\n',
    '\0',
    '"',
    '(',
    ')',
    '*',
    '^',
    'NEAR',
    'NOT',
    'AND OR NOT',
    '\ud800',
    '😀',
    'a'.repeat(100_000),
    'retry '.repeat(5_000),
    '"'.repeat(1001),
    '('.repeat(2000),
    'x'.repeat(1000) + '*',
  ];
  const out: string[] = [...fixed];
  const sources: readonly (readonly string[])[] = [FTS_SYNTAX, FTS_SYNTAX, SQL, WORDS, WORDS, UNICODE, EMOJI, BROKEN];
  while (out.length < count) {
    const kind = rnd();
    let q: string;
    if (kind < 0.7) {
      const parts = 1 + Math.floor(rnd() * 8);
      q = Array.from({ length: parts }, () => pick(rnd, pick(rnd, sources))).join(rnd() < 0.7 ? ' ' : '');
    } else if (kind < 0.8) {
      q = Array.from({ length: 1 + Math.floor(rnd() * 40) }, () =>
        String.fromCharCode(Math.floor(rnd() * 0x10000)),
      ).join(''); // any UTF-16 unit, surrogates included
    } else if (kind < 0.88) {
      q = Array.from({ length: 30 + Math.floor(rnd() * 60) }, () => pick(rnd, WORDS)).join(' '); // more words than the query keeps
    } else if (kind < 0.95) {
      q = pick(rnd, [...FTS_SYNTAX, ...WORDS, ...EMOJI, ...BROKEN]).repeat(200 + Math.floor(rnd() * 5000)); // long
    } else {
      q = String.fromCodePoint(
        ...Array.from({ length: 1 + Math.floor(rnd() * 10) }, () => 0x1f300 + Math.floor(rnd() * 0x300)),
      );
    }
    out.push(q);
  }
  return out.slice(0, count);
}

/** Contents worth finding with the queries above (all valid text). */
export function searchableContents(seed: number, count: number): string[] {
  const rnd = seededRandom(seed);
  const pool = [
    ...WORDS,
    ...UNICODE.filter((u) => u.isWellFormed() && !/[\u200b-\u200f\u202e\u2066\ufeff\ufffd\ufffe\uffff]/.test(u)),
    ...EMOJI,
    'NEAR',
    'AND',
    'OR',
    'NOT',
    'content:',
    '"quoted"',
    '(paren)',
    'a*b',
    'x^2',
  ];
  return Array.from(
    { length: count },
    (_, i) => `memory ${i}: ` + Array.from({ length: 5 + Math.floor(rnd() * 30) }, () => pick(rnd, pool)).join(' '),
  );
}

/** For logs: a query shown safely (escaped, cut). */
export function showQuery(q: string): string {
  const s = JSON.stringify(q.length > 60 ? q.slice(0, 60) + `…(${q.length} chars)` : q);
  return s;
}

/** n pseudo-random bytes from a seed (reproducible "binary file" content). */
export function seededBytes(seed: number, length: number): Buffer {
  const rnd = seededRandom(seed);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(rnd() * 256);
  return out;
}
