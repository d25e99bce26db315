import type { Store } from '../db/store';
import { DevStreamError } from '../errors';
import { newId } from '../ids';
import { findPath } from './graph';
import {
  CLOSING_PHASE_STATUSES,
  CLOSING_PLAN_STATUSES,
  PHASE_TRANSITIONS,
  PLAN_TRANSITIONS,
  TASK_TRANSITIONS,
  assertNoActiveTasks,
  assertTransition,
} from './lifecycle';
import { phaseProgress, planProgress, progressByPlan } from './progress';
import { toPhase, toPlan, toTask, type Row } from './rows';
import {
  PHASE_STATUSES,
  PLAN_STATUSES,
  TASK_STATUSES,
  TASK_TYPES,
  type EntityKind,
  type MicroTask,
  type NewPhase,
  type NewPlan,
  type NewTask,
  type Phase,
  type PhasePatch,
  type PhaseProgress,
  type PhaseStatus,
  type Plan,
  type PlanPatch,
  type PlanProgress,
  type PlanStatus,
  type Progress,
  type TaskFilter,
  type TaskPatch,
  type TaskStatus,
  type TaskStatusOptions,
} from './types';
import * as v from './validate';

const TABLES: Record<EntityKind, { table: string; label: string }> = {
  plan: { table: 'intervention_plans', label: 'title' },
  phase: { table: 'phases', label: 'name' },
  task: { table: 'micro_tasks', label: 'title' },
};

const short = (id: string) => id.slice(0, 8);
const MIN_PREFIX = 4;

/** Collects `col = @col` assignments for a partial UPDATE; only fields present are written. */
class Assignments {
  readonly sets: string[] = [];
  readonly params: Record<string, unknown>;
  constructor(id: string) {
    this.params = { id };
  }
  set(col: string, value: unknown): void {
    this.sets.push(`${col} = @${col}`);
    this.params[col] = typeof value === 'boolean' ? Number(value) : value; // SQLite has no booleans
  }
}

/**
 * Plans, phases and micro-tasks with their rules: lifecycle, the 10-minute limit, dense
 * phase order, acyclic phase dependencies and sub-task trees. Every write that reads state
 * first runs in one IMMEDIATE transaction, so two windows cannot interleave between check and write.
 */
export class PlanRepository {
  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  // ── ids ────────────────────────────────────────────────────────────────────────────────

  /** A full id, or a unique prefix of at least 4 characters (case-insensitive), to the full id. */
  resolveId(kind: EntityKind, idOrPrefix: string): string {
    const { table, label } = TABLES[v.oneOf('kind', kind, ['plan', 'phase', 'task'] as const)];
    const q = typeof idOrPrefix === 'string' ? idOrPrefix.trim() : '';
    if (q === '') throw new DevStreamError(`Give a ${kind} id.`, 'invalid');
    if (this.db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(q)) return q;
    if (q.length < MIN_PREFIX) {
      throw new DevStreamError(
        `"${q}" is too short to identify a ${kind}: type at least ${MIN_PREFIX} characters of its id.`,
        'invalid',
      );
    }
    const rows = this.db
      .prepare(
        `SELECT id, ${label} AS label FROM ${table} WHERE lower(substr(id, 1, ?)) = lower(?) ORDER BY id LIMIT 6`,
      )
      .all(q.length, q) as { id: string; label: string }[];
    if (rows.length === 1) return rows[0].id;
    if (rows.length === 0) throw new DevStreamError(`No ${kind} has an id starting with "${q}".`, 'not_found');
    const list = rows
      .slice(0, 5)
      .map((r) => `${r.id} "${r.label}"`)
      .join(', ');
    throw new DevStreamError(
      `"${q}" matches more than one ${kind} (${list}${rows.length > 5 ? ', …' : ''}): type more of the id.`,
      'invalid',
    );
  }

  // ── plans ──────────────────────────────────────────────────────────────────────────────

