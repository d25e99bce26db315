import * as vscode from 'vscode';
import { progressLabel, type MicroTask, type Phase, type PhaseStatus, type Progress } from '../../../core/plans';
import { rowShape, type TreeContext } from './context';
import { phaseIcon } from './icons';
import type { PlanNode } from './planNode';
import { TaskNode } from './taskNode';
import { Tooltip } from './tooltip';

const FINISHED: ReadonlySet<PhaseStatus> = new Set(['completed', 'skipped']);

export class PhaseNode {
  readonly kind = 'phase';

  constructor(
    readonly parent: PlanNode,
    readonly phase: Phase,
    readonly progress: Progress,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const { phase } = this;
    const { id, state } = rowShape('phase', phase.id, this.progress.total > 0, !FINISHED.has(phase.status));
    const item = new vscode.TreeItem(phase.name, state);
    item.id = id;
    item.contextValue = `phase.${phase.status}`;
    item.iconPath = phaseIcon(phase.status);
    const extra =
      phase.status === 'blocked'
        ? ` · blocked${phase.blockingReason ? `: ${phase.blockingReason}` : ''}`
        : phase.status === 'skipped'
          ? ' · skipped'
          : ''; // the icon says the rest
    item.description = `${progressLabel(this.progress)}${extra}`;
    item.accessibilityInformation = {
      label: `Phase ${phase.sequenceOrder} ${phase.name}, ${phase.status}, ${progressLabel(this.progress)}`,
    };
    item.tooltip = new Tooltip()
      .heading(phaseIcon(phase.status).id, `${phase.sequenceOrder}. ${phase.name}`)
      .line('Status', `${phase.status}${phase.isParallel ? ' · may run in parallel' : ''}`)
      .line('Blocked by', phase.blockingReason)
      .paragraph(phase.description)
      .line('Done when', phase.completionCriteria)
      .line('Depends on', phase.dependencies.length ? `${phase.dependencies.length} earlier phase(s)` : undefined)
      .progress(this.progress)
      .times(phase.createdAt, phase.startedAt, phase.completedAt)
      .id(phase.id);
    return item;
  }

  /** Top-level tasks of the phase; sub-tasks hang under their parents (one query for all). */
  children(ctx: TreeContext): TaskNode[] {
    const tasks = ctx.repo.listTasks({ phaseId: this.phase.id });
    const ids = new Set(tasks.map((t) => t.id));
    const byParent = new Map<string | null, MicroTask[]>();
    for (const t of tasks) {
      const key = t.parentTaskId !== null && ids.has(t.parentTaskId) ? t.parentTaskId : null;
      byParent.set(key, [...(byParent.get(key) ?? []), t]);
    }
    return (byParent.get(null) ?? []).map((t) => new TaskNode(this, t, byParent, ctx.activeTaskId));
  }
}
