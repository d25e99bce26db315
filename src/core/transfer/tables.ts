/** Every table an export carries, parents before children so foreign keys hold on import. */
export const EXPORT_TABLES = [
  'intervention_plans',
  'phases',
  'micro_tasks',
  'semantic_memory',
  'agents',
  'hooks',
  'hook_executions',
  'work_sessions',
  'context_injections',
  'learning_insights',
  'performance_metrics',
] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

/** Sub-tasks after their parents, at any depth. */
export const ORDER_BY: Partial<Record<ExportTable, string>> = {
  micro_tasks: `ORDER BY (WITH RECURSIVE up(id, parent, depth) AS (SELECT t.id, t.parent_task_id, 0
      UNION ALL SELECT p.id, p.parent_task_id, depth + 1 FROM micro_tasks p JOIN up ON p.id = up.parent WHERE depth < 100)
      SELECT max(depth) FROM up), t.rowid`,
};

export const FORMAT = 'devstream-export';
export const FORMAT_VERSION = 1;

export interface ExportHeader {
  format: typeof FORMAT;
  version: number;
  schema: string;
  exportedAt: string;
  vectorSpace: { dimension: number; model: string | null; provider: string | null };
}
