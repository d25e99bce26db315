import type { Store } from '../db/store';
import { newId } from '../ids';
import type { TaskStatus } from '../plans/types';
import type { ToolSession } from './types';

/**
 * The schema's system tables, kept true by the agent tools: work_sessions (one per MCP
 * connection or VS Code window), agents (one per client, with task outcomes),
 * context_injections (each hand-off of memories) and performance_metrics (tool latency).
 */

export interface ClientInfo {
  /** Becomes agents.id (cut to the column's 50 characters), e.g. 'claude-code'. */
  name: string;
  title?: string;
  version?: string;
  /** agents.role, e.g. 'mcp-client'. */
  role: string;
  /** What the client said it can do (MCP client capabilities); stored as JSON. */
  capabilities?: Record<string, unknown>;
  /** 'mcp' or 'vscode': names the session 'mcp:claude-code'. */
  transport: string;
}

export const agentId = (name: string): string => (name.trim() || 'unknown').slice(0, 50);

/** Opens a work session (status 'active') and registers the client in agents. */
export function startWorkSession(store: Store, client: ClientInfo): ToolSession {
  const id = newId();
  const clientName = agentId(client.name);
  store.tx(() => {
    upsertAgent(store, client);
    store.db
      .prepare(
        `INSERT INTO work_sessions (id, user_id, session_name, status, tokens_used, active_tasks, completed_tasks)
      VALUES (?, ?, ?, 'active', 0, '[]', '[]')`,
      )
      .run(id, process.env.USER ?? process.env.USERNAME ?? null, `${client.transport}:${clientName}`);
  });
  return { id, clientName, transport: client.transport };
}

/** Inserts the agent, or refreshes what it says about itself; its task counts are kept. */
export function upsertAgent(store: Store, client: ClientInfo): void {
  store.db
    .prepare(
      `INSERT INTO agents (id, name, role, description, capabilities, config, is_active, total_tasks, successful_tasks)
      VALUES (@id, @name, @role, @description, @capabilities, @config, 1, 0, 0)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, description = excluded.description,
      capabilities = excluded.capabilities, config = excluded.config, is_active = 1, updated_at = CURRENT_TIMESTAMP`,
    )
    .run({
      id: agentId(client.name),
      name: (client.title ?? client.name).slice(0, 100),
      role: client.role,
      description: `${client.title ?? client.name}${client.version ? ' ' + client.version : ''}, connected through ${client.transport}`,
      capabilities: JSON.stringify(client.capabilities ?? {}),
      config: JSON.stringify({ version: client.version ?? null, transport: client.transport }),
    });
}

export function touchWorkSession(store: Store, sessionId: string): void {
  store.db.prepare(`UPDATE work_sessions SET last_activity_at = CURRENT_TIMESTAMP WHERE id = ?`).run(sessionId);
}

/** Marks the session completed; tasks still active stay listed in active_tasks (they are). */
export function endWorkSession(store: Store, sessionId: string): void {
  store.db
    .prepare(
      `UPDATE work_sessions SET status = 'completed', ended_at = CURRENT_TIMESTAMP, last_activity_at = CURRENT_TIMESTAMP
    WHERE id = ? AND status = 'active'`,
    )
    .run(sessionId);
}

export interface Injection {
  memoryIds: readonly string[];
  tokens: number;
  /** The tool that handed the memories over. */
  trigger: string;
  taskId?: string;
}

/** One context_injections row per hand-off; the session's tokens_used grows by the same amount. */
export function recordInjection(store: Store, sessionId: string, injection: Injection): void {
  store.tx(() => {
    store.db
      .prepare(
        `INSERT INTO context_injections (id, session_id, task_id, injected_memory_ids, injection_trigger, tokens_injected)
      VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        newId(),
        sessionId,
        injection.taskId ?? null,
        JSON.stringify(injection.memoryIds),
        injection.trigger,
        injection.tokens,
      );
    store.db
      .prepare(`UPDATE work_sessions SET tokens_used = coalesce(tokens_used, 0) + ? WHERE id = ?`)
      .run(injection.tokens, sessionId);
  });
}

/**
 * A task status change made by the session's agent: active_tasks / completed_tasks follow it,
 * and a completion (success) or failure counts in the agent's totals. Call inside the
 * transaction that changed the status, so the counts cannot drift from the tasks.
 */
export function recordTaskTransition(store: Store, session: ToolSession, taskId: string, to: TaskStatus): void {
  const row = store.db
    .prepare(`SELECT active_tasks, completed_tasks FROM work_sessions WHERE id = ?`)
    .get(session.id) as { active_tasks: string | null; completed_tasks: string | null } | undefined;
  if (row) {
    const active = parseIds(row.active_tasks).filter((id) => id !== taskId);
    const completed = parseIds(row.completed_tasks);
    if (to === 'active') active.push(taskId);
    if (to === 'completed' && !completed.includes(taskId)) completed.push(taskId);
    store.db
      .prepare(`UPDATE work_sessions SET active_tasks = ?, completed_tasks = ? WHERE id = ?`)
      .run(JSON.stringify(active), JSON.stringify(completed), session.id);
  }
  if (to !== 'completed' && to !== 'failed') return;
  const success = to === 'completed' ? 1 : 0;
  store.db
    .prepare(
      `INSERT INTO agents (id, name, role, capabilities, total_tasks, successful_tasks, success_rate)
      VALUES (@id, @id, 'agent', '{}', 1, @success, @success)
    ON CONFLICT (id) DO UPDATE SET
      total_tasks = coalesce(total_tasks, 0) + 1,
      successful_tasks = coalesce(successful_tasks, 0) + @success,
      success_rate = CAST(coalesce(successful_tasks, 0) + @success AS REAL) / (coalesce(total_tasks, 0) + 1),
      updated_at = CURRENT_TIMESTAMP`,
    )
    .run({ id: agentId(session.clientName), success });
}

/** performance_metrics row: how long a tool call took. */
export function recordToolLatency(
  store: Store,
  tool: string,
  ms: number,
  context: { sessionId: string; isError: boolean },
): void {
  store.db
    .prepare(
      `INSERT INTO performance_metrics (id, metric_type, entity_type, entity_id, metric_value, metric_unit, context)
    VALUES (?, 'execution_time', 'tool', ?, ?, 'ms', ?)`,
    )
    .run(
      newId(),
      tool,
      Math.round(ms * 100) / 100,
      JSON.stringify({ session_id: context.sessionId, is_error: context.isError }),
    );
}

function parseIds(text: string | null): string[] {
  try {
    const v: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
