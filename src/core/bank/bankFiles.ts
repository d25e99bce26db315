import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FileState } from './bankState';

/** Larger files are not memories anyone wrote by hand: skipped, never read whole. */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface ScannedFile {
  /** Relative to the bank folder, forward slashes. */
  rel: string;
  kind: 'memory' | 'plan';
  size: number;
  mtimeMs: number;
  /** Absent when the state's size and mtime match (unchanged, not read). */
  text?: string;
  hash: string;
  /** Why it cannot be imported (it is skipped with this message). */
  problem?: string;
  conflicted?: boolean;
}

const CONFLICT = /^(<{7}|>{7})( |$)|^={7}$/m;

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Every `*.md` under the bank folder, sorted by path (other files are ignored). Each file is
 * read at most once; one whose size and mtime match `known` is taken as unchanged without reading.
 */
export function scanBank(bankDir: string, workspaceRoot: string, known: Record<string, FileState>): ScannedFile[] {
  const out: ScannedFile[] = [];
  const root = safeRealpath(workspaceRoot);
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const abs = path.join(dir, name);
      const rel = path.relative(bankDir, abs).split(path.sep).join('/');
      const st = fs.lstatSync(abs);
      if (st.isDirectory()) {
        walk(abs);
        continue;
      }
      if (!name.endsWith('.md')) continue;
      out.push(scanOne(abs, rel, st, root, known[rel]));
    }
  };
  walk(bankDir);
  return out;
}

function scanOne(abs: string, rel: string, st: fs.Stats, root: string, known: FileState | undefined): ScannedFile {
  const kind = rel.startsWith('plans/') ? 'plan' : 'memory';
  const base = { rel, kind, size: st.size, mtimeMs: st.mtimeMs, hash: '' } as ScannedFile;
  let real = abs;
  if (st.isSymbolicLink()) {
    real = safeRealpath(abs);
    if (!real || !isInside(real, root))
      return { ...base, problem: 'it is a symbolic link pointing outside the workspace' };
    st = fs.statSync(real);
    base.size = st.size;
  }
  if (!st.isFile()) return { ...base, problem: 'it is not a regular file' };
  if (st.size > MAX_FILE_BYTES)
    return { ...base, problem: `it is ${(st.size / 2 ** 20).toFixed(1)} MB (at most 1 MB)` };
  if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) return { ...base, hash: known.hash };
  const bytes = fs.readFileSync(real);
  const hash = sha256(bytes);
  if (bytes.subarray(0, 8192).includes(0)) return { ...base, hash, problem: 'it is a binary file' };
  const text = bytes.toString('utf8');
  if (CONFLICT.test(text))
    return { ...base, hash, text, conflicted: true, problem: 'it has git conflict markers: resolve them, then sync' };
  return { ...base, hash, text };
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return '';
  }
}

function isInside(p: string, root: string): boolean {
  const r = path.relative(root, p);
  return r !== '' && !r.startsWith('..') && !path.isAbsolute(r);
}
