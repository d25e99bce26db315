import type { Store } from '../db/store';

/**
 * Keeps source anchors true when files move: memories anchored in a renamed file (or in a
 * renamed folder) follow it. Paths are workspace-relative with forward slashes.
 */
export function renameAnchors(store: Store, from: string, to: string): number {
  const rows = store.db
    .prepare(
      `SELECT id, context_snapshot FROM semantic_memory
    WHERE json_extract(context_snapshot, '$.file') = ? OR substr(json_extract(context_snapshot, '$.file'), 1, ?) = ?`,
    )
    .all(from, from.length + 1, from + '/') as { id: string; context_snapshot: string }[];
  const update = store.db.prepare(
    `UPDATE semantic_memory SET context_snapshot = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?`,
  );
  store.tx(() => {
    for (const r of rows) {
      const anchor = JSON.parse(r.context_snapshot) as { file: string; missing?: boolean };
      anchor.file = to + anchor.file.slice(from.length);
      delete anchor.missing;
      update.run(JSON.stringify(anchor), r.id);
    }
  });
  return rows.length;
}

/** Flags (never deletes) memories whose file was deleted: the snippet itself is kept. */
export function flagMissingAnchors(store: Store, deleted: string): number {
  return store.db
    .prepare(
      `UPDATE semantic_memory SET context_snapshot = json_set(context_snapshot, '$.missing', json('true')), updated_at = CURRENT_TIMESTAMP
    WHERE json_extract(context_snapshot, '$.file') = ? OR substr(json_extract(context_snapshot, '$.file'), 1, ?) = ?`,
    )
    .run(deleted, deleted.length + 1, deleted + '/').changes;
}
