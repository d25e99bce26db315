import path from 'node:path';
import { openStore } from '../../../src/core/db/open';
import type { Store } from '../../../src/core/db/store';
import { BuiltinEmbedder } from '../../../src/core/embeddings/builtin';
import type { Embedder } from '../../../src/core/embeddings/types';
import { isDevStreamError } from '../../../src/core/errors';
import { MemoryRepository } from '../../../src/core/memory/memoryRepository';
import { hybridSearch, type SearchMode } from '../../../src/core/search/hybridSearch';
import { keywordSearch } from '../../../src/core/search/keywordSearch';
import { hostileQueries, searchableContents, showQuery } from '../lib/hostileText';
import { checkIndex } from '../lib/invariants';
import { ms, n, type Checks } from '../lib/report';
import type { Scenario } from '../lib/scenario';

export type Variant = `hybrid:${SearchMode}` | 'keyword:plain' | 'keyword:prefix' | 'keyword:advanced';
/**
 * Longer advanced queries take seconds each (known bug B10): they are measured once by
 * checkLongAdvancedQuery instead of thousands of times.
 */
export const ADVANCED_MAX_CHARS = 2000;

export const VARIANTS: Variant[] = [
  'hybrid:hybrid',
  'hybrid:keyword',
  'hybrid:vector',
  'keyword:plain',
  'keyword:prefix',
  'keyword:advanced',
];

export interface SearchOutcome {
  calls: number;
  /** Advanced-mode syntax errors: DevStreamError('invalid') saying "Invalid search syntax" (allowed). */
  invalidSyntax: number;
  unexpected: { variant: Variant; query: string; error: string }[];
  /** Advanced-mode calls not made because the query is longer than ADVANCED_MAX_CHARS (known bug B10). */
  skippedLongAdvanced: number;
  slowest: { variant: Variant; query: string; ms: number };
  hits: number;
}

/** A store with memories (half embedded) that hostile queries can actually match. */
export async function seedSearchStore(
  file: string,
  seed: number,
  count: number,
): Promise<{ store: Store; embedder: Embedder }> {
  const store = openStore(file);
  const embedder = new BuiltinEmbedder();
  const contents = searchableContents(seed, count);
  const vectors = await embedder.embed(contents, 'document');
  new MemoryRepository(store).addMany(
    contents.map((content, i) => ({
      content,
      contentType: 'context',
      keywords: ['hostile'],
      embedding: i % 2 === 0 ? { vector: vectors[i], model: embedder.model, provider: embedder.id } : undefined,
    })),
  );
  return { store, embedder };
}

/**
 * Runs every query through every variant. Nothing may throw, except advanced keyword search
 * refusing invalid FTS5 syntax with DevStreamError('invalid') "Invalid search syntax: …".
 */
export async function runHostileQueries(store: Store, embedder: Embedder, queries: string[]): Promise<SearchOutcome> {
  const out: SearchOutcome = {
    calls: 0,
    invalidSyntax: 0,
    unexpected: [],
    skippedLongAdvanced: 0,
    slowest: { variant: 'keyword:plain', query: '', ms: 0 },
    hits: 0,
  };
  for (const query of queries) {
    for (const variant of VARIANTS) {
      if (variant === 'keyword:advanced' && query.length > ADVANCED_MAX_CHARS) {
        out.skippedLongAdvanced++;
        continue;
      }
      const t = performance.now();
      try {
        let hits: unknown[];
        if (variant.startsWith('hybrid:')) {
          hits = (await hybridSearch(store, query, { embedder, mode: variant.slice(7) as SearchMode, limit: 10 })).hits;
        } else {
          hits = keywordSearch(store, query, {
            limit: 10,
            prefixLast: variant === 'keyword:prefix',
            advanced: variant === 'keyword:advanced',
          });
        }
        if (!Array.isArray(hits)) throw new Error(`returned ${typeof hits}, not a list of hits`);
        out.hits += hits.length;
      } catch (e) {
        const allowed =
          variant === 'keyword:advanced' &&
          isDevStreamError(e) &&
          e.code === 'invalid' &&
          (/^Invalid search syntax: .+ Turn off advanced mode/s.test(e.message) ||
            /^Advanced searches are at most \d+ characters/.test(e.message));
        if (allowed) out.invalidSyntax++;
        else
          out.unexpected.push({
            variant,
            query,
            error:
              e instanceof Error
                ? `${e.name}${(e as { code?: string }).code ? ` ${(e as { code?: string }).code}` : ''}: ${e.message}`
                : String(e),
          });
      }
      const took = performance.now() - t;
      if (took > out.slowest.ms) out.slowest = { variant, query, ms: took };
      out.calls++;
    }
  }
  return out;
}

