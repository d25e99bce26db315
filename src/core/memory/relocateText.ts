import { makeAnchor, relocate } from './anchor';
import type { SourceAnchor } from './types';

export interface Relocation {
  startLine: number;
  endLine: number;
  /** 'same': still at the anchored lines; 'moved': found elsewhere. */
  how: 'same' | 'moved';
  /** The lines around it match the ones recorded: the same place, only shifted. */
  sameSurroundings: boolean;
}

const REDACTED = /\[REDACTED:[a-z0-9-]+\]/;

/** Longer text is not searched as a pattern (a full-line match still works). */
const MAX_PATTERN_CHARS = 20_000;

/**
 * Where a memory's snippet is now in the file. Whole-line snippets go through relocate()
 * (line by line, whitespace-insensitive); a snippet that starts or ends mid-line (a partial
 * selection, or one with redacted secrets) is found as whitespace-insensitive text. Null when
 * it is not in the file.
 */
export function relocateSnippet(fileText: string, anchor: SourceAnchor, snippet: string): Relocation | null {
  const found = relocate(fileText, anchor, snippet) ?? findText(fileText, anchor, snippet);
  if (!found) return null;
  const how = found.startLine === anchor.startLine && found.endLine === anchor.endLine ? 'same' : 'moved';
  const context = (a: SourceAnchor | undefined) => a?.fingerprint?.split(':')[1];
  const now = makeAnchor(fileText, found.startLine, found.endLine, { file: anchor.file });
  return { ...found, how, sameSurroundings: context(anchor) === undefined || context(anchor) === context(now) };
}

function findText(
  fileText: string,
  anchor: SourceAnchor,
  snippet: string,
): { startLine: number; endLine: number } | null {
  const words = snippet.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || snippet.length > MAX_PATTERN_CHARS) return null;
  // A redacted value ([REDACTED:kind], never holding whitespace) stands for whatever is in the file.
  const word = (w: string) =>
    w
      .split(REDACTED)
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\S+?');
  const pattern = new RegExp(words.map(word).join('\\s+'), 'g');
  const lineStarts = [0];
  for (let i = fileText.indexOf('\n'); i !== -1; i = fileText.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineAt = (offset: number) => {
    let lo = 0,
      hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  let best: { startLine: number; endLine: number; distance: number } | null = null;
  for (const m of fileText.matchAll(pattern)) {
    const startLine = lineAt(m.index);
    const endLine = lineAt(m.index + Math.max(0, m[0].length - 1));
    const distance = Math.abs(startLine - anchor.startLine);
    if (!best || distance < best.distance) best = { startLine, endLine, distance };
  }
  return best && { startLine: best.startLine, endLine: best.endLine };
}
