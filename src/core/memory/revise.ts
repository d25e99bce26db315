import type { Store } from '../db/store';
import { MemoryRepository } from './memoryRepository';
import type { ContentType, EmbeddingValue, Memory } from './types';

/** How many earlier versions a memory keeps in metadata.history (oldest dropped first). */
export const HISTORY_LIMIT = 20;

export interface Revision {
  content?: string;
  contentType?: ContentType;
  keywords?: string[];
  /** Who revised it, e.g. "mcp:claude-code". */
  by: string;
  /** The new content's vector, embedded beforehand (the update itself is synchronous). */
  embedding?: EmbeddingValue;
}

export interface HistoryEntry {
  content: string;
  content_type: ContentType;
  keywords: string[];
  /** When this version was replaced, and by whom. */
  replaced_at: string;
  replaced_by: string;
}

/**
 * Changes a memory's content, type or keywords, keeping the version it replaces in
 * metadata.history, and stores the new content's vector in the same transaction (so it is
 * never left with the old text's vector; without one, the embedding queue picks it up).
 * Returns the memory unchanged when nothing differs.
 */
export function reviseMemory(store: Store, id: string, r: Revision): { memory: Memory; changed: boolean } {
  const repo = new MemoryRepository(store);
  return store.tx(() => {
    const before = repo.require(id);
    const same =
      (r.content === undefined || r.content === before.content) &&
      (r.contentType === undefined || r.contentType === before.contentType) &&
      (r.keywords === undefined || JSON.stringify(r.keywords) === JSON.stringify(before.keywords));
    if (same) return { memory: before, changed: false };
    const previous: HistoryEntry = {
      content: before.content,
      content_type: before.contentType,
      keywords: before.keywords,
      replaced_at: new Date().toISOString(),
      replaced_by: r.by,
    };
    const history = Array.isArray(before.metadata.history) ? (before.metadata.history as HistoryEntry[]) : [];
    const metadata = { ...before.metadata, history: [...history, previous].slice(-HISTORY_LIMIT) };
    let after = repo.update(id, { content: r.content, contentType: r.contentType, keywords: r.keywords, metadata });
    if (r.embedding && after.content !== before.content) {
      repo.setEmbedding(id, r.embedding);
      after = repo.require(id);
    }
    return { memory: after, changed: true };
  });
}
