import { describeFreshness, freshnessOf } from '../../core/anchors/freshness';
import { findDuplicate } from '../../core/anchors/resolve';
import { DevStreamError } from '../../core/errors';
import { SCOPE_KEY, SCOPES } from '../../core/bank/scope';
import { CONTENT_FORMATS, CONTENT_TYPES, type Memory } from '../../core/memory/types';
import { applySecretPolicy } from '../../core/memory/secretPolicy';
import { formatBytes } from '../../core/memory/validate';
import { limit, list, oneOf, str, type CommandSpec, type Values } from '../command';
import type { CliContext } from '../context';
import { cliEmbedder, embedderFlag, embedderOptions } from '../embedding';
import { keyValues, table } from '../format';
import { readMemoryInput } from '../memoryInput';

const TYPE_OPTION = { flags: '--type <type>', choices: CONTENT_TYPES, choiceOf: 'content type' };

export const memoryCommands: CommandSpec[] = [
  {
    name: 'memory add',
    creates: true,
    summary:
      'Save a memory: a line range of a file, --text, or text on stdin; then embed it (keyword search finds it at once).',
    options: [
      { flags: '--file <path>', description: 'save (a range of) this file, with a source anchor' },
      { flags: '--lines <A-B>', description: 'the lines of --file to save, e.g. 10-24 (default: all)' },
      { flags: '--text <text>', description: 'save this text (use --text -- TEXT for text starting with -)' },
      { ...TYPE_OPTION, description: 'what it is (default: code with --file, else context)' },
      {
        flags: '--format <format>',
        description: 'how the content is written',
        choices: CONTENT_FORMATS,
        choiceOf: 'content format',
      },
      { flags: '--keywords <a,b>', description: 'keywords, comma-separated', repeat: true },
      { flags: '--task <task-id>', description: 'link it to a task' },
      { flags: '--source <name>', description: 'who saved it (default cli)' },
      {
        flags: '--scope <scope>',
        description: 'shared (written to the team bank) or private (default: private)',
        choices: SCOPES,
        choiceOf: 'scope',
      },
      { flags: '--keep-secrets', description: 'store likely secrets as written (default: redact them)' },
      { flags: '--allow-duplicate', description: 'save even when a memory already holds the same lines of --file' },
      { flags: '--no-embed', description: 'save without a vector now (devstream embed adds it later)' },
      ...embedderOptions(),
    ],
    async run(ctx, v) {
      embedderFlag(v); // a bad DEVSTREAM_EMBEDDER is found before anything is written
      const input = await readMemoryInput(v, ctx.workspaceRoot);
      const policy = await applySecretPolicy(input.content, v.keepSecrets === true);
      if (policy.message) ctx.warn(policy.message);
      const type = str(v, 'type') ?? (input.anchor ? 'code' : 'context');
      const format = str(v, 'format');
      const task = str(v, 'task');
      const repo = ctx.ds.memories;
      const same =
        input.anchor && v.allowDuplicate !== true ? findDuplicate(ctx.store, input.anchor, policy.content) : undefined;
      if (same) {
        throw new DevStreamError(
          `Memory ${same.id} already holds these lines (${same.anchor!.file}:${same.anchor!.startLine}-` +
            `${same.anchor!.endLine}, same text): nothing saved. Give --allow-duplicate to save another copy.`,
          'conflict',
        );
      }
      const saved = repo.add({
        ...input,
        content: policy.content,
        metadata: memoryMetadata(policy.redacted, str(v, 'scope')),
        contentType: oneOf(type, CONTENT_TYPES, 'content type'),
        contentFormat: format ? oneOf(format, CONTENT_FORMATS, 'content format') : undefined,
        keywords: list(v, 'keywords'),
        taskId: task ? ctx.ds.plans.resolveId('task', task) : undefined,
        source: str(v, 'source') ?? 'cli',
      });
      // Saved (and keyword-searchable) first; the vector is a bonus that may come later.
      if (v.embed !== false) await embedNow(ctx, v, saved);
      const memory = repo.require(saved.id); // as stored, with the embedding's model when there is one
      const anchor = memory.anchor
        ? ` from ${memory.anchor.file}:${memory.anchor.startLine}-${memory.anchor.endLine}`
        : '';
      ctx.emit(
        { ...memory, embeddingPending: !memory.hasEmbedding },
        () =>
          `Saved memory ${memory.id} (${memory.contentType}, ${formatBytes(Buffer.byteLength(memory.content))})${anchor}` +
          (memory.hasEmbedding ? '' : "; its embedding is pending ('devstream embed' adds it)"),
      );
    },
  },
  {
    name: 'memory list',
    summary: 'List memories, newest first.',
    options: [
      { ...TYPE_OPTION, description: 'only memories of this type' },
      { flags: '--task <task-id>', description: 'only memories linked to this task' },
      { flags: '--file <prefix>', description: 'only memories from files under this path' },
      { flags: '--limit <n>', description: 'at most this many (default 50)' },
      { flags: '--archived', description: 'include archived memories' },
    ],
    run(ctx, v) {
      const type = str(v, 'type');
      const task = str(v, 'task');
      const max = limit(v, 50);
      const memories = ctx.ds.memories.list({
        contentType: type ? oneOf(type, CONTENT_TYPES, 'content type') : undefined,
        taskId: task ? ctx.ds.plans.resolveId('task', task) : undefined,
        filePrefix: str(v, 'file'),
        limit: max,
        includeArchived: v.archived === true,
      });
      ctx.emit(memories, () => table(memories.map(summaryRow), ['id', 'type', 'created', 'source', 'preview']));
    },
  },
  {
    name: 'memory show',
    args: ['MEMORY_ID'],
    summary: 'Show one memory in full.',
    run(ctx, _v, [id]) {
      const repo = ctx.ds.memories;
      const m = repo.require(repo.resolveId(id));
      ctx.emit(m, () => {
        const { content, ...rest } = m;
        const anchor = m.anchor ? `${m.anchor.file}:${m.anchor.startLine}-${m.anchor.endLine}` : undefined;
        return `${keyValues({ ...rest, anchor, metadata: Object.keys(m.metadata).length ? m.metadata : undefined })}\n\n${content}`;
      });
    },
  },
  {
    name: 'memory delete',
    args: ['MEMORY_ID'],
    summary: 'Delete a memory (with its index rows).',
    run(ctx, _v, [id]) {
      const repo = ctx.ds.memories;
      const full = repo.resolveId(id);
      repo.delete(full);
      ctx.emit({ deleted: full }, () => `Deleted memory ${full}`);
    },
  },
  {
    name: 'memory archive',
    args: ['MEMORY_ID'],
    summary: 'Hide a memory from search (or bring it back with --undo).',
    options: [{ flags: '--undo', description: 'bring an archived memory back' }],
    run(ctx, v, [id]) {
      const repo = ctx.ds.memories;
      const full = repo.resolveId(id);
      repo.archive(full, v.undo !== true);
      ctx.emit({ id: full, archived: v.undo !== true }, () => `${v.undo ? 'Restored' : 'Archived'} memory ${full}`);
    },
  },
];

