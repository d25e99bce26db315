-- A title field for BM25F: the first line of a memory of several lines (a signature, a
-- heading) and its identifier parts, in semantic_memory.title_terms (computed by the writer,
-- like search_terms) and in an FTS column of its own that keyword search weighs above the body
-- (src/core/search/keywordSearch.ts). FTS5 cannot add a column, so the table is rebuilt from
-- semantic_memory, the source of truth; the triggers are recreated unchanged but for the column.

ALTER TABLE semantic_memory ADD COLUMN title_terms TEXT;
UPDATE semantic_memory SET title_terms = devstream_title_terms(content);

DROP TRIGGER sync_insert_memory;
DROP TRIGGER sync_update_memory;
DROP TRIGGER sync_delete_memory;
DROP TABLE fts_semantic_memory;

CREATE VIRTUAL TABLE fts_semantic_memory USING fts5(
  content,
  content_type UNINDEXED,
  memory_id UNINDEXED,
  created_at UNINDEXED,
  search_terms,
  title_terms,
  tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO fts_semantic_memory (rowid, content, content_type, memory_id, created_at, search_terms, title_terms)
SELECT rowid, content, content_type, id, created_at, search_terms, title_terms FROM semantic_memory ORDER BY rowid;

CREATE TRIGGER sync_insert_memory AFTER INSERT ON semantic_memory
BEGIN
  INSERT INTO fts_semantic_memory (rowid, content, content_type, memory_id, created_at, search_terms, title_terms)
  VALUES (NEW.rowid, NEW.content, NEW.content_type, NEW.id, NEW.created_at, NEW.search_terms, NEW.title_terms);
  INSERT INTO vec_semantic_memory (rowid, embedding, content_type, memory_id, content_preview)
  SELECT NEW.rowid, NEW.embedding, NEW.content_type, NEW.id, substr(NEW.content, 1, 200)
  WHERE NEW.embedding IS NOT NULL;
END;

CREATE TRIGGER sync_update_memory
AFTER UPDATE OF id, content, content_type, created_at, search_terms, title_terms ON semantic_memory
BEGIN
  DELETE FROM fts_semantic_memory WHERE rowid = OLD.rowid;
  INSERT INTO fts_semantic_memory (rowid, content, content_type, memory_id, created_at, search_terms, title_terms)
  VALUES (NEW.rowid, NEW.content, NEW.content_type, NEW.id, NEW.created_at, NEW.search_terms, NEW.title_terms);
END;

CREATE TRIGGER sync_delete_memory AFTER DELETE ON semantic_memory
BEGIN
  DELETE FROM vec_semantic_memory WHERE rowid = OLD.rowid;
  DELETE FROM fts_semantic_memory WHERE rowid = OLD.rowid;
END;
