import type { Store } from '../db/store';
import { applySecretPolicy } from '../memory/secretPolicy';
import { MemoryRepository } from '../memory/memoryRepository';
import {
  emptyProgress,
  PlanRepository,
  PLAN_STATUSES,
  TASK_STATUSES,
  TASK_TYPES,
  type MicroTask,
  type PlanStatus,
  type TaskStatus,
  type TaskType,
} from '../plans';
import { z } from 'zod';
import { embeddingFor } from './embedOnStore';
import { preview, sourceOf } from './memoryTools';
import { recordTaskTransition } from './telemetry';
import { idField, textField } from './toolSchema';
import { defineTool, ok, toolError } from './types';

export const taskSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  priority: z.number(),
  task_type: z.enum(TASK_TYPES),
  max_duration_minutes: z.number(),
  phase_id: z.string(),
  plan_id: z.string().optional(),
  description: z.string().optional(),
  parent_task_id: z.string().optional(),
});

function taskSummary(t: MicroTask, planOf: (phaseId: string) => string | undefined) {
  return {
    id: t.id,
    title: t.title,
    status: t.status,
    priority: t.priority,
    task_type: t.taskType,
    max_duration_minutes: t.maxDurationMinutes,
    phase_id: t.phaseId,
    plan_id: planOf(t.phaseId),
    ...(t.description ? { description: preview(t.description, 300) } : {}),
    ...(t.parentTaskId ? { parent_task_id: t.parentTaskId } : {}),
  };
}

const listTasksSchema = z.strictObject({
  status: z.enum(TASK_STATUSES).describe('Only tasks in this status.').optional(),
  plan_id: idField('Only tasks of this plan (id or unique prefix).').optional(),
  phase_id: idField('Only tasks of this phase (id or unique prefix).').optional(),
  min_priority: z
    .number()
    .int()
    .min(1)
    .max(10)
    .describe('Only tasks with priority at least this (1-10, 10 most urgent).')
    .optional(),
  limit: z.number().int().min(1).max(200).default(50).describe('Most tasks to return (default 50).'),
});

export const listTasksTool = defineTool({
  name: 'devstream_list_tasks',
  title: 'List DevStream tasks',
  description:
    "List the micro-tasks (each at most 10 minutes of work) of the workspace's DevStream plans, in plan and phase " +
    'order. ' +
    'Use it to find what to work on next (status "pending" or "active"), to get a task id for devstream_update_task, ' +
    'or to see what is done. Filter by status, plan, phase or minimum priority.',
  input: listTasksSchema,
  output: z.object({ total: z.number(), tasks: z.array(taskSummarySchema), note: z.string().optional() }),
  readOnly: true,
  idempotent: true,
  async handler(raw, ctx) {
    const i = raw as {
      status?: TaskStatus;
      plan_id?: string;
      phase_id?: string;
      min_priority?: number;
      limit?: number;
    };
    const plans = new PlanRepository(ctx.store);
    const tasks = plans.listTasks({
      status: i.status,
      minPriority: i.min_priority,
      planId: i.plan_id ? plans.resolveId('plan', i.plan_id) : undefined,
      phaseId: i.phase_id ? plans.resolveId('phase', i.phase_id) : undefined,
    });
    const limit = i.limit ?? 50;
    const phasePlan = ctx.store.db.prepare(`SELECT plan_id FROM phases WHERE id = ?`).pluck();
    const planOf = (phaseId: string) => phasePlan.get(phaseId) as string | undefined;
    return ok({
      total: tasks.length,
      tasks: tasks.slice(0, limit).map((t) => taskSummary(t, planOf)),
      ...(tasks.length > limit
        ? { note: `${tasks.length - limit} more task(s) not shown; raise limit or filter.` }
        : {}),
    });
  },
});

const createTaskSchema = z.strictObject({
  phase_id: idField('Phase to add the task to (id or unique prefix; see devstream_list_plans / devstream_list_tasks).'),
  title: textField(200, 'What to do, as a short imperative sentence.'),
  description: z.string().max(5000).describe('Details: files involved, acceptance criteria.').optional(),
  task_type: z.enum(TASK_TYPES).default('coding').describe('Kind of work (default coding).'),
  priority: z.number().int().min(1).max(10).default(5).describe('1-10, 10 most urgent (default 5).'),
  max_duration_minutes: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(10)
    .describe('Time box, at most 10 minutes: split bigger work into several tasks.'),
});

export const createTaskTool = defineTool({
  name: 'devstream_create_task',
  title: 'Create a DevStream task',
  description:
    'Add a micro-task (at most 10 minutes of work) to a phase of a DevStream plan. Use it to record work you ' +
    'discovered ' +
    'or to break a larger piece of work into small steps; create several tasks rather than one over 10 minutes. New ' +
    'tasks are pending.',
  input: createTaskSchema,
  output: z.object({ created: z.literal(true), task: taskSummarySchema }),
  readOnly: false,
  confirmation: {
    title: 'Create a task',
    message: (i) =>
      `Add the task "${preview(String(i.title ?? ''))}" to phase ${String(i.phase_id)} in the DevStream plan.`,
  },
  async handler(raw, ctx) {
    const i = raw as {
      phase_id: string;
      title: string;
      description?: string;
      task_type?: TaskType;
      priority?: number;
      max_duration_minutes?: number;
    };
    const plans = new PlanRepository(ctx.store);
    const t = plans.addTask({
      phaseId: plans.resolveId('phase', i.phase_id),
      title: i.title,
      description: i.description,
      taskType: i.task_type,
      priority: i.priority,
      maxDurationMinutes: i.max_duration_minutes,
    });
    return ok({ created: true, task: taskSummary(t, () => plans.getPhase(t.phaseId).planId) });
  },
});

