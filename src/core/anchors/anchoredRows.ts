import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../db/store';
import { parseAnchor } from '../memory/anchor';
import { previewLine } from '../memory/preview';
import type { ContentType, SourceAnchor } from '../memory/types';
import { MAX_FILE_BYTES, type FileRead } from './freshness';

/** An anchored memory as re-anchoring needs it. */
export interface AnchoredRow {
  id: string;
  contentType: ContentType;
  content: string;
  anchor: SourceAnchor;
}

/** Anchored, not archived memories; only those in `files` when given (workspace-relative paths). */
export function anchoredRows(store: Store, files?: readonly string[]): AnchoredRow[] {
  const inFiles = files ? `AND json_extract(context_snapshot, '$.file') IN (SELECT value FROM json_each(?))` : '';
  const rows = store.db
    .prepare(
      `SELECT id, content, content_type, context_snapshot FROM semantic_memory
    WHERE json_extract(context_snapshot, '$.file') IS NOT NULL AND coalesce(is_archived, 0) = 0 ${inFiles}
    ORDER BY json_extract(context_snapshot, '$.file'), rowid`,
    )
    .all(...(files ? [JSON.stringify(files)] : [])) as {
    id: string;
    content: string;
    content_type: string;
    context_snapshot: string;
  }[];
  const out: AnchoredRow[] = [];
  for (const r of rows) {
    const anchor = parseAnchor(r.context_snapshot);
    if (anchor) out.push({ id: r.id, content: r.content, contentType: r.content_type as ContentType, anchor });
  }
  return out;
}

export const preview = (row: AnchoredRow): string => previewLine(row.content);

/** Where an anchored file is: relative paths under the workspace folder, absolute ones as they are. */
export function absolutePath(root: string, file: string): string {
  return path.isAbsolute(file) ? file : path.join(root, ...file.split('/'));
}

/** A file as a check sees it; every failure is a reason, never an exception. */
export function readAnchoredFile(root: string, file: string): FileRead {
  if (!path.isAbsolute(file) && !fs.existsSync(root)) return { missing: 'the workspace folder no longer exists' };
  const abs = absolutePath(root, file);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return { missing: 'no such file' };
  }
  if (st.isDirectory()) return { missing: 'a folder is there now' };
  if (st.size > MAX_FILE_BYTES) return { unreadable: `the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
  try {
    return { text: fs.readFileSync(abs, 'utf8') };
  } catch (e) {
    return { unreadable: `cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}
