import { execFileSync } from 'node:child_process';

const GIT_TIMEOUT_MS = 5000;
const MAX_OUTPUT = 64 * 1024 * 1024;
const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const REF = /^[\w./@^~{}-]+$/;

/** One hunk of a unified diff: `oldCount` lines at oldStart became `newCount` lines at newStart. */
export interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
}

/** What `git diff -U0` says per file (paths relative to the repository, forward slashes). */
export interface FileDiff {
  oldPath: string | null;
  newPath: string | null;
  hunks: Hunk[];
}

/** Runs git in `cwd`; undefined when git is missing, the folder is no repository or the ref is unknown. */
export function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      timeout: GIT_TIMEOUT_MS,
      maxBuffer: MAX_OUTPUT,
      stdio: ['ignore', 'pipe', 'ignore'],
      windowsHide: true,
    });
  } catch {
    return undefined;
  }
}

/** A ref given by a user: a plain name, never an option. */
export function isPlainRef(ref: string): boolean {
  return REF.test(ref) && !ref.startsWith('-');
}

/** The repository's top folder for `dir`, or undefined outside one. */
export function repoRoot(dir: string): string | undefined {
  return git(dir, ['rev-parse', '--show-toplevel'])?.trim() || undefined;
}

/**
 * The working tree against `ref`, as hunks per file, renames detected. `paths` limits it
 * (relative to cwd). Undefined when git cannot answer.
 */
export function diffAgainst(cwd: string, ref: string, paths: readonly string[] = []): FileDiff[] | undefined {
  if (!isPlainRef(ref)) return undefined;
  const out = git(cwd, [
    '-c',
    'core.quotepath=off',
    'diff',
    '-U0',
    '--no-color',
    '--no-ext-diff',
    '-M',
    '--relative',
    ref,
    '--',
    ...paths,
  ]);
  return out === undefined ? undefined : parseDiff(out);
}

export function parseDiff(out: string): FileDiff[] {
  const files: FileDiff[] = [];
  let cur: FileDiff | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('diff --git ')) {
      cur = { oldPath: null, newPath: null, hunks: [] };
      files.push(cur);
    } else if (!cur) continue;
    else if (line.startsWith('--- ')) cur.oldPath = pathOf(line.slice(4), 'a/');
    else if (line.startsWith('+++ ')) cur.newPath = pathOf(line.slice(4), 'b/');
    else if (line.startsWith('rename from ')) cur.oldPath = line.slice(12);
    else if (line.startsWith('rename to ')) cur.newPath = line.slice(10);
    else {
      const h = HUNK.exec(line);
      if (h)
        cur.hunks.push({
          oldStart: +h[1],
          oldCount: h[2] === undefined ? 1 : +h[2],
          newStart: +h[3],
          newCount: h[4] === undefined ? 1 : +h[4],
        });
    }
  }
  return files;
}

function pathOf(s: string, prefix: string): string | null {
  if (s === '/dev/null') return null;
  return s.startsWith(prefix) ? s.slice(prefix.length) : s;
}

/** Where old line `line` is in the new file: shifted by the hunks above it; inside a hunk, its new start. */
export function mapLine(hunks: readonly Hunk[], line: number): number {
  let shift = 0;
  for (const h of hunks) {
    // first old line after the hunk (a pure insertion: oldCount 0, after oldStart)
    const oldEnd = h.oldStart + h.oldCount;
    if (h.oldCount === 0 ? h.oldStart < line : oldEnd <= line) shift += h.newCount - h.oldCount;
    else if (h.oldCount > 0 && h.oldStart <= line) return Math.max(1, h.newStart);
    else break;
  }
  return Math.max(1, line + shift);
}

/**
 * Does a hunk touch new-file lines start..end? A deletion (after new line newStart) touches the
 * lines on either side of it: deleted anchored lines leave their neighbours behind.
 */
export function touches(h: Hunk, start: number, end: number): boolean {
  if (h.newCount === 0) return h.newStart >= start - 1 && h.newStart <= end;
  return h.newStart <= end && h.newStart + h.newCount - 1 >= start;
}
