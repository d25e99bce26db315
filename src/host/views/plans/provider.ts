import fs from 'node:fs';
import * as vscode from 'vscode';
import { emptyProgress } from '../../../core/plans';
import type { App } from '../../app';
import type { PlansNode, TreeContext } from './context';
import { describePlanFilter, readPlanFilter } from './filter';
import { HiddenPlansNode } from './hiddenPlansNode';
import { PlanNode } from './planNode';

/**
 * The Plans tree: plans → phases → tasks → sub-tasks. Only delegates: each node kind builds
 * its own item and children. Reads are batched per level (all plans' rollups in one query,
 * a plan's phase rollups in one, a phase's tasks in one), so a refresh costs a few queries
 * per expanded node, not per row.
 */
export class PlansTreeProvider implements vscode.TreeDataProvider<PlansNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PlansNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly filterDescribed = new vscode.EventEmitter<string | undefined>();
  /** The status filter in words, after each read of the top level (for the view's description). */
  readonly onDidDescribeFilter = this.filterDescribed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly app: App) {
    app.stores.onDidChange(
      (kind) => {
        if (kind !== 'memories') this.refresh();
      },
      null,
      this.disposables,
    );
    app.activeTask.onDidChange(() => this.refresh(), null, this.disposables);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: PlansNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getChildren(node?: PlansNode): PlansNode[] {
    const ctx = this.context();
    if (!ctx) return [];
    try {
      return node ? node.children(ctx) : this.roots(ctx);
    } catch (e) {
      // Usually a row deleted by another window between two reads; the next refresh catches up.
      this.app.output.warn(`Reading plans failed: ${(e as Error).message}`);
      return [];
    }
  }

  getParent(node: PlansNode): PlansNode | undefined {
    return node.parent;
  }

  private roots(ctx: TreeContext): PlansNode[] {
    const shown = readPlanFilter(this.app.context.workspaceState);
    const all = ctx.repo.listPlans();
    const plans = all.filter((p) => shown.includes(p.status));
    this.filterDescribed.fire(describePlanFilter(shown, all.length - plans.length));
    if (plans.length === 0 && all.length > 0) return [new HiddenPlansNode(all.length)];
    const progress = ctx.repo.progressByPlan();
    const phaseCounts = ctx.repo.phaseCounts();
    return plans.map((p) => new PlanNode(p, progress.get(p.id) ?? emptyProgress(), phaseCounts.get(p.id) ?? 0));
  }

  /** Undefined without a database; looking at the view never creates one (commands do). */
  private context(): TreeContext | undefined {
    const { stores } = this.app;
    if (!stores.isOpen) {
      const loc = stores.location;
      if (!loc || !fs.existsSync(loc.dbPath) || !stores.tryOpen()) return undefined;
    }
    return { repo: stores.plans, activeTaskId: this.app.activeTask.id };
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.changed.dispose();
    this.filterDescribed.dispose();
  }
}
