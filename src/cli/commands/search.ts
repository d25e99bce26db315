import { EmbeddingQueue } from '../../core/embeddings/queue';
import { CONTENT_TYPES } from '../../core/memory/types';
import { hybridSearch, type SearchMode } from '../../core/search/hybridSearch';
import { keywordSearch } from '../../core/search/keywordSearch';
import { int, num, oneOf, str, type Command } from '../command';
import { cliEmbedder, EMBEDDER_OPTIONS, EMBEDDER_USAGE } from '../embedding';
import { plainSnippet, table } from '../format';

export const searchCommands: Command[] = [
  {
    name: 'search', usage: `QUERY [--mode hybrid|keyword|vector] [--type T] [--limit N] [--file PREFIX] [--archived] [--advanced] [--rrf-k K] ${EMBEDDER_USAGE}`,
    summary: 'Search memories: hybrid (keyword + semantic) by default; --advanced passes FTS5 syntax through.', args: [1, 1],
    options: { mode: { type: 'string' }, type: { type: 'string' }, limit: { type: 'string' }, file: { type: 'string' }, archived: { type: 'boolean' }, advanced: { type: 'boolean' }, 'rrf-k': { type: 'string' }, ...EMBEDDER_OPTIONS },
    async run(ctx, v, [query]) {
      const type = str(v, 'type');
      const filters = { contentType: type ? oneOf(type, CONTENT_TYPES, 'content type') : undefined, filePrefix: str(v, 'file'), includeArchived: v.archived === true };
      const limit = int(v, 'limit') ?? 10;
      const mode = oneOf(str(v, 'mode') ?? 'hybrid', ['hybrid', 'keyword', 'vector'] as const, 'search mode') as SearchMode;
      let hits;
      if (v.advanced) {
        hits = keywordSearch(ctx.store, query, { ...filters, limit, advanced: true }); // FTS5 syntax is a keyword-channel feature
      } else {
        const embedder = mode === 'keyword' ? undefined : (await cliEmbedder(ctx.store, v, ctx.warn)).embedder;
        const result = await hybridSearch(ctx.store, query, { embedder, mode, limit, filters, rrfK: num(v, 'rrf-k') });
        if (result.degraded) ctx.warn(result.degraded);
        hits = result.hits;
      }
      ctx.emit(hits, () => table(hits.map((h) => ({
        id: h.id.slice(0, 8), score: h.score.toPrecision(3), ranks: `${h.keywordRank ?? '-'}/${h.vectorRank ?? '-'}`, type: h.contentType,
        source: h.anchor ? `${h.anchor.file}:${h.anchor.startLine}` : '', snippet: plainSnippet(h.snippet),
      })), ['id', 'score', 'ranks', 'type', 'source', 'snippet'], 80));
    },
  },
  {
    name: 'embed', usage: EMBEDDER_USAGE, summary: 'Embed every memory still waiting for a vector (stops at the first provider failure).',
    options: { ...EMBEDDER_OPTIONS },
    async run(ctx, v) {
      const { embedder, mismatch } = await cliEmbedder(ctx.store, v, ctx.warn);
      if (mismatch) throw new Error(mismatch);
      const progress = await drainOnce(new EmbeddingQueue(ctx.store, embedder), ctx.warn);
      ctx.emit(progress, () => `Embedded ${progress.done} memories with ${embedder.model}${progress.lastError ? `; stopped: ${progress.lastError}` : ''}`);
      if (progress.lastError) process.exitCode = 1;
    },
  },
  {
    name: 'reindex', usage: EMBEDDER_USAGE, summary: 'Switch the vector index to an embedder and re-embed every memory (resumable with `embed`).',
    options: { ...EMBEDDER_OPTIONS },
    async run(ctx, v) {
      const { embedder } = await cliEmbedder(ctx.store, { ...v, embedder: v.embedder ?? 'auto' }, ctx.warn);
      const queue = new EmbeddingQueue(ctx.store, embedder);
      const sub = queue.onProgress((p) => { if (p.state === 'waiting') void queue.stop(); });
      let progress;
      try {
        progress = await queue.reindex();
      } finally {
        sub.dispose();
      }
      ctx.emit(progress, () => `Re-indexed ${progress.done} of ${progress.total} memories with ${embedder.model}${progress.lastError ? `; stopped: ${progress.lastError} (run 'devstream embed' to continue)` : ''}`);
      if (progress.lastError) process.exitCode = 1;
    },
  },
];

/** A CLI run does not sit in back-off: the first provider failure ends it, reported. */
async function drainOnce(queue: EmbeddingQueue, warn: (t: string) => void) {
  const sub = queue.onProgress((p) => {
    if (p.state === 'waiting') {
      warn(`Embedding provider failed: ${p.lastError ?? 'unknown error'}`);
      void queue.stop();
    }
  });
  try {
    return await queue.drain();
  } finally {
    sub.dispose();
  }
}
