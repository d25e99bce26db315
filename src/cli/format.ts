/** A plain-text table with padded columns; long cells are cut with an ellipsis. */
export function table(rows: Record<string, unknown>[], columns: string[], maxWidth = 60): string {
  if (rows.length === 0) return '(none)';
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v).replace(/\s+/g, ' ');
    return s.length > maxWidth ? s.slice(0, maxWidth - 1) + '…' : s;
  };
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

/** Turns the search snippet's \u0002…\u0003 marks into [brackets] for a terminal. */
export function plainSnippet(snippet: string): string {
  return snippet.replace(/\u0002/g, '[').replace(/\u0003/g, ']').replace(/\s+/g, ' ').trim();
}

export function keyValues(obj: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(obj).map((k) => k.length));
  return Object.entries(obj)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k.padEnd(width)}  ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('\n');
}
