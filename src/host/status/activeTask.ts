import fs from 'node:fs';
import * as vscode from 'vscode';
import { isDevStreamError } from '../../core/errors';
import type { MicroTask } from '../../core/plans';
import type { App } from '../app';
import { ActiveTaskStatusBar } from './statusBar';
import { WorkSession } from './workSession';

const STATE_KEY = 'devstream.activeTaskId';
/** A task in one of these states is not being worked on any more. */
const DONE = new Set(['completed', 'skipped', 'failed']);

/**
 * The task this window is working on (`app.activeTask`): its id is kept in workspaceState so
 * it survives reloads, shown in the status bar, and read by other features (saved memories
 * link to it). Owns this window's work session, which records what was worked on.
 *
 * The service only tracks focus; changing a task's status is the task commands' job.
 */
export class ActiveTaskService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with the new active task id, or undefined when cleared. */
  readonly onDidChange = this.changed.event;
  readonly session: WorkSession;
  readonly statusBar: ActiveTaskStatusBar;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly app: App) {
    this.session = new WorkSession(app.stores, app.output, () => this.planId);
    this.statusBar = new ActiveTaskStatusBar(this, app.stores);
    // Another window, the CLI or an agent may complete or delete the task: let go of it then.
    app.stores.onDidChange(() => this.dropIfFinished(), null, this.disposables);
  }

  /** The active task's id, if any (it may be stale until the database is read). */
  get id(): string | undefined {
    return this.app.context.workspaceState.get<string>(STATE_KEY);
  }

  /** The active task as stored now; undefined when none, or when it no longer exists. */
  get task(): MicroTask | undefined {
    const id = this.id;
    if (!id || !this.openStore()) return undefined;
    try {
      return this.app.stores.plans.getTask(id);
    } catch (e) {
      if (isDevStreamError(e) && e.code === 'not_found') return undefined;
      throw e;
    }
  }

  /** The plan the active task belongs to. */
  get planId(): string | undefined {
    const task = this.task;
    return task ? this.app.stores.plans.getPhase(task.phaseId).planId : undefined;
  }

  /** Makes `taskId` the active task (its status is left to the caller). */
  async set(taskId: string): Promise<void> {
    const task = this.app.stores.plans.getTask(taskId); // throws a clear not_found
    if (this.id === task.id) return;
    await this.app.context.workspaceState.update(STATE_KEY, task.id);
    this.session.focusPlan(this.app.stores.plans.getPhase(task.phaseId).planId);
    this.changed.fire(task.id);
  }

  async clear(): Promise<void> {
    if (this.id === undefined) return;
    await this.app.context.workspaceState.update(STATE_KEY, undefined);
    this.changed.fire(undefined);
  }

  /** Opens the store only if its file exists: looking at the status bar must not create a database. */
  private openStore(): boolean {
    if (this.app.stores.isOpen) return true;
    const loc = this.app.stores.location;
    return !!loc && fs.existsSync(loc.dbPath) && this.app.stores.tryOpen() !== undefined;
  }

  private dropIfFinished(): void {
    if (!this.id || !this.app.stores.isOpen) return;
    try {
      const task = this.task;
      if (!task || DONE.has(task.status)) void this.clear();
    } catch (e) {
      this.app.output.warn(`Checking the active task failed: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.statusBar.dispose();
    this.session.dispose();
    this.changed.dispose();
  }
}
