import { CONTENT_TYPES } from '../../core/memory/types';
import { keywordSearch } from '../../core/search/keywordSearch';
import { int, oneOf, str, type Command } from '../command';
import { plainSnippet, table } from '../format';

export const searchCommands: Command[] = [
  {
    name: 'search', usage: 'QUERY [--type T] [--limit N] [--file PREFIX] [--archived] [--advanced]',
    summary: 'Search memories (plain words; --advanced passes FTS5 syntax through).', args: [1, 1],
    options: { type: { type: 'string' }, limit: { type: 'string' }, file: { type: 'string' }, archived: { type: 'boolean' }, advanced: { type: 'boolean' } },
    run(ctx, v, [query]) {
      const type = str(v, 'type');
      const hits = keywordSearch(ctx.store, query, {
        contentType: type ? oneOf(type, CONTENT_TYPES, 'content type') : undefined, limit: int(v, 'limit') ?? 10,
        filePrefix: str(v, 'file'), includeArchived: v.archived === true, advanced: v.advanced === true,
      });
      ctx.emit(hits, () => table(hits.map((h) => ({
        id: h.id.slice(0, 8), score: h.score.toPrecision(3), type: h.contentType,
        source: h.anchor ? `${h.anchor.file}:${h.anchor.startLine}` : '', snippet: plainSnippet(h.snippet),
      })), ['id', 'score', 'type', 'source', 'snippet'], 80));
    },
  },
];
