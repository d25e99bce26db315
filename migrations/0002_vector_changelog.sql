-- A short log of which memories' vectors changed, so that an in-memory vector index (one per
-- open connection, in any process) can catch up by replaying a few rows instead of reloading
-- every vector. The triggers live in the database, so every SQL writer appends to it: this
-- process, another DevStream window, the CLI, an MCP server, or a sqlite3 shell.
--
-- seq is AUTOINCREMENT so that it never goes backwards, even when rows are trimmed: a reader
-- remembers the last seq it replayed and asks for the rows after it. Only the newest
-- 50,000 entries are kept; a reader that fell further behind reloads everything.
-- memory_rowid is the semantic_memory rowid, which is also the vec_semantic_memory rowid; the
-- reader looks its current state up (it may have been changed again, or deleted, since).

CREATE TABLE vec_changelog (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  memory_rowid INTEGER NOT NULL
);

CREATE TRIGGER vec_changelog_insert AFTER INSERT ON semantic_memory
WHEN NEW.embedding IS NOT NULL
BEGIN
  INSERT INTO vec_changelog (memory_rowid) VALUES (NEW.rowid);
  DELETE FROM vec_changelog WHERE seq <= last_insert_rowid() - 50000;
END;

-- Same columns as sync_update_memory_vector; only changes that can alter the vec row are logged
-- (a new vector, or a move to another content_type partition).
CREATE TRIGGER vec_changelog_update
AFTER UPDATE OF id, content, content_type, embedding ON semantic_memory
WHEN OLD.embedding IS NOT NEW.embedding OR (NEW.embedding IS NOT NULL AND OLD.content_type IS NOT NEW.content_type)
BEGIN
  INSERT INTO vec_changelog (memory_rowid) VALUES (NEW.rowid);
  DELETE FROM vec_changelog WHERE seq <= last_insert_rowid() - 50000;
END;

CREATE TRIGGER vec_changelog_delete AFTER DELETE ON semantic_memory
WHEN OLD.embedding IS NOT NULL
BEGIN
  INSERT INTO vec_changelog (memory_rowid) VALUES (OLD.rowid);
  DELETE FROM vec_changelog WHERE seq <= last_insert_rowid() - 50000;
END;

-- The embedding queue asks for "memories without an embedding, oldest first" after every batch
-- and counts them for its progress: without this index both scan the whole table (tens of ms
-- at 100K memories). Partial: it holds only the pending memories, so it stays tiny.
CREATE INDEX idx_semantic_memory_pending_embedding ON semantic_memory (id) WHERE embedding IS NULL;
