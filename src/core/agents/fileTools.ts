import { z } from 'zod';
import { recallFile } from './fileRecall';
import { memoryEntrySchema } from './memoryEntry';
import { maxTokensField } from './memoryTools';
import { recordInjection } from './telemetry';
import { defineTool, ok, toolError } from './types';

const input = z.strictObject({
  file: z
    .string()
    .min(1)
    .max(1000)
    .describe('File to ask about, relative to the workspace folder (it must be inside it).'),
  start_line: z
    .number()
    .int()
    .min(1)
    .describe('Only memories whose lines overlap this range: first line (1-based).')
    .optional(),
  end_line: z.number().int().min(1).describe('Last line of the range (inclusive); default start_line.').optional(),
  max_tokens: maxTokensField('Memories are returned in line order while they fit.'),
});

export const memoriesForFileTool = defineTool({
  name: 'devstream_memories_for_file',
  title: 'Memories about a file',
  description:
    'What DevStream has recorded about a file, or about some of its lines: decisions, errors, learnings and ' +
    'snippets anchored ' +
    'there, in line order. Call it before you change a file, to learn why it is the way it is. When nothing is ' +
    'recorded ' +
    'the answer says so ("memories": [] with a note).',
  input,
  output: z.object({
    file: z.string(),
    lines: z.object({ start: z.number(), end: z.number() }).optional(),
    memories: z.array(memoryEntrySchema),
    tokens: z.number(),
    omitted: z.number(),
    note: z.string().optional(),
  }),
  // Records the hand-off (context_injections) like search does.
  readOnly: false,
  idempotent: false,
  async handler(raw, ctx) {
    const i = raw as z.output<typeof input>;
    if (i.end_line !== undefined && i.start_line === undefined) return toolError(`'end_line' needs 'start_line'.`);
    if (i.end_line !== undefined && i.start_line !== undefined && i.end_line < i.start_line) {
      return toolError(`'end_line' (${i.end_line}) is before 'start_line' (${i.start_line}).`);
    }
    const r = recallFile(ctx.store, ctx.workspaceRoot ?? process.cwd(), i.file, {
      start: i.start_line,
      end: i.end_line,
      maxTokens: i.max_tokens,
    });
    if (r.memories.length > 0) {
      recordInjection(ctx.store, ctx.session.id, {
        memoryIds: r.memories.map((m) => m.id),
        tokens: r.tokens,
        trigger: memoriesForFileTool.name,
      });
    }
    return ok(r);
  },
});
