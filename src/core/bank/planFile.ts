import { TASK_STATUSES, type MicroTask, type Phase, type Plan, type TaskStatus } from '../plans/types';
import { parseFrontMatter, renderFrontMatter } from './frontMatter';
import { slug } from './memoryFile';

/**
 * A plan as its bank file holds it. Left out on purpose: the plan's updated_at and the phases'
 * started/completed times, which two people starting different tasks of one phase would both
 * change (a merge conflict over nothing); each task's own times stay on its own line.
 */
export interface PlanDoc {
  plan: Omit<Plan, 'updatedAt'>;
  phases: { phase: Omit<Phase, 'startedAt' | 'completedAt'>; tasks: MicroTask[] }[];
}

const BOX: Record<TaskStatus, string> = { pending: ' ', active: '~', completed: 'x', failed: '!', skipped: '-' };
const STATUS_OF_BOX = new Map(Object.entries(BOX).map(([s, b]) => [b, s as TaskStatus]));
const TASK_LINE = /^- \[(.)\] (.*) <!-- task (\{.*\}) -->$/;
const PHASE_LINE = /^<!-- phase (\{.*\}) -->$/;

export function planFilePath(plan: Pick<Plan, 'id' | 'title'>): string {
  return `plans/${slug(plan.title)}-${plan.id.slice(0, 8)}.md`;
}

/**
 * One line per task, with a blank line between tasks: git merges edits of two different tasks
 * only when an unchanged line separates them. The checkbox is the status, so a hand edit of
 * `[ ]` to `[x]` completes the task.
 */
export function renderPlanFile(doc: PlanDoc): string {
  const p = doc.plan;
  const data = compact({
    id: p.id,
    title: p.title,
    status: p.status,
    priority: p.priority,
    description: p.description,
    objectives: p.objectives,
    outcome: p.expectedOutcome,
    tags: p.tags.length ? p.tags : undefined,
    estimatedHours: p.estimatedHours,
    actualHours: p.actualHours,
    technicalSpecs: p.technicalSpecs,
    metadata: p.metadata && Object.keys(p.metadata).length ? p.metadata : undefined,
    created: p.createdAt,
    completed: p.completedAt,
  });
  const lines = [`# ${oneLine(p.title)}`, ''];
  for (const { phase: f, tasks } of doc.phases) {
    lines.push(`## ${oneLine(f.name)}`);
    lines.push(
      `<!-- phase ${JSON.stringify(
        compact({
          id: f.id,
          status: f.status,
          parallel: f.isParallel || undefined,
          dependencies: f.dependencies.length ? f.dependencies : undefined,
          description: f.description,
          estimatedMinutes: f.estimatedMinutes,
          actualMinutes: f.actualMinutes,
          blockingReason: f.blockingReason,
          completionCriteria: f.completionCriteria,
          created: f.createdAt,
        }),
      )} -->`,
      '',
    );
    for (const t of tasks) {
      lines.push(
        `- [${BOX[t.status]}] ${oneLine(t.title)} <!-- task ${JSON.stringify(
          compact({
            id: t.id,
            type: t.taskType,
            priority: t.priority,
            minutes: t.maxDurationMinutes,
            description: t.description || undefined,
            parent: t.parentTaskId,
            agent: t.assignedAgent,
            maxContextTokens: t.maxContextTokens,
            inputFiles: t.inputFiles.length ? t.inputFiles : undefined,
            outputFiles: t.outputFiles.length ? t.outputFiles : undefined,
            generatedCode: t.generatedCode,
            documentation: t.documentation,
            errorLog: t.errorLog,
            actualMinutes: t.actualDurationMinutes,
            contextTokensUsed: t.contextTokensUsed,
            retries: t.retryCount || undefined,
            created: t.createdAt,
            started: t.startedAt,
            completed: t.completedAt,
            lastRetry: t.lastRetryAt,
          }),
        )} -->`,
        '',
      );
    }
  }
  while (lines[lines.length - 1] === '') lines.pop();
  return renderFrontMatter(data, lines.join('\n'));
}

