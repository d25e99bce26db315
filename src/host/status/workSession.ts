import * as vscode from 'vscode';
import type { DevStream } from '../../core/devstream';
import type { MicroTask } from '../../core/plans';
import type { WorkSessionPatch } from '../../core/sessions/workSessions';
import type { StoreService } from '../store/storeService';

/** last_activity_at is history, not a clock: one write per this many ms is plenty. */
const TOUCH_EVERY_MS = 30_000;
/** StoreService has no "opened" event: notice a newly opened store this often. */
const SYNC_EVERY_MS = 5_000;

/**
 * This window's row in `work_sessions` (written by the core's session use cases): started when
 * the workspace database is (first) open, touched on writes, ended when the window closes.
 * active_tasks / completed_tasks list the tasks started and completed in this window.
 * Bookkeeping never fails a user's action: a failed write is logged and dropped.
 */
export class WorkSession implements vscode.Disposable {
  private current?: { id: string; ds: DevStream };
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

  /** Starts a row in the open database unless it already has ours. */
  sync(): void {
    if (!this.stores.isOpen) return;
    const ds = this.stores.ds;
    if (this.current?.ds === ds) return;
    // A reset (new database path) closed the previous one before we could end its row;
    // its ended_at stays empty, which is what a crashed window leaves too.
    this.active.clear();
    this.completed.clear();
    const name = `vscode:${vscode.workspace.name ?? 'window'}`;
    const id = this.write(() => ds.sessions.open({ name, planId: this.focusPlanId() }));
    if (id) this.current = { id, ds };
  }

  taskStarted(taskId: string): void {
    this.active.add(taskId);
    this.update(this.taskLists());
  }

  /** Failed, skipped, back to pending or deleted: no longer active here. */
  taskStopped(taskId: string): void {
    if (this.active.delete(taskId)) this.update(this.taskLists());
  }

  /** Moves the task to completed_tasks and records how long it took, in one transaction. */
  taskCompleted(task: MicroTask): void {
    this.active.delete(task.id);
    this.completed.add(task.id);
    this.sync();
    const s = this.current;
    if (!s) return;
    this.lastTouch = Date.now();
    this.write(() => s.ds.sessions.taskCompleted(s.id, task, this.taskLists()));
  }

  /** The plan being worked on changed (a new active task). */
  focusPlan(planId: string): void {
    this.update({ planId });
  }

  private taskLists(): WorkSessionPatch {
    return { activeTasks: [...this.active], completedTasks: [...this.completed] };
  }

  private touch(): void {
    if (Date.now() - this.lastTouch < TOUCH_EVERY_MS) return;
    this.update({});
  }

  /** Sets what is given (and last_activity_at) on this session's row. */
  private update(patch: WorkSessionPatch): void {
    this.sync();
    const s = this.current;
    if (!s) return;
    this.lastTouch = Date.now();
    this.write(() => s.ds.sessions.update(s.id, patch));
  }

  private write<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      this.output.warn(`Work session bookkeeping failed: ${(e as Error).message}`);
      return undefined;
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscription.dispose();
    const s = this.current;
    if (s?.ds.isOpen) this.write(() => s.ds.sessions.close(s.id));
  }
}
