import type { Store } from '../db/store';

/**
 * What the resource lists are made of: which memories and plans exist and what the plans are
 * called. Access counts and other bookkeeping are left out on purpose, so a search does not
 * count as a change.
 */
export function listSignature(store: Store): string {
  return store.db
    .prepare(
      `SELECT
      (SELECT count(*) || ':' || coalesce(max(rowid), 0) || ':' || coalesce(sum(coalesce(is_archived, 0)), 0)
        FROM semantic_memory)
      || '|' || (SELECT count(*) || ':' || coalesce(max(updated_at), '') FROM intervention_plans)
      || '|' || (SELECT count(*) FROM phases)`,
    )
    .pluck()
    .get() as string;
}

export interface ChangeWatch {
  /** Checks now (after a write made through this connection, which data_version does not see). */
  check(): void;
  dispose(): void;
}

/**
 * Calls `onChange` when the resource lists change, whoever wrote: this connection (call check()
 * after a write) or another process (PRAGMA data_version moves; polled every `intervalMs`).
 */
export function watchListChanges(store: Store, onChange: () => void, intervalMs = 1000): ChangeWatch {
  let version = dataVersion(store);
  let signature = listSignature(store);
  const check = () => {
    const now = listSignature(store);
    if (now === signature) return;
    signature = now;
    onChange();
  };
  const timer = setInterval(() => {
    try {
      const v = dataVersion(store);
      if (v === version) return;
      version = v;
      check();
    } catch {
      // The store closed under us: the dispose that follows stops the timer.
    }
  }, intervalMs);
  timer.unref();
  return { check, dispose: () => clearInterval(timer) };
}

function dataVersion(store: Store): number {
  return store.db.pragma('data_version', { simple: true }) as number;
}
