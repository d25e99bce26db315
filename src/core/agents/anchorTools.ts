import { memoriesTouchedBy } from '../anchors/impact';
import { freshnessOf } from '../anchors/freshness';
import type { SourceAnchor } from '../memory/types';
import type { ObjectSchema } from './schema';
import { ok, toolError, type AgentTool } from './types';

/**
 * What an agent is told about a memory's code, to add to every result's `source`: absent when
 * never checked or fresh; otherwise e.g. { freshness: 'changed', similarity: 0.72 } so the agent
 * knows the memory no longer matches the code exactly.
 */
export function freshnessEntry(
  anchor: SourceAnchor | undefined,
): { freshness: string; similarity?: number } | undefined {
  const f = freshnessOf(anchor);
  if (!f || f.state === 'fresh') return undefined;
  return {
    freshness: anchor?.history ? `${f.state} (kept as history)` : f.state,
    ...(f.state === 'changed' ? { similarity: f.similarity } : {}),
  };
}

const impactSchema: ObjectSchema = {
  type: 'object',
  properties: {
    base: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'Git revision to compare the working tree with (default HEAD), e.g. main.',
    },
  },
  required: [],
  additionalProperties: false,
};

export const memoriesTouchedTool: AgentTool = {
  name: 'devstream_memories_touched',
  title: 'Memories touched by the current change',
  description:
    'List the DevStream memories (decisions, errors, code notes) anchored to lines that the working tree changes compared with ' +
    'a git revision (default HEAD). Call it before committing or reviewing a change, to reread the recorded decisions about ' +
    'the code you touched. Each entry says whether the memory still matches the code now (state fresh, moved, changed with ' +
    'a similarity, lost or file-missing).',
  inputSchema: impactSchema,
  readOnly: true,
  async handler(raw, ctx) {
    if (!ctx.workspaceRoot)
      return toolError('No workspace folder is known, so there is no git working tree to compare.');
    const base = typeof raw.base === 'string' ? raw.base : 'HEAD';
    const impact = memoriesTouchedBy(ctx.store, ctx.workspaceRoot, base);
    return ok({
      base: impact.base,
      files_changed: impact.filesChanged,
      memories: impact.memories.map((m) => ({
        id: m.id,
        content_type: m.contentType,
        preview: m.preview,
        source: { file: m.file, start_line: m.startLine, end_line: m.endLine },
        state: m.state,
        ...(m.state === 'changed' ? { similarity: m.similarity } : {}),
      })),
    });
  },
};