  /** New plans start as drafts. */
  createPlan(input: NewPlan): Plan {
    const id = newId();
    this.db
      .prepare(
        `INSERT INTO intervention_plans
        (id, title, description, objectives, technical_specs, expected_outcome, status, priority, estimated_hours, actual_hours, tags, metadata)
      VALUES (@id, @title, @description, @objectives, @technical_specs, @expected_outcome, 'draft', @priority, @estimated_hours, @actual_hours, @tags, @metadata)`,
      )
      .run({
        id,
        title: v.title('plan title', input.title),
        description: v.optText('description', input.description),
        objectives: v.json(v.stringArray('objectives', input.objectives)),
        technical_specs: v.json(v.optObject('technical specs', input.technicalSpecs)),
        expected_outcome: v.text('expected outcome', input.expectedOutcome),
        priority: v.priority(input.priority ?? 5),
        estimated_hours: v.optAmount('estimated hours', input.estimatedHours),
        actual_hours: v.optAmount('actual hours', input.actualHours),
        tags: v.json(v.stringArray('tags', input.tags ?? [])),
        metadata: v.json(v.optObject('metadata', input.metadata)),
      });
    return this.getPlan(id);
  }

  getPlan(id: string): Plan {
    const row = this.db.prepare(`SELECT * FROM intervention_plans WHERE id = ?`).get(id) as Row | undefined;
    if (!row) throw new DevStreamError(`No plan with id ${id}.`, 'not_found');
    return toPlan(row);
  }

  /** Highest priority first, then newest. */
  listPlans(filter: { status?: PlanStatus | PlanStatus[] } = {}): Plan[] {
    const statuses = filter.status === undefined ? null : v.someOf('plan status', filter.status, PLAN_STATUSES);
    const where = statuses ? `WHERE status IN (${statuses.map(() => '?').join(', ')})` : '';
    return (
      this.db
        .prepare(`SELECT * FROM intervention_plans ${where} ORDER BY priority DESC, created_at DESC, rowid DESC`)
        .all(...(statuses ?? [])) as Row[]
    ).map(toPlan);
  }

  updatePlan(id: string, patch: PlanPatch): Plan {
    return this.store.tx(() => {
      const current = this.getPlan(id);
      const a = new Assignments(id);
      if (patch.title !== undefined) a.set('title', v.title('plan title', patch.title));
      if (patch.description !== undefined) a.set('description', v.optText('description', patch.description));
      if (patch.objectives !== undefined) a.set('objectives', v.json(v.stringArray('objectives', patch.objectives)));
      if (patch.technicalSpecs !== undefined)
        a.set('technical_specs', v.json(v.optObject('technical specs', patch.technicalSpecs)));
      if (patch.expectedOutcome !== undefined)
        a.set('expected_outcome', v.text('expected outcome', patch.expectedOutcome));
      if (patch.priority !== undefined) a.set('priority', v.priority(patch.priority));
      if (patch.estimatedHours !== undefined)
        a.set('estimated_hours', v.optAmount('estimated hours', patch.estimatedHours));
      if (patch.actualHours !== undefined) a.set('actual_hours', v.optAmount('actual hours', patch.actualHours));
      if (patch.tags !== undefined) a.set('tags', v.json(v.stringArray('tags', patch.tags)));
      if (patch.metadata !== undefined) a.set('metadata', v.json(v.optObject('metadata', patch.metadata)));
      if (a.sets.length === 0) return current;
      this.db
        .prepare(`UPDATE intervention_plans SET ${a.sets.join(', ')}, updated_at = CURRENT_TIMESTAMP WHERE id = @id`)
        .run(a.params);
      return this.getPlan(id);
    });
  }

