import {
  PLAN_STATUSES,
  PHASE_STATUSES,
  TASK_STATUSES,
  TASK_TYPES,
  progressLabel,
  type MicroTask,
  type Phase,
  type Plan,
} from '../../core/plans';
import { int, list, num, oneOf, str, type CommandSpec, type Values } from '../command';
import { confirmed } from '../confirm';
import type { CliContext } from '../context';
import { keyValues, table } from '../format';

const repo = (ctx: CliContext) => ctx.ds.plans;

export const planCommands: CommandSpec[] = [
  {
    name: 'plan add',
    args: ['TITLE'],
    creates: true,
    summary: 'Create an intervention plan (status draft).',
    options: [
      { flags: '--objective <text>', description: 'an objective', repeat: true },
      { flags: '--outcome <text>', description: 'the expected outcome' },
      { flags: '--description <text>', description: 'what the plan is about' },
      { flags: '--priority <1-10>', description: 'priority (default 5)' },
      { flags: '--tag <tag>', description: 'a tag (or several, comma-separated)', repeat: true },
      { flags: '--hours <n>', description: 'estimated hours' },
    ],
    run(ctx, v, [title]) {
      const plan = repo(ctx).createPlan({
        title,
        objectives: list(v, 'objective'),
        expectedOutcome: str(v, 'outcome') ?? '',
        description: str(v, 'description'),
        priority: int(v, 'priority'),
        tags: list(v, 'tag'),
        estimatedHours: num(v, 'hours'),
      });
      ctx.emit(plan, () => `Created plan ${plan.id} "${plan.title}" (${plan.status})`);
    },
  },
  {
    name: 'plan list',
    summary: 'List plans with their progress.',
    options: [
      {
        flags: '--status <status>',
        description: 'only plans in this status',
        choices: PLAN_STATUSES,
        choiceOf: 'plan status',
      },
    ],
    run(ctx, v) {
      const r = repo(ctx);
      const status = str(v, 'status');
      const plans = r.listPlans(status ? { status: oneOf(status, PLAN_STATUSES, 'plan status') } : {});
      const progress = r.progressByPlan();
      const rows = plans.map((p) => ({ ...p, progress: progress.get(p.id) }));
      ctx.emit(rows, () =>
        table(
          rows.map((p) => ({
            id: p.id.slice(0, 8),
            status: p.status,
            priority: p.priority,
            progress: p.progress ? progressLabel(p.progress) : '0/0',
            title: p.title,
          })),
          ['id', 'status', 'priority', 'progress', 'title'],
        ),
      );
    },
  },
  {
    name: 'plan show',
    args: ['PLAN_ID'],
    summary: 'Show a plan with its phases, tasks (sub-tasks under their parent) and progress.',
    run(ctx, _v, [id]) {
      const r = repo(ctx);
      const plan = r.getPlan(r.resolveId('plan', id));
      const progress = r.planProgress(plan.id);
      const phases = r.listPhases(plan.id).map((ph) => ({ ...ph, tasks: r.listTasks({ phaseId: ph.id }) }));
      ctx.emit({ ...plan, progress, phases }, () => showPlan(plan, progressLabel(progress), phases));
    },
  },
  {
    name: 'plan set-status',
    args: ['PLAN_ID', 'STATUS'],
    summary: `Move a plan through its lifecycle (${PLAN_STATUSES.join(', ')}).`,
    run(ctx, _v, [id, status]) {
      const r = repo(ctx);
      const plan = r.setPlanStatus(r.resolveId('plan', id), oneOf(status, PLAN_STATUSES, 'plan status'));
      ctx.emit(plan, () => `Plan ${plan.id} is now ${plan.status}`);
    },
  },
  {
    name: 'plan delete',
    args: ['PLAN_ID'],
    summary: 'Delete a plan with its phases, tasks and linked memories.',
    options: [{ flags: '--yes', description: 'confirm the delete' }],
    run(ctx, v, [id]) {
      const r = repo(ctx);
      const plan = r.getPlan(r.resolveId('plan', id));
      confirmed(v, `This deletes plan "${plan.title}" with its phases, tasks and linked memories.`);
      r.deletePlan(plan.id);
      ctx.emit({ deleted: plan.id }, () => `Deleted plan ${plan.id}`);
    },
  },
];