const updateTaskSchema = z.strictObject({
  task_id: idField('Task to update (id or unique prefix).'),
  status: z
    .enum(TASK_STATUSES)
    .describe(
      'New status. Allowed: pending→active|skipped; active→completed|failed|pending|skipped; ' +
        'failed→pending|active (retry). completed and skipped are final.',
    )
    .optional(),
  notes: textField(
    10_000,
    'What you did or decided, and why; saved as a decision memory linked to the task ' +
      '(and as the error log when status is failed).',
  ).optional(),
});

export const updateTaskTool = defineTool({
  name: 'devstream_update_task',
  title: 'Update a DevStream task',
  description:
    'Change a task\'s status and/or attach notes. Set "active" when you start a task, "completed" when it is done, ' +
    '"failed" (with notes saying why) when you cannot finish it. Notes are saved as a decision memory linked to the ' +
    'task, ' +
    'so later sessions find them. Status changes follow the task lifecycle; an invalid change is refused and ' +
    'nothing is written.',
  input: updateTaskSchema,
  output: z.object({
    task: z.object({
      id: z.string(),
      title: z.string(),
      status: z.enum(TASK_STATUSES),
      previous_status: z.enum(TASK_STATUSES),
    }),
    note_memory_id: z.string().optional(),
  }),
  readOnly: false,
  confirmation: {
    title: 'Update a task',
    message: (i) =>
      [
        i.status ? `Set task ${String(i.task_id)} to ${String(i.status)}` : `Add notes to task ${String(i.task_id)}`,
        i.notes ? `${i.status ? ' and save the notes' : ''}: "${preview(String(i.notes))}"` : '.',
      ].join(''),
  },
  async handler(raw, ctx) {
    const i = raw as { task_id: string; status?: TaskStatus; notes?: string };
    if (i.status === undefined && i.notes === undefined)
      return toolError(`Give 'status', 'notes' or both: there is nothing to update.`);
    const plans = new PlanRepository(ctx.store);
    const taskId = plans.resolveId('task', i.task_id);
    const notes = i.notes === undefined ? undefined : (await applySecretPolicy(i.notes, ctx.keepSecrets)).content;
    const embedding = notes === undefined ? undefined : await embeddingFor(ctx.store, ctx.embedder, notes, ctx.log);
    // One transaction: a refused status change leaves no note behind, and the session and
    // agent counts change exactly when the task does.
    return ctx.store.tx(() => {
      const before = plans.getTask(taskId);
      let task = before;
      if (i.status !== undefined && i.status !== before.status) {
        task = plans.setTaskStatus(taskId, i.status, i.status === 'failed' && notes ? { errorLog: notes } : {});
        recordTaskTransition(ctx.store, ctx.session, taskId, i.status);
      }
      const note =
        notes === undefined
          ? undefined
          : new MemoryRepository(ctx.store).add({
              content: notes,
              contentType: 'decision',
              taskId,
              source: sourceOf(ctx),
              embedding,
              metadata: { status_from: before.status, status_to: task.status },
            });
      return ok({
        task: { id: task.id, title: task.title, status: task.status, previous_status: before.status },
        ...(note ? { note_memory_id: note.id } : {}),
      });
    });
  },
});

const listPlansSchema = z.strictObject({
  status: z.enum(PLAN_STATUSES).describe('Only plans in this status.').optional(),
});

const progressSchema = z.object({
  total: z.number(),
  pending: z.number(),
  active: z.number(),
  completed: z.number(),
  failed: z.number(),
  skipped: z.number(),
  percent_done: z.number(),
  minutes_left: z.number(),
});

export const planSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(PLAN_STATUSES),
  priority: z.number(),
  description: z.string().optional(),
  phases: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() })),
  progress: progressSchema,
});

export const listPlansTool = defineTool({
  name: 'devstream_list_plans',
  title: 'List DevStream plans',
  description:
    "List the workspace's DevStream plans (highest priority first) with their task progress: counts per status, " +
    'percent done and minutes left. Use it to get oriented, or to find plan ids for devstream_list_tasks.',
  input: listPlansSchema,
  output: z.object({ plans: z.array(planSummarySchema) }),
  readOnly: true,
  idempotent: true,
  async handler(raw, ctx) {
    return ok({ plans: planSummaries(ctx.store, { status: (raw as { status?: PlanStatus }).status }) });
  },
});

/** Plans with their phases and task progress, as the tools and the plans resource show them. */
export function planSummaries(
  store: Store,
  filter: { status?: PlanStatus; id?: string } = {},
): z.infer<typeof planSummarySchema>[] {
  const plans = new PlanRepository(store);
  const progress = plans.progressByPlan();
  const list = filter.id ? [plans.getPlan(filter.id)] : plans.listPlans({ status: filter.status });
  return list.map((p) => {
    const g = progress.get(p.id) ?? emptyProgress();
    return {
      id: p.id,
      title: p.title,
      status: p.status,
      priority: p.priority,
      ...(p.description ? { description: preview(p.description, 300) } : {}),
      phases: plans.listPhases(p.id).map((ph) => ({ id: ph.id, name: ph.name, status: ph.status })),
      progress: {
        total: g.total,
        pending: g.pending,
        active: g.active,
        completed: g.completed,
        failed: g.failed,
        skipped: g.skipped,
        percent_done: g.percentDone,
        minutes_left: g.minutesLeft,
      },
    };
  });
}
