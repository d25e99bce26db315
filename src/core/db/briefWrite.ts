import type { Store } from './store';

/**
 * Runs `fn` in one write transaction that waits at most `waitMs` for another writer, for writes
 * that may be skipped (search bookkeeping, cached index codes): undefined when the database is
 * read-only, busy for longer, or the write fails. The connection's busy timeout is restored.
 */
export function tryBriefWrite<T>(store: Store, waitMs: number, fn: () => T): T | undefined {
  const db = store.db;
  if (db.readonly) return undefined;
  const previous = db.pragma('busy_timeout', { simple: true }) as number;
  try {
    db.pragma(`busy_timeout = ${waitMs}`);
    return store.tx(fn);
  } catch {
    return undefined;
  } finally {
    db.pragma(`busy_timeout = ${previous}`);
  }
}
