import * as vscode from 'vscode';
import { DevStreamError, isDevStreamError } from '../../../core/errors';
import type { Phase, PlanRepository } from '../../../core/plans';
import type { App } from '../../app';
import type { PlansNode } from './context';

/** Tree drag-and-drop mime type: application/vnd.code.tree.<view id, lower case>. */
export const PLANS_MIME = 'application/vnd.code.tree.devstream.plans';

/** What is dragged: ids only, so a drop always acts on the rows as stored now. */
export interface DraggedItems {
  kind: 'phase' | 'task';
  ids: string[];
}

/**
 * Tasks onto a phase (or onto a task of it) move there with their sub-tasks; a phase onto
 * another phase of its plan takes that phase's position (onto its plan: the last position).
 * Anything else is refused with a sentence saying what would work.
 */
export class PlansDragAndDrop implements vscode.TreeDragAndDropController<PlansNode> {
  readonly dragMimeTypes = [PLANS_MIME];
  readonly dropMimeTypes = [PLANS_MIME];

  constructor(private readonly app: App) {}

  handleDrag(source: readonly PlansNode[], data: vscode.DataTransfer): void {
    // One kind per drag: the first row's kind decides, other kinds are left out.
    const first = source.find((n) => n.kind === 'phase' || n.kind === 'task');
    if (!first) return;
    const ids = source.flatMap((n) =>
      n.kind === 'task' && first.kind === 'task'
        ? [n.task.id]
        : n.kind === 'phase' && first.kind === 'phase'
          ? [n.phase.id]
          : [],
    );
    data.set(PLANS_MIME, new vscode.DataTransferItem({ kind: first.kind, ids } satisfies DraggedItems));
  }

  async handleDrop(target: PlansNode | undefined, data: vscode.DataTransfer): Promise<void> {
    const value: unknown = data.get(PLANS_MIME)?.value;
    const dragged = (typeof value === 'string' ? JSON.parse(value) : value) as DraggedItems | undefined;
    if (!dragged?.ids?.length) return;
    try {
      dropOnto(this.app.stores.plans, dragged, target);
    } catch (e) {
      if (!isDevStreamError(e)) this.app.output.error(`Drop failed: ${(e as Error).stack ?? String(e)}`);
      void vscode.window.showWarningMessage(`DevStream: ${(e as Error).message}`);
    }
  }
}

const refuse = (message: string) => new DevStreamError(message, 'invalid');

/** Applies a drop; returns whether anything changed. Throws a DevStreamError for a drop that makes no sense. */
export function dropOnto(repo: PlanRepository, dragged: DraggedItems, target: PlansNode | undefined): boolean {
  if (dragged.kind === 'task') {
    const shown =
      target?.kind === 'phase' ? target.phase : target?.kind === 'task' ? target.phaseNode.phase : undefined;
    if (!shown) throw refuse('Drop tasks on a phase (or on a task of that phase) to move them there.');
    const phase = repo.getPhase(shown.id); // as stored now, not as the row last showed it
    if (phase.status === 'completed' || phase.status === 'skipped') {
      throw refuse(`Phase "${phase.name}" is ${phase.status}: tasks cannot be moved into a finished phase.`);
    }
    const tasks = dragged.ids.map((id) => repo.getTask(id)).filter((t) => t.phaseId !== phase.id);
    if (tasks.length === 0) {
      throw refuse(
        `Already in phase "${phase.name}". Tasks keep the order they were added in; drag a task onto another phase to move it.`,
      );
    }
    for (const t of tasks) repo.moveTask(t.id, phase.id);
    return true;
  }
  const dest: Phase | undefined =
    target?.kind === 'phase' ? target.phase : target?.kind === 'task' ? target.phaseNode.phase : undefined;
  const planId = dest?.planId ?? (target?.kind === 'plan' ? target.plan.id : undefined);
  if (!planId) throw refuse('Drop a phase on another phase of its plan to take that position.');
  let changed = false;
  for (const id of dragged.ids) {
    const phase = repo.getPhase(id);
    if (phase.planId !== planId) {
      const [from, to] = [repo.getPlan(phase.planId).title, repo.getPlan(planId).title];
      throw refuse(
        `Phases can only be reordered within their plan: "${phase.name}" belongs to "${from}", not "${to}".`,
      );
    }
    const position = dest ? repo.getPhase(dest.id).sequenceOrder : repo.listPhases(planId).length;
    if (position !== phase.sequenceOrder) {
      repo.movePhase(phase.id, position);
      changed = true;
    }
  }
  return changed;
}
