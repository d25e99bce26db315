import type { Store } from '../db/store';
import { MemoryRepository } from '../memory/memoryRepository';
import { fitToBudget } from './budget';
import { toEntry, type MemoryEntry } from './memoryEntry';
import { resolveWorkspaceFile } from './workspacePath';

export interface FileRecall {
  file: string;
  lines?: { start: number; end: number };
  memories: MemoryEntry[];
  tokens: number;
  /** Anchored there but left out by the budget. */
  omitted: number;
  /** Set when nothing is recorded: says so in words, so "no result" is not mistaken for a failure. */
  note?: string;
}

/**
 * What is recorded about a file, or about the lines of it that overlap [start, end]: memories
 * anchored there (not archived), in line order, within a token budget. The path must stay inside
 * the workspace; the file itself is not read (its memories outlive it).
 */
export function recallFile(
  store: Store,
  root: string,
  file: string,
  opts: { start?: number; end?: number; maxTokens: number },
): FileRecall {
  const { relative } = resolveWorkspaceFile(root, file);
  const start = opts.start;
  const end = opts.end ?? start;
  const lines = start !== undefined && end !== undefined ? { start, end: Math.max(start, end) } : undefined;
  const anchored = new MemoryRepository(store)
    .inFile(relative)
    .filter((m) => !lines || (m.anchor!.startLine <= lines.end && m.anchor!.endLine >= lines.start))
    .sort((a, b) => a.anchor!.startLine - b.anchor!.startLine || b.createdAt.localeCompare(a.createdAt));
  if (anchored.length === 0) {
    const where = lines ? `lines ${lines.start}-${lines.end} of ${relative}` : relative;
    return {
      file: relative,
      ...(lines ? { lines } : {}),
      memories: [],
      tokens: 0,
      omitted: 0,
      note: `Nothing is recorded about ${where}.`,
    };
  }
  const fit = fitToBudget(
    anchored.map((m) => toEntry(m)),
    opts.maxTokens,
    (e) => `read it whole with devstream_get_memory id ${e.id}`,
  );
  return {
    file: relative,
    ...(lines ? { lines } : {}),
    memories: fit.included,
    tokens: fit.tokens,
    omitted: fit.omitted,
    ...(fit.omitted > 0
      ? { note: `${fit.omitted} more memory(ies) did not fit; raise max_tokens or give a line range.` }
      : {}),
  };
}
