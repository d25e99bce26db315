import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DevStreamError } from '../../core/errors';
import { languageOf, makeAnchor } from '../../core/memory/anchor';
import { MemoryRepository } from '../../core/memory/memoryRepository';
import { CONTENT_FORMATS, CONTENT_TYPES, type NewMemory, type Memory } from '../../core/memory/types';
import { applySecretPolicy } from '../../core/memory/secretPolicy';
import { formatBytes, looksBinary } from '../../core/memory/validate';
import { PlanRepository } from '../../core/plans';
import { int, list, oneOf, str, UsageError, type Command, type Values } from '../command';
import { cliEmbedder, EMBEDDER_OPTIONS, EMBEDDER_USAGE } from '../embedding';
import type { CliContext } from '../context';
import { keyValues, table } from '../format';

export const memoryCommands: Command[] = [
  {
    name: 'memory add', usage: `[--type T] [--keywords a,b] [--task TASK_ID] [--format F] (--file F [--lines A-B] | content on stdin | --text TEXT) [--no-embed] [--keep-secrets] ${EMBEDDER_USAGE}`,
    summary: 'Save a memory: a code range of a file, a note from stdin or --text; then embed it.',
    options: { type: { type: 'string' }, keywords: { type: 'string', multiple: true }, task: { type: 'string' }, format: { type: 'string' }, file: { type: 'string' }, lines: { type: 'string' }, text: { type: 'string' }, source: { type: 'string' }, 'no-embed': { type: 'boolean' }, 'keep-secrets': { type: 'boolean' }, ...EMBEDDER_OPTIONS },
    async run(ctx, v) {
      // Flag mistakes are found before anything is written.
      const embedderFlag = str(v, 'embedder');
      if (embedderFlag) oneOf(embedderFlag, ['auto', 'builtin', 'ollama'] as const, 'embedder');
      const input = await readInput(ctx, v);
      const policy = applySecretPolicy(input.content, v['keep-secrets'] === true);
      if (policy.message) ctx.warn(policy.message);
      const type = str(v, 'type') ?? (input.anchor ? 'code' : 'context');
      const format = str(v, 'format');
      const task = str(v, 'task');
      const memory = new MemoryRepository(ctx.store).add({
        ...input,
        content: policy.content,
        metadata: policy.redacted ? { secretsRedacted: policy.redacted } : undefined,
        contentType: oneOf(type, CONTENT_TYPES, 'content type'),
        contentFormat: format ? oneOf(format, CONTENT_FORMATS, 'content format') : undefined,
        keywords: list(v, 'keywords'),
        taskId: task ? new PlanRepository(ctx.store).resolveId('task', task) : undefined,
        source: str(v, 'source') ?? 'cli',
      });
      // Saved (and keyword-searchable) first; the vector is a bonus that may come later.
      const embedded = v['no-embed'] ? false : await embedNow(ctx, v, memory);
      ctx.emit({ ...memory, hasEmbedding: embedded }, () => `Saved memory ${memory.id} (${memory.contentType}, ${formatBytes(Buffer.byteLength(memory.content))})${memory.anchor ? ` from ${memory.anchor.file}:${memory.anchor.startLine}-${memory.anchor.endLine}` : ''}`);
    },
  },
  {
    name: 'memory list', usage: '[--type T] [--task TASK_ID] [--file PREFIX] [--limit N] [--archived]', summary: 'List memories, newest first.',
    options: { type: { type: 'string' }, task: { type: 'string' }, file: { type: 'string' }, limit: { type: 'string' }, archived: { type: 'boolean' } },
    run(ctx, v) {
      const type = str(v, 'type');
      const task = str(v, 'task');
      const memories = new MemoryRepository(ctx.store).list({
        contentType: type ? oneOf(type, CONTENT_TYPES, 'content type') : undefined,
        taskId: task ? new PlanRepository(ctx.store).resolveId('task', task) : undefined,
        filePrefix: str(v, 'file'), limit: int(v, 'limit') ?? 50, includeArchived: v.archived === true,
      });
      ctx.emit(memories, () => table(memories.map(summaryRow), ['id', 'type', 'created', 'source', 'preview']));
    },
  },
  {
    name: 'memory show', usage: 'MEMORY_ID', summary: 'Show one memory in full.', args: [1, 1],
    run(ctx, _v, [id]) {
      const repo = new MemoryRepository(ctx.store);
      const m = repo.require(repo.resolveId(id));
      ctx.emit(m, () => {
        const { content, ...rest } = m;
        return `${keyValues({ ...rest, anchor: m.anchor ? `${m.anchor.file}:${m.anchor.startLine}-${m.anchor.endLine}` : undefined, metadata: Object.keys(m.metadata).length ? m.metadata : undefined })}\n\n${content}`;
      });
    },
  },
  {
    name: 'memory delete', usage: 'MEMORY_ID', summary: 'Delete a memory (with its index rows).', args: [1, 1],
    run(ctx, _v, [id]) {
      const repo = new MemoryRepository(ctx.store);
      const full = repo.resolveId(id);
      repo.delete(full);
      ctx.emit({ deleted: full }, () => `Deleted memory ${full}`);
    },
  },
  {
    name: 'memory archive', usage: 'MEMORY_ID [--undo]', summary: 'Hide a memory from search (or bring it back).', args: [1, 1],
    options: { undo: { type: 'boolean' } },
    run(ctx, v, [id]) {
      const repo = new MemoryRepository(ctx.store);
      const full = repo.resolveId(id);
      repo.archive(full, v.undo !== true);
      ctx.emit({ id: full, archived: v.undo !== true }, () => `${v.undo ? 'Restored' : 'Archived'} memory ${full}`);
    },
  },
];

