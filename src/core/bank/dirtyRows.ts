import type Database from 'better-sqlite3';

/**
 * Which memories this connection wrote since the last look, kept by TEMP triggers: they live in
 * the connection's temp schema, not in the database file, and see every write of this
 * connection, through the repositories or straight to the store (the MCP server's tools). An
 * export after a save then looks at the rows written instead of scanning the table, which at
 * 10K memories means reading every content page.
 */
const tracked = new WeakSet<Database.Database>();

// Columns a bank file holds: access counts and vectors changing do not make a memory dirty.
const FILE_COLUMNS =
  'content, content_type, content_format, keywords, context_snapshot, metadata, plan_id, phase_id, ' +
  'task_id, is_archived, source, created_at, updated_at';

export function trackDirtyRows(db: Database.Database): void {
  if (tracked.has(db)) return;
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS bank_dirty (id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TEMP TRIGGER IF NOT EXISTS bank_dirty_insert AFTER INSERT ON main.semantic_memory
      BEGIN INSERT OR IGNORE INTO bank_dirty (id) VALUES (NEW.id); END;
    CREATE TEMP TRIGGER IF NOT EXISTS bank_dirty_update AFTER UPDATE OF ${FILE_COLUMNS} ON main.semantic_memory
      BEGIN INSERT OR IGNORE INTO bank_dirty (id) VALUES (NEW.id); END;
    CREATE TEMP TRIGGER IF NOT EXISTS bank_dirty_delete AFTER DELETE ON main.semantic_memory
      BEGIN INSERT OR IGNORE INTO bank_dirty (id) VALUES (OLD.id); END;`);
  tracked.add(db);
}

export function isTracked(db: Database.Database): boolean {
  return tracked.has(db);
}

/** The ids written since the last call (inserted, updated or deleted), and forgets them. */
export function takeDirtyRows(db: Database.Database): string[] {
  const ids = db.prepare(`SELECT id FROM temp.bank_dirty`).pluck().all() as string[];
  if (ids.length) db.prepare(`DELETE FROM temp.bank_dirty`).run();
  return ids;
}