/** Throws an Error saying what is wrong and on which line (the caller names the file). */
export function parsePlanFile(text: string): PlanDoc {
  const { data: d, body } = parseFrontMatter(text);
  const id = need(d.id, 'id');
  const plan: PlanDoc['plan'] = {
    id,
    title: need(d.title, 'title'),
    status: need(d.status, 'status') as Plan['status'],
    priority: typeof d.priority === 'number' ? d.priority : 5,
    description: opt(d.description),
    objectives: strings(d.objectives, 'objectives'),
    expectedOutcome: need(d.outcome, 'outcome'),
    tags: strings(d.tags, 'tags'),
    estimatedHours: num(d.estimatedHours),
    actualHours: num(d.actualHours),
    technicalSpecs: obj(d.technicalSpecs),
    metadata: obj(d.metadata),
    createdAt: need(d.created, 'created'),
    completedAt: opt(d.completed),
  };
  const phases: PlanDoc['phases'] = [];
  const rows = body.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const line = rows[i];
    if (line.trim() === '' || line.startsWith('# ')) continue;
    if (line.startsWith('## ')) {
      const meta = PHASE_LINE.exec(rows[i + 1] ?? '');
      if (!meta) throw new Error(`line ${i + 2} of the body should be the phase's <!-- phase {...} --> line`);
      const j = json(meta[1], i + 2);
      phases.push({
        phase: {
          id: need(j.id, `phase id (line ${i + 2})`),
          planId: id,
          name: line.slice(3).trim(),
          description: opt(j.description),
          sequenceOrder: phases.length + 1,
          isParallel: j.parallel === true,
          dependencies: strings(j.dependencies, 'phase dependencies'),
          status: (j.status ?? 'pending') as Phase['status'],
          estimatedMinutes: num(j.estimatedMinutes),
          actualMinutes: num(j.actualMinutes),
          blockingReason: opt(j.blockingReason),
          completionCriteria: opt(j.completionCriteria),
          createdAt: need(j.created, `phase created (line ${i + 2})`),
        },
        tasks: [],
      });
      i++;
      continue;
    }
    const m = TASK_LINE.exec(line);
    if (!m) throw new Error(`line ${i + 1} of the body is neither a phase heading nor a task line`);
    const phase = phases[phases.length - 1];
    if (!phase) throw new Error(`line ${i + 1}: a task before the first phase`);
    const status = STATUS_OF_BOX.get(m[1]);
    if (!status)
      throw new Error(
        `line ${i + 1}: unknown checkbox [${m[1]}] (one of ${TASK_STATUSES.map((s) => `[${BOX[s]}]`).join(' ')})`,
      );
    const j = json(m[3], i + 1);
    phase.tasks.push({
      id: need(j.id, `task id (line ${i + 1})`),
      phaseId: phase.phase.id,
      title: m[2].trim(),
      description: opt(j.description) ?? '',
      maxDurationMinutes: num(j.minutes) ?? 10,
      maxContextTokens: num(j.maxContextTokens),
      assignedAgent: opt(j.agent),
      taskType: (j.type ?? 'coding') as MicroTask['taskType'],
      status,
      priority: num(j.priority) ?? 5,
      inputFiles: strings(j.inputFiles, 'inputFiles'),
      outputFiles: strings(j.outputFiles, 'outputFiles'),
      generatedCode: opt(j.generatedCode),
      documentation: opt(j.documentation),
      errorLog: opt(j.errorLog),
      actualDurationMinutes: num(j.actualMinutes),
      contextTokensUsed: num(j.contextTokensUsed),
      retryCount: num(j.retries) ?? 0,
      parentTaskId: opt(j.parent),
      createdAt: need(j.created, `task created (line ${i + 1})`),
      startedAt: opt(j.started),
      completedAt: opt(j.completed),
      lastRetryAt: opt(j.lastRetry),
    });
  }
  return { plan, phases };
}

/** Nulls and undefined left out, the rest in the order given. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');

function json(text: string, line: number): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Error(`line ${line} of the body has malformed JSON in its <!-- ... --> comment`);
}

function need(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw new Error(`its ${what} is missing`);
  return v;
}

const opt = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

function strings(v: unknown, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error(`its ${what} are not a list of text`);
  return v as string[];
}
