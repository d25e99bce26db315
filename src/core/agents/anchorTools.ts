import { memoriesTouchedBy } from '../anchors/impact';
import { FRESHNESS_STATES } from '../memory/types';
import { z } from 'zod';
import { defineTool, ok, toolError } from './types';

const input = z.strictObject({
  base: z
    .string()
    .min(1)
    .max(200)
    .describe('Git revision to compare the working tree with (default HEAD), e.g. main.')
    .optional(),
});

export const memoriesTouchedTool = defineTool({
  name: 'devstream_memories_touched',
  title: 'Memories touched by the current change',
  description:
    'List the DevStream memories (decisions, errors, code notes) anchored to lines that the working tree changes ' +
    'compared with a git revision (default HEAD). Call it before committing or reviewing a change, to reread the ' +
    'recorded decisions about the code you touched. Each entry says whether the memory still matches the code now ' +
    '(state fresh, moved, changed with a similarity, lost or file-missing).',
  input,
  output: z.object({
    base: z.string(),
    files_changed: z.number(),
    memories: z.array(
      z.object({
        id: z.string(),
        content_type: z.string(),
        preview: z.string(),
        source: z.object({ file: z.string(), start_line: z.number(), end_line: z.number() }),
        state: z.enum(FRESHNESS_STATES),
        similarity: z.number().optional(),
      }),
    ),
  }),
  readOnly: true,
  idempotent: true,
  async handler(raw, ctx) {
    const i = raw as z.output<typeof input>;
    if (!ctx.workspaceRoot)
      return toolError('No workspace folder is known, so there is no git working tree to compare.');
    const impact = memoriesTouchedBy(ctx.store, ctx.workspaceRoot, i.base ?? 'HEAD');
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
});
