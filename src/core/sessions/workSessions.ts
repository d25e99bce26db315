import type { Store } from '../db/store';
import { newId } from '../ids';
import type { MicroTask } from '../plans/types';

/**
 * An editor window's row in `work_sessions` (MCP connections have theirs in agents/telemetry.ts,
 * with the same columns and JSON keys). Each function is one statement or one transaction.
 */

export function openWorkSession(store: Store, opts: { name: string; planId?: string }): string {
  const id = newId();
  store.db
    .prepare(
      `INSERT INTO work_sessions (id, plan_id, user_id, session_name, status, active_tasks, completed_tasks)
    VALUES (?, ?, ?, ?, 'active', '[]', '[]')`,
    )
    .run(id, opts.planId ?? null, process.env.USER ?? process.env.USERNAME ?? null, opts.name);
  return id;
}

export interface WorkSessionPatch {
  planId?: string;
  activeTasks?: readonly string[];
  completedTasks?: readonly string[];
}

/** Sets what is given, and last_activity_at (an empty patch only touches it). */
export function updateWorkSession(store: Store, id: string, patch: WorkSessionPatch = {}): void {
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (column: string, value: unknown) => {
    sets.push(`${column} = ?`);
    params.push(value);
  };
  if (patch.planId !== undefined) set('plan_id', patch.planId);
  if (patch.activeTasks) set('active_tasks', JSON.stringify(patch.activeTasks));
  if (patch.completedTasks) set('completed_tasks', JSON.stringify(patch.completedTasks));
  sets.push('last_activity_at = CURRENT_TIMESTAMP');
  store.db.prepare(`UPDATE work_sessions SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
}

/** A completed task's time, as a performance_metrics row (minutes; context keys as telemetry's). */
export function recordTaskMinutes(store: Store, sessionId: string, task: MicroTask): void {
  if (task.actualDurationMinutes === null) return;
  store.db
    .prepare(
      `INSERT INTO performance_metrics (id, metric_type, entity_type, entity_id, metric_value, metric_unit, context)
    VALUES (?, 'execution_time', 'task', ?, ?, 'min', ?)`,
    )
    .run(
      newId(),
      task.id,
      task.actualDurationMinutes,
      JSON.stringify({ session_id: sessionId, estimated_minutes: task.maxDurationMinutes }),
    );
}

export function closeWorkSession(store: Store, id: string): void {
  store.db
    .prepare(
      `UPDATE work_sessions SET status = 'completed', ended_at = CURRENT_TIMESTAMP,
    last_activity_at = CURRENT_TIMESTAMP WHERE id = ? AND status = 'active'`,
    )
    .run(id);
}
