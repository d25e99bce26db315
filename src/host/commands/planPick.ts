// How plan/phase/task commands find what they act on. A command gets, in this order of
// preference: a tree node (from a view menu), an automation object ({ planId, … } from
// executeCommand, e.g. tests or other extensions), an id string; with none, it asks.
import * as vscode from 'vscode';
import { DevStreamError } from '../../core/errors';
import {
  progressLabel,
  type EntityKind,
  type MicroTask,
  type Phase,
  type PhaseStatus,
  type Plan,
  type PlanStatus,
  type TaskStatus,
} from '../../core/plans';
import type { App } from '../app';
import { phaseCodicon, planCodicon, taskCodicon } from '../views/plans/icons';

export type Input = Record<string, unknown>;

/** The automation object a command was given; undefined from the palette or a tree node. */
export function inputOf(arg: unknown): Input | undefined {
  return arg !== null && typeof arg === 'object' && !Array.isArray(arg) && !('kind' in arg)
    ? (arg as Input)
    : undefined;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The id a node, an { <kind>Id } object or a string carries. */
function idOf(arg: unknown, kind: EntityKind): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg === null || typeof arg !== 'object') return undefined;
  const o = arg as Record<string, unknown>;
  if (o.kind === kind) return (o[kind] as { id: string }).id; // a tree node: { kind: 'plan', plan }
  return str(o[`${kind}Id`]);
}

/** Plans that still take work: the default choice in pickers. */
export const OPEN_PLANS: readonly PlanStatus[] = ['draft', 'active', 'paused'];

export async function planArg(
  app: App,
  arg: unknown,
  placeHolder: string,
  statuses = OPEN_PLANS,
): Promise<Plan | undefined> {
  const repo = app.stores.plans;
  const id = idOf(arg, 'plan');
  if (id) return repo.getPlan(repo.resolveId('plan', id));
  const plans = repo.listPlans({ status: [...statuses] });
  if (plans.length === 0)
    throw new DevStreamError(
      `No ${statuses.join(' or ')} plan to choose: create one with "DevStream: Create Plan".`,
      'not_found',
    );
  const progress = repo.progressByPlan();
  const items = plans.map((plan) => {
    const p = progress.get(plan.id);
    return {
      label: `${planCodicon(plan.status)} ${plan.title}`,
      description: `${plan.status}${p ? ` · ${progressLabel(p)}` : ''}`,
      plan,
    };
  });
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.plan;
}

export async function phaseArg(
  app: App,
  arg: unknown,
  placeHolder: string,
  statuses?: readonly PhaseStatus[],
): Promise<Phase | undefined> {
  const repo = app.stores.plans;
  const id = idOf(arg, 'phase');
  if (id) return repo.getPhase(repo.resolveId('phase', id));
  type Item = vscode.QuickPickItem & { phase?: Phase };
  const items: Item[] = [];
  for (const plan of repo.listPlans({ status: [...OPEN_PLANS] })) {
    const phases = repo.listPhases(plan.id).filter((ph) => !statuses || statuses.includes(ph.status));
    if (phases.length === 0) continue;
    const rollups = new Map(repo.planProgress(plan.id).phases.map((p) => [p.phaseId, p]));
    items.push({ label: plan.title, kind: vscode.QuickPickItemKind.Separator });
    for (const phase of phases) {
      const p = rollups.get(phase.id);
      items.push({
        label: `${phaseCodicon(phase.status)} ${phase.name}`,
        description: `${phase.status}${p ? ` · ${progressLabel(p)}` : ''}`,
        phase,
      });
    }
  }
  if (items.length === 0) {
    const which = statuses ? `${statuses.join(' or ')} phase` : 'phase';
    throw new DevStreamError(`No ${which} in an open plan: add one with "DevStream: Add Phase".`, 'not_found');
  }
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.phase;
}

export type TaskItem = vscode.QuickPickItem & { task?: MicroTask };

/** Tasks in the given states as quick-pick items, under "Plan › Phase" separators. */
export function taskItems(app: App, statuses: readonly TaskStatus[], currentId?: string): TaskItem[] {
  const repo = app.stores.plans;
  const tasks = repo.listTasks({ status: [...statuses] });
  if (tasks.length === 0) return [];
  const groups = new Map<string, string>(); // phase id → "Plan › Phase"
  for (const plan of repo.listPlans())
    for (const ph of repo.listPhases(plan.id)) groups.set(ph.id, `${plan.title} › ${ph.name}`);
  const items: TaskItem[] = [];
  let group: string | undefined;
  for (const task of tasks) {
    if (task.phaseId !== group)
      items.push({ label: groups.get(task.phaseId) ?? '', kind: vscode.QuickPickItemKind.Separator });
    group = task.phaseId;
    const current = task.id === currentId;
    items.push({
      label: `${current ? '$(target)' : taskCodicon(task.status)} ${task.title}`,
      description: `${current ? 'current · ' : ''}${task.status} · ${task.maxDurationMinutes} min · ${task.taskType}`,
      task,
    });
  }
  return items;
}

export async function taskArg(
  app: App,
  arg: unknown,
  placeHolder: string,
  statuses: readonly TaskStatus[],
): Promise<MicroTask | undefined> {
  const repo = app.stores.plans;
  const id = idOf(arg, 'task');
  if (id) return repo.getTask(repo.resolveId('task', id));
  const items = taskItems(app, statuses);
  if (items.length === 0) throw new DevStreamError(`No ${statuses.join(' or ')} task to choose.`, 'not_found');
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.task;
}