  setPlanStatus(id: string, status: PlanStatus): Plan {
    const to = v.oneOf('plan status', status, PLAN_STATUSES);
    return this.store.tx(() => {
      const plan = this.getPlan(id);
      if (plan.status === to) return plan;
      assertTransition(PLAN_TRANSITIONS, `plan "${plan.title}"`, plan.status, to);
      if (CLOSING_PLAN_STATUSES.includes(to)) {
        assertNoActiveTasks(`plan "${plan.title}"`, to, this.activeTasks('p.plan_id', id));
      }
      this.db
        .prepare(
          `UPDATE intervention_plans SET status = @to, updated_at = CURRENT_TIMESTAMP,
          completed_at = CASE WHEN @to = 'completed' THEN CURRENT_TIMESTAMP ELSE completed_at END
        WHERE id = @id`,
        )
        .run({ id, to });
      return this.getPlan(id);
    });
  }

  /** Removes the plan with its phases, tasks and memories (ON DELETE CASCADE). */
  deletePlan(id: string): void {
    this.store.tx(() => {
      this.getPlan(id);
      // Work sessions and injection logs are history without cascade: keep them, unlinked,
      // rather than let the foreign keys refuse the delete.
      this.db.prepare(`UPDATE work_sessions SET plan_id = NULL WHERE plan_id = ?`).run(id);
      this.detachInjections(
        `SELECT t.id FROM micro_tasks t JOIN phases p ON p.id = t.phase_id WHERE p.plan_id = ?`,
        id,
      );
      this.db.prepare(`DELETE FROM intervention_plans WHERE id = ?`).run(id);
    });
  }

  // ── phases ─────────────────────────────────────────────────────────────────────────────

  addPhase(input: NewPhase): Phase {
    return this.store.tx(() => {
      const plan = this.getPlan(input.planId);
      const order = this.phaseOrder(plan.id);
      const position = input.position ?? order.length + 1;
      this.checkPosition(position, order.length + 1);
      const id = newId();
      const dependencies = this.checkDependencies(plan.id, id, input.dependencies ?? []);
      this.db
        .prepare(
          `INSERT INTO phases
          (id, plan_id, name, description, sequence_order, is_parallel, dependencies, estimated_minutes, completion_criteria)
        VALUES (@id, @plan_id, @name, @description, @sequence_order, @is_parallel, @dependencies, @estimated_minutes, @completion_criteria)`,
        )
        .run({
          id,
          plan_id: plan.id,
          name: v.title('phase name', input.name),
          description: v.optText('description', input.description),
          sequence_order: position,
          is_parallel: Number(v.bool('isParallel', input.isParallel ?? false)),
          dependencies: v.json(dependencies),
          estimated_minutes: v.optAmount('estimated minutes', input.estimatedMinutes, true),
          completion_criteria: v.optText('completion criteria', input.completionCriteria),
        });
      order.splice(position - 1, 0, id);
      this.writeOrder(order);
      return this.getPhase(id);
    });
  }

  getPhase(id: string): Phase {
    const row = this.db.prepare(`SELECT * FROM phases WHERE id = ?`).get(id) as Row | undefined;
    if (!row) throw new DevStreamError(`No phase with id ${id}.`, 'not_found');
    return toPhase(row);
  }

  listPhases(planId: string): Phase[] {
    return (
      this.db.prepare(`SELECT * FROM phases WHERE plan_id = ? ORDER BY sequence_order, rowid`).all(planId) as Row[]
    ).map(toPhase);
  }

  updatePhase(id: string, patch: PhasePatch): Phase {
    return this.store.tx(() => {
      const current = this.getPhase(id);
      const a = new Assignments(id);
      if (patch.name !== undefined) a.set('name', v.title('phase name', patch.name));
      if (patch.description !== undefined) a.set('description', v.optText('description', patch.description));
      if (patch.isParallel !== undefined) a.set('is_parallel', v.bool('isParallel', patch.isParallel));
      if (patch.dependencies !== undefined)
        a.set('dependencies', v.json(this.checkDependencies(current.planId, id, patch.dependencies)));
      if (patch.estimatedMinutes !== undefined)
        a.set('estimated_minutes', v.optAmount('estimated minutes', patch.estimatedMinutes, true));
      if (patch.actualMinutes !== undefined)
        a.set('actual_minutes', v.optAmount('actual minutes', patch.actualMinutes, true));
      if (patch.completionCriteria !== undefined)
        a.set('completion_criteria', v.optText('completion criteria', patch.completionCriteria));
      if (a.sets.length === 0) return current;
      this.db.prepare(`UPDATE phases SET ${a.sets.join(', ')} WHERE id = @id`).run(a.params);
      return this.getPhase(id);
    });
  }

