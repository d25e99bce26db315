import path from 'node:path';
import { z } from 'zod';
import { DevStreamError } from '../errors';
import { MemoryRepository } from '../memory/memoryRepository';
import { reviseMemory } from '../memory/revise';
import { PlanRepository } from '../plans';
import { embeddingFor } from './embedOnStore';
import { memoryEntrySchema, memoryRecordSchema, toEntry, toRecord } from './memoryEntry';
import { contentTypeField, keywordsField, preview, sourceOf } from './memoryTools';
import { idField, textField } from './toolSchema';
import { defineTool, ok, toolError } from './types';

const memoryId = idField('Memory id, or a unique prefix of at least 4 characters (from search or list results).');

const getInput = z.strictObject({ id: memoryId });

export const getMemoryTool = defineTool({
  name: 'devstream_get_memory',
  title: 'Read one memory',
  description:
    'Read one DevStream memory in full by id (or a unique id prefix): its whole content, type, keywords, the source ' +
    'anchor ' +
    'as stored (file, lines, fingerprint), its links to a plan, phase and task, and its edit history in metadata. ' +
    'Use it when a search result was cut short or before you correct a memory.',
  input: getInput,
  output: z.object({ memory: memoryRecordSchema }),
  readOnly: true,
  idempotent: true,
  async handler(raw, ctx) {
    const memories = new MemoryRepository(ctx.store);
    return ok({ memory: toRecord(memories.require(memories.resolveId((raw as z.output<typeof getInput>).id))) });
  },
});

const updateInput = z.strictObject({
  id: memoryId,
  content: textField(
    100_000,
    'New text; replaces the old one (which is kept in metadata.history) and is embedded again.',
  ).optional(),
  content_type: contentTypeField('New kind of memory.').optional(),
  keywords: keywordsField('New keywords; replace the old ones (give [] to clear them).').optional(),
});

export const updateMemoryTool = defineTool({
  name: 'devstream_update_memory',
  title: 'Correct a memory',
  description:
    'Correct a DevStream memory that is wrong or out of date: new content, type and/or keywords. The previous ' +
    'version is ' +
    "kept in the memory's metadata.history, and new content is embedded again so search finds it by meaning. " +
    'Prefer this over saving a second, contradicting memory.',
  input: updateInput,
  output: z.object({ updated: z.boolean(), memory: memoryRecordSchema }),
  readOnly: false,
  idempotent: true,
  confirmation: {
    title: 'Correct a memory',
    message: (i) =>
      `Change memory ${String(i.id)}` +
      (i.content !== undefined ? `: new content "${preview(String(i.content))}"` : '') +
      (i.content_type !== undefined ? `; type ${String(i.content_type)}` : '') +
      (i.keywords !== undefined ? `; keywords ${(i.keywords as string[]).join(', ') || '(none)'}` : '') +
      '. The old version is kept in its history.',
  },
  async handler(raw, ctx) {
    const i = raw as z.output<typeof updateInput>;
    if (i.content === undefined && i.content_type === undefined && i.keywords === undefined) {
      return toolError(`Give 'content', 'content_type' or 'keywords': there is nothing to change.`);
    }
    const id = new MemoryRepository(ctx.store).resolveId(i.id);
    const embedding =
      i.content === undefined ? undefined : await embeddingFor(ctx.store, ctx.embedder, i.content, ctx.log);
    const r = reviseMemory(ctx.store, id, {
      content: i.content,
      contentType: i.content_type,
      keywords: i.keywords,
      by: sourceOf(ctx),
      embedding,
    });
    return ok({ updated: r.changed, memory: toRecord(r.memory) });
  },
});

const deleteInput = z.strictObject({ id: memoryId });

export const deleteMemoryTool = defineTool({
  name: 'devstream_delete_memory',
  title: 'Delete a memory',
  description:
    'Delete a DevStream memory for good (content, vector and search entry). Only for memories that are wrong and ' +
    'worthless ' +
    'or saved by mistake; to retire something that was once true, use devstream_archive_memory, which can be undone.',
  input: deleteInput,
  output: z.object({ deleted: z.literal(true), id: z.string(), content_type: z.string(), preview: z.string() }),
  readOnly: false,
  destructive: true,
  idempotent: true,
  confirmation: {
    title: 'Delete a memory',
    message: (i) => `Delete memory ${String(i.id)} from the DevStream database for good? This cannot be undone.`,
  },
  async handler(raw, ctx) {
    const memories = new MemoryRepository(ctx.store);
    const m = memories.require(memories.resolveId((raw as z.output<typeof deleteInput>).id));
    if (!memories.delete(m.id)) throw new DevStreamError(`No memory with id ${m.id}.`, 'not_found');
    return ok({ deleted: true, id: m.id, content_type: m.contentType, preview: preview(m.content) });
  },
});

