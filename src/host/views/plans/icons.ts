import * as vscode from 'vscode';
import type { PhaseStatus, PlanStatus, TaskStatus } from '../../../core/plans';

type Look = readonly [codicon: string, color?: string];

// Shape and colour both carry the status (shape alone for colour-blind users, colour for a
// glance). Theme colours, so every theme (high contrast included) gets readable icons.
const PLAN: Record<PlanStatus, Look> = {
  draft: ['circle-large-outline', 'descriptionForeground'],
  active: ['play-circle', 'charts.blue'],
  paused: ['debug-pause', 'charts.yellow'],
  completed: ['pass-filled', 'charts.green'],
  archived: ['archive', 'disabledForeground'],
  cancelled: ['circle-slash', 'disabledForeground'],
};

const PHASE: Record<PhaseStatus, Look> = {
  pending: ['circle-large-outline'],
  active: ['play-circle', 'charts.blue'],
  completed: ['pass-filled', 'charts.green'],
  blocked: ['stop-circle', 'charts.red'],
  skipped: ['debug-step-over', 'disabledForeground'],
};

const TASK: Record<TaskStatus, Look> = {
  pending: ['circle-outline'],
  active: ['play-circle', 'charts.blue'],
  completed: ['pass', 'charts.green'],
  failed: ['error', 'charts.red'],
  skipped: ['debug-step-over', 'disabledForeground'],
};

const icon = ([id, color]: Look) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);

export const planIcon = (s: PlanStatus) => icon(PLAN[s]);
export const phaseIcon = (s: PhaseStatus) => icon(PHASE[s]);
/** The task this window works on gets a target, as in the status bar. */
export const taskIcon = (s: TaskStatus, isActiveTask: boolean) =>
  icon(isActiveTask && s !== 'completed' ? ['target', s === 'failed' ? 'charts.red' : 'charts.blue'] : TASK[s]);

/** `$(codicon)` text for quick picks, which take no colours. */
export const planCodicon = (s: PlanStatus) => `$(${PLAN[s][0]})`;
export const phaseCodicon = (s: PhaseStatus) => `$(${PHASE[s][0]})`;
export const taskCodicon = (s: TaskStatus) => `$(${TASK[s][0]})`;