  /** Moves a phase to 1-based `newPosition`; the others close up around it. */
  movePhase(phaseId: string, newPosition: number): Phase {
    return this.store.tx(() => {
      const phase = this.getPhase(phaseId);
      const order = this.phaseOrder(phase.planId);
      this.checkPosition(newPosition, order.length);
      order.splice(order.indexOf(phaseId), 1);
      order.splice(newPosition - 1, 0, phaseId);
      this.writeOrder(order);
      return this.getPhase(phaseId);
    });
  }

  /** Deletes the phase and its tasks; later phases move up, and no phase keeps depending on it. */
  removePhase(id: string): void {
    this.store.tx(() => {
      const phase = this.getPhase(id);
      for (const other of this.listPhases(phase.planId)) {
        if (other.dependencies.includes(id)) {
          this.db
            .prepare(`UPDATE phases SET dependencies = ? WHERE id = ?`)
            .run(JSON.stringify(other.dependencies.filter((d) => d !== id)), other.id);
        }
      }
      this.detachInjections(`SELECT id FROM micro_tasks WHERE phase_id = ?`, id);
      this.db.prepare(`DELETE FROM phases WHERE id = ?`).run(id);
      this.writeOrder(this.phaseOrder(phase.planId));
    });
  }

  /** Blocking needs a reason (kept in blocking_reason until the phase leaves blocked). */
  setPhaseStatus(id: string, status: PhaseStatus, opts: { reason?: string } = {}): Phase {
    const to = v.oneOf('phase status', status, PHASE_STATUSES);
    return this.store.tx(() => {
      const phase = this.getPhase(id);
      if (phase.status === to) return phase;
      const what = `phase "${phase.name}"`;
      assertTransition(PHASE_TRANSITIONS, what, phase.status, to);
      if (CLOSING_PHASE_STATUSES.includes(to)) assertNoActiveTasks(what, to, this.activeTasks('t.phase_id', id));
      const reason = opts.reason?.trim() ?? '';
      if (to === 'blocked' && reason === '') {
        throw new DevStreamError(`To block ${what}, give a reason: say what it is waiting for.`, 'invalid');
      }
      if (to === 'active' && !phase.isParallel) this.checkDependenciesDone(phase);
      this.db
        .prepare(
          `UPDATE phases SET status = @to,
          blocking_reason = @reason,
          started_at = CASE WHEN @to = 'active' THEN COALESCE(started_at, CURRENT_TIMESTAMP) ELSE started_at END,
          completed_at = CASE WHEN @to = 'completed' THEN CURRENT_TIMESTAMP ELSE completed_at END
        WHERE id = @id`,
        )
        .run({ id, to, reason: to === 'blocked' ? reason : null });
      return this.getPhase(id);
    });
  }

  // ── tasks ──────────────────────────────────────────────────────────────────────────────

  addTask(input: NewTask): MicroTask {
    return this.store.tx(() => {
      const phase = this.getPhase(input.phaseId);
      const parent = input.parentTaskId == null ? null : this.checkParent(phase.id, null, input.parentTaskId);
      const id = newId();
      this.db
        .prepare(
          `INSERT INTO micro_tasks
          (id, phase_id, title, description, max_duration_minutes, max_context_tokens, assigned_agent, task_type, priority,
           input_files, output_files, parent_task_id)
        VALUES (@id, @phase_id, @title, @description, @max_duration_minutes, @max_context_tokens, @assigned_agent, @task_type, @priority,
           @input_files, @output_files, @parent_task_id)`,
        )
        .run({
          id,
          phase_id: phase.id,
          title: v.title('task title', input.title),
          description: v.text('description', input.description ?? ''),
          max_duration_minutes: v.maxDuration(input.maxDurationMinutes ?? v.MAX_TASK_MINUTES),
          max_context_tokens: v.optAmount('max context tokens', input.maxContextTokens, true),
          assigned_agent: v.optText('assigned agent', input.assignedAgent),
          task_type: v.oneOf('task type', input.taskType ?? 'coding', TASK_TYPES),
          priority: v.priority(input.priority ?? 5),
          input_files: v.json(v.stringArray('input files', input.inputFiles ?? [])),
          output_files: v.json(v.stringArray('output files', input.outputFiles ?? [])),
          parent_task_id: parent,
        });
      return this.getTask(id);
    });
  }

