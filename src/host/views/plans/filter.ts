import type * as vscode from 'vscode';
import { PLAN_STATUSES, type PlanStatus } from '../../../core/plans';

/** The Plans view's status filter, kept per workspace (workspaceState). */
const STATE_KEY = 'devstream.plans.statusFilter';

/** Finished-and-filed plans out of the way by default; everything else shows. */
export const DEFAULT_PLAN_FILTER: readonly PlanStatus[] = PLAN_STATUSES.filter(
  (s) => s !== 'archived' && s !== 'cancelled',
);

export function readPlanFilter(state: vscode.Memento): PlanStatus[] {
  const stored = state.get<unknown>(STATE_KEY);
  if (!Array.isArray(stored)) return [...DEFAULT_PLAN_FILTER];
  // In PLAN_STATUSES order, whatever was stored (an older version may have kept others).
  return PLAN_STATUSES.filter((s) => stored.includes(s));
}

export function writePlanFilter(state: vscode.Memento, statuses: readonly PlanStatus[]): Thenable<void> {
  return state.update(
    STATE_KEY,
    PLAN_STATUSES.filter((s) => statuses.includes(s)),
  );
}

/**
 * The view description for the filter: nothing when it shows all (or hides only what the
 * default hides and nothing is hidden), else the shorter of "showing …" / "hiding …".
 */
export function describePlanFilter(shown: readonly PlanStatus[], hiddenPlans: number): string | undefined {
  const hidden = PLAN_STATUSES.filter((s) => !shown.includes(s));
  if (hidden.length === 0) return undefined;
  const isDefault =
    hidden.length === PLAN_STATUSES.length - DEFAULT_PLAN_FILTER.length &&
    DEFAULT_PLAN_FILTER.every((s) => shown.includes(s));
  if (isDefault && hiddenPlans === 0) return undefined;
  const what =
    shown.length === 0
      ? 'showing no status'
      : shown.length < hidden.length
        ? `showing ${shown.join(', ')}`
        : `hiding ${hidden.join(', ')}`;
  return hiddenPlans > 0 ? `${what} (${hiddenPlans} hidden)` : what;
}
