import { EmbeddingQueue } from '../../core/embeddings/queue';
import { CONTENT_TYPES } from '../../core/memory/types';
import { getVectorSpace } from '../../core/memory/vectorSpace';
import { hybridSearch, type SearchMode } from '../../core/search/hybridSearch';
import { keywordSearch } from '../../core/search/keywordSearch';
import type { SearchHit } from '../../core/search/types';
import { limit, num, oneOf, str, UsageError, type CommandSpec } from '../command';
import type { CliContext } from '../context';
import { cliEmbedder, embedderOptions } from '../embedding';
import { count, splitHighlights, table, terminalSnippet } from '../format';

const SEARCH_MODES = ['hybrid', 'keyword', 'vector'] as const satisfies readonly SearchMode[];
const SNIPPET_WIDTH = 80;

export const searchCommands: CommandSpec[] = [
  {
    name: 'search',
    args: ['QUERY'],
    summary: 'Search memories: hybrid (keyword + semantic) by default; --advanced passes FTS5 syntax through.',
    options: [
      {
        flags: '--mode <mode>',
        description: 'channels to use (default hybrid)',
        choices: SEARCH_MODES,
        choiceOf: 'search mode',
      },
      {
        flags: '--type <type>',
        description: 'only memories of this type',
        choices: CONTENT_TYPES,
        choiceOf: 'content type',
      },
      { flags: '--limit <n>', description: 'at most this many results (default 10)' },
      { flags: '--file <prefix>', description: 'only memories from files under this path' },
      { flags: '--archived', description: 'include archived memories' },
      {
        flags: '--advanced',
        description: 'FTS5 query syntax (AND, OR, NOT, "phrases", prefix*), keyword channel only',
      },
      { flags: '--rrf-k <k>', description: 'Reciprocal Rank Fusion constant (default 60)' },
      ...embedderOptions(),
    ],
    async run(ctx, v, [query]) {
      if (query.trim() === '') throw new UsageError('Give a search query (it is empty).');
      const type = str(v, 'type');
      const filters = {
        contentType: type ? oneOf(type, CONTENT_TYPES, 'content type') : undefined,
        filePrefix: str(v, 'file'),
        includeArchived: v.archived === true,
      };
      const max = limit(v, 10);
      const mode = oneOf(str(v, 'mode') ?? 'hybrid', SEARCH_MODES, 'search mode');
      const rrfK = num(v, 'rrfK');
      let hits: SearchHit[];
      if (v.advanced) {
        // FTS5 syntax is a keyword-channel feature
        hits = keywordSearch(ctx.store, query, { ...filters, limit: max, advanced: true });
      } else {
        const embedder = mode === 'keyword' ? undefined : (await cliEmbedder(ctx.store, v, ctx)).embedder;
        const result = await hybridSearch(ctx.store, query, { embedder, mode, limit: max, filters, rrfK });
        if (result.degraded) ctx.warn(result.degraded);
        hits = result.hits;
      }
      ctx.emit(
        hits.map((h) => ({ ...h, ...splitHighlights(h.snippet) })),
        () => showHits(ctx, hits),
      );
    },
  },
  {
    name: 'embed',
    summary: 'Embed every memory still waiting for a vector (stops at the first provider failure).',
    options: embedderOptions(),
    async run(ctx, v) {
      const { embedder, mismatch } = await cliEmbedder(ctx.store, v, ctx);
      if (mismatch) throw new Error(mismatch);
      const progress = await drainOnce(new EmbeddingQueue(ctx.store, embedder), ctx.warn);
      ctx.emit(
        progress,
        () =>
          `Embedded ${count(progress.done, 'memory', 'memories')} with ${embedder.model}${progress.lastError ? `; stopped: ${stripStop(progress.lastError)}` : ''}`,
      );
      if (progress.lastError) ctx.exitCode = 1;
    },
  },
  {
    name: 'reindex',
    summary:
      'Switch the vector index to an embedder and re-embed every memory; the old vectors serve search until done.',
    options: embedderOptions(),
    async run(ctx, v) {
      const { embedder } = await cliEmbedder(ctx.store, { ...v, embedder: v.embedder ?? 'auto' }, ctx);
      const before = getVectorSpace(ctx.store).model;
      const queue = new EmbeddingQueue(ctx.store, embedder);
      // A CLI run does not sit in back-off: the first provider failure ends it (staged work is kept).
      const sub = queue.onProgress((p) => {
        if (p.state === 'waiting') void queue.stop();
      });
      let progress;
      try {
        progress = await queue.reindex(); // refuses, changing nothing, when the embedder does not answer
      } finally {
        sub.dispose();
      }
      const switched = getVectorSpace(ctx.store).model === embedder.model;
      const kept = before
        ? `the index still holds the ${before} vectors, so search works as before`
        : 'nothing was replaced';
      const stopped = progress.lastError
        ? switched
          ? `; stopped: ${stripStop(progress.lastError)} (run 'devstream embed' to continue)`
          : `; stopped: ${stripStop(progress.lastError)}. ${kept}; run 'devstream reindex' again to continue`
        : '';
      ctx.emit(
        { ...progress, switched },
        () =>
          `Re-indexed ${progress.done} of ${count(progress.total, 'memory', 'memories')} with ${embedder.model}${stopped}`,
      );
      if (progress.lastError) ctx.exitCode = 1;
    },
  },
];

function showHits(ctx: CliContext, hits: SearchHit[]): string {
  return table(
    hits.map((h) => ({
      id: h.id.slice(0, 8),
      score: h.score.toPrecision(3),
      ranks: `${h.keywordRank ?? '-'}/${h.vectorRank ?? '-'}`,
      type: h.contentType,
      source: h.anchor ? `${h.anchor.file}:${h.anchor.startLine}` : '',
      snippet: terminalSnippet(h.snippet, SNIPPET_WIDTH, ctx.color),
    })),
    ['id', 'score', 'ranks', 'type', 'source'],
    SNIPPET_WIDTH,
    'snippet',
  );
}

/** A message that goes on inside a sentence loses its own full stop ("`ollama serve`.;"). */
function stripStop(message: string): string {
  return message.replace(/\.$/, '');
}

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
