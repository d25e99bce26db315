import type Database from 'better-sqlite3';
import type { PhaseProgress, PlanProgress, Progress } from './types';

/**
 * Counts and minutes per group of tasks, as SQL select-list text over a LEFT JOIN on
 * micro_tasks `t` (a group with no task yields one all-NULL row, hence the t.id tests).
 * A NULL max_duration_minutes (only in files from other tools) counts as the default 10.
 */
const AGGREGATES = `
  COUNT(t.id) AS total,
  COALESCE(SUM(t.status = 'pending'), 0) AS pending,
  COALESCE(SUM(t.status = 'active'), 0) AS active,
  COALESCE(SUM(t.status = 'completed'), 0) AS completed,
  COALESCE(SUM(t.status = 'failed'), 0) AS failed,
  COALESCE(SUM(t.status = 'skipped'), 0) AS skipped,
  COALESCE(SUM(CASE WHEN t.id IS NOT NULL AND t.status NOT IN ('completed', 'skipped')
                    THEN COALESCE(t.max_duration_minutes, 10) END), 0) AS minutes_left,
  COALESCE(SUM(CASE WHEN t.id IS NOT NULL THEN COALESCE(t.max_duration_minutes, 10) END), 0) AS estimated,
  COALESCE(SUM(t.actual_duration_minutes), 0) AS actual`;

type AggRow = {
  total: number;
  pending: number;
  active: number;
  completed: number;
  failed: number;
  skipped: number;
  minutes_left: number;
  estimated: number;
  actual: number;
};

const round2 = (n: number) => Math.round(n * 100) / 100;

function fromRow(r: AggRow): Progress {
  return finish({
    total: r.total,
    pending: r.pending,
    active: r.active,
    completed: r.completed,
    failed: r.failed,
    skipped: r.skipped,
    percentDone: 0,
    minutesLeft: r.minutes_left,
    estimatedMinutes: r.estimated,
    actualMinutes: r.actual,
  });
}

function finish(p: Progress): Progress {
  p.actualMinutes = round2(p.actualMinutes);
  p.percentDone = p.total === 0 ? 0 : Math.round((100 * (p.completed + p.skipped)) / p.total);
  return p;
}

export function emptyProgress(): Progress {
  return {
    total: 0,
    pending: 0,
    active: 0,
    completed: 0,
    failed: 0,
    skipped: 0,
    percentDone: 0,
    minutesLeft: 0,
    estimatedMinutes: 0,
    actualMinutes: 0,
  };
}

/** Adds up several rollups (a plan from its phases). */
export function sumProgress(parts: readonly Progress[]): Progress {
  const s = emptyProgress();
  for (const p of parts) {
    s.total += p.total;
    s.pending += p.pending;
    s.active += p.active;
    s.completed += p.completed;
    s.failed += p.failed;
    s.skipped += p.skipped;
    s.minutesLeft += p.minutesLeft;
    s.estimatedMinutes += p.estimatedMinutes;
    s.actualMinutes += p.actualMinutes;
  }
  return finish(s);
}

/** One grouped query: every phase of the plan with its own rollup, and the plan's total. */
export function planProgress(db: Database.Database, planId: string): PlanProgress {
  const rows = db
    .prepare(
      `SELECT p.id AS phase_id, ${AGGREGATES}
    FROM phases p LEFT JOIN micro_tasks t ON t.phase_id = p.id
    WHERE p.plan_id = ? GROUP BY p.id ORDER BY p.sequence_order, p.rowid`,
    )
    .all(planId) as (AggRow & { phase_id: string })[];
  const phases: PhaseProgress[] = rows.map((r) => ({ phaseId: r.phase_id, ...fromRow(r) }));
  return { planId, ...sumProgress(phases), phases };
}

export function phaseProgress(db: Database.Database, phaseId: string): PhaseProgress {
  const row = db.prepare(`SELECT ${AGGREGATES} FROM micro_tasks t WHERE t.phase_id = ?`).get(phaseId) as AggRow;
  return { phaseId, ...fromRow(row) };
}

/** Every plan's rollup in one query (for a tree of plans); plans without tasks included. */
export function progressByPlan(db: Database.Database): Map<string, Progress> {
  const rows = db
    .prepare(
      `SELECT ip.id AS plan_id, ${AGGREGATES}
    FROM intervention_plans ip LEFT JOIN phases p ON p.plan_id = ip.id LEFT JOIN micro_tasks t ON t.phase_id = p.id
    GROUP BY ip.id`,
    )
    .all() as (AggRow & { plan_id: string })[];
  return new Map(rows.map((r) => [r.plan_id, fromRow(r)]));
}

/** Short text for tree views: "3/7 · 45 min left", "7/7 · done", "no tasks". */
export function progressLabel(p: Progress): string {
  if (p.total === 0) return 'no tasks';
  const done = p.completed + p.skipped;
  const rest = p.minutesLeft === 0 && done === p.total ? 'done' : `${p.minutesLeft} min left`;
  return `${done}/${p.total} · ${rest}${p.failed > 0 ? ` · ${p.failed} failed` : ''}`;
}
