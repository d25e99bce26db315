-- Keyword terms v2: search_terms also holds the words of lower-case compounds (readline → read
-- line, tarfile → tar file) and title_terms the name a signature line defines
-- (src/core/memory/terms.ts). Both are recomputed by the functions the writers use; only rows
-- whose terms change are rewritten, and the FTS update trigger re-indexes each of them (about
-- 4 s at 100K memories when half of them change).

UPDATE semantic_memory
SET search_terms = devstream_search_terms(content, keywords),
    title_terms = devstream_title_terms(content)
WHERE search_terms IS NOT devstream_search_terms(content, keywords)
   OR title_terms IS NOT devstream_title_terms(content);
