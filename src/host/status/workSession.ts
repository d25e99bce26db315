import * as vscode from 'vscode';
import type { Store } from '../../core/db/store';
import { newId } from '../../core/ids';
import type { MicroTask } from '../../core/plans';
import type { StoreService } from '../store/storeService';

/** last_activity_at is history, not a clock: one write per this many ms is plenty. */
const TOUCH_EVERY_MS = 30_000;
/** StoreService has no "opened" event: notice a newly opened store this often. */
const SYNC_EVERY_MS = 5_000;

/**
 * This window's row in `work_sessions`: started when the workspace database is (first) open,
 * touched on writes, ended when the window closes. active_tasks / completed_tasks list the
 * tasks started and completed in this window. Bookkeeping never fails a user's action: a
 * failed write is logged and dropped.
 */
export class WorkSession implements vscode.Disposable {
  private current?: { id: string; store: Store };
  private readonly active = new Set<string>();
  private readonly completed = new Set<string>();
  private lastTouch = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly stores: StoreService,
    private readonly output: vscode.LogOutputChannel,
    /** The plan of the active task, recorded as the session's plan. */
    private readonly focusPlanId: () => string | undefined,
  ) {
    this.subscription = stores.onDidChange((kind) => {
      this.sync();
      if (kind !== 'all') this.touch(); // 'all' is a reset or another process's write, not ours
    });
    this.timer = setInterval(() => this.sync(), SYNC_EVERY_MS);
    this.sync();
  }

  /** The session row's id once the database is open. */
  get id(): string | undefined {
    return this.current?.id;
  }

  /** Starts a row in the open store unless this store already has ours. */
  sync(): void {
    if (!this.stores.isOpen) return;
    const store = this.stores.store;
    if (this.current?.store === store) return;
    // A reset (new database path) closed the previous store before we could end its row;
    // its ended_at stays empty, which is what a crashed window leaves too.
    this.active.clear();
    this.completed.clear();
    const id = newId();
    this.write(store, () => store.db.prepare(`INSERT INTO work_sessions
        (id, plan_id, user_id, session_name, status, active_tasks, completed_tasks)
      VALUES (?, ?, ?, ?, 'active', '[]', '[]')`)
      .run(id, this.focusPlanId() ?? null, process.env.USER ?? process.env.USERNAME ?? null, `vscode:${vscode.workspace.name ?? 'window'}`));
    this.current = { id, store };
  }

  taskStarted(taskId: string): void {
    this.active.add(taskId);
    this.writeTasks();
  }

  /** Failed, skipped, back to pending or deleted: no longer active here. */
  taskStopped(taskId: string): void {
    if (this.active.delete(taskId)) this.writeTasks();
  }

  /** Moves the task to completed_tasks and records how long it took. */
  taskCompleted(task: MicroTask): void {
    this.active.delete(task.id);
    this.completed.add(task.id);
    this.writeTasks();
    const s = this.current;
    if (!s || task.actualDurationMinutes === null) return;
    this.write(s.store, () => s.store.db.prepare(`INSERT INTO performance_metrics
        (id, metric_type, entity_type, entity_id, metric_value, metric_unit, context)
      VALUES (?, 'execution_time', 'task', ?, ?, 'min', ?)`)
      .run(newId(), task.id, task.actualDurationMinutes, JSON.stringify({ estimatedMinutes: task.maxDurationMinutes, sessionId: s.id })));
  }

  /** The plan being worked on changed (a new active task). */
  focusPlan(planId: string): void {
    this.update(`plan_id = ?`, planId);
  }

  private writeTasks(): void {
    this.update(`active_tasks = ?, completed_tasks = ?`, JSON.stringify([...this.active]), JSON.stringify([...this.completed]));
  }

  private touch(): void {
    if (Date.now() - this.lastTouch < TOUCH_EVERY_MS) return;
    this.update('');
  }

  /** Sets columns (and last_activity_at) on this session's row. */
  private update(sets: string, ...params: unknown[]): void {
    this.sync();
    const s = this.current;
    if (!s) return;
    this.lastTouch = Date.now();
    const assignments = sets ? `${sets}, last_activity_at = CURRENT_TIMESTAMP` : 'last_activity_at = CURRENT_TIMESTAMP';
    this.write(s.store, () => s.store.db.prepare(`UPDATE work_sessions SET ${assignments} WHERE id = ?`).run(...params, s.id));
  }

  private write(store: Store, fn: () => unknown): void {
    if (!store.db.open) return;
    try {
      fn();
    } catch (e) {
      this.output.warn(`Work session bookkeeping failed: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscription.dispose();
    const s = this.current;
    if (s) {
      this.write(s.store, () => s.store.db.prepare(`UPDATE work_sessions SET status = 'completed',
          ended_at = CURRENT_TIMESTAMP, last_activity_at = CURRENT_TIMESTAMP WHERE id = ?`).run(s.id));
    }
  }
}
