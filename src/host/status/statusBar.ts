import * as vscode from 'vscode';
import type { MicroTask } from '../../core/plans';
import type { StoreService } from '../store/storeService';
import type { ActiveTaskService } from './activeTask';
import { formatElapsed, parseDbTime } from './time';

const TICK_MS = 30_000;
const MAX_TITLE = 40;

/**
 * `$(target) <task title> · 12m` in the status bar; a click picks the active task. Hidden in
 * workspaces whose database is not open, so DevStream stays quiet where it is not used.
 */
export class ActiveTaskStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('devstream.activeTask', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly service: ActiveTaskService,
    private readonly stores: StoreService,
  ) {
    this.item.name = 'DevStream Active Task';
    this.item.command = 'devstream.setActiveTask';
    service.onDidChange(() => this.update(), null, this.disposables);
    stores.onDidChange(() => this.update(), null, this.disposables);
    this.update();
  }

  /** What the item shows now (tests read it: the API cannot read the status bar). */
  get text(): string {
    return this.item.text;
  }

  update(): void {
    let task: MicroTask | undefined;
    try {
      task = this.service.task;
    } catch {
      task = undefined; // the database went away: show the empty state
    }
    if (task) this.showTask(task);
    else if (this.stores.isOpen) this.showEmpty();
    else this.hide();
  }

  private showTask(task: MicroTask): void {
    const title = task.title.length > MAX_TITLE ? `${task.title.slice(0, MAX_TITLE - 1)}…` : task.title;
    const started = task.status === 'active' ? parseDbTime(task.startedAt) : undefined;
    this.item.text = `$(target) ${title}${started === undefined ? '' : ` · ${formatElapsed(Date.now() - started)}`}`;
    const tip = new vscode.MarkdownString('**Active task:** ').appendText(task.title);
    tip.appendMarkdown(`\n\n${task.status} · at most ${task.maxDurationMinutes} min · ${task.taskType}`);
    if (started !== undefined) tip.appendMarkdown(` · started ${new Date(started).toLocaleTimeString()}`);
    tip.appendMarkdown('\n\nClick to choose another task.');
    this.item.tooltip = tip;
    this.item.show();
    // Only a started task has a clock to keep up to date.
    if (started !== undefined) this.timer ??= setInterval(() => this.update(), TICK_MS);
    else this.stopTimer();
  }

  private showEmpty(): void {
    this.item.text = '$(target) No active task';
    this.item.tooltip = 'DevStream: choose the task you are working on (saved memories link to it)';
    this.stopTimer();
    this.item.show();
  }

  private hide(): void {
    this.item.hide();
    this.stopTimer();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stopTimer();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.item.dispose();
  }
}
