import type Database from 'better-sqlite3';
import type { Store } from '../db/store';
import { enlargeCacheForBulk, StagedInsert } from '../db/stagedInsert';
import { DevStreamError } from '../errors';
import { newId } from '../ids';
import { parseAnchor } from './anchor';
import { searchTerms, titleTerms } from './terms';
import {
  IMPORTANCE,
  type ContentType,
  type EmbeddingValue,
  type Memory,
  type MemoryFilter,
  type MemoryPatch,
  type NewMemory,
  type SourceAnchor,
} from './types';
import {
  normaliseKeywords,
  validateAnchor,
  validateContent,
  validateContentFormat,
  validateContentType,
} from './validate';
import { claimVectorSpace } from './vectorSpace';
import { countByContentType } from './memoryStats';

interface MemoryRow {
  id: string;
  plan_id: string | null;
  phase_id: string | null;
  task_id: string | null;
  content: string;
  content_type: string;
  content_format: string | null;
  keywords: string | null;
  context_snapshot: string | null;
  embedding_model: string | null;
  embedding_provider: string | null;
  embedding_dimension: number | null;
  has_embedding: number;
  access_count: number | null;
  last_accessed_at: string | null;
  importance_score: number | null;
  is_archived: number | null;
  created_at: string;
  updated_at: string;
  source: string | null;
  metadata: string | null;
}

const INSERT_COLUMNS = [
  'id',
  'plan_id',
  'phase_id',
  'task_id',
  'content',
  'content_type',
  'content_format',
  'keywords',
  'context_snapshot',
  'embedding',
  'embedding_model',
  'embedding_dimension',
  'embedding_provider',
  'access_count',
  'importance_score',
  'is_archived',
  'source',
  'metadata',
  'search_terms',
  'title_terms',
];
const BULK_BATCH = 1000;

const COLUMNS = `id, plan_id, phase_id, task_id, content, content_type, content_format, keywords, context_snapshot,
  embedding_model, embedding_provider, embedding_dimension, embedding IS NOT NULL AS has_embedding, access_count,
  last_accessed_at, importance_score, is_archived, created_at, updated_at, source, metadata`;

/**
 * Memories: the row, its FTS row and its vec row are written together (the schema's triggers
 * keep them in sync inside the same statement), so no reader ever sees one without the other.
 */
export class MemoryRepository {
  private readonly db: Database.Database;
  private insertStmt?: Database.Statement;

  constructor(private readonly store: Store) {
    this.db = store.db;
  }

  // Prepared on first use: statements that fire the vec triggers cannot compile without sqlite-vec.
  private get insertStatement(): Database.Statement {
    return (this.insertStmt ??= this.db.prepare(`INSERT INTO semantic_memory (${INSERT_COLUMNS.join(', ')})
      VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`));
  }

  add(input: NewMemory): Memory {
    this.assertWritable();
    const id = this.store.tx(() => {
      const row = this.toRow(input);
      try {
        this.insertStatement.run(row);
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw alreadyExists(row[0] as string);
        throw e;
      }
      return row[0] as string;
    });
    return this.require(id);
  }

  /**
   * Bulk insert in one transaction (import, benchmarks): all or nothing. Rows are validated
   * first, then moved in batches with one statement each (see StagedInsert: 4-5× faster).
   */
  addMany(inputs: readonly NewMemory[]): string[] {
    this.assertWritable();
    const restoreCache = enlargeCacheForBulk(this.db);
    try {
      return this.store.tx(() => this.addStaged(inputs));
    } finally {
      restoreCache();
    }
  }

