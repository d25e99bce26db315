import { PlanRepository, PLAN_STATUSES, PHASE_STATUSES, TASK_STATUSES, TASK_TYPES, progressLabel, type Plan } from '../../core/plans';
import type { Command } from '../command';
import { int, list, num, oneOf, str } from '../command';
import type { CliContext } from '../context';
import { keyValues, table } from '../format';

const repo = (ctx: CliContext) => new PlanRepository(ctx.store);

export const planCommands: Command[] = [
  {
    name: 'plan add', usage: 'TITLE [--objective TEXT]... [--outcome TEXT] [--description TEXT] [--priority 1-10] [--tag T]...',
    summary: 'Create an intervention plan (status draft).',
    args: [1, 1],
    options: { objective: { type: 'string', multiple: true }, outcome: { type: 'string' }, description: { type: 'string' }, priority: { type: 'string' }, tag: { type: 'string', multiple: true }, hours: { type: 'string' } },
    run(ctx, v, [title]) {
      const plan = repo(ctx).createPlan({
        title, objectives: list(v, 'objective'), expectedOutcome: str(v, 'outcome') ?? '', description: str(v, 'description'),
        priority: int(v, 'priority'), tags: list(v, 'tag'), estimatedHours: num(v, 'hours'),
      });
      ctx.emit(plan, () => `Created plan ${plan.id} "${plan.title}" (${plan.status})`);
    },
  },
  {
    name: 'plan list', usage: '[--status S]', summary: 'List plans with their progress.',
    options: { status: { type: 'string' } },
    run(ctx, v) {
      const r = repo(ctx);
      const status = str(v, 'status');
      const plans = r.listPlans(status ? { status: oneOf(status, PLAN_STATUSES, 'plan status') } : {});
      const progress = r.progressByPlan();
      const rows = plans.map((p) => ({ ...p, progress: progress.get(p.id) }));
      ctx.emit(rows, () => table(rows.map((p) => ({ id: p.id.slice(0, 8), status: p.status, priority: p.priority, progress: p.progress ? progressLabel(p.progress) : '0/0', title: p.title })), ['id', 'status', 'priority', 'progress', 'title']));
    },
  },
  {
    name: 'plan show', usage: 'PLAN_ID', summary: 'Show a plan with its phases, tasks and progress.', args: [1, 1],
    run(ctx, _v, [id]) {
      const r = repo(ctx);
      const plan = r.getPlan(r.resolveId('plan', id));
      const progress = r.planProgress(plan.id);
      const phases = r.listPhases(plan.id).map((ph) => ({ ...ph, tasks: r.listTasks({ phaseId: ph.id }) }));
      ctx.emit({ ...plan, progress, phases }, () => showPlan(plan, progressLabel(progress), phases));
    },
  },
  {
    name: 'plan set-status', usage: `PLAN_ID STATUS   (${PLAN_STATUSES.join('|')})`, summary: 'Move a plan through its lifecycle.', args: [2, 2],
    run(ctx, _v, [id, status]) {
      const r = repo(ctx);
      const plan = r.setPlanStatus(r.resolveId('plan', id), oneOf(status, PLAN_STATUSES, 'plan status'));
      ctx.emit(plan, () => `Plan ${plan.id} is now ${plan.status}`);
    },
  },
  {
    name: 'plan delete', usage: 'PLAN_ID --yes', summary: 'Delete a plan with its phases, tasks and linked memories.', args: [1, 1],
    options: { yes: { type: 'boolean' } },
    run(ctx, v, [id]) {
      const r = repo(ctx);
      const plan = r.getPlan(r.resolveId('plan', id));
      if (!v.yes) throw new Error(`This deletes plan "${plan.title}" with its phases, tasks and linked memories. Add --yes to confirm.`);
      r.deletePlan(plan.id);
      ctx.emit({ deleted: plan.id }, () => `Deleted plan ${plan.id}`);
    },
  },
  {
    name: 'phase add', usage: 'PLAN_ID NAME [--description TEXT] [--position N] [--depends-on PHASE_ID]... [--parallel] [--minutes N]',
    summary: 'Add a phase to a plan (at the end, or at --position).', args: [2, 2],
    options: { description: { type: 'string' }, position: { type: 'string' }, 'depends-on': { type: 'string', multiple: true }, parallel: { type: 'boolean' }, minutes: { type: 'string' }, criteria: { type: 'string' } },
    run(ctx, v, [planId, name]) {
      const r = repo(ctx);
      const phase = r.addPhase({
        planId: r.resolveId('plan', planId), name, description: str(v, 'description'), position: int(v, 'position'),
        dependencies: list(v, 'depends-on').map((d) => r.resolveId('phase', d)), isParallel: v.parallel === true,
        estimatedMinutes: int(v, 'minutes'), completionCriteria: str(v, 'criteria'),
      });
      ctx.emit(phase, () => `Added phase ${phase.id} "${phase.name}" at position ${phase.sequenceOrder}`);
    },
  },
  {
    name: 'phase list', usage: 'PLAN_ID', summary: 'List the phases of a plan in order.', args: [1, 1],
    run(ctx, _v, [planId]) {
      const r = repo(ctx);
      const id = r.resolveId('plan', planId);
      const progress = r.planProgress(id);
      const phases = r.listPhases(id).map((p) => ({ ...p, progress: progress.phases.find((x) => x.phaseId === p.id) }));
      ctx.emit(phases, () => table(phases.map((p) => ({ order: p.sequenceOrder, id: p.id.slice(0, 8), status: p.status, progress: p.progress ? progressLabel(p.progress) : '', name: p.name })), ['order', 'id', 'status', 'progress', 'name']));
    },
  },
  {
    name: 'phase set-status', usage: `PHASE_ID STATUS [--reason TEXT]   (${PHASE_STATUSES.join('|')})`, summary: 'Move a phase through its lifecycle.', args: [2, 2],
    options: { reason: { type: 'string' } },
    run(ctx, v, [id, status]) {
      const r = repo(ctx);
      const phase = r.setPhaseStatus(r.resolveId('phase', id), oneOf(status, PHASE_STATUSES, 'phase status'), { reason: str(v, 'reason') });
      ctx.emit(phase, () => `Phase ${phase.id} is now ${phase.status}`);
    },
  },
  {
    name: 'task add', usage: 'PHASE_ID TITLE [--description TEXT] [--type T] [--priority 1-10] [--minutes 1-10] [--parent TASK_ID] [--agent NAME]',
    summary: 'Add a micro-task (at most 10 minutes of work) to a phase.', args: [2, 2],
    options: { description: { type: 'string' }, type: { type: 'string' }, priority: { type: 'string' }, minutes: { type: 'string' }, parent: { type: 'string' }, agent: { type: 'string' }, input: { type: 'string', multiple: true } },
    run(ctx, v, [phaseId, title]) {
      const r = repo(ctx);
      const type = str(v, 'type');
      const parent = str(v, 'parent');
      const task = r.addTask({
        phaseId: r.resolveId('phase', phaseId), title, description: str(v, 'description'), taskType: type ? oneOf(type, TASK_TYPES, 'task type') : undefined,
        priority: int(v, 'priority'), maxDurationMinutes: int(v, 'minutes'), parentTaskId: parent ? r.resolveId('task', parent) : undefined,
        assignedAgent: str(v, 'agent'), inputFiles: list(v, 'input'),
      });
      ctx.emit(task, () => `Added task ${task.id} "${task.title}" (${task.maxDurationMinutes} min)`);
    },
  },
  {
    name: 'task list', usage: '[--plan PLAN_ID] [--phase PHASE_ID] [--status S] [--min-priority N]', summary: 'List micro-tasks.',
    options: { plan: { type: 'string' }, phase: { type: 'string' }, status: { type: 'string' }, 'min-priority': { type: 'string' } },
    run(ctx, v) {
      const r = repo(ctx);
      const plan = str(v, 'plan');
      const phase = str(v, 'phase');
      const status = str(v, 'status');
      const tasks = r.listTasks({
        planId: plan ? r.resolveId('plan', plan) : undefined, phaseId: phase ? r.resolveId('phase', phase) : undefined,
        status: status ? oneOf(status, TASK_STATUSES, 'task status') : undefined, minPriority: int(v, 'min-priority'),
      });
      ctx.emit(tasks, () => table(tasks.map((t) => ({ id: t.id.slice(0, 8), status: t.status, priority: t.priority, type: t.taskType, min: t.maxDurationMinutes, title: t.title })), ['id', 'status', 'priority', 'type', 'min', 'title']));
    },
  },
  {
    name: 'task set-status', usage: `TASK_ID STATUS [--error TEXT] [--minutes N]   (${TASK_STATUSES.join('|')})`, summary: 'Start, complete, fail, retry or skip a task.', args: [2, 2],
    options: { error: { type: 'string' }, minutes: { type: 'string' } },
    run(ctx, v, [id, status]) {
      const r = repo(ctx);
      const task = r.setTaskStatus(r.resolveId('task', id), oneOf(status, TASK_STATUSES, 'task status'), { errorLog: str(v, 'error'), actualDurationMinutes: num(v, 'minutes') });
      ctx.emit(task, () => `Task ${task.id} is now ${task.status}`);
    },
  },
];

function showPlan(plan: Plan, progress: string, phases: { sequenceOrder: number; name: string; status: string; tasks: { id: string; title: string; status: string }[] }[]): string {
  const head = keyValues({ id: plan.id, title: plan.title, status: plan.status, priority: plan.priority, progress, objectives: plan.objectives.join('; '), outcome: plan.expectedOutcome, created: plan.createdAt });
  const body = phases.map((ph) => [`\n${ph.sequenceOrder}. ${ph.name} [${ph.status}]`, ...ph.tasks.map((t) => `   - ${t.id.slice(0, 8)} [${t.status}] ${t.title}`)].join('\n'));
  return head + body.join('');
}
