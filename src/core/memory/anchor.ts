import { createHash } from 'node:crypto';
import type { SourceAnchor } from './types';

const CONTEXT_LINES = 2;
/** Context lines are kept to find a changed snippet again, not to show: long ones are cut. */
const CONTEXT_CHARS = 200;

const norm = (line: string) => line.trim().replace(/\s+/g, ' ');
const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * An anchor for lines startLine..endLine (1-based) of a file, with a fingerprint of the
 * snippet (whitespace-insensitive) and of the lines around it, to find it again after edits.
 */
export function makeAnchor(
  fileText: string,
  startLine: number,
  endLine: number,
  extra: Omit<SourceAnchor, 'startLine' | 'endLine' | 'fingerprint'>,
): SourceAnchor {
  const lines = fileText.split(/\r?\n/);
  const snippet = lines
    .slice(startLine - 1, endLine)
    .map(norm)
    .join('\n');
  const before = lines.slice(Math.max(0, startLine - 1 - CONTEXT_LINES), startLine - 1).map(norm);
  const after = lines.slice(endLine, endLine + CONTEXT_LINES).map(norm);
  const fingerprint = `${hash(snippet)}:${hash(before.join('\n') + '\n--\n' + after.join('\n'))}`;
  const cut = (l: string) => l.slice(0, CONTEXT_CHARS);
  return { ...extra, startLine, endLine, fingerprint, context: { before: before.map(cut), after: after.map(cut) } };
}

/**
 * Where the snippet is now: the same lines if they still hold it, else the occurrence
 * nearest the old place (ties broken by matching surroundings). Null when it is gone.
 */
export function relocate(
  fileText: string,
  anchor: SourceAnchor,
  snippet: string,
): { startLine: number; endLine: number } | null {
  const lines = fileText.split(/\r?\n/).map(norm);
  const want = snippet.split(/\r?\n/).map(norm);
  while (want.length > 1 && want[want.length - 1] === '') want.pop();
  if (want.every((l) => l === '')) return null;
  const matchesAt = (i: number) => want.every((l, k) => lines[i + k] === l);
  const old = anchor.startLine - 1;
  if (old >= 0 && matchesAt(old)) return { startLine: anchor.startLine, endLine: anchor.startLine + want.length - 1 };
  const contextHash = anchor.fingerprint?.split(':')[1];
  let best: { at: number; score: number } | null = null;
  for (let i = 0; i + want.length <= lines.length; i++) {
    if (lines[i] !== want[0] || !matchesAt(i)) continue;
    const sameContext =
      contextHash !== undefined &&
      makeAnchor(fileText, i + 1, i + want.length, { file: anchor.file }).fingerprint?.split(':')[1] === contextHash;
    const score = Math.abs(i - old) - (sameContext ? 1e9 : 0);
    if (!best || score < best.score) best = { at: i, score };
  }
  return best ? { startLine: best.at + 1, endLine: best.at + want.length } : null;
}

const LANGUAGES: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  jsx: 'javascriptreact',
  mjs: 'javascript',
  cjs: 'javascript',
  py: 'python',
  rs: 'rust',
  go: 'go',
  java: 'java',
  kt: 'kotlin',
  cs: 'csharp',
  c: 'c',
  h: 'c',
  cpp: 'cpp',
  hpp: 'cpp',
  rb: 'ruby',
  php: 'php',
  swift: 'swift',
  sh: 'shellscript',
  sql: 'sql',
  md: 'markdown',
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  html: 'html',
  css: 'css',
  scss: 'scss',
  vue: 'vue',
  svelte: 'svelte',
  toml: 'toml',
  xml: 'xml',
};

/** VS Code's language id for a file name, by extension (for anchors made outside VS Code). */
export function languageOf(file: string): string | undefined {
  const ext = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
  return ext ? LANGUAGES[ext] : undefined;
}

/** The source anchor stored in a memory's context_snapshot, when it holds one. */
export function parseAnchor(snapshot: string | null): SourceAnchor | undefined {
  if (!snapshot) return undefined;
  try {
    const a = JSON.parse(snapshot) as Partial<SourceAnchor>;
    return typeof a.file === 'string' && typeof a.startLine === 'number' ? (a as SourceAnchor) : undefined;
  } catch {
    return undefined;
  }
}
