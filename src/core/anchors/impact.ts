import type { Store } from '../db/store';
import { DevStreamError } from '../errors';
import { anchoredRows, preview, readAnchoredFile } from './anchoredRows';
import { checkAnchor, type FileRead } from './freshness';
import { diffAgainst, isPlainRef, repoRoot, touches, type FileDiff } from './gitDiff';
import type { FreshnessState } from '../memory/types';

/** A memory whose anchored lines a change touches. */
export interface TouchedMemory {
  id: string;
  contentType: string;
  preview: string;
  file: string;
  startLine: number;
  endLine: number;
  /** How many hunks of the diff touch its lines (a deleted file: 1). */
  hunks: number;
  /** Does the memory still match the code, now (checked, not stored)? */
  state: FreshnessState;
  similarity: number;
}

export interface Impact {
  base: string;
  filesChanged: number;
  memories: TouchedMemory[];
}

/**
 * The memories whose anchored lines `git diff base` (the working tree against base, HEAD by
 * default) touches: what a reviewer should reread. Anchored lines are in working-tree terms,
 * so hunks are matched on their new side; a deleted file touches all its memories.
 */
export function memoriesTouchedBy(store: Store, root: string, base = 'HEAD'): Impact {
  if (!isPlainRef(base)) throw new DevStreamError(`'${base}' is not a git revision name.`, 'invalid');
  if (!repoRoot(root)) throw new DevStreamError(`${root} is not inside a git repository: impact needs git.`, 'invalid');
  const diffs = diffAgainst(root, base);
  if (!diffs)
    throw new DevStreamError(
      `git cannot compare the working tree with '${base}' (is it a known revision?).`,
      'not_found',
    );
  const byFile = new Map<string, FileDiff>();
  for (const d of diffs) {
    if (d.newPath) byFile.set(d.newPath, d);
    if (d.oldPath && !d.newPath) byFile.set(d.oldPath, d);
  }
  const touched: TouchedMemory[] = [];
  const reads = new Map<string, FileRead>();
  const files = [...byFile.keys()];
  for (const row of files.length ? anchoredRows(store, files) : []) {
    const a = row.anchor;
    if (a.history) continue;
    const d = byFile.get(a.file)!;
    const hunks = d.newPath ? d.hunks.filter((h) => touches(h, a.startLine, a.endLine)).length : 1;
    if (hunks === 0) continue;
    if (!reads.has(a.file)) reads.set(a.file, readAnchoredFile(root, a.file));
    const { state, similarity } = checkAnchor(reads.get(a.file)!, a, row.content);
    touched.push({
      id: row.id,
      contentType: row.contentType,
      preview: preview(row),
      file: a.file,
      startLine: a.startLine,
      endLine: a.endLine,
      hunks,
      state,
      similarity,
    });
  }
  return { base, filesChanged: diffs.length, memories: touched };
}
