import type { ContentType, MemoryScope, SourceAnchor } from '../memory/types';

export interface SearchFilter extends MemoryScope {
  /** created_at bounds, 'YYYY-MM-DD' or full timestamps, inclusive. */
  createdAfter?: string;
  createdBefore?: string;
}

export interface SearchHit {
  id: string;
  /** Higher is better. Keyword-only: -bm25; hybrid: the fused RRF score. */
  score: number;
  /** 1-based rank in each channel that found it. */
  keywordRank?: number;
  vectorRank?: number;
  /** Cosine distance, when the vector channel found it. */
  distance?: number;
  contentType: ContentType;
  /** A short excerpt; matched terms are wrapped in \u0002 … \u0003 (escape, then turn them into marks). */
  snippet: string;
  anchor?: SourceAnchor;
  createdAt: string;
  isArchived: boolean;
}

export const MARK_START = '\u0002';
export const MARK_END = '\u0003';
