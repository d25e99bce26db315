import { SCOPE_KEY, SCOPES, type Scope } from '../bank/scope';
import { applySecretPolicy } from '../memory/secretPolicy';
import { MemoryRepository } from '../memory/memoryRepository';
import { CONTENT_TYPES, type ContentType, type Memory } from '../memory/types';
import { PlanRepository } from '../plans';
import { anchorFromInput } from './anchorInput';
import { fitToBudget } from './budget';
import { embeddingFor } from './embedOnStore';
import type { ObjectSchema } from './schema';
import { recordInjection } from './telemetry';
import { ok, type AgentTool, type ToolContext } from './types';

const ID = { type: 'string', minLength: 4, maxLength: 64 } as const;

export const DEFAULT_MAX_TOKENS = 2000;

const searchSchema: ObjectSchema = {
  type: 'object',
  properties: {
    query: { type: 'string', minLength: 1, maxLength: 1000, description: 'What you are looking for, in plain words or identifiers (e.g. "retry webhook backoff" or "getUserById").' },
    content_type: { type: 'string', enum: CONTENT_TYPES, description: 'Only memories of this kind.' },
    limit: { type: 'integer', minimum: 1, maximum: 50, default: 10, description: 'Most results to consider (default 10).' },
    plan_id: { ...ID, description: 'Only memories linked to this plan (id or a unique prefix of at least 4 characters).' },
    task_id: { ...ID, description: 'Only memories linked to this task; also records that the context was fetched for this task.' },
    include_archived: { type: 'boolean', default: false, description: 'Also search archived (retired) memories. Default false.' },
    max_tokens: { type: 'integer', minimum: 100, maximum: 20000, default: DEFAULT_MAX_TOKENS, description: `Token budget for the reply (about 4 characters per token; default ${DEFAULT_MAX_TOKENS}). Whole results are returned while they fit; one longer result may be cut with a marker.` },
  },
  required: ['query'],
  additionalProperties: false,
};

interface SearchInput {
  query: string; content_type?: ContentType; limit?: number; plan_id?: string; task_id?: string;
  include_archived?: boolean; max_tokens?: number;
}

interface ResultEntry {
  id: string;
  content_type: ContentType;
  score: number;
  /** Where to open it: workspace-relative file and 1-based inclusive lines. */
  source?: { file: string; start_line: number; end_line: number; language?: string };
  task_id?: string;
  keywords?: string[];
  archived?: true;
  created_at: string;
  content: string;
}

function toEntry(m: Memory, score: number): ResultEntry {
  const a = m.anchor;
  return {
    id: m.id,
    content_type: m.contentType,
    score: Number(score.toPrecision(3)),
    ...(a ? { source: { file: a.file, start_line: a.startLine, end_line: a.endLine, ...(a.language ? { language: a.language } : {}) } } : {}),
    ...(m.taskId ? { task_id: m.taskId } : {}),
    ...(m.keywords.length ? { keywords: m.keywords } : {}),
    ...(m.isArchived ? { archived: true as const } : {}),
    created_at: m.createdAt,
    content: m.content,
  };
}

export const searchMemoryTool: AgentTool = {
  name: 'devstream_search_memory',
  title: 'Search project memory',
  description:
    'Search this workspace\'s DevStream memory: code snippets, decisions, errors, learnings and notes saved earlier by you, ' +
    'other agents or the user. Call it before starting a task or when you need to know why something is the way it is, ' +
    'how a past problem was solved, or where related code lives. Each result has its full content (within max_tokens) ' +
    'and, for code, a source {file, start_line, end_line} you can open. Archived memories are left out unless include_archived is true.',
  inputSchema: searchSchema,
  readOnly: true,
  async handler(raw, ctx) {
    const input = raw as unknown as SearchInput;
    const plans = new PlanRepository(ctx.store);
    const planId = input.plan_id ? plans.resolveId('plan', input.plan_id) : undefined;
    const taskId = input.task_id ? plans.resolveId('task', input.task_id) : undefined;
    const includeArchived = input.include_archived === true;
    const maxTokens = input.max_tokens ?? DEFAULT_MAX_TOKENS;
    const hits = await ctx.search(input.query, { limit: input.limit ?? 10, contentType: input.content_type, planId, taskId, includeArchived });

    const memories = new MemoryRepository(ctx.store);
    const entries: ResultEntry[] = [];
    for (const h of hits) {
      const m = memories.get(h.id);
      if (m && (includeArchived || !m.isArchived)) entries.push(toEntry(m, h.score)); // archived: checked again, whatever search did
    }
    if (entries.length === 0) {
      return ok({ query: input.query, results: [], note: 'No memory matches. Try other words, fewer filters, or save what you learn with devstream_store_memory.' });
    }
    const fit = fitToBudget(entries, maxTokens, (e) =>
      e.source ? `open ${e.source.file} lines ${e.source.start_line}-${e.source.end_line} for the rest` : `search again with a larger max_tokens to read it all`);
    const ids = fit.included.map((e) => e.id);
    memories.recordAccess(ids);
    recordInjection(ctx.store, ctx.session.id, { memoryIds: ids, tokens: fit.tokens, trigger: searchMemoryTool.name, taskId });
    return ok({
      query: input.query,
      results: fit.included,
      tokens: fit.tokens,
      max_tokens: maxTokens,
      ...(fit.omitted > 0 ? { omitted: fit.omitted, note: `${fit.omitted} more result(s) did not fit in max_tokens=${maxTokens}; raise max_tokens or narrow the query.` } : {}),
    });
  },
};

