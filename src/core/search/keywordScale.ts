import type { Store } from '../db/store';
import { queryTerms } from './ftsQuery';

/**
 * What BM25 would give a memory holding every word of the query once: the sum of the words' idf,
 * with FTS5's own formula ln((N − n + ½) / (n + ½)) (n: memories holding the word, N: all).
 * Score fusion divides a keyword hit's BM25 by it, so the keyword channel's share means "how much
 * of what was asked this memory matches" on any database size: a hit matching one incidental
 * word of a long paraphrase weighs little, a hit matching the whole query weighs a lot.
 */
export function keywordScale(store: Store, query: string, opts: { prefixLast?: boolean } = {}): number {
  const terms = queryTerms(query);
  if (terms.length === 0) return 1;
  const { rows, exact, prefix } = vocabulary(store);
  const n = rows();
  // Search as you type: the last word is a prefix (buildFtsQuery), found in more memories than
  // the few letters as a word; counted as its most frequent completion.
  const last = opts.prefixLast ? terms.at(-1)! : null;
  let scale = 0;
  for (const t of terms) {
    // FTS5 indexes lower-case text without diacritics (unicode61 remove_diacritics 2).
    const k = Math.min(t === last && t.length >= 2 ? prefix(fold(t)) : exact(fold(t)), n);
    scale += Math.max(MIN_IDF, Math.log((n - k + 0.5) / (k + 0.5)));
  }
  return scale > 0 ? scale : 1;
}

/** FTS5 clamps the idf of a word found in most rows to a small positive number; so does this. */
const MIN_IDF = 1e-6;
const VOCAB = 'devstream_fts_vocab';

const fold = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '');

interface Vocabulary {
  /** N as bm25() sees it: FTS5's own row count. */
  rows: () => number;
  /** Memories holding the term. */
  exact: (term: string) => number;
  /** Memories holding the most frequent term that starts with it (of the first PREFIX_SCAN). */
  prefix: (start: string) => number;
}

/** A two-letter prefix can start thousands of terms: the most frequent is among the first few anyway. */
const PREFIX_SCAN = 2000;
const lookups = new WeakMap<Store, Vocabulary>();

/**
 * How many memories hold a term, from FTS5's vocabulary: an fts5vocab table in this connection's
 * temp schema (nothing is written to the database file), created on first use with the
 * statements every search runs.
 */
function vocabulary(store: Store): Vocabulary {
  let v = lookups.get(store);
  if (!v) {
    store.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.${VOCAB} USING fts5vocab(main, fts_semantic_memory, row)`);
    const exact = store.db.prepare(`SELECT doc FROM temp.${VOCAB} WHERE term = ?`).pluck();
    const prefix = store.db
      .prepare(`SELECT max(doc) FROM (SELECT doc FROM temp.${VOCAB} WHERE term >= ? AND term < ? LIMIT ${PREFIX_SCAN})`)
      .pluck();
    // The row count FTS5 keeps in its "averages" record (row id 1 of the %_data shadow table, a
    // SQLite varint first): one lookup instead of count(*) over every memory.
    const averages = store.db.prepare(`SELECT block FROM fts_semantic_memory_data WHERE id = 1`).pluck();
    v = {
      rows: () => {
        const block = averages.get() as Buffer | undefined;
        return block ? readVarint(block) : 0;
      },
      exact: (term) => (exact.get(term) as number | undefined) ?? 0,
      prefix: (start) => (prefix.get(start, start + '\u{10ffff}') as number | null) ?? 0,
    };
    lookups.set(store, v);
  }
  return v;
}

/** SQLite's varint: big-endian groups of 7 bits, high bit set on all but the last; a 9th byte has 8. */
export function readVarint(buf: Uint8Array): number {
  let v = 0;
  for (let i = 0; i < 9 && i < buf.length; i++) {
    if (i === 8) return v * 256 + buf[i];
    v = v * 128 + (buf[i] & 0x7f);
    if ((buf[i] & 0x80) === 0) return v;
  }
  return v;
}