  private addStaged(inputs: readonly NewMemory[]): string[] {
    const claimed = new Set<string>(); // vector-space checks once per model within the transaction
    const stage = new StagedInsert(this.db, 'semantic_memory', INSERT_COLUMNS);
    const ids: string[] = [];
    try {
      for (let start = 0; start < inputs.length; start += BULK_BATCH) {
        const batch: string[] = [];
        for (const input of inputs.slice(start, start + BULK_BATCH)) {
          const row = this.toRow(input, claimed);
          stage.add(row);
          batch.push(row[0] as string);
        }
        try {
          stage.flush();
        } catch (e) {
          const taken =
            (e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ? this.firstTaken(batch) : undefined;
          throw taken ? alreadyExists(taken) : e;
        }
        ids.push(...batch);
      }
    } finally {
      stage.close();
    }
    return ids;
  }

  /** The validated row, values in INSERT_COLUMNS order. */
  private toRow(input: NewMemory, claimed?: Set<string>): unknown[] {
    const content = validateContent(input.content);
    const contentType = validateContentType(input.contentType);
    const keywords = normaliseKeywords(input.keywords);
    const anchor = input.anchor ? validateAnchor(input.anchor) : undefined;
    const links = this.resolveLinks(input.planId ?? null, input.phaseId ?? null, input.taskId ?? null);
    if (input.embedding) this.checkEmbedding(input.embedding, claimed);
    const e = input.embedding;
    return [
      input.id ?? newId(),
      links.plan_id,
      links.phase_id,
      links.task_id,
      content,
      contentType,
      validateContentFormat(input.contentFormat ?? (anchor ? 'code' : 'text')),
      JSON.stringify(keywords),
      anchor ? JSON.stringify(anchor) : null,
      e ? vectorBlob(e.vector) : null,
      e?.model ?? null,
      e?.vector.length ?? null,
      e?.provider ?? null,
      0,
      IMPORTANCE[contentType],
      0,
      input.source ?? null,
      input.metadata ? JSON.stringify(input.metadata) : null,
      searchTerms(content, keywords),
      titleTerms(content),
    ];
  }

  /** The first of `ids` that is already stored or repeated within `ids`. */
  private firstTaken(ids: readonly string[]): string | undefined {
    const seen = new Set<string>();
    const exists = this.db.prepare(`SELECT 1 FROM semantic_memory WHERE id = ?`);
    for (const id of ids) {
      if (seen.has(id) || exists.get(id)) return id;
      seen.add(id);
    }
    return undefined;
  }

  get(id: string): Memory | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM semantic_memory WHERE id = ?`).get(id) as MemoryRow | undefined;
    return row ? toMemory(row) : undefined;
  }

  require(id: string): Memory {
    const m = this.get(id);
    if (!m) throw new DevStreamError(`No memory with id ${id}.`, 'not_found');
    return m;
  }

  /** A full id or a unique prefix of at least 4 characters. */
  resolveId(idOrPrefix: string): string {
    if (this.get(idOrPrefix)) return idOrPrefix;
    if (idOrPrefix.length < 4)
      throw new DevStreamError(`No memory with id ${idOrPrefix} (give at least 4 characters of an id).`, 'not_found');
    const ids = this.db
      .prepare(`SELECT id FROM semantic_memory WHERE id >= ? AND id < ? LIMIT 3`)
      .pluck()
      .all(idOrPrefix, idOrPrefix + '\uffff') as string[];
    if (ids.length === 1) return ids[0];
    if (ids.length === 0) throw new DevStreamError(`No memory with id ${idOrPrefix}.`, 'not_found');
    throw new DevStreamError(
      `Id prefix ${idOrPrefix} matches several memories (${ids.join(', ')}…): give more characters.`,
      'invalid',
    );
  }

  /** Newest first. */
  list(filter: MemoryFilter = {}): Memory[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (!filter.includeArchived) where.push(`coalesce(is_archived, 0) = 0`);
    if (filter.contentType) {
      where.push(`content_type = ?`);
      params.push(validateContentType(filter.contentType));
    }
    if (filter.planId) {
      where.push(`plan_id = ?`);
      params.push(filter.planId);
    }
    if (filter.phaseId) {
      where.push(`phase_id = ?`);
      params.push(filter.phaseId);
    }
    if (filter.taskId) {
      where.push(`task_id = ?`);
      params.push(filter.taskId);
    }
    if (filter.filePrefix) {
      where.push(`substr(json_extract(context_snapshot, '$.file'), 1, ?) = ?`);
      params.push(filter.filePrefix.length, filter.filePrefix);
    }
    const sql = `SELECT ${COLUMNS} FROM semantic_memory ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`;
    params.push(filter.limit ?? 1000, filter.offset ?? 0);
    return (this.db.prepare(sql).all(...params) as MemoryRow[]).map(toMemory);
  }

  /** Memories anchored in one file (for editor decorations). */
  inFile(file: string): Memory[] {
    return (
      this.db
        .prepare(
          `SELECT ${COLUMNS} FROM semantic_memory WHERE json_extract(context_snapshot, '$.file') = ? AND coalesce(is_archived, 0) = 0`,
        )
        .all(file.replace(/\\/g, '/')) as MemoryRow[]
    ).map(toMemory);
  }

  update(id: string, patch: MemoryPatch): Memory {
    this.assertWritable();
    this.store.tx(() => {
      const current = this.require(id);
      const content = patch.content !== undefined ? validateContent(patch.content) : current.content;
      const keywords = patch.keywords !== undefined ? normaliseKeywords(patch.keywords) : current.keywords;
      const contentType =
        patch.contentType !== undefined ? validateContentType(patch.contentType) : current.contentType;
      const anchor =
        patch.anchor === undefined ? current.anchor : patch.anchor === null ? undefined : validateAnchor(patch.anchor);
      const contentChanged = content !== current.content;
      const links =
        patch.taskId !== undefined
          ? this.resolveLinks(null, null, patch.taskId)
          : { plan_id: current.planId, phase_id: current.phaseId, task_id: current.taskId };
      // New content invalidates the embedding: clear it so the queue embeds the new text.
      this.db
        .prepare(
          `UPDATE semantic_memory SET content = @content, content_type = @content_type, content_format = @content_format,
          keywords = @keywords, context_snapshot = @context_snapshot, metadata = @metadata, importance_score = @importance,
          plan_id = @plan_id, phase_id = @phase_id, task_id = @task_id, search_terms = @search_terms,
          title_terms = @title_terms, updated_at = CURRENT_TIMESTAMP
          ${contentChanged ? ', embedding = NULL, embedding_model = NULL, embedding_dimension = NULL, embedding_provider = NULL' : ''}
        WHERE id = @id`,
        )
        .run({
          id,
          content,
          content_type: contentType,
          content_format: validateContentFormat(patch.contentFormat ?? current.contentFormat),
          keywords: JSON.stringify(keywords),
          context_snapshot: anchor ? JSON.stringify(anchor) : null,
          metadata: JSON.stringify(patch.metadata ?? current.metadata),
          importance: IMPORTANCE[contentType],
          ...links,
          search_terms: searchTerms(content, keywords),
          title_terms: titleTerms(content),
        });
    });
    return this.require(id);
  }

  /** Moves an anchor after the file changed; touches no index row. */
  setAnchor(id: string, anchor: SourceAnchor): void {
    this.assertWritable();
    const r = this.store.tx(() =>
      this.db
        .prepare(`UPDATE semantic_memory SET context_snapshot = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?`)
        .run(JSON.stringify(validateAnchor(anchor)), id),
    );
    if (r.changes === 0) throw new DevStreamError(`No memory with id ${id}.`, 'not_found');
  }

  archive(id: string, archived = true): void {
    const r = this.store.tx(() =>
      this.db
        .prepare(`UPDATE semantic_memory SET is_archived = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?`)
        .run(archived ? 1 : 0, id),
    );
    if (r.changes === 0) throw new DevStreamError(`No memory with id ${id}.`, 'not_found');
  }

  delete(id: string): boolean {
    this.assertWritable();
    return this.store.tx(() => this.db.prepare(`DELETE FROM semantic_memory WHERE id = ?`).run(id).changes > 0);
  }

  /** Access tracking for search hits: touches only columns no index trigger watches. */
  recordAccess(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const stmt = this.db.prepare(
      `UPDATE semantic_memory SET access_count = coalesce(access_count, 0) + 1, last_accessed_at = CURRENT_TIMESTAMP WHERE id = ?`,
    );
    this.store.tx(() => {
      for (const id of ids) stmt.run(id);
    });
  }

  setEmbedding(id: string, embedding: EmbeddingValue): void {
    this.assertWritable();
    this.store.tx(() => {
      this.checkEmbedding(embedding);
      const r = this.db
        .prepare(
          `UPDATE semantic_memory SET embedding = ?, embedding_model = ?, embedding_dimension = ?, embedding_provider = ? WHERE id = ?`,
        )
        .run(vectorBlob(embedding.vector), embedding.model, embedding.vector.length, embedding.provider, id);
      if (r.changes === 0) throw new DevStreamError(`No memory with id ${id}.`, 'not_found');
    });
  }

  /** Memories still waiting for an embedding, oldest first. */
  pendingEmbedding(limit = 64): { id: string; content: string }[] {
    return this.db
      .prepare(`SELECT id, content FROM semantic_memory WHERE embedding IS NULL ORDER BY +rowid LIMIT ?`)
      .all(limit) as { id: string; content: string }[];
  }

  /** Unarchived memories per content type (the tree's group counts). */
  countByType(): Record<ContentType, number> {
    return countByContentType(this.store);
  }

  count(filter: { includeArchived?: boolean } = {}): number {
    return this.db
      .prepare(
        `SELECT count(*) FROM semantic_memory ${filter.includeArchived === false ? 'WHERE coalesce(is_archived, 0) = 0' : ''}`,
      )
      .pluck()
      .get() as number;
  }

  private checkEmbedding(e: EmbeddingValue, claimed?: Set<string>): void {
    if (!(e.vector instanceof Float32Array) || !allFinite(e.vector)) {
      throw new DevStreamError('An embedding must be a list of finite numbers.');
    }
    const key = `${e.model}\n${e.provider}\n${e.vector.length}`;
    if (claimed?.has(key)) return;
    claimVectorSpace(this.store, e.model, e.provider, e.vector.length);
    claimed?.add(key);
  }

  /** A memory linked to a task is linked to its phase and plan too, so every rollup finds it. */
  private resolveLinks(planId: string | null, phaseId: string | null, taskId: string | null) {
    if (taskId) {
      const t = this.db
        .prepare(`SELECT t.phase_id, p.plan_id FROM micro_tasks t JOIN phases p ON p.id = t.phase_id WHERE t.id = ?`)
        .get(taskId) as { phase_id: string; plan_id: string } | undefined;
      if (!t) throw new DevStreamError(`No task with id ${taskId}.`, 'not_found');
      return { plan_id: t.plan_id, phase_id: t.phase_id, task_id: taskId };
    }
    if (phaseId) {
      const p = this.db.prepare(`SELECT plan_id FROM phases WHERE id = ?`).pluck().get(phaseId) as string | undefined;
      if (!p) throw new DevStreamError(`No phase with id ${phaseId}.`, 'not_found');
      return { plan_id: p, phase_id: phaseId, task_id: null };
    }
    if (planId && !this.db.prepare(`SELECT 1 FROM intervention_plans WHERE id = ?`).get(planId)) {
      throw new DevStreamError(`No plan with id ${planId}.`, 'not_found');
    }
    return { plan_id: planId, phase_id: null, task_id: null };
  }

  private assertWritable(): void {
    if (!this.store.vectorsEnabled) {
      throw new DevStreamError(
        'Memories are read-only: the sqlite-vec extension could not be loaded, and the index needs it to stay consistent.',
        'unavailable',
      );
    }
  }
}

export function vectorBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toMemory(r: MemoryRow): Memory {
  const anchor = parseAnchor(r.context_snapshot);
  return {
    id: r.id,
    content: r.content,
    contentType: r.content_type as Memory['contentType'],
    contentFormat: (r.content_format ?? 'text') as Memory['contentFormat'],
    keywords: parseJson<string[]>(r.keywords, []),
    anchor,
    planId: r.plan_id,
    phaseId: r.phase_id,
    taskId: r.task_id,
    source: r.source,
    metadata: parseJson<Record<string, unknown>>(r.metadata, {}),
    embeddingModel: r.embedding_model,
    embeddingProvider: r.embedding_provider,
    embeddingDimension: r.embedding_dimension,
    hasEmbedding: r.has_embedding === 1,
    accessCount: r.access_count ?? 0,
    lastAccessedAt: r.last_accessed_at,
    importanceScore: r.importance_score,
    isArchived: r.is_archived === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function alreadyExists(id: string): DevStreamError {
  return new DevStreamError(`A memory with id ${id} already exists.`, 'conflict');
}

// A plain loop: `some` with a callback cost 7 µs per 768-d vector, a tenth of a bulk insert.
function allFinite(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}
