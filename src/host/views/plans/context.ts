import * as vscode from 'vscode';
import type { PlanRepository } from '../../../core/plans';
import type { HiddenPlansNode } from './hiddenPlansNode';
import type { PhaseNode } from './phaseNode';
import type { PlanNode } from './planNode';
import type { TaskNode } from './taskNode';

/** What nodes need to build their items and children; made fresh for each read. */
export interface TreeContext {
  readonly repo: PlanRepository;
  /** The window's active task (app.activeTask.id), marked in the tree. */
  readonly activeTaskId: string | undefined;
}

export type PlansNode = PlanNode | PhaseNode | TaskNode | HiddenPlansNode;

/**
 * Id and expand state of a row that may have children. VS Code keeps a row it first drew as
 * a leaf collapsed when children arrive, so a row with children gets its own id: the first
 * child shows it anew, expanded when `open`. An empty row is a leaf (no empty twistie).
 */
export function rowShape(
  kind: string,
  id: string,
  hasChildren: boolean,
  open: boolean,
): { id: string; state: vscode.TreeItemCollapsibleState } {
  if (!hasChildren) return { id: `${kind}:${id}`, state: vscode.TreeItemCollapsibleState.None };
  return {
    id: `${kind}:${id}:parent`,
    state: open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
  };
}
