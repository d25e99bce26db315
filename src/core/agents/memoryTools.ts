import { z } from 'zod';
import { SCOPE_KEY, SCOPES, type Scope } from '../bank/scope';
import { applySecretPolicy } from '../memory/secretPolicy';
import { MemoryRepository } from '../memory/memoryRepository';
import { CONTENT_TYPES } from '../memory/types';
import { PlanRepository } from '../plans';
import { anchorFromInput } from './anchorInput';
import { fitToBudget } from './budget';
import { embeddingFor } from './embedOnStore';
import { memoryEntrySchema, toEntry, type MemoryEntry } from './memoryEntry';
import { recordInjection } from './telemetry';
import { idField, textField } from './toolSchema';
import { defineTool, ok, type ToolContext } from './types';

export const DEFAULT_MAX_TOKENS = 2000;

export const contentTypeField = (description: string) => z.enum(CONTENT_TYPES).describe(description);
export const keywordsField = (description: string) => z.array(z.string().min(1).max(64)).max(32).describe(description);
export const maxTokensField = (what: string) =>
  z
    .number()
    .int()
    .min(100)
    .max(20_000)
    .default(DEFAULT_MAX_TOKENS)
    .describe(`Token budget for the reply (about 4 characters per token; default ${DEFAULT_MAX_TOKENS}). ${what}`);

const searchInput = z.strictObject({
  query: textField(
    1000,
    'What you are looking for, in plain words or identifiers (e.g. "retry webhook backoff" or "getUserById").',
  ),
  content_type: contentTypeField('Only memories of this kind.').optional(),
  limit: z.number().int().min(1).max(50).default(10).describe('Most results to consider (default 10).'),
  plan_id: idField('Only memories linked to this plan (id or a unique prefix of at least 4 characters).').optional(),
  task_id: idField(
    'Only memories linked to this task; also records that the context was fetched for this task.',
  ).optional(),
  include_archived: z.boolean().default(false).describe('Also search archived (retired) memories. Default false.'),
  max_tokens: maxTokensField('Whole results are returned while they fit; one longer result may be cut with a marker.'),
});

const searchOutput = z.object({
  query: z.string(),
  results: z.array(memoryEntrySchema),
  /** 'used', or 'unavailable: <why>' when the answer rests on keywords alone. */
  vectors: z.string(),
  tokens: z.number().optional(),
  max_tokens: z.number().optional(),
  omitted: z.number().optional(),
  note: z.string().optional(),
});

export const searchMemoryTool = defineTool({
  name: 'devstream_search_memory',
  title: 'Search project memory',
  description:
    "Search this workspace's DevStream memory: code snippets, decisions, errors, learnings and notes saved earlier " +
    'by you, ' +
    'other agents or the user. Call it before starting a task or when you need to know why something is the way it ' +
    'is, ' +
    'how a past problem was solved, or where related code lives. Each result has its full content (within ' +
    'max_tokens) ' +
    'and, for code, a source {file, start_line, end_line} you can open. Archived memories are left out unless ' +
    'include_archived is true. "vectors" says whether meaning-based search took part or only keywords.',
  input: searchInput,
  output: searchOutput,
  // It counts the accesses of what it hands over and logs the hand-off: a write, if a harmless one.
  readOnly: false,
  idempotent: false,
  async handler(raw, ctx) {
    const input = raw as z.output<typeof searchInput>;
    const plans = new PlanRepository(ctx.store);
    const planId = input.plan_id ? plans.resolveId('plan', input.plan_id) : undefined;
    const taskId = input.task_id ? plans.resolveId('task', input.task_id) : undefined;
    const { hits, vectors } = await ctx.search(input.query, {
      limit: input.limit,
      contentType: input.content_type,
      planId,
      taskId,
      includeArchived: input.include_archived,
    });
    const memories = new MemoryRepository(ctx.store);
    const entries: MemoryEntry[] = [];
    for (const h of hits) {
      const m = memories.get(h.id);
      // Archived: checked again, whatever the search did.
      if (m && (input.include_archived || !m.isArchived)) entries.push(toEntry(m, h.score));
    }
    if (entries.length === 0) {
      return ok({
        query: input.query,
        results: [],
        vectors,
        note: 'No memory matches. Try other words, fewer filters, or save what you learn with devstream_store_memory.',
      });
    }
    const fit = fitToBudget(entries, input.max_tokens, (e) =>
      e.source
        ? `open ${e.source.file} lines ${e.source.start_line}-${e.source.end_line} for the rest`
        : `search again with a larger max_tokens to read it all`,
    );
    const ids = fit.included.map((e) => e.id);
    memories.recordAccess(ids);
    recordInjection(ctx.store, ctx.session.id, {
      memoryIds: ids,
      tokens: fit.tokens,
      trigger: searchMemoryTool.name,
      taskId,
    });
    return ok({
      query: input.query,
      results: fit.included,
      vectors,
      tokens: fit.tokens,
      max_tokens: input.max_tokens,
      ...(fit.omitted > 0
        ? {
            omitted: fit.omitted,
            note:
              `${fit.omitted} more result(s) did not fit in max_tokens=${input.max_tokens}; ` +
              'raise max_tokens or narrow the query.',
          }
        : {}),
    });
  },
});

