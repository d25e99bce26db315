import type { Store } from '../db/store';
import { PHASE_STATUSES, PLAN_STATUSES, TASK_STATUSES, TASK_TYPES } from '../plans/types';
import type { PlanDoc } from './planFile';

/**
 * Makes the database's plan, phases and tasks exactly what the file says, ids kept, in one
 * transaction. The file records state another machine's rules already produced (a started task
 * started its phase there), so rows are written as they are, after checking every value the
 * schema's CHECK constraints would refuse; phases and tasks the file no longer lists are deleted.
 */
export function importPlan(store: Store, doc: PlanDoc): void {
  checkPlanDoc(doc);
  const db = store.db;
  const p = doc.plan;
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  store.tx(() => {
    db.prepare(upsert('intervention_plans', PLAN_COLUMNS, 'updated_at = CURRENT_TIMESTAMP')).run({
      id: p.id,
      title: p.title,
      description: p.description,
      objectives: json(p.objectives),
      technical_specs: json(p.technicalSpecs),
      expected_outcome: p.expectedOutcome,
      status: p.status,
      priority: p.priority,
      estimated_hours: p.estimatedHours,
      actual_hours: p.actualHours,
      tags: json(p.tags),
      metadata: json(p.metadata),
      created_at: p.createdAt,
      completed_at: p.completedAt,
    });
    const phaseIds = JSON.stringify(doc.phases.map((x) => x.phase.id));
    const taskIds = JSON.stringify(doc.phases.flatMap((x) => x.tasks.map((t) => t.id)));
    db.prepare(
      `DELETE FROM micro_tasks WHERE phase_id IN (SELECT id FROM phases WHERE plan_id = ?)
      AND id NOT IN (SELECT value FROM json_each(?))`,
    ).run(p.id, taskIds);
    db.prepare(`DELETE FROM phases WHERE plan_id = ? AND id NOT IN (SELECT value FROM json_each(?))`).run(
      p.id,
      phaseIds,
    );
    const phase = db.prepare(upsert('phases', PHASE_COLUMNS));
    const task = db.prepare(upsert('micro_tasks', TASK_COLUMNS));
    const parent = db.prepare(`UPDATE micro_tasks SET parent_task_id = ? WHERE id = ?`);
    for (const { phase: f, tasks } of doc.phases) {
      phase.run({
        id: f.id,
        plan_id: p.id,
        name: f.name,
        description: f.description,
        sequence_order: f.sequenceOrder,
        is_parallel: f.isParallel ? 1 : 0,
        dependencies: json(f.dependencies),
        status: f.status,
        estimated_minutes: f.estimatedMinutes,
        actual_minutes: f.actualMinutes,
        blocking_reason: f.blockingReason,
        completion_criteria: f.completionCriteria,
        created_at: f.createdAt,
      });
      for (const t of tasks) {
        task.run({
          id: t.id,
          phase_id: f.id,
          title: t.title,
          description: t.description,
          max_duration_minutes: t.maxDurationMinutes,
          max_context_tokens: t.maxContextTokens,
          assigned_agent: t.assignedAgent,
          task_type: t.taskType,
          status: t.status,
          priority: t.priority,
          input_files: json(t.inputFiles),
          output_files: json(t.outputFiles),
          generated_code: t.generatedCode,
          documentation: t.documentation,
          error_log: t.errorLog,
          actual_duration_minutes: t.actualDurationMinutes,
          context_tokens_used: t.contextTokensUsed,
          retry_count: t.retryCount,
          created_at: t.createdAt,
          started_at: t.startedAt,
          completed_at: t.completedAt,
          last_retry_at: t.lastRetryAt,
        });
      }
    }
    // Parents last: a sub-task may be listed before its parent.
    for (const { tasks } of doc.phases) for (const t of tasks) parent.run(t.parentTaskId, t.id);
  });
}

const PLAN_COLUMNS = [
  'id',
  'title',
  'description',
  'objectives',
  'technical_specs',
  'expected_outcome',
  'status',
  'priority',
  'estimated_hours',
  'actual_hours',
  'tags',
  'metadata',
  'created_at',
  'completed_at',
];
// A phase's started/completed times are not in the file: the local ones are kept.
const PHASE_COLUMNS = [
  'id',
  'plan_id',
  'name',
  'description',
  'sequence_order',
  'is_parallel',
  'dependencies',
  'status',
  'estimated_minutes',
  'actual_minutes',
  'blocking_reason',
  'completion_criteria',
  'created_at',
];
const TASK_COLUMNS = [
  'id',
  'phase_id',
  'title',
  'description',
  'max_duration_minutes',
  'max_context_tokens',
  'assigned_agent',
  'task_type',
  'status',
  'priority',
  'input_files',
  'output_files',
  'generated_code',
  'documentation',
  'error_log',
  'actual_duration_minutes',
  'context_tokens_used',
  'retry_count',
  'created_at',
  'started_at',
  'completed_at',
  'last_retry_at',
];

/** INSERT of the named columns (`@column` parameters), updating them all when the id exists. */
function upsert(table: string, columns: readonly string[], extra?: string): string {
  const set = [...columns.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`), ...(extra ? [extra] : [])];
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})
    ON CONFLICT (id) DO UPDATE SET ${set.join(', ')}`;
}

function checkPlanDoc(doc: PlanDoc): void {
  const bad = (what: string, value: unknown, allowed: readonly unknown[]) => {
    if (!allowed.includes(value)) throw new Error(`${what} '${String(value)}' is not one of: ${allowed.join(', ')}`);
  };
  const priority = (what: string, n: number) => {
    if (!Number.isInteger(n) || n < 1 || n > 10) throw new Error(`${what} priority ${n} is not a whole number 1..10`);
  };
  bad('plan status', doc.plan.status, PLAN_STATUSES);
  priority('plan', doc.plan.priority);
  const ids = new Set<string>();
  for (const { phase, tasks } of doc.phases) {
    bad(`phase "${phase.name}" status`, phase.status, PHASE_STATUSES);
    if (ids.has(phase.id)) throw new Error(`phase id ${phase.id} appears twice`);
    ids.add(phase.id);
    for (const t of tasks) {
      bad(`task "${t.title}" type`, t.taskType, TASK_TYPES);
      bad(`task "${t.title}" status`, t.status, TASK_STATUSES);
      priority(`task "${t.title}"`, t.priority);
      if (t.maxDurationMinutes < 1 || t.maxDurationMinutes > 10)
        throw new Error(`task "${t.title}" takes at most 10 minutes`);
      if (t.title.trim() === '') throw new Error('a task has no title');
      if (ids.has(t.id)) throw new Error(`task id ${t.id} appears twice`);
      ids.add(t.id);
    }
  }
}
