import type { GetPromptResult, Prompt } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  DEFAULT_MAX_TOKENS,
  fitToBudget,
  recallFile,
  recordInjection,
  validateInput,
  type SearchFn,
  type ToolSession,
} from '../core/agents';
import type { Store } from '../core/db/store';
import { DevStreamError } from '../core/errors';
import { MemoryRepository } from '../core/memory/memoryRepository';
import { PlanRepository, type MicroTask } from '../core/plans';
import { rpcError } from './resources';

const recallArgs = z.strictObject({
  task_id: z
    .string()
    .min(4)
    .max(64)
    .describe('Task to gather context for (id or unique prefix); default: the active task.')
    .optional(),
  file: z.string().min(1).max(1000).describe('Workspace file to gather what is recorded about.').optional(),
  query: z.string().min(1).max(1000).describe('Words to search memory for (default: the task title).').optional(),
  max_tokens: z
    .string()
    .regex(/^\d+$/, 'a whole number')
    .describe(`Token budget (default ${DEFAULT_MAX_TOKENS}).`)
    .optional(),
});

const wrapUpArgs = z.strictObject({
  task_id: z
    .string()
    .min(4)
    .max(64)
    .describe('Task being finished (id or unique prefix); default: the active task.')
    .optional(),
});

export const PROMPTS: Prompt[] = [
  {
    name: 'devstream_recall',
    title: 'Recall project context',
    description:
      'What DevStream knows about the current task or a file: the task, and the decisions, errors and code recorded ' +
      'about it, within a token budget.',
    arguments: promptArguments(recallArgs),
  },
  {
    name: 'devstream_wrap_up',
    title: 'Wrap up the task',
    description: 'Save the decisions and learnings of this session to DevStream memory and close the task.',
    arguments: promptArguments(wrapUpArgs),
  },
];

function promptArguments(schema: z.ZodObject) {
  return Object.entries(schema.shape).map(([name, s]) => ({
    name,
    description: (s as z.ZodType).description,
    required: false,
  }));
}

export interface PromptContext {
  store: Store;
  search: SearchFn;
  session: () => ToolSession;
  workspaceRoot: string;
}

export async function getPrompt(name: string, args: unknown, ctx: PromptContext): Promise<GetPromptResult> {
  const prompt = PROMPTS.find((p) => p.name === name);
  if (!prompt)
    throw rpcError(-32602, `Unknown prompt '${name}'. The prompts are: ${PROMPTS.map((p) => p.name).join(', ')}.`);
  const v = validateInput(name === 'devstream_recall' ? recallArgs : wrapUpArgs, args);
  if (!v.ok) throw rpcError(-32602, `Invalid arguments for ${name}: ${v.message}`);
  try {
    const text =
      name === 'devstream_recall' ? await recall(v.value as z.output<typeof recallArgs>, ctx) : wrapUp(v.value, ctx);
    return { description: prompt.description, messages: [{ role: 'user', content: { type: 'text', text } }] };
  } catch (e) {
    if (e instanceof DevStreamError) throw rpcError(-32602, e.message);
    throw e;
  }
}

