-- requires: sqlite-vec
-- vec0 stores vectors in chunks: one blob of chunk_size vectors per content_type partition, and
-- every insert writes into its partition's open chunk. With the default chunk_size (1024; 3 MB
-- per chunk at 768-d) a vector insert cost about 50 µs; with 256 it costs half that, and KNN
-- over 100K vectors takes the same time (BENCHMARKS.md). The table is rebuilt from
-- semantic_memory, which holds every embedding.
--
-- {{vector_dimension}} is the index's dimension (devstream_meta.vector_dimension, else 768),
-- filled in by the migration runner: SQL alone cannot read it into a CREATE statement.

DROP TABLE vec_semantic_memory;

CREATE VIRTUAL TABLE vec_semantic_memory USING vec0(
  embedding float[{{vector_dimension}}] distance_metric=cosine,
  content_type TEXT PARTITION KEY,
  +memory_id TEXT,
  +content_preview TEXT,
  chunk_size=256
);

INSERT INTO vec_semantic_memory (rowid, embedding, content_type, memory_id, content_preview)
SELECT rowid, embedding, content_type, id, substr(content, 1, 200)
FROM semantic_memory WHERE embedding IS NOT NULL ORDER BY rowid;