const PHASE_FIELDS = [
  { flags: '--description <text>', description: 'what the phase is about' },
  {
    flags: '--depends-on <phase-id>',
    description: 'a phase of the same plan that must be completed or skipped first',
    repeat: true,
  },
  { flags: '--minutes <n>', description: 'estimated minutes' },
  { flags: '--criteria <text>', description: 'completion criteria: when the phase is done' },
];

export const phaseCommands: CommandSpec[] = [
  {
    name: 'phase add',
    args: ['PLAN_ID', 'NAME'],
    creates: true,
    summary: 'Add a phase to a plan (at the end, or at --position).',
    options: [
      ...PHASE_FIELDS,
      { flags: '--position <n>', description: '1-based place among the phases (default: last)' },
      { flags: '--parallel', description: 'may start while the phases it depends on are unfinished' },
    ],
    run(ctx, v, [planId, name]) {
      const r = repo(ctx);
      const phase = r.addPhase({
        planId: r.resolveId('plan', planId),
        name,
        description: str(v, 'description'),
        position: int(v, 'position'),
        dependencies: list(v, 'dependsOn').map((d) => r.resolveId('phase', d)),
        isParallel: v.parallel === true,
        estimatedMinutes: int(v, 'minutes'),
        completionCriteria: str(v, 'criteria'),
      });
      ctx.emit(phase, () => `Added phase ${phase.id} "${phase.name}" at position ${phase.sequenceOrder}`);
    },
  },
  {
    name: 'phase list',
    args: ['PLAN_ID'],
    summary: 'List the phases of a plan in order.',
    run(ctx, _v, [planId]) {
      const r = repo(ctx);
      const id = r.resolveId('plan', planId);
      const progress = r.planProgress(id);
      const phases = r.listPhases(id).map((p) => ({ ...p, progress: progress.phases.find((x) => x.phaseId === p.id) }));
      ctx.emit(phases, () =>
        table(
          phases.map((p) => ({
            order: p.sequenceOrder,
            id: p.id.slice(0, 8),
            status: p.status,
            progress: p.progress ? progressLabel(p.progress) : '',
            name: p.name,
          })),
          ['order', 'id', 'status', 'progress', 'name'],
        ),
      );
    },
  },
  {
    name: 'phase edit',
    args: ['PHASE_ID'],
    summary: 'Change a phase: name, description, dependencies, estimate, criteria, position.',
    options: [
      { flags: '--name <text>', description: 'new name' },
      ...PHASE_FIELDS.map((f) =>
        f.flags.startsWith('--depends-on') ? { ...f, description: `${f.description} (replaces the list)` } : f,
      ),
      { flags: '--no-depends', description: 'depend on no phase' },
      { flags: '--position <n>', description: 'move to this 1-based place among the phases' },
      { flags: '--parallel', description: 'may start while the phases it depends on are unfinished' },
      { flags: '--sequential', description: 'waits for the phases it depends on (undoes --parallel)' },
    ],
    run(ctx, v, [id]) {
      const r = repo(ctx);
      const phaseId = r.resolveId('phase', id);
      const deps =
        v.depends === false ? [] : v.dependsOn ? list(v, 'dependsOn').map((d) => r.resolveId('phase', d)) : undefined;
      let phase = r.updatePhase(phaseId, {
        name: str(v, 'name'),
        description: str(v, 'description'),
        dependencies: deps,
        estimatedMinutes: int(v, 'minutes'),
        completionCriteria: str(v, 'criteria'),
        isParallel: v.parallel === true ? true : v.sequential === true ? false : undefined,
      });
      const position = int(v, 'position');
      if (position !== undefined) phase = r.movePhase(phaseId, position);
      ctx.emit(phase, () => `Updated phase ${phase.id} "${phase.name}" (position ${phase.sequenceOrder})`);
    },
  },
  {
    name: 'phase set-status',
    args: ['PHASE_ID', 'STATUS'],
    summary: `Move a phase through its lifecycle (${PHASE_STATUSES.join(', ')}).`,
    options: [{ flags: '--reason <text>', description: 'what a blocked phase is waiting for (needed to block)' }],
    run(ctx, v, [id, status]) {
      const r = repo(ctx);
      const phase = r.setPhaseStatus(r.resolveId('phase', id), oneOf(status, PHASE_STATUSES, 'phase status'), {
        reason: str(v, 'reason'),
      });
      ctx.emit(phase, () => `Phase ${phase.id} is now ${phase.status}`);
    },
  },
  {
    name: 'phase delete',
    args: ['PHASE_ID'],
    summary: 'Delete a phase with its tasks and linked memories; later phases move up.',
    options: [{ flags: '--yes', description: 'confirm the delete' }],
    run(ctx, v, [id]) {
      const r = repo(ctx);
      const phase = r.getPhase(r.resolveId('phase', id));
      confirmed(v, `This deletes phase "${phase.name}" with its tasks and linked memories.`);
      r.removePhase(phase.id);
      ctx.emit({ deleted: phase.id }, () => `Deleted phase ${phase.id}`);
    },
  },
];