  getTask(id: string): MicroTask {
    const row = this.db.prepare(`SELECT * FROM micro_tasks WHERE id = ?`).get(id) as Row | undefined;
    if (!row) throw new DevStreamError(`No task with id ${id}.`, 'not_found');
    return toTask(row);
  }

  /** In phase order, then in the order the tasks were added. */
  listTasks(filter: TaskFilter = {}): MicroTask[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.phaseId !== undefined) {
      where.push('t.phase_id = ?');
      params.push(filter.phaseId);
    }
    if (filter.planId !== undefined) {
      where.push('p.plan_id = ?');
      params.push(filter.planId);
    }
    if (filter.status !== undefined) {
      const statuses = v.someOf('task status', filter.status, TASK_STATUSES);
      where.push(`t.status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
    if (filter.minPriority !== undefined) {
      where.push('t.priority >= ?');
      params.push(v.priority(filter.minPriority));
    }
    const sql = `SELECT t.* FROM micro_tasks t JOIN phases p ON p.id = t.phase_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY p.plan_id, p.sequence_order, t.rowid`;
    return (this.db.prepare(sql).all(...params) as Row[]).map(toTask);
  }

  updateTask(id: string, patch: TaskPatch): MicroTask {
    return this.store.tx(() => {
      const current = this.getTask(id);
      const a = new Assignments(id);
      if (patch.title !== undefined) a.set('title', v.title('task title', patch.title));
      if (patch.description !== undefined) a.set('description', v.text('description', patch.description));
      if (patch.taskType !== undefined) a.set('task_type', v.oneOf('task type', patch.taskType, TASK_TYPES));
      if (patch.priority !== undefined) a.set('priority', v.priority(patch.priority));
      if (patch.maxDurationMinutes !== undefined)
        a.set('max_duration_minutes', v.maxDuration(patch.maxDurationMinutes));
      if (patch.maxContextTokens !== undefined)
        a.set('max_context_tokens', v.optAmount('max context tokens', patch.maxContextTokens, true));
      if (patch.assignedAgent !== undefined) a.set('assigned_agent', v.optText('assigned agent', patch.assignedAgent));
      if (patch.parentTaskId !== undefined) {
        a.set(
          'parent_task_id',
          patch.parentTaskId === null ? null : this.checkParent(current.phaseId, id, patch.parentTaskId),
        );
      }
      if (patch.inputFiles !== undefined) a.set('input_files', v.json(v.stringArray('input files', patch.inputFiles)));
      if (patch.outputFiles !== undefined)
        a.set('output_files', v.json(v.stringArray('output files', patch.outputFiles)));
      if (patch.generatedCode !== undefined) a.set('generated_code', v.optText('generated code', patch.generatedCode));
      if (patch.documentation !== undefined) a.set('documentation', v.optText('documentation', patch.documentation));
      if (patch.errorLog !== undefined) a.set('error_log', v.optText('error log', patch.errorLog));
      if (patch.actualDurationMinutes !== undefined)
        a.set('actual_duration_minutes', v.optAmount('actual duration', patch.actualDurationMinutes));
      if (patch.contextTokensUsed !== undefined)
        a.set('context_tokens_used', v.optAmount('context tokens used', patch.contextTokensUsed, true));
      if (a.sets.length === 0) return current;
      this.db.prepare(`UPDATE micro_tasks SET ${a.sets.join(', ')} WHERE id = @id`).run(a.params);
      return this.getTask(id);
    });
  }

  /**
   * Moves a task and all its sub-tasks to another phase (of any plan). A sub-task moved on its
   * own leaves its parent behind, so it becomes a top-level task: parents must share the phase.
   */
  moveTask(taskId: string, toPhaseId: string): MicroTask {
    return this.store.tx(() => {
      const task = this.getTask(taskId);
      const phase = this.getPhase(toPhaseId);
      if (task.phaseId === phase.id) return task;
      this.db
        .prepare(
          `WITH RECURSIVE sub(id) AS (
          SELECT @id UNION SELECT t.id FROM micro_tasks t JOIN sub ON t.parent_task_id = sub.id)
        UPDATE micro_tasks SET phase_id = @phase WHERE id IN (SELECT id FROM sub)`,
        )
        .run({ id: taskId, phase: phase.id });
      this.db.prepare(`UPDATE micro_tasks SET parent_task_id = NULL WHERE id = ?`).run(taskId);
      return this.getTask(taskId);
    });
  }

  /**
   * Retrying a failed task (to pending or active) counts in retry_count and last_retry_at.
   * Completing without `actualDurationMinutes` records the minutes since started_at.
   */
  setTaskStatus(id: string, status: TaskStatus, opts: TaskStatusOptions = {}): MicroTask {
    const to = v.oneOf('task status', status, TASK_STATUSES);
    const errorLog = v.optText('error log', opts.errorLog);
    const duration = v.optAmount('actual duration', opts.actualDurationMinutes);
    return this.store.tx(() => {
      const task = this.getTask(id);
      if (task.status === to) return task;
      assertTransition(TASK_TRANSITIONS, `task "${task.title}"`, task.status, to);
      this.db
        .prepare(
          `UPDATE micro_tasks SET status = @to,
          started_at = CASE WHEN @to = 'active' THEN COALESCE(started_at, CURRENT_TIMESTAMP) ELSE started_at END,
          completed_at = CASE WHEN @to = 'completed' THEN CURRENT_TIMESTAMP ELSE completed_at END,
          retry_count = COALESCE(retry_count, 0) + @retry,
          last_retry_at = CASE WHEN @retry = 1 THEN CURRENT_TIMESTAMP ELSE last_retry_at END,
          error_log = COALESCE(@error_log, error_log),
          actual_duration_minutes = CASE
            WHEN @duration IS NOT NULL THEN @duration
            WHEN @to = 'completed' AND started_at IS NOT NULL
              THEN ROUND((julianday(CURRENT_TIMESTAMP) - julianday(started_at)) * 1440, 2)
            ELSE actual_duration_minutes END
        WHERE id = @id`,
        )
        .run({ id, to, retry: task.status === 'failed' ? 1 : 0, error_log: errorLog, duration });
      if (to === 'active') this.startContainers(task.phaseId);
      return this.getTask(id);
    });
  }

  /**
   * Work started on a task means its phase and plan are under way: a pending phase and a draft
   * or paused plan become active, in the task's transaction, whichever front-end started it.
   * A phase waiting for an unfinished dependency stays pending (the task is started anyway:
   * the dependency is advice for ordering, not a lock on the work).
   */
  private startContainers(phaseId: string): void {
    const phase = this.getPhase(phaseId);
    if (phase.status === 'pending' && (phase.isParallel || this.dependenciesDone(phase))) {
      this.setPhaseStatus(phase.id, 'active');
    }
    const plan = this.getPlan(phase.planId);
    if (plan.status === 'draft' || plan.status === 'paused') this.setPlanStatus(plan.id, 'active');
  }

  /** Deletes the task with its sub-tasks and their memories (ON DELETE CASCADE). */
  deleteTask(id: string): void {
    this.store.tx(() => {
      this.getTask(id);
      this.detachInjections(
        `WITH RECURSIVE sub(id) AS (
          SELECT ? UNION SELECT t.id FROM micro_tasks t JOIN sub ON t.parent_task_id = sub.id) SELECT id FROM sub`,
        id,
      );
      this.db.prepare(`DELETE FROM micro_tasks WHERE id = ?`).run(id);
    });
  }

  // ── progress ───────────────────────────────────────────────────────────────────────────

  planProgress(planId: string): PlanProgress {
    this.getPlan(planId);
    return planProgress(this.db, planId);
  }

  phaseProgress(phaseId: string): PhaseProgress {
    this.getPhase(phaseId);
    return phaseProgress(this.db, phaseId);
  }

  /**
   * Tasks completed at or after `since` (the database's UTC 'YYYY-MM-DD HH:MM:SS' clock), with
   * the time of this look to pass as `since` next time (the database's clock, not this process's).
   */
  completedSince(since: string): { tasks: { id: string; title: string }[]; checkedAt: string } {
    const checkedAt = this.db.prepare(`SELECT CURRENT_TIMESTAMP`).pluck().get() as string;
    const tasks = this.db
      .prepare(
        `SELECT id, title FROM micro_tasks WHERE status = 'completed' AND completed_at >= ?
      ORDER BY completed_at`,
      )
      .all(since) as { id: string; title: string }[];
    return { tasks, checkedAt };
  }

  /** How many phases each plan has, keyed by plan id, in one query. */
  phaseCounts(): Map<string, number> {
    const rows = this.db.prepare(`SELECT plan_id, COUNT(*) AS n FROM phases GROUP BY plan_id`).all() as {
      plan_id: string;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.plan_id, r.n]));
  }

  /** Memories linked to a plan, its phases or tasks: what a delete would take with it (their links cascade). */
  linkedMemoryCount(links: { planId?: string; phaseIds?: readonly string[]; taskIds?: readonly string[] }): number {
    const phaseIds = links.phaseIds ?? [];
    const taskIds = links.taskIds ?? [];
    const list = (ids: readonly string[]) => ids.map(() => '?').join(', ') || 'NULL';
    return this.db
      .prepare(
        `SELECT COUNT(*) FROM semantic_memory
      WHERE plan_id = ? OR phase_id IN (${list(phaseIds)}) OR task_id IN (${list(taskIds)})`,
      )
      .pluck()
      .get(links.planId ?? null, ...phaseIds, ...taskIds) as number;
  }

  /** Every plan's rollup, keyed by plan id, in one query. */
  progressByPlan(): Map<string, Progress> {
    return progressByPlan(this.db);
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────────

  private phaseOrder(planId: string): string[] {
    return this.db
      .prepare(`SELECT id FROM phases WHERE plan_id = ? ORDER BY sequence_order, rowid`)
      .pluck()
      .all(planId) as string[];
  }

  /** Renumbers 1..n in the given order, touching only rows whose number changes. */
  private writeOrder(ids: readonly string[]): void {
    const update = this.db.prepare(`UPDATE phases SET sequence_order = ? WHERE id = ? AND sequence_order IS NOT ?`);
    ids.forEach((id, i) => update.run(i + 1, id, i + 1));
  }

  private checkPosition(position: number, max: number): void {
    if (!Number.isInteger(position) || position < 1 || position > max) {
      throw new DevStreamError(
        `Position ${JSON.stringify(position)} is out of range: use a whole number from 1 to ${max}.`,
        'invalid',
      );
    }
  }

  /** Deduplicated dependency ids: existing phases of the same plan, not the phase itself, no cycle. */
  private checkDependencies(planId: string, phaseId: string, deps: unknown): string[] {
    const list = [...new Set(v.stringArray('dependencies', deps))];
    const phases = new Map(this.listPhases(planId).map((p) => [p.id, p]));
    for (const d of list) {
      if (d === phaseId) throw new DevStreamError(`A phase cannot depend on itself.`, 'invalid');
      if (phases.has(d)) continue;
      const row = this.db.prepare(`SELECT name FROM phases WHERE id = ?`).get(d) as { name: string } | undefined;
      throw row
        ? new DevStreamError(
            `Phase "${row.name}" (${short(d)}) belongs to another plan: a phase can only depend on phases of its own plan.`,
            'invalid',
          )
        : new DevStreamError(`No phase with id ${d} to depend on.`, 'not_found');
    }
    const next = (id: string) => (id === phaseId ? list : (phases.get(id)?.dependencies ?? []));
    for (const d of list) {
      const path = findPath(d, phaseId, next);
      if (path) {
        const names = [phaseId, ...path].map((id) => `"${phases.get(id)?.name ?? 'this phase'}"`);
        throw new DevStreamError(
          `These dependencies would make a cycle: ${names.join(' → ')}. A phase cannot (indirectly) wait for itself.`,
          'conflict',
        );
      }
    }
    return list;
  }

  private dependenciesDone(phase: Phase): boolean {
    return this.unfinishedDependency(phase) === undefined;
  }

  private unfinishedDependency(phase: Phase): { id: string; name: string; status: string } | undefined {
    for (const d of phase.dependencies) {
      const dep = this.db.prepare(`SELECT name, status FROM phases WHERE id = ?`).get(d) as
        { name: string; status: string } | undefined;
      if (dep && dep.status !== 'completed' && dep.status !== 'skipped') return { id: d, ...dep };
    }
    return undefined;
  }

  private checkDependenciesDone(phase: Phase): void {
    const dep = this.unfinishedDependency(phase);
    if (!dep) return;
    throw new DevStreamError(
      `Cannot start phase "${phase.name}": it depends on phase "${dep.name}" (${short(dep.id)}), which is ${dep.status}. ` +
        `Complete or skip "${dep.name}" first, or mark "${phase.name}" as parallel.`,
      'conflict',
    );
  }

  /** The parent for `taskId` (null for a new task): exists, same phase, not a descendant. */
  private checkParent(phaseId: string, taskId: string | null, parentId: string): string {
    const parent = this.db
      .prepare(`SELECT id, title, phase_id, parent_task_id FROM micro_tasks WHERE id = ?`)
      .get(parentId) as { id: string; title: string; phase_id: string; parent_task_id: string | null } | undefined;
    if (!parent) throw new DevStreamError(`No task with id ${parentId} to be the parent.`, 'not_found');
    if (parent.phase_id !== phaseId) {
      throw new DevStreamError(
        `Parent task "${parent.title}" is in another phase: a sub-task must be in the same phase as its parent.`,
        'invalid',
      );
    }
    if (parentId === taskId) throw new DevStreamError(`A task cannot be its own parent.`, 'invalid');
    if (taskId !== null) {
      const up = this.db.prepare(`SELECT parent_task_id FROM micro_tasks WHERE id = ?`).pluck();
      const path = findPath(parentId, taskId, (id) => {
        const p = up.get(id) as string | null | undefined;
        return p ? [p] : [];
      });
      if (path) {
        const title = this.db.prepare(`SELECT title FROM micro_tasks WHERE id = ?`).pluck();
        const names = [taskId, ...path].map((id) => `"${title.get(id) as string}"`);
        throw new DevStreamError(
          `A task cannot be a sub-task of its own sub-task: ${names.join(' → ')} would be a cycle.`,
          'conflict',
        );
      }
    }
    return parent.id;
  }

  /** Active tasks of one plan (`p.plan_id`) or phase (`t.phase_id`), in tree order. */
  private activeTasks(column: 'p.plan_id' | 't.phase_id', id: string): { id: string; title: string }[] {
    return this.db
      .prepare(
        `SELECT t.id, t.title FROM micro_tasks t JOIN phases p ON p.id = t.phase_id
      WHERE ${column} = ? AND t.status = 'active' ORDER BY p.sequence_order, t.rowid`,
      )
      .all(id) as { id: string; title: string }[];
  }

  /** Unlinks context_injections rows from the tasks `taskIdsSql` selects (history, no cascade). */
  private detachInjections(taskIdsSql: string, param: string): void {
    this.db.prepare(`UPDATE context_injections SET task_id = NULL WHERE task_id IN (${taskIdsSql})`).run(param);
  }
}