async function embedNow(ctx: CliContext, v: Values, memory: Memory): Promise<void> {
  try {
    const { embedder, mismatch } = await cliEmbedder(ctx.store, v, ctx);
    if (mismatch) throw new Error(mismatch);
    const [vector] = await embedder.embed([memory.content], 'document');
    ctx.ds.memories.setEmbedding(memory.id, { vector, model: embedder.model, provider: embedder.id });
  } catch (e) {
    ctx.warn(
      `Saved without an embedding (keyword search finds it now; 'devstream embed' adds the vector later): ${(e as Error).message}`,
    );
  }
}

function memoryMetadata(redacted: number, scope: string | undefined): Record<string, unknown> | undefined {
  const m: Record<string, unknown> = {};
  if (redacted) m.secretsRedacted = redacted;
  if (scope) m[SCOPE_KEY] = scope;
  return Object.keys(m).length ? m : undefined;
}

function summaryRow(m: Memory) {
  return {
    id: m.id.slice(0, 8),
    type: m.contentType,
    created: m.createdAt,
    source: m.anchor ? `${m.anchor.file}:${m.anchor.startLine}${freshLabel(m)}` : '',
    preview: m.content,
  };
}

/** ' [changed (72% alike)]' after a source that no longer matches the memory; nothing for fresh or unchecked ones. */
function freshLabel(m: Memory): string {
  const f = freshnessOf(m.anchor);
  return f && f.state !== 'fresh' ? ` [${describeFreshness(f)}]` : '';
}
