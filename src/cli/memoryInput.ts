import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DevStreamError } from '../core/errors';
import { languageOf, makeAnchor } from '../core/memory/anchor';
import type { NewMemory } from '../core/memory/types';
import { formatBytes, looksBinary, MAX_CONTENT_BYTES, sizeBeside } from '../core/memory/validate';
import { str, UsageError, type Values } from './command';

export type MemoryInput = Pick<NewMemory, 'content' | 'anchor'>;

/** What `memory add` saves: a range of --file, --text, or stdin; checked here in the CLI's own words. */
export async function readMemoryInput(v: Values, workspaceRoot: string): Promise<MemoryInput> {
  const file = str(v, 'file');
  const text = str(v, 'text');
  const lines = str(v, 'lines');
  if (file !== undefined && text !== undefined) throw new UsageError('Give --file or --text, not both.');
  if (lines !== undefined && file === undefined) {
    throw new UsageError('--lines needs --file (e.g. --file src/queue.ts --lines 10-24).');
  }
  if (file !== undefined) return readFileRange(file, lines, workspaceRoot);
  if (text !== undefined) return checked({ content: text }, 'Give shorter --text');
  if (process.stdin.isTTY) {
    throw new UsageError('Give the content with --text TEXT, with --file F [--lines A-B], or on stdin.');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return checked({ content: Buffer.concat(chunks).toString('utf8') }, 'Pipe a part of it');
}

function readFileRange(file: string, spec: string | undefined, workspaceRoot: string): MemoryInput {
  const abs = path.resolve(file);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) throw new DevStreamError(`No such file: ${file}`, 'not_found');
  if (stat.isDirectory()) {
    throw new DevStreamError(
      `${file} is a folder: give a file, e.g. --file ${path.join(file, 'index.ts')}.`,
      'invalid',
    );
  }
  const raw = fs.readFileSync(abs);
  if (looksBinary(raw.subarray(0, 8192).toString('latin1'))) {
    throw new DevStreamError(`${file} looks like a binary file; only text can be saved.`);
  }
  let fileText: string;
  try {
    fileText = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new DevStreamError(`${file} is not UTF-8 text; convert it first (e.g. iconv -f latin1 -t utf-8).`);
  }
  const all = editorLines(fileText);
  const [start, end] = parseLines(spec, all.length);
  const content = all.slice(start - 1, end).join('\n');
  const relative = path.relative(workspaceRoot, abs);
  // inside the workspace: relative, so the anchor survives moving the folder; outside: absolute
  const rel = (relative.startsWith('..') || path.isAbsolute(relative) ? abs : relative).split(path.sep).join('/');
  const where = { file: rel, language: languageOf(abs), commit: gitCommit(path.dirname(abs)) };
  const anchor = makeAnchor(fileText, start, end, where);
  return checked({ content, anchor }, spec ? 'Give fewer --lines' : 'Give --lines A-B to save a part of it');
}

/** Lines as an editor numbers them: a final newline ends the last line, it does not start another. */
export function editorLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function parseLines(spec: string | undefined, total: number): [number, number] {
  if (!spec) return [1, total];
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) throw new UsageError(`--lines takes A-B (e.g. 10-24), not '${spec}'.`);
  const start = Number(m[1]);
  const end = m[2] ? Number(m[2]) : start;
  if (end < start) throw new UsageError(`--lines ${spec} is reversed: give the first line first (${end}-${start}).`);
  if (start < 1 || start > total) {
    const what = m[2] ? `Lines ${spec} are` : `Line ${spec} is`;
    throw new DevStreamError(`${what} outside the file (it has ${total} line${total === 1 ? '' : 's'}).`, 'invalid');
  }
  return [start, Math.min(end, total)];
}

/** Empty or too large, said with what to give instead (the repository checks again). */
function checked(input: MemoryInput, advice: string): MemoryInput {
  if (input.content.trim().length === 0) {
    const give = 'give --text TEXT, --file F [--lines A-B], or text on stdin';
    throw new DevStreamError(`Memory content is empty: ${give}.`, 'invalid');
  }
  const bytes = Buffer.byteLength(input.content, 'utf8');
  if (bytes > MAX_CONTENT_BYTES) {
    const size = `${sizeBeside(bytes, MAX_CONTENT_BYTES)}; the limit is ${formatBytes(MAX_CONTENT_BYTES)}`;
    throw new DevStreamError(`Memory content is ${size}. ${advice}.`, 'invalid');
  }
  return input;
}

function gitCommit(dir: string): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 3000,
    });
    return head.toString().trim() || undefined;
  } catch {
    return undefined;
  }
}