const archiveInput = z.strictObject({
  id: memoryId,
  archived: z.boolean().default(true).describe('true (default) retires it; false brings an archived memory back.'),
});

export const archiveMemoryTool = defineTool({
  name: 'devstream_archive_memory',
  title: 'Archive a memory',
  description:
    'Archive (retire) a DevStream memory that is no longer true or useful: search and listings leave it out from ' +
    'then on, ' +
    'but it is kept and can be found with include_archived or brought back with archived: false.',
  input: archiveInput,
  output: z.object({ id: z.string(), archived: z.boolean(), was_archived: z.boolean() }),
  readOnly: false,
  destructive: true,
  idempotent: true,
  confirmation: {
    title: 'Archive a memory',
    message: (i) =>
      i.archived === false
        ? `Bring archived memory ${String(i.id)} back into search?`
        : `Archive memory ${String(i.id)}? Search will leave it out (it is kept and can be restored).`,
  },
  async handler(raw, ctx) {
    const i = raw as z.output<typeof archiveInput>;
    const memories = new MemoryRepository(ctx.store);
    const m = memories.require(memories.resolveId(i.id));
    if (m.isArchived !== i.archived) memories.archive(m.id, i.archived);
    return ok({ id: m.id, archived: i.archived, was_archived: m.isArchived });
  },
});

const listInput = z.strictObject({
  content_type: contentTypeField('Only memories of this kind.').optional(),
  file_prefix: z
    .string()
    .min(1)
    .max(1000)
    .describe('Only memories anchored in files whose workspace-relative path starts with this (e.g. "src/auth/").')
    .optional(),
  task_id: idField('Only memories linked to this task (id or unique prefix).').optional(),
  plan_id: idField('Only memories linked to this plan (id or unique prefix).').optional(),
  include_archived: z.boolean().default(false).describe('Also list archived memories. Default false.'),
  limit: z.number().int().min(1).max(100).default(20).describe('Most memories to return (default 20).'),
  offset: z.number().int().min(0).max(1_000_000).default(0).describe('Skip this many (for the next page).'),
});

export const listMemoriesTool = defineTool({
  name: 'devstream_list_memories',
  title: 'List recent memories',
  description:
    'List DevStream memories, newest first, optionally only of one type, file (path prefix), task or plan. Content ' +
    'is ' +
    'shortened to a preview; read one in full with devstream_get_memory. Use it to see what was recorded lately.',
  input: listInput,
  output: z.object({ memories: z.array(memoryEntrySchema), offset: z.number(), more: z.boolean() }),
  readOnly: true,
  idempotent: true,
  async handler(raw, ctx) {
    const i = raw as z.output<typeof listInput>;
    const plans = new PlanRepository(ctx.store);
    const found = new MemoryRepository(ctx.store).list({
      contentType: i.content_type,
      filePrefix: i.file_prefix === undefined ? undefined : workspaceRelative(i.file_prefix, ctx.workspaceRoot),
      taskId: i.task_id ? plans.resolveId('task', i.task_id) : undefined,
      planId: i.plan_id ? plans.resolveId('plan', i.plan_id) : undefined,
      includeArchived: i.include_archived,
      limit: i.limit + 1, // one more tells whether there is a next page
      offset: i.offset,
    });
    const page = found.slice(0, i.limit).map((m) => ({ ...toEntry(m), content: preview(m.content, 200) }));
    return ok({ memories: page, offset: i.offset, more: found.length > i.limit });
  },
});

/** A path filter as anchors store it: workspace-relative with forward slashes; refused outside. */
function workspaceRelative(prefix: string, root: string | undefined): string {
  const base = path.resolve(root ?? process.cwd());
  const rel = path.relative(base, path.resolve(base, prefix));
  if (rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
    throw new DevStreamError(`'file_prefix' ${JSON.stringify(prefix)} is outside the workspace folder.`, 'invalid');
  }
  const posix = rel.split(path.sep).join('/');
  return /[\\/]$/.test(prefix) && posix ? posix + '/' : posix;
}
