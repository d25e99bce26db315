import fs from 'node:fs';
import type { Store } from '../db/store';
import type { FreshnessState, SourceAnchor } from '../memory/types';
import { absolutePath, anchoredRows, preview, readAnchoredFile, type AnchoredRow } from './anchoredRows';
import { applyCheck, checkAnchor, freshnessOf, savedLineOf, type AnchorCheck } from './freshness';
import { diffAgainst, mapLine, type FileDiff } from './gitDiff';

/** One anchored memory after a check: what `devstream anchors` lists. */
export interface AnchorStatus {
  id: string;
  contentType: string;
  preview: string;
  file: string;
  state: FreshnessState;
  similarity: number;
  /** Where the code is now (the stored lines when it was not found). */
  startLine: number;
  endLine: number;
  /** The lines stored before this check. */
  storedStartLine: number;
  storedEndLine: number;
  savedLine: number;
  reason?: string;
  /** Kept as history: not checked, reported with its last state. */
  history?: true;
  /** The file was renamed (found through git): its new path. */
  renamedTo?: string;
}

export interface ReanchorOptions {
  /** Only memories anchored in these workspace-relative files; all when absent. */
  files?: readonly string[];
  /** Store the states and the new lines (the CLI without --fix only reports). */
  write?: boolean;
  /** Use `git diff` from each anchor's commit for hints and renames (spawns git; off in the editor's hot path). */
  git?: boolean;
}

/**
 * Checks anchored memories against their files, reading each file once. With `write`, every
 * anchor records its state and follows its code (moved and changed memories get their new
 * lines; a renamed file found through git its new path), in one transaction.
 */
export function reanchor(store: Store, root: string, opts: ReanchorOptions = {}): AnchorStatus[] {
  const rows = anchoredRows(store, opts.files);
  const diffs = new GitDiffs(root, opts.git === true);
  const out: AnchorStatus[] = [];
  const updates: [string, string][] = [];
  const now = new Date().toISOString();
  let file: string | undefined;
  let read: ReturnType<typeof readAnchoredFile> = { missing: '' };
  for (const row of rows) {
    const a = row.anchor;
    if (a.history) {
      out.push(statusOf(row, historyCheck(a)));
      continue;
    }
    if (a.file !== file) {
      file = a.file;
      read = readAnchoredFile(root, a.file);
    }
    let check = checkAnchor(read, a, row.content);
    let renamedTo: string | undefined;
    if (diffs.enabled && a.commit && check.state !== 'fresh' && check.state !== 'moved') {
      const d = diffs.of(a.commit, a.file);
      if (check.state === 'file-missing' && d?.newPath && d.newPath !== a.file) {
        const moved = checkAnchor(readAnchoredFile(root, d.newPath), a, row.content, mapLine(d.hunks, a.startLine));
        if (moved.state !== 'file-missing') {
          check = moved;
          renamedTo = d.newPath;
        }
      } else if (d && 'text' in read) {
        check = checkAnchor(read, a, row.content, mapLine(d.hunks, a.startLine));
      }
    }
    out.push({ ...statusOf(row, check), ...(renamedTo ? { renamedTo } : {}) });
    if (opts.write) {
      const next = applyCheck(a, check, now);
      if (renamedTo) next.file = renamedTo;
      updates.push([JSON.stringify(next), row.id]);
    }
  }
  storeAnchors(store, updates);
  return out;
}

/**
 * Writes checked anchors ([anchor JSON, memory id]) in one transaction. Only context_snapshot:
 * no index trigger watches it (no FTS or vector row is touched), and updated_at stays the time
 * the memory itself was last edited.
 */
export function storeAnchors(store: Store, updates: readonly (readonly [string, string])[]): void {
  if (updates.length === 0) return;
  const stmt = store.db.prepare(`UPDATE semantic_memory SET context_snapshot = ? WHERE id = ?`);
  store.tx(() => {
    for (const [json, id] of updates) stmt.run(json, id);
  });
}

function historyCheck(a: SourceAnchor): AnchorCheck {
  const f = freshnessOf(a);
  return { state: f?.state ?? 'changed', similarity: f?.similarity ?? 0, startLine: a.startLine, endLine: a.endLine };
}

function statusOf(row: AnchoredRow, c: AnchorCheck): AnchorStatus {
  const a = row.anchor;
  return {
    id: row.id,
    contentType: row.contentType,
    preview: preview(row),
    file: a.file,
    state: c.state,
    similarity: c.similarity,
    startLine: c.startLine,
    endLine: c.endLine,
    storedStartLine: a.startLine,
    storedEndLine: a.endLine,
    savedLine: savedLineOf(a),
    ...(c.reason ? { reason: c.reason } : {}),
    ...(a.history ? { history: true as const } : {}),
  };
}

/** One `git diff` per commit, asked only when a memory with that commit did not match verbatim. */
class GitDiffs {
  private readonly byCommit = new Map<string, Map<string, FileDiff> | undefined>();
  constructor(
    private readonly root: string,
    readonly enabled: boolean,
  ) {}

  of(commit: string, file: string): FileDiff | undefined {
    if (!this.byCommit.has(commit)) {
      const diffs = diffAgainst(this.root, commit);
      this.byCommit.set(commit, diffs && new Map(diffs.filter((d) => d.oldPath).map((d) => [d.oldPath!, d])));
    }
    return this.byCommit.get(commit)?.get(file);
  }
}

/**
 * Files whose memories need a check: modified since their memories were last checked, never
 * checked, or gone (and not yet recorded as missing). One stat per file: cheap at start-up
 * and after a branch switch (git touches exactly the files it changes).
 */
export function staleFiles(store: Store, root: string): string[] {
  const byFile = new Map<string, { oldest: number; missingRecorded: boolean }>();
  for (const row of anchoredRows(store)) {
    if (row.anchor.history) continue;
    const f = freshnessOf(row.anchor);
    const checked = f?.checkedAt ? Date.parse(f.checkedAt) : NaN;
    const cur = byFile.get(row.anchor.file) ?? { oldest: Infinity, missingRecorded: true };
    cur.oldest = Math.min(cur.oldest, Number.isNaN(checked) ? -Infinity : checked);
    cur.missingRecorded &&= f?.state === 'file-missing';
    byFile.set(row.anchor.file, cur);
  }
  const stale: string[] = [];
  for (const [file, { oldest, missingRecorded }] of byFile) {
    let mtime: number | undefined;
    try {
      mtime = fs.statSync(absolutePath(root, file)).mtimeMs;
    } catch {
      mtime = undefined;
    }
    if (mtime === undefined ? !missingRecorded : mtime > oldest) stale.push(file);
  }
  return stale;
}
