import type { JsonObject, MicroTask, Phase, PhaseStatus, Plan, PlanStatus, TaskStatus, TaskType } from './types';

/** A row as better-sqlite3 returns it (snake_case columns). */
export type Row = Record<string, unknown>;

const str = (v: unknown): string => (v == null ? '' : String(v));
const strOrNull = (v: unknown): string | null => (v == null ? null : String(v));
const numOrNull = (v: unknown): number | null => (v == null || v === '' ? null : Number(v));
// BOOLEAN columns hold 0/1, but files written by other tools may hold 'true'/'false'.
const bool = (v: unknown): boolean => v === 1 || v === true || v === '1' || v === 'true';

/**
 * JSON array columns. Files written by other tools may hold NULL, a bare string or broken
 * JSON: listing must not crash on them, and a bare string is kept as one item, not lost.
 */
export function parseStringArray(v: unknown): string[] {
  if (v == null || v === '') return [];
  try {
    const parsed: unknown = JSON.parse(String(v));
    if (Array.isArray(parsed)) return parsed.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
    return parsed == null ? [] : [String(parsed)];
  } catch {
    return [String(v)];
  }
}

/** JSON object columns; anything that is not an object is kept under `value`. */
export function parseObject(v: unknown): JsonObject | null {
  if (v == null || v === '') return null;
  try {
    const parsed: unknown = JSON.parse(String(v));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as JsonObject;
    return { value: parsed };
  } catch {
    return { value: String(v) };
  }
}

export function toPlan(r: Row): Plan {
  return {
    id: str(r.id),
    title: str(r.title),
    description: strOrNull(r.description),
    objectives: parseStringArray(r.objectives),
    technicalSpecs: parseObject(r.technical_specs),
    expectedOutcome: str(r.expected_outcome),
    status: (r.status ?? 'draft') as PlanStatus,
    priority: Number(r.priority ?? 5),
    estimatedHours: numOrNull(r.estimated_hours),
    actualHours: numOrNull(r.actual_hours),
    tags: parseStringArray(r.tags),
    metadata: parseObject(r.metadata),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at ?? r.created_at),
    completedAt: strOrNull(r.completed_at),
  };
}

export function toPhase(r: Row): Phase {
  return {
    id: str(r.id),
    planId: str(r.plan_id),
    name: str(r.name),
    description: strOrNull(r.description),
    sequenceOrder: Number(r.sequence_order),
    isParallel: bool(r.is_parallel),
    dependencies: parseStringArray(r.dependencies),
    status: (r.status ?? 'pending') as PhaseStatus,
    estimatedMinutes: numOrNull(r.estimated_minutes),
    actualMinutes: numOrNull(r.actual_minutes),
    blockingReason: strOrNull(r.blocking_reason),
    completionCriteria: strOrNull(r.completion_criteria),
    createdAt: str(r.created_at),
    startedAt: strOrNull(r.started_at),
    completedAt: strOrNull(r.completed_at),
  };
}

export function toTask(r: Row): MicroTask {
  return {
    id: str(r.id),
    phaseId: str(r.phase_id),
    title: str(r.title),
    description: str(r.description),
    maxDurationMinutes: Number(r.max_duration_minutes ?? 10),
    maxContextTokens: numOrNull(r.max_context_tokens),
    assignedAgent: strOrNull(r.assigned_agent),
    taskType: (r.task_type ?? 'coding') as TaskType,
    status: (r.status ?? 'pending') as TaskStatus,
    priority: Number(r.priority ?? 5),
    inputFiles: parseStringArray(r.input_files),
    outputFiles: parseStringArray(r.output_files),
    generatedCode: strOrNull(r.generated_code),
    documentation: strOrNull(r.documentation),
    errorLog: strOrNull(r.error_log),
    actualDurationMinutes: numOrNull(r.actual_duration_minutes),
    contextTokensUsed: numOrNull(r.context_tokens_used),
    retryCount: Number(r.retry_count ?? 0),
    parentTaskId: strOrNull(r.parent_task_id),
    createdAt: str(r.created_at),
    startedAt: strOrNull(r.started_at),
    completedAt: strOrNull(r.completed_at),
    lastRetryAt: strOrNull(r.last_retry_at),
  };
}
