import { tryBriefWrite } from '../db/briefWrite';
import type { Store } from '../db/store';
import { newId } from '../ids';
import { MemoryRepository } from '../memory/memoryRepository';
import type { HybridSearchResult } from './hybridSearch';

/** How long a search waits for another writer before skipping its bookkeeping. */
const WRITE_WAIT_MS = 50;

/**
 * After a search: counts the returned hits as accessed and records the latency, in one small
 * write transaction. Bookkeeping must never fail or stall a search: when another process holds
 * the write lock for more than WRITE_WAIT_MS, or the database is read-only, it is skipped.
 * Access tracking updates only columns that no index trigger watches (no FTS or vec rewrite).
 */
export function recordSearch(
  store: Store,
  result: HybridSearchResult,
  what: { access: boolean; metrics: boolean },
): void {
  if (!what.access && !what.metrics) return;
  // Busy or read-only: a lost access count is harmless, a failed search is not.
  tryBriefWrite(store, WRITE_WAIT_MS, () => {
    if (what.access && result.hits.length > 0) new MemoryRepository(store).recordAccess(result.hits.map((h) => h.id));
    if (what.metrics) {
      const context = {
        mode: result.mode,
        hits: result.hits.length,
        keywordHits: result.channels.keyword.hits,
        vectorHits: result.channels.vector.hits,
        vectorVia: result.channels.vector.via ?? null,
        embedMs: round(result.timings.embedMs),
        degraded: result.degraded ?? null,
      };
      store.db
        .prepare(
          `INSERT INTO performance_metrics (id, metric_type, entity_type, entity_id, metric_value, metric_unit, context)
          VALUES (?, 'search_latency', 'memory', 'search', ?, 'ms', ?)`,
        )
        .run(newId(), round(result.timings.searchMs), JSON.stringify(context));
    }
  });
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
