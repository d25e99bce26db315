import type { Store } from '../db/store';
import { newId } from '../ids';

/** An automation of the extension: a row in `hooks` the user can switch off. */
export interface HookDefinition {
  id: string;
  name: string;
  /** What sets it off, e.g. 'task_completed', 'files_renamed', 'schedule'. */
  eventType: string;
  actionType: string;
  description: string;
  order: number;
}

export interface HookRow {
  id: string;
  name: string;
  eventType: string;
  actionType: string;
  isActive: boolean;
  runs: number;
  failures: number;
  lastRunAt: string | null;
}

export type HookOutcome = { status: 'success' | 'skipped'; result?: unknown } | { status: 'failed'; error: string };

/** Inserts missing hook rows; keeps the user's on/off choice for existing ones. */
export function ensureHooks(store: Store, defs: readonly HookDefinition[]): void {
  const stmt = store.db
    .prepare(`INSERT INTO hooks (id, name, event_type, trigger_condition, action_type, action_config, is_active, execution_order)
    VALUES (@id, @name, @eventType, @description, @actionType, '{}', 1, @order)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, event_type = excluded.event_type, trigger_condition = excluded.trigger_condition,
      action_type = excluded.action_type, execution_order = excluded.execution_order`);
  store.tx(() => {
    for (const d of defs) stmt.run(d);
  });
}

export function isHookActive(store: Store, id: string): boolean {
  return (store.db.prepare(`SELECT coalesce(is_active, 1) FROM hooks WHERE id = ?`).pluck().get(id) ?? 0) === 1;
}

export function setHookActive(store: Store, id: string, active: boolean): void {
  store.db.prepare(`UPDATE hooks SET is_active = ? WHERE id = ?`).run(active ? 1 : 0, id);
}

export function listHooks(store: Store): HookRow[] {
  return (
    store.db
      .prepare(
        `SELECT h.id, h.name, h.event_type, h.action_type, coalesce(h.is_active, 1) AS active,
      count(e.id) AS runs, coalesce(sum(e.status = 'failed'), 0) AS failures, max(e.created_at) AS last_run
    FROM hooks h LEFT JOIN hook_executions e ON e.hook_id = h.id GROUP BY h.id ORDER BY h.execution_order, h.name`,
      )
      .all() as {
      id: string;
      name: string;
      event_type: string;
      action_type: string;
      active: number;
      runs: number;
      failures: number;
      last_run: string | null;
    }[]
  ).map((r) => ({
    id: r.id,
    name: r.name,
    eventType: r.event_type,
    actionType: r.action_type,
    isActive: r.active === 1,
    runs: r.runs,
    failures: r.failures,
    lastRunAt: r.last_run,
  }));
}

/**
 * Runs a hook's action when the hook is switched on, and records the run (status, time, event,
 * result or error) in hook_executions. A switched-off hook is recorded as skipped. Never throws:
 * an automation failing must not break what set it off.
 */
export async function runHook(
  store: Store,
  id: string,
  event: Record<string, unknown>,
  action: () => Promise<HookOutcome> | HookOutcome,
): Promise<HookOutcome> {
  const started = performance.now();
  let outcome: HookOutcome;
  if (!isHookActive(store, id)) outcome = { status: 'skipped', result: 'switched off' };
  else {
    try {
      outcome = await action();
    } catch (e) {
      outcome = { status: 'failed', error: (e as Error).message ?? String(e) };
    }
  }
  try {
    store.db
      .prepare(
        `INSERT INTO hook_executions (id, hook_id, event_data, execution_result, status, error_message, execution_time_ms) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        newId(),
        id,
        JSON.stringify(event),
        outcome.status === 'failed' ? null : JSON.stringify(outcome.result ?? null),
        outcome.status,
        outcome.status === 'failed' ? outcome.error : null,
        Math.round(performance.now() - started),
      );
  } catch {
    // recording is best effort (e.g. the database went read-only); the action's outcome stands
  }
  return outcome;
}
