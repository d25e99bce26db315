/** Plans, phases and micro-tasks as the rest of DevStream sees them: camelCase, JSON parsed. */

export const PLAN_STATUSES = ['draft', 'active', 'completed', 'paused', 'archived', 'cancelled'] as const;
export const PHASE_STATUSES = ['pending', 'active', 'completed', 'blocked', 'skipped'] as const;
export const TASK_STATUSES = ['pending', 'active', 'completed', 'failed', 'skipped'] as const;
export const TASK_TYPES = ['analysis', 'coding', 'documentation', 'testing', 'review', 'research'] as const;

export type PlanStatus = (typeof PLAN_STATUSES)[number];
export type PhaseStatus = (typeof PHASE_STATUSES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskType = (typeof TASK_TYPES)[number];
export type EntityKind = 'plan' | 'phase' | 'task';

/** A JSON object column (technical_specs, metadata). */
export type JsonObject = Record<string, unknown>;

/** Timestamps are SQLite CURRENT_TIMESTAMP text: 'YYYY-MM-DD HH:MM:SS', UTC. */
export interface Plan {
  id: string;
  title: string;
  description: string | null;
  objectives: string[];
  technicalSpecs: JsonObject | null;
  expectedOutcome: string;
  status: PlanStatus;
  priority: number;
  estimatedHours: number | null;
  actualHours: number | null;
  tags: string[];
  metadata: JsonObject | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export interface Phase {
  id: string;
  planId: string;
  name: string;
  description: string | null;
  /** 1..n within the plan, dense. */
  sequenceOrder: number;
  /** May start while the phases it depends on are unfinished. */
  isParallel: boolean;
  /** Ids of phases of the same plan that must be completed or skipped first. */
  dependencies: string[];
  status: PhaseStatus;
  estimatedMinutes: number | null;
  actualMinutes: number | null;
  blockingReason: string | null;
  completionCriteria: string | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

export interface MicroTask {
  id: string;
  phaseId: string;
  title: string;
  description: string;
  maxDurationMinutes: number;
  maxContextTokens: number | null;
  assignedAgent: string | null;
  taskType: TaskType;
  status: TaskStatus;
  priority: number;
  inputFiles: string[];
  outputFiles: string[];
  generatedCode: string | null;
  documentation: string | null;
  errorLog: string | null;
  actualDurationMinutes: number | null;
  contextTokensUsed: number | null;
  retryCount: number;
  parentTaskId: string | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  lastRetryAt: string | null;
}

export interface NewPlan {
  title: string;
  objectives: string[];
  expectedOutcome: string;
  description?: string | null;
  technicalSpecs?: JsonObject | null;
  priority?: number;
  estimatedHours?: number | null;
  actualHours?: number | null;
  tags?: string[];
  metadata?: JsonObject | null;
}

/** Fields left out are unchanged; null clears an optional field. Status has its own method. */
export type PlanPatch = Partial<NewPlan>;

export interface NewPhase {
  planId: string;
  name: string;
  description?: string | null;
  /** 1-based; phases at and after it move down one. Default: after the last phase. */
  position?: number;
  isParallel?: boolean;
  dependencies?: string[];
  estimatedMinutes?: number | null;
  completionCriteria?: string | null;
}

export interface PhasePatch {
  name?: string;
  description?: string | null;
  isParallel?: boolean;
  dependencies?: string[];
  estimatedMinutes?: number | null;
  actualMinutes?: number | null;
  completionCriteria?: string | null;
}

export interface NewTask {
  phaseId: string;
  title: string;
  /** The schema requires one; empty when not given. */
  description?: string;
  taskType?: TaskType;
  priority?: number;
  /** 1..10, default 10. */
  maxDurationMinutes?: number;
  maxContextTokens?: number | null;
  assignedAgent?: string | null;
  /** A task of the same phase. */
  parentTaskId?: string | null;
  inputFiles?: string[];
  outputFiles?: string[];
}

/** Fields left out are unchanged; null clears an optional field. */
export interface TaskPatch extends Partial<Omit<NewTask, 'phaseId'>> {
  generatedCode?: string | null;
  documentation?: string | null;
  errorLog?: string | null;
  actualDurationMinutes?: number | null;
  contextTokensUsed?: number | null;
}

export interface TaskFilter {
  phaseId?: string;
  planId?: string;
  status?: TaskStatus | TaskStatus[];
  /** Tasks with priority >= this. */
  minPriority?: number;
}

export interface TaskStatusOptions {
  /** Stored in error_log (usually with 'failed'). */
  errorLog?: string;
  /** Recorded time; on completion it defaults to the minutes since started_at. */
  actualDurationMinutes?: number;
}

/** Task counts and minutes for a phase, a plan, or any set of tasks. */
export interface Progress {
  total: number;
  pending: number;
  active: number;
  completed: number;
  failed: number;
  skipped: number;
  /** (completed + skipped) / total, 0..100 rounded; 0 when there are no tasks. */
  percentDone: number;
  /** Sum of max_duration_minutes of tasks not completed or skipped. */
  minutesLeft: number;
  /** Sum of max_duration_minutes of all tasks. */
  estimatedMinutes: number;
  /** Sum of actual_duration_minutes recorded. */
  actualMinutes: number;
}

export interface PhaseProgress extends Progress {
  phaseId: string;
}

export interface PlanProgress extends Progress {
  planId: string;
  /** In sequence order, phases without tasks included. */
  phases: PhaseProgress[];
}
