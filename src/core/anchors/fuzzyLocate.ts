import { similarity } from './similarity';

export interface FuzzyMatch {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** 0–1, see similarity(). */
  similarity: number;
}

/** Longer snippets are only found verbatim: aligning them costs more than it tells. */
export const MAX_FUZZY_LINES = 400;
/** Candidate places scored per snippet: bounds the work whatever the file. */
const MAX_CANDIDATES = 24;
/** A line seen more often than this in the file (`}`, `return;`) says nothing about where the snippet is. */
const MAX_OCCURRENCES = 40;
const MIN_LINE_CHARS = 4;

interface Hints {
  /** 0-based lines where the snippet is expected (stored line, git-mapped line). */
  near: number[];
  context?: { before: string[]; after: string[] };
}

/**
 * The best place for a snippet that is no longer in the file verbatim. `lines` and `want` are
 * whitespace-normalised. Candidate starts come from votes: every distinctive snippet line found
 * in the file votes for the start it implies, so do the stored context lines and the hints.
 * Each of the best candidates is aligned (LCS of lines, in a window a little larger than the
 * snippet) and scored by token similarity. Work: one pass over the file plus
 * MAX_CANDIDATES × O(snippet²); null for empty or over-long snippets.
 */
export function fuzzyLocate(lines: readonly string[], want: readonly string[], hints: Hints): FuzzyMatch | null {
  const n = want.length;
  if (n === 0 || n > MAX_FUZZY_LINES || lines.length === 0) return null;
  const votes = new Map<number, number>();
  const vote = (start: number, weight: number) => {
    if (start > -n && start < lines.length) votes.set(start, (votes.get(start) ?? 0) + weight);
  };
  const where = new Map<string, number[]>(); // distinctive line → its offsets within the pattern
  const addPattern = (line: string, offset: number) => {
    if (line.length < MIN_LINE_CHARS) return;
    const at = where.get(line);
    if (at) at.push(offset);
    else where.set(line, [offset]);
  };
  want.forEach((l, k) => addPattern(l, k));
  const before = hints.context?.before ?? [];
  const after = hints.context?.after ?? [];
  before.forEach((l, i) => addPattern(l, i - before.length)); // line before the start: offset -1, -2
  after.forEach((l, i) => addPattern(l, n + i));
  const seen = new Map<string, number>();
  for (let j = 0; j < lines.length; j++) {
    const offsets = where.get(lines[j]);
    if (!offsets) continue;
    const count = (seen.get(lines[j]) ?? 0) + 1;
    seen.set(lines[j], count);
    if (count > MAX_OCCURRENCES) continue;
    for (const k of offsets) vote(j - k, k < 0 || k >= n ? 0.5 : 1);
  }
  for (const h of hints.near) vote(Math.max(0, Math.min(h, lines.length - 1)), 0.75);

  const near = hints.near[0] ?? 0;
  const candidates = [...votes]
    .sort((a, b) => b[1] - a[1] || Math.abs(a[0] - near) - Math.abs(b[0] - near))
    .slice(0, MAX_CANDIDATES);
  const text = want.join('\n');
  let best: (FuzzyMatch & { distance: number }) | null = null;
  for (const [start] of candidates) {
    const [s, e] = align(lines, want, start);
    const score = similarity(text, lines.slice(s, e + 1).join('\n'));
    const distance = Math.abs(s - near);
    if (
      !best ||
      score > best.similarity + 1e-9 ||
      (Math.abs(score - best.similarity) <= 1e-9 && distance < best.distance)
    ) {
      best = { startLine: s + 1, endLine: e + 1, similarity: score, distance };
    }
  }
  return best && { startLine: best.startLine, endLine: best.endLine, similarity: best.similarity };
}

/**
 * The 0-based inclusive range the snippet covers when it starts near `start`: lines matched by
 * an LCS in a window around it, widened by the unmatched snippet lines at either end (edited
 * first or last lines stay part of it). Without any matched line: n lines from `start`.
 */
function align(lines: readonly string[], want: readonly string[], start: number): [number, number] {
  const n = want.length;
  const slack = Math.max(3, Math.ceil(n / 4));
  const lo = Math.max(0, start - slack);
  const hi = Math.min(lines.length, start + n + slack);
  const m = hi - lo;
  // LCS table over want × window, as rows of lengths (n and m are bounded, see MAX_FUZZY_LINES)
  const dp: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i][j] = want[i] === lines[lo + j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    }
  }
  let first = -1,
    firstK = 0,
    last = -1,
    lastK = 0;
  for (let i = 0, j = 0; i < n && j < m;) {
    if (want[i] === lines[lo + j] && dp[i][j] === dp[i + 1][j + 1] + 1) {
      if (first < 0) {
        first = lo + j;
        firstK = i;
      }
      last = lo + j;
      lastK = i;
      i++;
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
    else j++;
  }
  const clamp = (x: number) => Math.max(0, Math.min(lines.length - 1, x));
  if (first < 0) return [clamp(start), clamp(start + n - 1)];
  return [clamp(first - firstK), clamp(last + (n - 1 - lastK))];
}