const lineField = (description: string) => z.number().int().min(1).describe(description);

const storeInput = z.strictObject({
  content: textField(
    100_000,
    'The text to remember: a code snippet, a decision and its reason, an error and its fix, a learning.',
  ),
  content_type: contentTypeField(
    'code, documentation, context, output, error, decision (a choice and why), or learning (a lesson for next time).',
  ),
  keywords: keywordsField('A few words it should be found by (identifiers, topics).').optional(),
  file: z
    .string()
    .min(1)
    .max(1000)
    .describe('File the memory is about, relative to the workspace folder (it must be inside it); needs start_line.')
    .optional(),
  start_line: lineField('First line (1-based) in file.').optional(),
  end_line: lineField('Last line (inclusive) in file; default start_line.').optional(),
  task_id: idField(
    "Task this memory belongs to (id or unique prefix); links it to the task's phase and plan too.",
  ).optional(),
  scope: z
    .enum(SCOPES)
    .describe(
      'shared: also written to the team bank (.devstream/bank, committed with git) when the workspace has one; ' +
        'private (default): this machine only.',
    )
    .optional(),
});

function storedMetadata(redacted: number, scope: Scope | undefined): Record<string, unknown> | undefined {
  const m = { ...(redacted ? { secretsRedacted: redacted } : {}), ...(scope ? { [SCOPE_KEY]: scope } : {}) };
  return Object.keys(m).length ? m : undefined;
}

export const storedSchema = memoryEntrySchema.omit({ score: true, content: true, truncated: true }).extend({
  chars: z.number(),
  embedded: z.boolean(),
  secrets: z.string().optional(),
});

const storeOutput = storedSchema.extend({ stored: z.literal(true) });

export const storeMemoryTool = defineTool({
  name: 'devstream_store_memory',
  title: 'Save to project memory',
  description:
    "Save something worth remembering in this workspace's DevStream memory so that later sessions (yours or other " +
    "agents') " +
    'can find it with devstream_search_memory: a decision and its reason, the cause and fix of an error, a ' +
    'learning, or an ' +
    'important code snippet with its file and lines. Keep each memory focused on one thing; add keywords it should ' +
    'be found by.',
  input: storeInput,
  output: storeOutput,
  readOnly: false,
  confirmation: {
    title: 'Save a memory',
    message: (i) =>
      `Save a ${String(i.content_type)} memory${i.file ? ` about ${String(i.file)}` : ''} to the DevStream database: ` +
      `"${preview(String(i.content ?? ''))}"`,
  },
  async handler(raw, ctx) {
    const input = raw as z.output<typeof storeInput>;
    const anchor = anchorFromInput(input.file, input.start_line, input.end_line, ctx.workspaceRoot);
    const taskId = input.task_id ? new PlanRepository(ctx.store).resolveId('task', input.task_id) : undefined;
    const policy = await applySecretPolicy(input.content, ctx.keepSecrets);
    const embedding = await embeddingFor(ctx.store, ctx.embedder, policy.content, ctx.log);
    const m = new MemoryRepository(ctx.store).add({
      content: policy.content,
      metadata: storedMetadata(policy.redacted, input.scope),
      contentType: input.content_type,
      keywords: input.keywords,
      anchor,
      taskId,
      source: sourceOf(ctx),
      embedding,
    });
    const { content: _content, ...entry } = toEntry(m);
    return ok({
      stored: true,
      ...entry,
      chars: m.content.length,
      embedded: m.hasEmbedding,
      ...(policy.message ? { secrets: policy.message } : {}),
    });
  },
});

export function sourceOf(ctx: ToolContext): string {
  return `${ctx.session.transport ?? 'agent'}:${ctx.session.clientName}`;
}

export function preview(text: string, max = 80): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}
