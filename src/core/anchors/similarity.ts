/** Whitespace-insensitive form of a line: what every comparison of code lines uses. */
export const normLine = (line: string): string => line.trim().replace(/\s+/g, ' ');

const TOKEN = /\w+|[^\s\w]/g;
/** Brackets and commas are everywhere in code: they count a quarter, so rewritten code does not look alike. */
const PUNCTUATION_WEIGHT = 0.25;
const weightOf = (t: string) => (/^\w/.test(t) ? 1 : PUNCTUATION_WEIGHT);

function tokenCounts(text: string): { counts: Map<string, number>; total: number } {
  const counts = new Map<string, number>();
  let total = 0;
  for (const m of text.matchAll(TOKEN)) {
    counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    total += weightOf(m[0]);
  }
  return { counts, total };
}

/**
 * How alike two pieces of code are, 0–1: the Dice coefficient of their tokens (words and
 * punctuation, as weighted multisets). Whitespace does not count; a renamed identifier or one changed
 * line out of ten costs a little, a rewrite costs nearly everything.
 */
export function similarity(a: string, b: string): number {
  const x = tokenCounts(a);
  const y = tokenCounts(b);
  if (x.total === 0 && y.total === 0) return 1;
  if (x.total === 0 || y.total === 0) return 0;
  let common = 0;
  for (const [t, n] of x.counts) common += Math.min(n, y.counts.get(t) ?? 0) * weightOf(t);
  return (2 * common) / (x.total + y.total);
}