async function recall(a: z.output<typeof recallArgs>, ctx: PromptContext): Promise<string> {
  const maxTokens =
    a.max_tokens === undefined ? DEFAULT_MAX_TOKENS : Math.min(Math.max(Number(a.max_tokens), 100), 20_000);
  const task =
    a.task_id !== undefined || (a.file === undefined && a.query === undefined)
      ? taskFor(ctx.store, a.task_id)
      : undefined;
  const parts: string[] = ['Context from DevStream, the project memory of this workspace.'];
  if (task)
    parts.push(
      `\n## Task ${task.id}: ${task.title} (${task.status})${task.description ? `\n${task.description}` : ''}`,
    );
  let budget = maxTokens;
  let tokens = 0;
  const handed: string[] = [];
  if (a.file !== undefined) {
    const r = recallFile(ctx.store, ctx.workspaceRoot, a.file, {
      maxTokens: Math.floor(budget / (task || a.query ? 2 : 1)),
    });
    parts.push(`\n## Recorded about ${r.file}`, ...(r.memories.length ? r.memories.map(render) : [r.note ?? '']));
    budget -= r.tokens;
    tokens += r.tokens;
    handed.push(...r.memories.map((m) => m.id));
  }
  const query = a.query ?? task?.title;
  if (query !== undefined && budget >= 100) {
    // The whole memory, not only the task's: what other tasks learned is the point of recalling.
    const { hits, vectors } = await ctx.search(query, { limit: 10 });
    const memories = new MemoryRepository(ctx.store);
    const entries = hits
      .map((h) => memories.get(h.id))
      .filter((m) => m && !m.isArchived && !handed.includes(m.id))
      .map((m) => ({ id: m!.id, content: m!.content, type: m!.contentType, file: m!.anchor?.file }));
    const fit = fitToBudget(entries, budget, (e) => `read it whole with devstream_get_memory id ${e.id}`);
    parts.push(
      `\n## Memories matching "${query}"${vectors === 'used' ? '' : ` (keyword search: vectors ${vectors})`}`,
      ...(fit.included.length
        ? fit.included.map((e) => render({ ...e, content_type: e.type }))
        : ['Nothing is recorded yet.']),
    );
    handed.push(...fit.included.map((e) => e.id));
    tokens += fit.tokens;
  }
  if (handed.length)
    recordInjection(ctx.store, ctx.session().id, {
      memoryIds: handed,
      tokens,
      trigger: 'devstream_recall',
      taskId: task?.id,
    });
  parts.push('\nUse devstream_get_memory to read a memory in full; save new decisions with devstream_store_memory.');
  return parts.join('\n');
}

function wrapUp(a: { task_id?: string }, ctx: PromptContext): string {
  const task = taskFor(ctx.store, a.task_id);
  const recorded = new MemoryRepository(ctx.store).list({ taskId: task.id, limit: 1000 }).length;
  return [
    `We are finishing DevStream task ${task.id}: "${task.title}" ` +
      `(now ${task.status}; ${recorded} memory(ies) linked so far).`,
    '',
    '1. For each decision made in this session (what was chosen and why), call devstream_store_memory with ' +
      `content_type "decision" and task_id "${task.id}".`,
    '2. For each error met and how it was fixed, and each lesson for next time, do the same with "error" or ' +
      '"learning"; ' +
      'anchor code with file, start_line and end_line when it is about specific lines.',
    '3. If a memory you relied on turned out wrong, correct it with devstream_update_memory or retire it with ' +
      'devstream_archive_memory.',
    `4. Close the task: devstream_update_task with task_id "${task.id}", ` +
      'status "completed" (or "failed" with notes saying why), ' +
      'and notes summing up what was done.',
    'Keep each memory to one point; skip what the code or the commit message already says.',
  ].join('\n');
}

/** The task given, or the one active task. */
function taskFor(store: Store, idOrPrefix: string | undefined): MicroTask {
  const plans = new PlanRepository(store);
  if (idOrPrefix !== undefined) return plans.getTask(plans.resolveId('task', idOrPrefix));
  const active = plans.listTasks({ status: 'active' });
  if (active.length === 1) return active[0];
  throw new DevStreamError(
    active.length === 0
      ? 'No task is active: give task_id (see devstream_list_tasks), or file or query.'
      : `${active.length} tasks are active (${active.map((t) => t.id.slice(0, 8)).join(', ')}): give task_id.`,
  );
}

function render(m: {
  id: string;
  content_type: string;
  content: string;
  file?: string;
  source?: { file: string; start_line: number; end_line: number };
}): string {
  const where = m.source ? ` ${m.source.file}:${m.source.start_line}-${m.source.end_line}` : m.file ? ` ${m.file}` : '';
  return `\n### ${m.content_type} ${m.id.slice(0, 8)}${where}\n${m.content}`;
}
