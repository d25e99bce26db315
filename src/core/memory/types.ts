export const CONTENT_TYPES = ['code', 'documentation', 'context', 'output', 'error', 'decision', 'learning'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export const CONTENT_FORMATS = ['text', 'markdown', 'code', 'json', 'yaml'] as const;
export type ContentFormat = (typeof CONTENT_FORMATS)[number];

/** The document's importance weight per content type (importance_score). */
export const IMPORTANCE: Record<ContentType, number> = {
  code: 0.7,
  documentation: 0.6,
  context: 0.6,
  output: 0.4,
  error: 0.9,
  decision: 0.8,
  learning: 0.8,
};

/** Where a memory came from in the workspace; stored in context_snapshot. */
export interface SourceAnchor {
  /** Path relative to the workspace folder, with forward slashes. */
  file: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  language?: string;
  commit?: string;
  /** Hash of the snippet and its surroundings, to re-locate it after edits. */
  fingerprint?: string;
  /** Set when the file was deleted: the memory keeps its snippet, the anchor is kept for history. */
  missing?: boolean;
  /** The lines just before and after the snippet (whitespace-normalised): they find it again when it changed. */
  context?: { before: string[]; after: string[] };
  /** Where the snippet started when it was saved (or last updated from the code): `moved` is measured from here. */
  savedLine?: number;
  /** Does the code still match the memory? Written by re-anchoring (see src/core/anchors/freshness.ts). */
  freshness?: Freshness;
  /** Kept as a record of code that has since changed: no longer tracked or checked. */
  history?: boolean;
}

export const FRESHNESS_STATES = ['fresh', 'moved', 'changed', 'lost', 'file-missing'] as const;
export type FreshnessState = (typeof FRESHNESS_STATES)[number];

/** The last check of an anchored memory against its file. */
export interface Freshness {
  state: FreshnessState;
  /** 1 for the same text, 0 when nothing like it was found; between for `changed`. */
  similarity: number;
  /** ISO time of the check: files modified after it are checked again at start-up. */
  checkedAt: string;
  /** Why it is lost or missing, when there is more to say (binary file, too large, outside the workspace). */
  reason?: string;
}

export interface EmbeddingValue {
  vector: Float32Array;
  model: string;
  provider: string;
}

export interface NewMemory {
  content: string;
  contentType: ContentType;
  contentFormat?: ContentFormat;
  keywords?: string[];
  anchor?: SourceAnchor;
  planId?: string | null;
  phaseId?: string | null;
  taskId?: string | null;
  source?: string;
  metadata?: Record<string, unknown>;
  embedding?: EmbeddingValue;
  /** Explicit id (import); a new one otherwise. */
  id?: string;
}

export interface Memory {
  id: string;
  content: string;
  contentType: ContentType;
  contentFormat: ContentFormat;
  keywords: string[];
  anchor?: SourceAnchor;
  planId: string | null;
  phaseId: string | null;
  taskId: string | null;
  source: string | null;
  metadata: Record<string, unknown>;
  embeddingModel: string | null;
  embeddingProvider: string | null;
  embeddingDimension: number | null;
  hasEmbedding: boolean;
  accessCount: number;
  lastAccessedAt: string | null;
  importanceScore: number | null;
  isArchived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface MemoryPatch {
  content?: string;
  contentType?: ContentType;
  contentFormat?: ContentFormat;
  keywords?: string[];
  anchor?: SourceAnchor | null;
  taskId?: string | null;
  metadata?: Record<string, unknown>;
}

/** Which memories: shared by listing (MemoryFilter) and every search channel (SearchFilter). */
export interface MemoryScope {
  contentType?: ContentType;
  planId?: string;
  phaseId?: string;
  taskId?: string;
  /** Workspace-relative path prefix of the source anchor. */
  filePrefix?: string;
  includeArchived?: boolean;
}

export interface MemoryFilter extends MemoryScope {
  limit?: number;
  offset?: number;
}
