import type { Store } from '../db/store';

export interface Statistics {
  /** Last 30 days with searches: count and latency (ms). */
  searchesPerDay: { day: string; searches: number; avgMs: number; maxMs: number }[];
  memoriesByType: { type: string; count: number; embedded: number }[];
  /** Phases of plans that are not archived or cancelled, in plan and phase order. */
  tasksPerPhase: { plan: string; phase: string; completed: number; total: number }[];
  /** Completed tasks: the estimate (max minutes) against the recorded time, per plan. */
  estimatedVsActual: { plan: string; estimatedMinutes: number; actualMinutes: number; tasks: number }[];
  /** Anchored, unarchived memories by freshness as last checked ('unchecked' before the first check). */
  anchorFreshness: { state: string; count: number }[];
  /** Memory handed to agents (context_injections), last 30 days. */
  injectionsPerDay: { day: string; injections: number; tokens: number }[];
  totals: {
    memories: number;
    plans: number;
    tasks: number;
    searches: number;
    injections: number;
    avgEmbedMs: number | null;
  };
}

/** Everything the statistics view draws, from the database's own tables (local only). */
export function readStatistics(store: Store): Statistics {
  const db = store.db;
  const all = <T>(sql: string) => db.prepare(sql).all() as T[];
  const one = (sql: string) => db.prepare(sql).pluck().get() as number | null;
  return {
    searchesPerDay:
      all(`SELECT date(recorded_at) AS day, count(*) AS searches, round(avg(metric_value), 1) AS avgMs, round(max(metric_value), 1) AS maxMs
      FROM performance_metrics WHERE metric_type = 'search_latency' AND recorded_at >= date('now', '-30 days') GROUP BY day ORDER BY day`),
    memoriesByType:
      all(`SELECT content_type AS type, count(*) AS count, count(embedding) AS embedded FROM semantic_memory
      WHERE coalesce(is_archived, 0) = 0 GROUP BY content_type ORDER BY count DESC, type`),
    anchorFreshness: all(`SELECT coalesce(json_extract(context_snapshot, '$.freshness.state'), 'unchecked') AS state,
        count(*) AS count FROM semantic_memory
      WHERE json_extract(context_snapshot, '$.file') IS NOT NULL AND coalesce(is_archived, 0) = 0
      GROUP BY state ORDER BY count DESC, state`),
    tasksPerPhase:
      all(`SELECT p.title AS plan, ph.name AS phase, count(t.id) AS total, coalesce(sum(t.status = 'completed'), 0) AS completed
      FROM phases ph JOIN intervention_plans p ON p.id = ph.plan_id LEFT JOIN micro_tasks t ON t.phase_id = ph.id
      WHERE p.status NOT IN ('archived', 'cancelled') GROUP BY ph.id ORDER BY p.priority DESC, p.created_at, ph.sequence_order LIMIT 40`),
    estimatedVsActual:
      all(`SELECT p.title AS plan, sum(t.max_duration_minutes) AS estimatedMinutes, round(sum(coalesce(t.actual_duration_minutes, 0)), 1) AS actualMinutes, count(*) AS tasks
      FROM micro_tasks t JOIN phases ph ON ph.id = t.phase_id JOIN intervention_plans p ON p.id = ph.plan_id
      WHERE t.status = 'completed' GROUP BY p.id ORDER BY p.created_at LIMIT 20`),
    injectionsPerDay:
      all(`SELECT date(created_at) AS day, count(*) AS injections, coalesce(sum(tokens_injected), 0) AS tokens
      FROM context_injections WHERE created_at >= date('now', '-30 days') GROUP BY day ORDER BY day`),
    totals: {
      memories: one(`SELECT count(*) FROM semantic_memory`) ?? 0,
      plans: one(`SELECT count(*) FROM intervention_plans`) ?? 0,
      tasks: one(`SELECT count(*) FROM micro_tasks`) ?? 0,
      searches: one(`SELECT count(*) FROM performance_metrics WHERE metric_type = 'search_latency'`) ?? 0,
      injections: one(`SELECT count(*) FROM context_injections`) ?? 0,
      avgEmbedMs: one(
        `SELECT round(avg(metric_value), 1) FROM performance_metrics WHERE metric_type = 'embedding_time'`,
      ),
    },
  };
}
