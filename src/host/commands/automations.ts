import * as vscode from 'vscode';
import { INSIGHT_TYPES, type InsightType } from '../../core/insights/insightRepository';
import type { CommandHandler } from '.';
import type { App } from '../app';

/** Switch automations on or off: a multi-select of the hook rows, with how often each ran. */
async function manageAutomations(app: App): Promise<void> {
  const ds = app.stores.ds;
  app.automations.ensureRegistered();
  const hooks = ds.listHooks();
  const picks = await vscode.window.showQuickPick(
    hooks.map((h) => ({
      label: h.name,
      description: `${h.runs} runs${h.failures ? `, ${h.failures} failed` : ''}`,
      detail: h.lastRunAt ? `last run ${h.lastRunAt} UTC` : 'not run yet',
      picked: h.isActive,
      id: h.id,
    })),
    { canPickMany: true, title: 'DevStream automations: checked ones run' },
  );
  if (!picks) return;
  const on = new Set(picks.map((p) => p.id));
  for (const h of hooks) ds.setHookActive(h.id, on.has(h.id));
}

interface InsightInput {
  type?: InsightType;
  title?: string;
  description?: string;
  confidence?: number;
  memoryId?: string;
}

/** Record an insight from scratch, or from a memory (tree item or automation argument). */
async function recordInsight(app: App, arg?: unknown): Promise<void> {
  const input: InsightInput = isInsightInput(arg) ? arg : {};
  const memoryId = input.memoryId ?? memoryIdOf(arg);
  const memory = memoryId ? app.stores.memories.get(memoryId) : undefined;
  const type =
    input.type ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'Pattern', id: 'pattern' as const, detail: 'A recurring way of doing things here' },
          { label: 'Best practice', id: 'best_practice' as const, detail: 'What to do' },
          { label: 'Anti-pattern', id: 'anti_pattern' as const, detail: 'What to avoid' },
        ],
        { title: 'Record Insight (1/3): kind' },
      )
    )?.id;
  if (!type || !INSIGHT_TYPES.includes(type)) return;
  const title =
    input.title ??
    (await vscode.window.showInputBox({
      title: 'Record Insight (2/3): title',
      value: memory?.content.split('\n')[0].slice(0, 120),
      validateInput: (v) => (v.trim() ? undefined : 'A title is needed'),
    }));
  if (!title) return;
  const description =
    input.description ??
    (await vscode.window.showInputBox({
      title: 'Record Insight (3/3): what to do or avoid, and why',
      value: memory?.content.slice(0, 500),
      ignoreFocusOut: true,
    }));
  if (!description) return;
  const insight = app.stores.insights.add({
    type,
    title,
    description,
    confidence: input.confidence,
    evidence: memory ? [memory.id] : [],
  });
  void vscode.window.showInformationMessage(`DevStream: recorded ${type.replace('_', ' ')} "${insight.title}".`);
}

function isInsightInput(v: unknown): v is InsightInput {
  return typeof v === 'object' && v !== null && ('title' in v || 'type' in v || 'description' in v);
}

function memoryIdOf(v: unknown): string | undefined {
  const m = (v as { memory?: { id?: unknown } } | undefined)?.memory;
  return typeof m?.id === 'string' ? m.id : undefined;
}

export const automationCommands = {
  'devstream.showStatistics': (app: App) => app.statistics.show(),
  'devstream.manageAutomations': manageAutomations,
  'devstream.recordInsight': recordInsight,
} satisfies Record<string, CommandHandler>;
