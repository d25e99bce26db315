import * as vscode from 'vscode';
import { DevStreamError } from '../../core/errors';
import { PLAN_STATUSES, PLAN_TRANSITIONS, type Plan, type PlanPatch, type PlanStatus } from '../../core/plans';
import type { App } from '../app';
import { DEFAULT_PLAN_FILTER, readPlanFilter, writePlanFilter } from '../views/plans/filter';
import { planCodicon } from '../views/plans/icons';
import { askPriority, askText, confirmDelete, count, pickOne, splitList, titleRule } from './planPrompt';
import { inputOf, num, planArg, str, type Input } from './planPick';

const PLAN_STATUS_HINTS: Record<PlanStatus, string> = {
  draft: 'still being written',
  active: 'being worked on',
  paused: 'on hold, to resume later',
  completed: 'done',
  archived: 'filed away (hidden by default)',
  cancelled: 'dropped (hidden by default)',
};

/** A list given as an array or as "a; b, c". */
const listOf = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' ? splitList(v) : undefined;

/**
 * Asks title, objectives, expected outcome and priority (or takes them from an automation
 * object, where only the title is required). Escape at any step writes nothing.
 */
export async function createPlan(app: App, arg?: unknown): Promise<Plan | undefined> {
  const input = inputOf(arg);
  const T = 'Create Plan';
  const title =
    str(input?.title) ??
    (await askText({
      title: T,
      step: [1, 4],
      prompt: 'Title: what is the plan about? (required)',
      placeHolder: 'e.g. Rewrite the login page',
      validate: titleRule('plan title'),
    }));
  if (title === undefined) return undefined;
  let objectives = listOf(input?.objectives);
  if (!objectives && !input) {
    const text = await askText({
      title: T,
      step: [2, 4],
      prompt: 'Objectives, separated by commas or semicolons (optional)',
      placeHolder: 'e.g. Form validation; Remember me; Clear error messages',
    });
    if (text === undefined) return undefined;
    objectives = splitList(text);
  }
  let expectedOutcome = str(input?.expectedOutcome);
  if (expectedOutcome === undefined && !input) {
    expectedOutcome = await askText({
      title: T,
      step: [3, 4],
      prompt: 'Expected outcome: how will you know it is done? (optional)',
      placeHolder: 'e.g. Users sign in with email or SSO; tests cover every error path',
    });
    if (expectedOutcome === undefined) return undefined;
  }
  const priority = num(input?.priority) ?? (input ? 5 : await askPriority(T, [4, 4]));
  if (priority === undefined) return undefined;
  const plan = app.stores.plans.createPlan({
    title,
    objectives: objectives ?? [],
    expectedOutcome: expectedOutcome ?? '',
    priority,
    description: str(input?.description),
  });
  return plan;
}

export async function editPlan(app: App, arg?: unknown): Promise<Plan | undefined> {
  const plan = await planArg(app, arg, 'Edit which plan?', PLAN_STATUSES);
  if (!plan) return undefined;
  const input = inputOf(arg);
  const patch = input ? planPatchOf(input) : await askPlanPatch(plan);
  if (!patch) return undefined;
  const updated = app.stores.plans.updatePlan(plan.id, patch);
  return updated;
}

function planPatchOf(input: Input): PlanPatch {
  return {
    title: str(input.title),
    description: str(input.description),
    objectives: listOf(input.objectives),
    expectedOutcome: str(input.expectedOutcome),
    priority: num(input.priority),
  };
}

/** One field at a time: a pick of the fields (showing their values), then its input. */
async function askPlanPatch(plan: Plan): Promise<PlanPatch | undefined> {
  const T = `Edit Plan "${plan.title}"`;
  const field = await pickOne(
    [
      { label: 'Title', description: plan.title, key: 'title' },
      { label: 'Description', description: plan.description ?? '', key: 'description' },
      { label: 'Objectives', description: plan.objectives.join('; '), key: 'objectives' },
      { label: 'Expected outcome', description: plan.expectedOutcome, key: 'expectedOutcome' },
      { label: 'Priority', description: String(plan.priority), key: 'priority' },
    ] as const,
    { title: T, placeHolder: 'Which field?' },
  );
  if (!field) return undefined;
  switch (field.key) {
    case 'title': {
      const title = await askText({ title: T, prompt: 'Title', value: plan.title, validate: titleRule('plan title') });
      return title === undefined ? undefined : { title };
    }
    case 'description': {
      const description = await askText({
        title: T,
        prompt: 'Description (empty to clear)',
        value: plan.description ?? '',
      });
      return description === undefined ? undefined : { description: description || null };
    }
    case 'objectives': {
      const text = await askText({
        title: T,
        prompt: 'Objectives, separated by commas or semicolons',
        value: plan.objectives.join('; '),
      });
      return text === undefined ? undefined : { objectives: splitList(text) };
    }
    case 'expectedOutcome': {
      const expectedOutcome = await askText({ title: T, prompt: 'Expected outcome', value: plan.expectedOutcome });
      return expectedOutcome === undefined ? undefined : { expectedOutcome };
    }
    case 'priority': {
      const priority = await askPriority(T, undefined, plan.priority);
      return priority === undefined ? undefined : { priority };
    }
  }
}

