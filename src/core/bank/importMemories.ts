import type { Store } from '../db/store';
import type { MemoryRepository } from '../memory/memoryRepository';
import { AUTHOR_KEY, type MemoryRecord } from './memoryFile';
import { SCOPE_KEY } from './scope';

/**
 * Writes memories read from bank files into the database, ids kept: new ones in one bulk insert,
 * known ones updated (new content drops the old vector, so the embedding queue embeds the new
 * text; vectors never come from the bank). created/updated are taken from the file, so exporting
 * an imported memory gives back the same bytes. Links to a plan, phase or task this database does
 * not have are dropped with a notice rather than losing the memory.
 */
export function importMemories(
  store: Store,
  repo: MemoryRepository,
  records: readonly MemoryRecord[],
  notice: (text: string) => void,
): void {
  if (records.length === 0) return;
  const db = store.db;
  const exists = db.prepare(`SELECT 1 FROM semantic_memory WHERE id = ?`).pluck();
  const has = (table: string) => db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).pluck();
  const hasPlan = has('intervention_plans');
  const hasPhase = has('phases');
  const hasTask = has('micro_tasks');
  const fresh: MemoryRecord[] = [];
  const known: MemoryRecord[] = [];
  const links = new Map<string, { plan: string | null; phase: string | null; task: string | null }>();
  for (const r of records) {
    const link = {
      plan: r.planId && hasPlan.get(r.planId) ? r.planId : null,
      phase: r.phaseId && hasPhase.get(r.phaseId) ? r.phaseId : null,
      task: r.taskId && hasTask.get(r.taskId) ? r.taskId : null,
    };
    if ((r.planId && !link.plan) || (r.phaseId && !link.phase) || (r.taskId && !link.task)) {
      notice(
        `memory ${r.id}: its plan, phase or task is not in this database (is the plan private?); imported unlinked`,
      );
    }
    links.set(r.id, link);
    (exists.get(r.id) ? known : fresh).push(r);
  }
  const metadata = (r: MemoryRecord) => ({
    ...r.metadata,
    [SCOPE_KEY]: 'shared',
    ...(r.author ? { [AUTHOR_KEY]: r.author } : {}),
  });
  store.tx(() => {
    if (fresh.length) {
      repo.addMany(
        fresh.map((r) => ({
          id: r.id,
          content: r.content,
          contentType: r.contentType,
          contentFormat: r.contentFormat,
          keywords: r.keywords,
          anchor: r.anchor,
          source: r.source ?? undefined,
          metadata: metadata(r),
        })),
      );
    }
    for (const r of known) {
      repo.update(r.id, {
        content: r.content,
        contentType: r.contentType,
        contentFormat: r.contentFormat,
        keywords: r.keywords,
        anchor: r.anchor ?? null,
        metadata: metadata(r),
      });
    }
    const fix =
      db.prepare(`UPDATE semantic_memory SET plan_id = ?, phase_id = ?, task_id = ?, source = ?, is_archived = ?,
      created_at = coalesce(nullif(?, ''), created_at), updated_at = coalesce(nullif(?, ''), updated_at) WHERE id = ?`);
    for (const r of records) {
      const l = links.get(r.id)!;
      fix.run(l.plan, l.phase, l.task, r.source, r.isArchived ? 1 : 0, r.createdAt, r.updatedAt, r.id);
    }
  });
}
