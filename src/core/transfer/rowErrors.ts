import type Database from 'better-sqlite3';

/** What a row (as about to be inserted) is named by, for messages. */
export interface RowForMessage {
  table: string;
  names: readonly string[];
  values: readonly unknown[];
}

const KIND: Record<string, string> = {
  intervention_plans: 'plan',
  phases: 'phase',
  micro_tasks: 'task',
  semantic_memory: 'memory',
  agents: 'agent',
  hooks: 'hook',
  hook_executions: 'hook execution',
  work_sessions: 'work session',
  context_injections: 'context injection',
  learning_insights: 'insight',
  performance_metrics: 'metric',
};

/**
 * Says in words why SQLite refused one imported row: which reference points nowhere, which
 * value is missing or not allowed. SQLite's own text ("FOREIGN KEY constraint failed") names
 * neither the row nor the value.
 */
export function describeRowError(db: Database.Database, row: RowForMessage, e: unknown): string {
  const code = String((e as { code?: unknown }).code ?? '');
  const message = (e as Error).message ?? String(e);
  const value = (name: string) => row.values[row.names.indexOf(name)];
  const idx = row.names.indexOf('id');
  const what = `${KIND[row.table] ?? row.table}${idx >= 0 ? ` ${String(row.values[idx])}` : ''}`;
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    const refs = db
      .prepare(`SELECT "from" AS col, "table" AS parent FROM pragma_foreign_key_list(?)`)
      .all(row.table) as { col: string; parent: string }[];
    for (const { col, parent } of refs) {
      const v = value(col);
      if (v === null || v === undefined) continue;
      if (db.prepare(`SELECT 1 FROM "${parent}" WHERE id = ?`).get(v) === undefined) {
        return `${what}: ${col} '${String(v)}' names a ${KIND[parent] ?? parent} that is neither in the database nor earlier in the file`;
      }
    }
    return `${what}: it refers to a row that is neither in the database nor earlier in the file`;
  }
  if (code === 'SQLITE_CONSTRAINT_NOTNULL') {
    const col = /NOT NULL constraint failed: \w+\.(\w+)/.exec(message)?.[1];
    return `${what}: ${col ?? 'a required field'} is missing`;
  }
  if (code === 'SQLITE_CONSTRAINT_CHECK') {
    const rule = /CHECK constraint failed: (.+)$/.exec(message)?.[1];
    const col = rule ? /^\s*(\w+)/.exec(rule)?.[1] : undefined;
    const shown = col && row.names.includes(col) ? ` (${col} is ${JSON.stringify(value(col))})` : '';
    return `${what}: a value is not allowed${shown}${rule ? `; the rule is ${rule}` : ''}`;
  }
  if (code === 'SQLITE_MISMATCH') return `${what}: a value has the wrong type (the id must be text)`;
  if (code === 'SQLITE_TOOBIG') return `${what}: a value is too large to store`;
  return `${what}: ${message}`;
}
