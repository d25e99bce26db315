import { TASK_TYPES, type MicroTask, type NewTask, type TaskPatch, type TaskType } from '../../core/plans';
import type { App } from '../app';
import { linkedMemories } from './planHandlers';
import { askMinutes, askPriority, askText, confirmDelete, count, pickOne, titleRule } from './planPrompt';
import { inputOf, num, phaseArg, str, taskArg, type Input } from './planPick';

const TYPE_HINTS: Record<TaskType, string> = {
  analysis: 'understand the problem or the code',
  coding: 'write or change code',
  documentation: 'write docs or comments',
  testing: 'write or run tests',
  review: 'read and judge a change',
  research: 'find out how or what',
};

const OPEN_TASKS = ['pending', 'active', 'failed'] as const;

type TaskFields = Pick<NewTask, 'title' | 'description' | 'taskType' | 'maxDurationMinutes' | 'priority'>;

function taskFieldsOf(input: Input): TaskFields {
  return {
    title: str(input.title) ?? '',
    description: str(input.description),
    taskType: str(input.taskType) as TaskType | undefined,
    maxDurationMinutes: num(input.maxDurationMinutes),
    priority: num(input.priority),
  };
}

const pickType = (title: string, step: readonly [number, number] | undefined, current: TaskType = 'coding') =>
  pickOne(
    TASK_TYPES.map((t) => ({
      label: t,
      description: `${TYPE_HINTS[t]}${t === current ? ' · current' : ''}`,
      type: t,
    })).sort((a, b) => Number(b.type === current) - Number(a.type === current)),
    { title, step, placeHolder: 'What kind of work is it?' },
  );

/** Five steps: title, description, type, minutes (1–10), priority. Escape writes nothing. */
async function askTaskFields(T: string): Promise<TaskFields | undefined> {
  const title = await askText({
    title: T,
    step: [1, 5],
    prompt: 'Task title (required)',
    placeHolder: 'e.g. Validate the email field',
    validate: titleRule('task title'),
  });
  if (title === undefined) return undefined;
  const description = await askText({
    title: T,
    step: [2, 5],
    prompt: 'Description: what exactly, and how to tell it is done (optional)',
  });
  if (description === undefined) return undefined;
  const type = await pickType(T, [3, 5]);
  if (!type) return undefined;
  const maxDurationMinutes = await askMinutes(T, [4, 5]);
  if (maxDurationMinutes === undefined) return undefined;
  const priority = await askPriority(T, [5, 5]);
  if (priority === undefined) return undefined;
  return { title, description, taskType: type.type, maxDurationMinutes, priority };
}

export async function addTask(app: App, arg?: unknown): Promise<MicroTask | undefined> {
  const phase = await phaseArg(app, arg, 'Add a task to which phase?', ['pending', 'active', 'blocked']);
  if (!phase) return undefined;
  const input = inputOf(arg);
  const fields = input ? taskFieldsOf(input) : await askTaskFields(`Add Task to "${phase.name}"`);
  if (!fields) return undefined;
  const task = app.stores.plans.addTask({ ...fields, phaseId: phase.id });
  return task;
}

/** A sub-task lives in its parent's phase. Tree-only in the manifest; automation passes { taskId, … }. */
export async function addSubTask(app: App, arg?: unknown): Promise<MicroTask | undefined> {
  const parent = await taskArg(app, arg, 'Add a sub-task to which task?', OPEN_TASKS);
  if (!parent) return undefined;
  const input = inputOf(arg);
  const fields = input ? taskFieldsOf(input) : await askTaskFields(`Add Sub-task to "${parent.title}"`);
  if (!fields) return undefined;
  const task = app.stores.plans.addTask({ ...fields, phaseId: parent.phaseId, parentTaskId: parent.id });
  return task;
}

export async function editTask(app: App, arg?: unknown): Promise<MicroTask | undefined> {
  const task = await taskArg(app, arg, 'Edit which task?', [...OPEN_TASKS, 'completed', 'skipped']);
  if (!task) return undefined;
  const input = inputOf(arg);
  const patch: TaskPatch | undefined = input ? taskFieldsOf(input) : await askTaskPatch(task);
  if (!patch) return undefined;
  if (patch.title === '') delete patch.title; // an automation patch without a title keeps it
  const updated = app.stores.plans.updateTask(task.id, patch);
  return updated;
}

async function askTaskPatch(task: MicroTask): Promise<TaskPatch | undefined> {
  const T = `Edit Task "${task.title}"`;
  const field = await pickOne(
    [
      { label: 'Title', description: task.title, key: 'title' },
      { label: 'Description', description: task.description, key: 'description' },
      { label: 'Type', description: task.taskType, key: 'type' },
      { label: 'Minutes', description: `at most ${task.maxDurationMinutes}`, key: 'minutes' },
      { label: 'Priority', description: String(task.priority), key: 'priority' },
    ] as const,
    { title: T, placeHolder: 'Which field?' },
  );
  switch (field?.key) {
    case undefined:
      return undefined;
    case 'title': {
      const title = await askText({
        title: T,
        prompt: 'Task title',
        value: task.title,
        validate: titleRule('task title'),
      });
      return title === undefined ? undefined : { title };
    }
    case 'description': {
      const description = await askText({ title: T, prompt: 'Description', value: task.description });
      return description === undefined ? undefined : { description };
    }
    case 'type': {
      const type = await pickType(T, undefined, task.taskType);
      return type ? { taskType: type.type } : undefined;
    }
    case 'minutes': {
      const maxDurationMinutes = await askMinutes(T, undefined, task.maxDurationMinutes);
      return maxDurationMinutes === undefined ? undefined : { maxDurationMinutes };
    }
    case 'priority': {
      const priority = await askPriority(T, undefined, task.priority);
      return priority === undefined ? undefined : { priority };
    }
  }
}

export async function deleteTask(app: App, arg?: unknown): Promise<boolean> {
  const task = await taskArg(app, arg, 'Delete which task?', [...OPEN_TASKS, 'completed', 'skipped']);
  if (!task) return false;
  const repo = app.stores.plans;
  if (inputOf(arg)?.confirmed !== true) {
    const below = subtaskIds(repo.listTasks({ phaseId: task.phaseId }), task.id);
    const memories = linkedMemories(app, null, [], [task.id, ...below]);
    const detail = `This deletes ${below.length ? `its ${count(below.length, 'sub-task')} and ` : ''}${count(memories, 'linked memory', 'linked memories')}. It cannot be undone.`;
    if (!(await confirmDelete(`Delete task "${task.title}"?`, detail))) return false;
  }
  repo.deleteTask(task.id);
  app.activeTask.session.taskStopped(task.id);
  if (app.activeTask.id === task.id) await app.activeTask.clear();
  return true;
}

/** Ids of every task under `id` (sub-tasks of sub-tasks too). */
function subtaskIds(tasks: readonly MicroTask[], id: string): string[] {
  const children = tasks.filter((t) => t.parentTaskId === id).map((t) => t.id);
  return children.flatMap((c) => [c, ...subtaskIds(tasks, c)]);
}
