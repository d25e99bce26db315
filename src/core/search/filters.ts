import type { SearchFilter } from './types';

/** SQL conditions on semantic_memory aliased `m`, shared by every search channel. */
export function filterSql(f: SearchFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!f.includeArchived) where.push(`coalesce(m.is_archived, 0) = 0`);
  if (f.contentType) {
    where.push(`m.content_type = ?`);
    params.push(f.contentType);
  }
  if (f.planId) {
    where.push(`m.plan_id = ?`);
    params.push(f.planId);
  }
  if (f.phaseId) {
    where.push(`m.phase_id = ?`);
    params.push(f.phaseId);
  }
  if (f.taskId) {
    where.push(`m.task_id = ?`);
    params.push(f.taskId);
  }
  if (f.filePrefix) {
    const prefix = f.filePrefix.replace(/\\/g, '/');
    where.push(`substr(json_extract(m.context_snapshot, '$.file'), 1, ?) = ?`);
    params.push(prefix.length, prefix);
  }
  if (f.createdAfter) {
    where.push(`m.created_at >= ?`);
    params.push(f.createdAfter);
  }
  if (f.createdBefore) {
    where.push(`m.created_at <= ?`);
    params.push(endOfDay(f.createdBefore));
  }
  return { where, params };
}

/** Narrows results below what the default (no archived) already narrows. */
export function hasNarrowingFilter(f: SearchFilter): boolean {
  return Boolean(
    f.contentType || f.planId || f.phaseId || f.taskId || f.filePrefix || f.createdAfter || f.createdBefore,
  );
}

function endOfDay(d: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d} 23:59:59` : d;
}