async function embedNow(ctx: CliContext, v: Values, memory: Memory): Promise<boolean> {
  try {
    const { embedder, mismatch } = await cliEmbedder(ctx.store, v, ctx.warn);
    if (mismatch) throw new Error(mismatch);
    const [vector] = await embedder.embed([memory.content], 'document');
    new MemoryRepository(ctx.store).setEmbedding(memory.id, { vector, model: embedder.model, provider: embedder.id });
    return true;
  } catch (e) {
    ctx.warn(`Saved without an embedding (keyword search finds it now; 'devstream embed' adds the vector later): ${(e as Error).message}`);
    return false;
  }
}

function summaryRow(m: Memory) {
  return {
    id: m.id.slice(0, 8), type: m.contentType, created: m.createdAt,
    source: m.anchor ? `${m.anchor.file}:${m.anchor.startLine}` : '', preview: m.content,
  };
}

async function readInput(ctx: CliContext, v: Record<string, unknown>): Promise<Pick<NewMemory, 'content' | 'anchor'>> {
  const file = typeof v.file === 'string' ? v.file : undefined;
  const text = typeof v.text === 'string' ? v.text : undefined;
  if (file) {
    const abs = path.resolve(file);
    if (!fs.existsSync(abs)) throw new DevStreamError(`No such file: ${file}`, 'not_found');
    const raw = fs.readFileSync(abs);
    if (looksBinary(raw.subarray(0, 8192).toString('latin1'))) throw new DevStreamError(`${file} looks like a binary file; only text can be saved.`);
    let fileText: string;
    try {
      fileText = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new DevStreamError(`${file} is not UTF-8 text; convert it first (e.g. iconv -f latin1 -t utf-8).`);
    }
    const total = fileText.split(/\r?\n/).length;
    const [start, end] = parseLines(typeof v.lines === 'string' ? v.lines : undefined, total);
    const content = fileText.split(/\r?\n/).slice(start - 1, end).join('\n');
    const relative = path.relative(ctx.workspaceRoot, abs);
    // inside the workspace: relative, so the anchor survives moving the folder; outside: absolute
    const rel = (relative.startsWith('..') || path.isAbsolute(relative) ? abs : relative).split(path.sep).join('/');
    return { content, anchor: makeAnchor(fileText, start, end, { file: rel, language: languageOf(abs), commit: gitCommit(path.dirname(abs)) }) };
  }
  if (text !== undefined) return { content: text };
  if (process.stdin.isTTY) throw new UsageError('Give the content on stdin, with --text, or with --file F --lines A-B.');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return { content: Buffer.concat(chunks).toString('utf8') };
}

function parseLines(spec: string | undefined, total: number): [number, number] {
  if (!spec) return [1, total];
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec);
  if (!m) throw new UsageError(`--lines takes A-B (e.g. 10-24), not '${spec}'.`);
  const start = Number(m[1]);
  const end = m[2] ? Number(m[2]) : start;
  if (start < 1 || end < start || start > total) throw new DevStreamError(`Lines ${spec} are outside the file (it has ${total} lines).`);
  return [start, Math.min(end, total)];
}

function gitCommit(dir: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], timeout: 3000 }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}
