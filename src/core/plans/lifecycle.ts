import { DevStreamError } from '../errors';
import type { PhaseStatus, PlanStatus, TaskStatus } from './types';

/**
 * Allowed status changes. Plans follow the schema document (including 'paused', which its
 * CHECK forgot); phases and tasks follow the rules DevStream's views and agents rely on.
 * An empty list means the state is final.
 */
export const PLAN_TRANSITIONS: Readonly<Record<PlanStatus, readonly PlanStatus[]>> = {
  draft: ['active', 'cancelled'],
  active: ['completed', 'paused', 'cancelled'],
  paused: ['active', 'cancelled'],
  completed: ['archived'],
  archived: [],
  cancelled: [],
};

export const PHASE_TRANSITIONS: Readonly<Record<PhaseStatus, readonly PhaseStatus[]>> = {
  pending: ['active', 'skipped', 'blocked'],
  active: ['completed', 'blocked', 'skipped'],
  blocked: ['active', 'pending', 'skipped'],
  completed: [],
  skipped: [],
};

export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  pending: ['active', 'skipped'],
  active: ['completed', 'failed', 'pending', 'skipped'],
  failed: ['pending', 'active'], // a retry
  completed: [],
  skipped: [],
};

export function canTransition<S extends string>(table: Readonly<Record<S, readonly S[]>>, from: S, to: S): boolean {
  return (table[from] ?? []).includes(to);
}

/**
 * Throws a 'conflict' error naming both states and what is allowed instead.
 * `what` names the thing, e.g. `plan "Login rewrite"`. Same-state changes are the caller's no-op.
 */
export function assertTransition<S extends string>(
  table: Readonly<Record<S, readonly S[]>>,
  what: string,
  from: S,
  to: S,
): void {
  if (canTransition(table, from, to)) return;
  const allowed = table[from] ?? [];
  const hint =
    allowed.length === 0
      ? `${from} is final: it cannot change any more`
      : `from ${from} it can only go to ${allowed.join(' or ')}`;
  throw new DevStreamError(`Cannot change ${what} from ${from} to ${to}: ${hint}.`, 'conflict');
}

/** States that close a container: work still under way in it would be hidden or lost. */
export const CLOSING_PLAN_STATUSES: readonly PlanStatus[] = ['completed', 'cancelled', 'archived'];
export const CLOSING_PHASE_STATUSES: readonly PhaseStatus[] = ['completed', 'skipped'];

/**
 * Refuses to close a plan or phase while tasks in it are active, naming them (at most five), so
 * no front-end can finish a container over work someone is doing.
 */
export function assertNoActiveTasks(what: string, to: string, active: readonly { id: string; title: string }[]): void {
  if (active.length === 0) return;
  const one = active.length === 1;
  const names = active
    .slice(0, 5)
    .map((t) => `"${t.title}" (${t.id.slice(0, 8)})`)
    .join(', ');
  const more = active.length > 5 ? ` and ${active.length - 5} more` : '';
  throw new DevStreamError(
    `Cannot mark ${what} ${to}: ${one ? 'task' : `${active.length} tasks`} ${names}${more} ` +
      `${one ? 'is' : 'are'} still active. ` +
      `Complete, fail or skip ${one ? 'it' : 'them'}, or set ${one ? 'it' : 'them'} back to pending, first.`,
    'conflict',
  );
}
