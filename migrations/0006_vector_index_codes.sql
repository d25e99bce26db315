-- The in-memory vector index's 1-bit codes, stored so that a new process (a one-shot CLI search,
-- a new window, an MCP server) starts from them instead of reading and rotating every vector
-- (seconds at 100K memories). A cache beside vec0, never the source of truth: written by a
-- process that holds the loaded index, valid for the vec_changelog seq it records (entries
-- after it are replayed, as a loaded index does), ignored when the model, dimension or code
-- format differ or the changelog no longer reaches back to it. One row; the blobs come last so
-- that reading the small columns does not read them (src/core/search/storedCodes.ts).

CREATE TABLE vector_index_codes (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  format     TEXT    NOT NULL,  -- how the codes were computed (rotation seed, bits)
  model      TEXT    NOT NULL,  -- devstream_meta.embedding_model when written
  dimension  INTEGER NOT NULL,
  seq        INTEGER NOT NULL,  -- the last vec_changelog seq the codes include
  count      INTEGER NOT NULL,
  written_at TEXT    NOT NULL,
  rowids     BLOB    NOT NULL,  -- count x float64, little-endian
  types      BLOB    NOT NULL,  -- count x u8 (index into CONTENT_TYPES, 255 = other)
  codes      BLOB    NOT NULL   -- count x bits / 8 bytes
);
