import { z } from 'zod';
import { freshnessOf } from '../anchors/freshness';
import { CONTENT_TYPES, FRESHNESS_STATES, type Memory } from '../memory/types';

/** Where a memory's code is: workspace-relative file and 1-based inclusive lines. */
export const sourceSchema = z.object({
  file: z.string(),
  start_line: z.number().int(),
  end_line: z.number().int(),
  language: z.string().optional(),
  /** The file was deleted; the snippet is kept. */
  missing: z.boolean().optional(),
  /**
   * Whether the code still matches the memory, as last checked: fresh (same text, same place), moved,
   * changed (with `similarity` 0-1), lost or file-missing. Absent when never checked.
   */
  freshness: z.enum(FRESHNESS_STATES).optional(),
  similarity: z.number().optional(),
  /** Kept on purpose as a record of how the code was (it no longer claims to match). */
  history: z.literal(true).optional(),
});

/** A memory as the tools hand it over (search, list, for-file); `score` only in search results. */
export const memoryEntrySchema = z.object({
  id: z.string(),
  content_type: z.enum(CONTENT_TYPES),
  score: z.number().optional(),
  source: sourceSchema.optional(),
  task_id: z.string().optional(),
  keywords: z.array(z.string()).optional(),
  archived: z.literal(true).optional(),
  created_at: z.string(),
  content: z.string(),
  truncated: z.literal(true).optional(),
});
export type MemoryEntry = z.infer<typeof memoryEntrySchema>;

/** One memory in full (get, update). */
export const memoryRecordSchema = z.object({
  id: z.string(),
  content_type: z.enum(CONTENT_TYPES),
  content: z.string(),
  keywords: z.array(z.string()),
  source: sourceSchema.optional(),
  /** The anchor as stored, fingerprint included. */
  anchor: z.record(z.string(), z.unknown()).optional(),
  plan_id: z.string().nullable(),
  phase_id: z.string().nullable(),
  task_id: z.string().nullable(),
  archived: z.boolean(),
  embedded: z.boolean(),
  access_count: z.number(),
  source_client: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type MemoryRecord = z.infer<typeof memoryRecordSchema>;

function sourceOf(m: Memory) {
  const a = m.anchor;
  if (!a) return undefined;
  return {
    file: a.file,
    start_line: a.startLine,
    end_line: a.endLine,
    ...(a.language ? { language: a.language } : {}),
    ...(a.missing ? { missing: true } : {}),
    ...freshnessFields(m),
  };
}

function freshnessFields(m: Memory) {
  const f = freshnessOf(m.anchor);
  if (!f) return {};
  return {
    freshness: f.state,
    ...(f.state === 'changed' ? { similarity: f.similarity } : {}),
    ...(m.anchor?.history ? { history: true as const } : {}),
  };
}

export function toEntry(m: Memory, score?: number): MemoryEntry {
  const source = sourceOf(m);
  return {
    id: m.id,
    content_type: m.contentType,
    ...(score !== undefined ? { score: Number(score.toPrecision(3)) } : {}),
    ...(source ? { source } : {}),
    ...(m.taskId ? { task_id: m.taskId } : {}),
    ...(m.keywords.length ? { keywords: m.keywords } : {}),
    ...(m.isArchived ? { archived: true as const } : {}),
    created_at: m.createdAt,
    content: m.content,
  };
}

export function toRecord(m: Memory): MemoryRecord {
  const source = sourceOf(m);
  return {
    id: m.id,
    content_type: m.contentType,
    content: m.content,
    keywords: m.keywords,
    ...(source ? { source, anchor: { ...m.anchor } } : {}),
    plan_id: m.planId,
    phase_id: m.phaseId,
    task_id: m.taskId,
    archived: m.isArchived,
    embedded: m.hasEmbedding,
    access_count: m.accessCount,
    source_client: m.source,
    metadata: m.metadata,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
  };
}
