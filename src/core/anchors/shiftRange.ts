/** A 0-based, inclusive line range. */
export interface LineRange {
  start: number;
  end: number;
}

/** One content change of an editor, in the coordinates of the text before it (0-based lines and characters). */
export interface TextEdit {
  startLine: number;
  startChar: number;
  endLine: number;
  endChar: number;
  text: string;
}

const newlines = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

/**
 * The range after one edit, as Bookmarks-style trackers do: an edit wholly above it (ending at
 * the start of its first line counts as above: typing Enter at column 0 pushes it down) shifts
 * it; an edit inside or across it grows or shrinks its end; an edit below leaves it. The range
 * keeps at least one line.
 */
export function shiftRange(r: LineRange, e: TextEdit): LineRange {
  const delta = newlines(e.text) - (e.endLine - e.startLine);
  const endsAtItsStart = e.endLine === r.start && e.endChar === 0;
  const above =
    e.endLine < r.start || (endsAtItsStart && (e.startLine < r.start || (e.startChar === 0 && e.text.endsWith('\n'))));
  if (above) return { start: r.start + delta, end: r.end + delta };
  if (e.startLine > r.end) return r;
  // Overlapping: an edit that starts above the range takes its first lines with it.
  const start = Math.min(r.start, e.startLine);
  return { start, end: Math.max(start, r.end + delta) };
}

/**
 * The ranges after one change event. VS Code gives a change's edits in the coordinates of the
 * text before the event, so they are applied bottom-up (each leaves the lines above it as they were).
 */
export function shiftRanges<T extends LineRange>(ranges: readonly T[], edits: readonly TextEdit[]): T[] {
  const sorted = [...edits].sort((a, b) => b.startLine - a.startLine || b.startChar - a.startChar);
  return ranges.map((r) => {
    let cur: LineRange = r;
    for (const e of sorted) cur = shiftRange(cur, e);
    return cur.start === r.start && cur.end === r.end ? r : { ...r, start: cur.start, end: cur.end };
  });
}