const storeSchema: ObjectSchema = {
  type: 'object',
  properties: {
    content: { type: 'string', minLength: 1, maxLength: 100_000, description: 'The text to remember: a code snippet, a decision and its reason, an error and its fix, a learning.' },
    content_type: { type: 'string', enum: CONTENT_TYPES, description: 'code, documentation, context, output, error, decision (a choice and why), or learning (a lesson for next time).' },
    keywords: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 64 }, maxItems: 32, description: 'A few words it should be found by (identifiers, topics).' },
    file: { type: 'string', minLength: 1, maxLength: 1000, description: 'File the memory is about, relative to the workspace folder; needs start_line.' },
    start_line: { type: 'integer', minimum: 1, description: 'First line (1-based) in file.' },
    end_line: { type: 'integer', minimum: 1, description: 'Last line (inclusive) in file; default start_line.' },
    task_id: { ...ID, description: 'Task this memory belongs to (id or unique prefix); links it to the task\'s phase and plan too.' },
    scope: {
      type: 'string', enum: SCOPES,
      description: 'shared: also written to the team bank (.devstream/bank, committed with git) when the workspace has ' +
        'one; private (default): this machine only.',
    },
  },
  required: ['content', 'content_type'],
  additionalProperties: false,
};

interface StoreInput { content: string; content_type: ContentType; keywords?: string[]; file?: string; start_line?: number; end_line?: number; task_id?: string; scope?: Scope }

function storedMetadata(redacted: number, scope: Scope | undefined): Record<string, unknown> | undefined {
  const m = { ...(redacted ? { secretsRedacted: redacted } : {}), ...(scope ? { [SCOPE_KEY]: scope } : {}) };
  return Object.keys(m).length ? m : undefined;
}

export const storeMemoryTool: AgentTool = {
  name: 'devstream_store_memory',
  title: 'Save to project memory',
  description:
    'Save something worth remembering in this workspace\'s DevStream memory so that later sessions (yours or other agents\') ' +
    'can find it with devstream_search_memory: a decision and its reason, the cause and fix of an error, a learning, or an ' +
    'important code snippet with its file and lines. Keep each memory focused on one thing; add keywords it should be found by.',
  inputSchema: storeSchema,
  readOnly: false,
  confirmation: {
    title: 'Save a memory',
    message: (i) => `Save a ${String(i.content_type)} memory${i.file ? ` about ${String(i.file)}` : ''} to the DevStream database: "${preview(String(i.content ?? ''))}"`,
  },
  async handler(raw, ctx) {
    const input = raw as unknown as StoreInput;
    const anchor = anchorFromInput(input.file, input.start_line, input.end_line, ctx.workspaceRoot);
    const taskId = input.task_id ? new PlanRepository(ctx.store).resolveId('task', input.task_id) : undefined;
    const policy = applySecretPolicy(input.content, ctx.keepSecrets);
    const embedding = await embeddingFor(ctx.store, ctx.embedder, policy.content, ctx.log);
    const m = new MemoryRepository(ctx.store).add({
      content: policy.content, metadata: storedMetadata(policy.redacted, input.scope), contentType: input.content_type, keywords: input.keywords, anchor, taskId,
      source: sourceOf(ctx), embedding,
    });
    const { score: _score, content: _content, ...entry } = toEntry(m, 0);
    return ok({ stored: true, ...entry, chars: m.content.length, embedded: m.hasEmbedding, ...(policy.message ? { secrets: policy.message } : {}) });
  },
};

export function sourceOf(ctx: ToolContext): string {
  return `${ctx.session.transport ?? 'agent'}:${ctx.session.clientName}`;
}

export function preview(text: string, max = 80): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}