/** Offers only the states the lifecycle allows from here (PLAN_TRANSITIONS). */
export async function setPlanStatus(app: App, arg?: unknown): Promise<Plan | undefined> {
  const plan = await planArg(app, arg, 'Change the status of which plan?', PLAN_STATUSES);
  if (!plan) return undefined;
  let to = str(inputOf(arg)?.status) as PlanStatus | undefined;
  if (!to) {
    const allowed = PLAN_TRANSITIONS[plan.status];
    if (allowed.length === 0)
      throw new DevStreamError(
        `Plan "${plan.title}" is ${plan.status}, which is final: its status cannot change any more.`,
        'conflict',
      );
    const pick = await pickOne(
      allowed.map((s) => ({ label: `${planCodicon(s)} ${s}`, description: PLAN_STATUS_HINTS[s], status: s })),
      {
        title: `Set Status of "${plan.title}"`,
        placeHolder: `Now ${plan.status}. Move it to…`,
      },
    );
    if (!pick) return undefined;
    to = pick.status;
  }
  const updated = app.stores.plans.setPlanStatus(plan.id, to);
  return updated;
}

/** Memories deleted with a plan, a phase or a task (their links cascade). */
export function linkedMemories(app: App, planId: string | null, phaseIds: string[], taskIds: string[]): number {
  return app.stores.plans.linkedMemoryCount({ planId: planId ?? undefined, phaseIds, taskIds });
}

export async function deletePlan(app: App, arg?: unknown): Promise<boolean> {
  const plan = await planArg(app, arg, 'Delete which plan?', PLAN_STATUSES);
  if (!plan) return false;
  const repo = app.stores.plans;
  const phases = repo.listPhases(plan.id);
  const tasks = repo.listTasks({ planId: plan.id });
  const memories = linkedMemories(
    app,
    plan.id,
    phases.map((p) => p.id),
    tasks.map((t) => t.id),
  );
  if (inputOf(arg)?.confirmed !== true) {
    const detail = `This deletes its ${count(phases.length, 'phase')}, ${count(tasks.length, 'task')} and ${count(memories, 'linked memory', 'linked memories')}. It cannot be undone.`;
    if (!(await confirmDelete(`Delete plan "${plan.title}"?`, detail))) return false;
  }
  repo.deletePlan(plan.id);
  return true;
}

/** Which plan statuses the Plans view shows: a multi-select, remembered per workspace. */
export async function filterPlans(app: App, arg?: unknown): Promise<PlanStatus[] | undefined> {
  const state = app.context.workspaceState;
  let statuses = Array.isArray(arg) ? arg.map(String) : listOf(inputOf(arg)?.statuses);
  if (!statuses) {
    const shown = readPlanFilter(state);
    const picked = await vscode.window.showQuickPick(
      PLAN_STATUSES.map((s) => ({
        label: `${planCodicon(s)} ${s}`,
        description: PLAN_STATUS_HINTS[s],
        picked: shown.includes(s),
        status: s,
      })),
      {
        title: 'Filter Plans by Status',
        placeHolder: `Show plans that are… (default: all but ${PLAN_STATUSES.filter((s) => !DEFAULT_PLAN_FILTER.includes(s)).join(' and ')})`,
        canPickMany: true,
      },
    );
    if (!picked) return undefined;
    statuses = picked.map((p) => p.status);
  }
  const unknown = statuses.filter((s) => !(PLAN_STATUSES as readonly string[]).includes(s));
  if (unknown.length)
    throw new DevStreamError(`Not a plan status: ${unknown.join(', ')}. Use ${PLAN_STATUSES.join(', ')}.`, 'invalid');
  await writePlanFilter(state, statuses as PlanStatus[]);
  app.stores.refreshViews('plans'); // a view setting, not data: nothing else would say it changed
  return readPlanFilter(state);
}

/** Re-reads every view; after a failed open, tries the database again. */
export function refresh(app: App): void {
  if (app.stores.isOpen) app.stores.refreshViews();
  else app.stores.reset();
}