export function checkOutcome(checks: Checks, o: SearchOutcome, maxMs: number): void {
  const groups = new Map<string, number>();
  for (const u of o.unexpected) groups.set(`${u.variant} ${u.error}`, (groups.get(`${u.variant} ${u.error}`) ?? 0) + 1);
  const first = o.unexpected[0];
  checks.ok(
    'zero unexpected exceptions (advanced mode may only refuse syntax with DevStreamError invalid)',
    o.unexpected.length === 0,
    `${o.unexpected.length} unexpected: ${[...groups]
      .slice(0, 5)
      .map(([k, c]) => `${c}× ${k}`)
      .join(' | ')}${first ? `; e.g. query ${showQuery(first.query)}` : ''}`,
  );
  checks.ok(
    `every call answers within ${ms(maxMs)}`,
    o.slowest.ms <= maxMs,
    `slowest ${ms(o.slowest.ms)}: ${o.slowest.variant} ${showQuery(o.slowest.query)}`,
  );
}

/** Known bug B10: one long advanced query, timed. Returns how long it took. */
export function checkLongAdvancedQuery(checks: Checks, store: Store): number {
  const query = 'retry '.repeat(1000); // 6 000 characters
  const t = performance.now();
  let outcome = 'answered';
  try {
    keywordSearch(store, query, { advanced: true, limit: 10 });
  } catch (e) {
    outcome = isDevStreamError(e) && e.code === 'invalid' ? `refused: ${e.message}` : `threw ${String(e)}`;
  }
  const took = performance.now() - t;
  checks.ok(
    'a 6 000-character advanced query answers or is refused with DevStreamError invalid',
    outcome === 'answered' || outcome.startsWith('refused'),
    outcome,
  );
  checks.ok(
    'a 6 000-character advanced query takes under 1 s (answered or refused)',
    took < 1000,
    `${outcome} after ${ms(took)}`,
  );
  return took;
}

export const hostileSearch: Scenario = {
  name: 'hostile-search',
  title:
    'Generated hostile queries (FTS5 syntax, quotes, control characters, NUL, lone surrogates, emoji, 100K chars) through every search variant.',
  async run(ctx) {
    const count = ctx.quick ? 1_000 : 3_000;
    const { store, embedder } = await seedSearchStore(
      path.join(ctx.dir, 'search.db'),
      ctx.seed,
      ctx.quick ? 300 : 1_000,
    );
    try {
      const before = new MemoryRepository(store).count();
      const queries = hostileQueries(ctx.seed + 1, count);
      const t = performance.now();
      const o = await runHostileQueries(store, embedder, queries);
      const took = performance.now() - t;
      checkOutcome(ctx.checks, o, 5_000);
      const longAdvancedMs = checkLongAdvancedQuery(ctx.checks, store);
      ctx.checks.ok('searching wrote no memory', new MemoryRepository(store).count() === before);
      checkIndex(ctx.checks, 'after the queries', store);
      return (
        `${n(queries.length)} queries × ${VARIANTS.length} variants = ${n(o.calls)} calls in ${ms(took)}, ${o.unexpected.length} unexpected exceptions, ` +
        `${n(o.invalidSyntax)} advanced-syntax refusals (DevStreamError invalid), ${n(o.hits)} hits, slowest ${ms(o.slowest.ms)} (${o.slowest.variant}); ` +
        `${n(o.skippedLongAdvanced)} advanced calls over ${n(ADVANCED_MAX_CHARS)} chars not made (B10: one 6 000-char advanced query took ${ms(longAdvancedMs)})`
      );
    } finally {
      store.close();
    }
  },
};