const TASK_FIELDS = [
  { flags: '--description <text>', description: 'what to do' },
  { flags: '--type <type>', description: 'kind of work (default coding)', choices: TASK_TYPES, choiceOf: 'task type' },
  { flags: '--priority <1-10>', description: 'priority (default 5)' },
  { flags: '--minutes <1-10>', description: 'time box in minutes (default 10, at most 10)' },
  { flags: '--parent <task-id>', description: 'make it a sub-task of a task of the same phase' },
  { flags: '--agent <name>', description: 'the agent assigned to it' },
  { flags: '--input <file>', description: 'a file the task reads', repeat: true },
];

export const taskCommands: CommandSpec[] = [
  {
    name: 'task add',
    args: ['PHASE_ID', 'TITLE'],
    creates: true,
    summary: 'Add a micro-task (at most 10 minutes of work) to a phase.',
    options: TASK_FIELDS,
    run(ctx, v, [phaseId, title]) {
      const r = repo(ctx);
      const parent = str(v, 'parent');
      const task = r.addTask({
        phaseId: r.resolveId('phase', phaseId),
        title,
        ...taskFields(v),
        parentTaskId: parent ? r.resolveId('task', parent) : undefined,
        inputFiles: list(v, 'input'),
      });
      ctx.emit(task, () => `Added task ${task.id} "${task.title}" (${task.maxDurationMinutes} min)`);
    },
  },
  {
    name: 'task list',
    summary: 'List micro-tasks.',
    options: [
      { flags: '--plan <plan-id>', description: 'only tasks of this plan' },
      { flags: '--phase <phase-id>', description: 'only tasks of this phase' },
      {
        flags: '--status <status>',
        description: 'only tasks in this status',
        choices: TASK_STATUSES,
        choiceOf: 'task status',
      },
      { flags: '--min-priority <n>', description: 'only tasks with at least this priority' },
    ],
    run(ctx, v) {
      const r = repo(ctx);
      const plan = str(v, 'plan');
      const phase = str(v, 'phase');
      const status = str(v, 'status');
      const tasks = r.listTasks({
        planId: plan ? r.resolveId('plan', plan) : undefined,
        phaseId: phase ? r.resolveId('phase', phase) : undefined,
        status: status ? oneOf(status, TASK_STATUSES, 'task status') : undefined,
        minPriority: int(v, 'minPriority'),
      });
      ctx.emit(tasks, () =>
        table(
          tasks.map((t) => ({
            id: t.id.slice(0, 8),
            status: t.status,
            priority: t.priority,
            type: t.taskType,
            min: t.maxDurationMinutes,
            title: t.title,
          })),
          ['id', 'status', 'priority', 'type', 'min', 'title'],
        ),
      );
    },
  },
  {
    name: 'task edit',
    args: ['TASK_ID'],
    summary: 'Change a task: title, description, type, priority, time box, parent, phase.',
    options: [
      { flags: '--title <text>', description: 'new title' },
      ...TASK_FIELDS.map((f) =>
        f.flags.startsWith('--input') ? { ...f, description: `${f.description} (replaces the list)` } : f,
      ),
      { flags: '--no-parent', description: 'make it a top-level task' },
      { flags: '--phase <phase-id>', description: 'move it, with its sub-tasks, to another phase' },
    ],
    run(ctx, v, [id]) {
      const r = repo(ctx);
      const taskId = r.resolveId('task', id);
      const phase = str(v, 'phase');
      if (phase) r.moveTask(taskId, r.resolveId('phase', phase));
      const parent = str(v, 'parent');
      const task = r.updateTask(taskId, {
        title: str(v, 'title'),
        ...taskFields(v),
        inputFiles: v.input ? list(v, 'input') : undefined,
        parentTaskId: v.parent === false ? null : parent ? r.resolveId('task', parent) : undefined,
      });
      ctx.emit(task, () => `Updated task ${task.id} "${task.title}" (${task.status}, ${task.maxDurationMinutes} min)`);
    },
  },
  {
    name: 'task set-status',
    args: ['TASK_ID', 'STATUS'],
    summary: `Start, complete, fail, retry or skip a task (${TASK_STATUSES.join(', ')}).`,
    options: [
      { flags: '--error <text>', description: 'what went wrong (kept in the error log, usually with failed)' },
      { flags: '--minutes <n>', description: 'minutes it took (default on completion: the time since it started)' },
    ],
    run(ctx, v, [id, status]) {
      const r = repo(ctx);
      const task = r.setTaskStatus(r.resolveId('task', id), oneOf(status, TASK_STATUSES, 'task status'), {
        errorLog: str(v, 'error'),
        actualDurationMinutes: num(v, 'minutes'),
      });
      ctx.emit(task, () => `Task ${task.id} is now ${task.status}`);
    },
  },
  {
    name: 'task delete',
    args: ['TASK_ID'],
    summary: 'Delete a task with its sub-tasks and their linked memories.',
    options: [{ flags: '--yes', description: 'confirm the delete' }],
    run(ctx, v, [id]) {
      const r = repo(ctx);
      const task = r.getTask(r.resolveId('task', id));
      const subs = r.listTasks({ phaseId: task.phaseId }).filter((t) => t.parentTaskId === task.id).length;
      confirmed(v, `This deletes task "${task.title}"${subs ? ' with its sub-tasks' : ''} and linked memories.`);
      r.deleteTask(task.id);
      ctx.emit({ deleted: task.id }, () => `Deleted task ${task.id}`);
    },
  },
];

