import * as vscode from 'vscode';
import { DevStreamError } from '../../core/errors';
import type { MicroTask, TaskStatus, TaskStatusOptions } from '../../core/plans';
import type { App } from '../app';
import { askText, requiredRule } from './planPrompt';
import { inputOf, num, str, taskArg, taskItems, type TaskItem } from './planPick';

/** Statuses after which a task is no longer the one being worked on. */
const LETS_GO: ReadonlySet<TaskStatus> = new Set(['completed', 'skipped', 'failed']);

/**
 * Every task status change made in this window goes through here, so the work session, the
 * performance metrics and the active task stay true: started → the session's active_tasks;
 * completed → completed_tasks plus an execution_time metric; finished → no longer active.
 */
export async function changeTaskStatus(
  app: App,
  task: MicroTask,
  to: TaskStatus,
  opts: TaskStatusOptions = {},
): Promise<MicroTask> {
  const repo = app.stores.plans;
  const updated = repo.setTaskStatus(task.id, to, opts);
  const { session } = app.activeTask;
  if (updated.status === 'active')
    session.taskStarted(updated.id); // its phase and plan started with it (core rule)
  else if (updated.status === 'completed') session.taskCompleted(updated);
  else session.taskStopped(updated.id);
  if (LETS_GO.has(updated.status) && app.activeTask.id === updated.id) await app.activeTask.clear();
  return updated;
}

/** Starts the task and makes it the window's active task. */
export async function startTask(app: App, arg?: unknown): Promise<MicroTask | undefined> {
  const task = await taskArg(app, arg, 'Start which task?', ['pending', 'failed']);
  if (!task) return undefined;
  const started = await changeTaskStatus(app, task, 'active');
  await app.activeTask.set(started.id);
  return started;
}

export async function completeTask(app: App, arg?: unknown): Promise<MicroTask | undefined> {
  const task = await taskArg(app, arg, 'Complete which task?', ['active']);
  if (!task) return undefined;
  return changeTaskStatus(app, task, 'completed', { actualDurationMinutes: num(inputOf(arg)?.actualDurationMinutes) });
}

/** Asks what went wrong: it goes to the task's error log, for the retry. */
export async function failTask(app: App, arg?: unknown): Promise<MicroTask | undefined> {
  const task = await taskArg(app, arg, 'Which task failed?', ['active']);
  if (!task) return undefined;
  const errorLog =
    str(inputOf(arg)?.errorLog) ??
    (await askText({
      title: `Mark "${task.title}" Failed`,
      prompt: "What went wrong? (kept in the task's error log for the retry)",
      placeHolder: 'e.g. The test database is not seeded',
      validate: requiredRule('Say what went wrong: the next attempt starts from it.'),
    }));
  if (errorLog === undefined) return undefined;
  return changeTaskStatus(app, task, 'failed', { errorLog });
}

export async function skipTask(app: App, arg?: unknown): Promise<MicroTask | undefined> {
  const task = await taskArg(app, arg, 'Skip which task?', ['pending', 'active']);
  if (!task) return undefined;
  return changeTaskStatus(app, task, 'skipped');
}

/** Picks (or takes) the task to work on; a pending or failed one is started. */
export async function setActiveTask(app: App, arg?: unknown): Promise<MicroTask | undefined> {
  let task: MicroTask | undefined;
  if (arg !== undefined) task = await taskArg(app, arg, 'Work on which task?', ['pending', 'active', 'failed']);
  else {
    const current = app.activeTask.id;
    const items: TaskItem[] = taskItems(app, ['active', 'pending', 'failed'], current);
    if (current) items.unshift({ label: '$(close) Clear the active task', description: 'keep its status' });
    if (items.length === 0)
      throw new DevStreamError('No open task to work on: add one with "DevStream: Add Task".', 'not_found');
    const pick = await vscode.window.showQuickPick(items, {
      title: 'Set Active Task',
      placeHolder: 'Which task are you working on?',
      matchOnDescription: true,
    });
    if (!pick) return undefined;
    if (!pick.task) {
      await app.activeTask.clear();
      return undefined;
    }
    task = pick.task;
  }
  if (!task) return undefined;
  if (task.status === 'completed' || task.status === 'skipped') {
    throw new DevStreamError(`Task "${task.title}" is ${task.status}: choose an open task to work on.`, 'conflict');
  }
  if (task.status !== 'active') task = await changeTaskStatus(app, task, 'active');
  await app.activeTask.set(task.id);
  return task;
}

export async function clearActiveTask(app: App): Promise<void> {
  await app.activeTask.clear();
}
