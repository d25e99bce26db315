import * as vscode from 'vscode';
import { emptyProgress, progressLabel, type Plan, type PlanStatus, type Progress } from '../../../core/plans';
import { rowShape, type TreeContext } from './context';
import { planIcon } from './icons';
import { PhaseNode } from './phaseNode';
import { Tooltip } from './tooltip';

/** Plans still being worked on open expanded; finished ones stay folded. */
const OPEN: ReadonlySet<PlanStatus> = new Set(['draft', 'active', 'paused']);

export class PlanNode {
  readonly kind = 'plan';
  readonly parent = undefined;

  constructor(
    readonly plan: Plan,
    readonly progress: Progress,
    private readonly phaseCount: number,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const { plan } = this;
    const { id, state } = rowShape('plan', plan.id, this.phaseCount > 0, OPEN.has(plan.status));
    const item = new vscode.TreeItem(plan.title, state);
    item.id = id;
    item.contextValue = `plan.${plan.status}`;
    item.iconPath = planIcon(plan.status);
    // The icon shows the status; say it in words too unless it is the usual one.
    const progress = progressLabel(this.progress);
    const saysIt = plan.status === 'active' || (plan.status === 'completed' && progress.endsWith('done'));
    item.description = saysIt ? progress : `${progress} · ${plan.status}`;
    item.accessibilityInformation = { label: `Plan ${plan.title}, ${plan.status}, ${progressLabel(this.progress)}` };
    item.tooltip = new Tooltip()
      .heading(planIcon(plan.status).id, plan.title)
      .line('Status', `${plan.status} · priority ${plan.priority}/10`)
      .paragraph(plan.description)
      .list('Objectives', plan.objectives)
      .line('Expected outcome', plan.expectedOutcome)
      .progress(this.progress)
      .line('Tags', plan.tags.join(', '))
      .times(plan.createdAt, null, plan.completedAt)
      .id(plan.id);
    return item;
  }

  /** Phases in sequence order, with their rollups from one grouped query. */
  children(ctx: TreeContext): PhaseNode[] {
    const rollups = new Map(ctx.repo.planProgress(this.plan.id).phases.map((p) => [p.phaseId, p]));
    return ctx.repo
      .listPhases(this.plan.id)
      .map((ph) => new PhaseNode(this, ph, rollups.get(ph.id) ?? emptyProgress()));
  }
}
