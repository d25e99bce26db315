import * as vscode from 'vscode';
import type { MicroTask, TaskStatus } from '../../../core/plans';
import { formatMinutes } from '../../status/time';
import { rowShape } from './context';
import { taskIcon } from './icons';
import type { PhaseNode } from './phaseNode';
import { Tooltip } from './tooltip';

const FINISHED: ReadonlySet<TaskStatus> = new Set(['completed', 'skipped']);

/** A micro-task or a sub-task; its sub-tasks come from the phase's one query. */
export class TaskNode {
  readonly kind = 'task';
  private readonly subtasks: readonly MicroTask[];

  constructor(
    readonly parent: PhaseNode | TaskNode,
    readonly task: MicroTask,
    private readonly byParent: ReadonlyMap<string | null, MicroTask[]>,
    private readonly activeTaskId: string | undefined,
  ) {
    this.subtasks = byParent.get(task.id) ?? [];
  }

  get phaseNode(): PhaseNode {
    return this.parent.kind === 'phase' ? this.parent : this.parent.phaseNode;
  }

  toTreeItem(): vscode.TreeItem {
    const { task } = this;
    const isActiveTask = task.id === this.activeTaskId;
    const { id, state } = rowShape('task', task.id, this.subtasks.length > 0, !FINISHED.has(task.status));
    const item = new vscode.TreeItem(task.title, state);
    item.id = id;
    item.contextValue = `task.${task.status}`;
    item.iconPath = taskIcon(task.status, isActiveTask);
    const parts = [`${task.maxDurationMinutes} min`, task.taskType];
    if (task.status === 'completed' && task.actualDurationMinutes !== null)
      parts.push(`took ${formatMinutes(task.actualDurationMinutes)}`);
    if (task.status === 'failed') parts.push(task.retryCount > 0 ? `failed (${task.retryCount} retries)` : 'failed');
    if (task.status === 'skipped') parts.push('skipped');
    if (this.subtasks.length > 0) {
      parts.push(`${this.subtasks.filter((t) => FINISHED.has(t.status)).length}/${this.subtasks.length} sub-tasks`);
    }
    if (isActiveTask) parts.unshift('current');
    item.description = parts.join(' · ');
    item.accessibilityInformation = {
      label: `Task ${task.title}, ${task.status}${isActiveTask ? ', current task' : ''}, ${parts.join(', ')}`,
    };
    item.tooltip = new Tooltip()
      .heading(taskIcon(task.status, isActiveTask).id, task.title)
      .line(
        'Status',
        `${task.status}${isActiveTask ? ' · the task you are working on' : ''} · priority ${task.priority}/10`,
      )
      .line('Type', `${task.taskType} · at most ${task.maxDurationMinutes} min`)
      .line('Took', task.actualDurationMinutes === null ? undefined : formatMinutes(task.actualDurationMinutes))
      .paragraph(task.description)
      .line('Agent', task.assignedAgent)
      .line('Input files', task.inputFiles.join(', '))
      .line('Output files', task.outputFiles.join(', '))
      .line('Retries', task.retryCount > 0 ? String(task.retryCount) : undefined)
      .code('Error log', task.errorLog)
      .times(task.createdAt, task.startedAt, task.completedAt)
      .id(task.id);
    return item;
  }

  children(): TaskNode[] {
    return this.subtasks.map((t) => new TaskNode(this, t, this.byParent, this.activeTaskId));
  }
}