/** The task fields add and edit share (left out: unchanged). */
function taskFields(v: Values) {
  const type = str(v, 'type');
  return {
    description: str(v, 'description'),
    taskType: type ? oneOf(type, TASK_TYPES, 'task type') : undefined,
    priority: int(v, 'priority'),
    maxDurationMinutes: int(v, 'minutes'),
    assignedAgent: str(v, 'agent'),
  };
}

function showPlan(plan: Plan, progress: string, phases: (Phase & { tasks: MicroTask[] })[]): string {
  const head = keyValues({
    id: plan.id,
    title: plan.title,
    status: plan.status,
    priority: plan.priority,
    progress,
    objectives: plan.objectives.join('; '),
    outcome: plan.expectedOutcome,
    created: plan.createdAt,
  });
  const body = phases.map((ph) =>
    [`\n${ph.sequenceOrder}. ${ph.name} [${ph.status}]`, ...taskTree(ph.tasks)].join('\n'),
  );
  return head + body.join('');
}

/** Tasks as the tree view shows them: each sub-task indented under its parent. */
function taskTree(tasks: MicroTask[]): string[] {
  const ids = new Set(tasks.map((t) => t.id));
  const children = new Map<string | null, MicroTask[]>();
  for (const t of tasks) {
    const parent = t.parentTaskId && ids.has(t.parentTaskId) ? t.parentTaskId : null;
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const t of children.get(parent) ?? []) {
      lines.push(`${'   '.repeat(depth + 1)}- ${t.id.slice(0, 8)} [${t.status}] ${t.title}`);
      walk(t.id, depth + 1);
    }
  };
  walk(null, 0);
  return lines;
}
