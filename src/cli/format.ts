import { MARK_END, MARK_START } from '../core/search/types';

/**
 * A plain-text table with padded columns; long cells are cut with an ellipsis. A `last` column
 * comes already formatted (it may hold colour codes): it is neither cut nor padded.
 */
export function table(rows: Record<string, unknown>[], columns: string[], maxWidth = 60, last?: string): string {
  if (rows.length === 0) return '(none)';
  const all = last ? [...columns, last] : columns;
  const cell = (v: unknown, c?: string) => {
    if (c !== undefined && c === last) return String(v ?? '');
    const s = v === null || v === undefined ? '' : String(v).replace(/\s+/g, ' ');
    return s.length > maxWidth ? s.slice(0, maxWidth - 1) + '…' : s;
  };
  const widths = all.map((c) => (c === last ? 0 : Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(all.map((c) => c.toUpperCase())), ...rows.map((r) => line(all.map((c) => cell(r[c], c))))].join('\n');
}

/** A snippet as plain text plus the [start, end) ranges of its matched terms, for JSON. */
export function splitHighlights(snippet: string): { snippet: string; highlights: [number, number][] } {
  let text = '';
  let start = -1;
  const highlights: [number, number][] = [];
  for (const ch of snippet) {
    if (ch === MARK_START) start = text.length;
    else if (ch === MARK_END) {
      if (start >= 0 && text.length > start) highlights.push([start, text.length]);
      start = -1;
    } else text += ch;
  }
  return { snippet: text, highlights };
}

const BOLD_YELLOW = '\u001b[1;33m';
const RESET = '\u001b[0m';

/**
 * A snippet on one line for a terminal, at most `width` visible characters: matched terms in
 * colour when `color`, else plain text (markers never reach the output).
 */
export function terminalSnippet(snippet: string, width: number, color: boolean): string {
  const flat = snippet.replace(/\s+/g, ' ').trim();
  let out = '';
  let visible = 0;
  let open = false;
  const total = [...flat].filter((c) => c !== MARK_START && c !== MARK_END).length;
  for (const ch of flat) {
    if (ch === MARK_START || ch === MARK_END) {
      open = ch === MARK_START;
      if (color) out += open ? BOLD_YELLOW : RESET;
      continue;
    }
    if (total > width && visible === width - 1) {
      out += '…';
      break;
    }
    out += ch;
    visible++;
  }
  return open && color ? out + RESET : out;
}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org); FORCE_COLOR forces it. */
export function useColor(stream: { isTTY?: boolean }, env = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function keyValues(obj: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(obj).map((k) => k.length));
  return Object.entries(obj)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k.padEnd(width)}  ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('\n');
}

/** "1 memory", "2 memories": counts in messages agree with their noun. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
