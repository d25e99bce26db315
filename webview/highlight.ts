// Pure text helpers of the search UI (no DOM): unit-tested in Node.

const MARK_START = '\u0002';
const MARK_END = '\u0003';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A search snippet as HTML: everything escaped FIRST, then the core's match markers
 * (\u0002 … \u0003, which escaping leaves alone) become <mark> elements. Unbalanced markers
 * are dropped so the result is always well-formed.
 */
export function snippetHtml(snippet: string): string {
  let open = false;
  let out = '';
  for (const part of escapeHtml(snippet).split(/([\u0002\u0003])/)) {
    if (part === MARK_START) {
      if (!open) out += '<mark>';
      open = true;
    } else if (part === MARK_END) {
      if (open) out += '</mark>';
      open = false;
    } else {
      out += part.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
    }
  }
  return open ? out + '</mark>' : out;
}

/** "auth.ts:12–18" for a result's source, or undefined for a note. */
export function sourceLabel(file: string | undefined, start?: number, end?: number): string | undefined {
  if (!file) return undefined;
  const base = file.split('/').pop() ?? file;
  if (start === undefined) return base;
  return end !== undefined && end !== start ? `${base}:${start}–${end}` : `${base}:${start}`;
}

/** The hover text with the scores behind a result's rank. */
export function scoreTitle(r: {
  score: number;
  keywordRank?: number;
  vectorRank?: number;
  distance?: number;
  file?: string;
}): string {
  const parts = [`RRF score ${r.score.toFixed(4)}`];
  parts.push(r.keywordRank !== undefined ? `keyword rank #${r.keywordRank}` : 'no keyword match');
  parts.push(
    r.vectorRank !== undefined
      ? `vector rank #${r.vectorRank}${r.distance !== undefined ? ` (cosine distance ${r.distance.toFixed(3)})` : ''}`
      : 'not in the vector results',
  );
  return (r.file ? `${r.file}\n` : '') + parts.join(' · ');
}

const stripMarks = (s: string) => s.replace(/[\u0002\u0003]/g, '');
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Head and body of a result. When the snippet starts with the memory's first meaningful
 * line (the title), that line becomes the head with its matches marked, and the body is the
 * rest; otherwise the head is the plain title and the body the whole snippet (marks never
 * span lines: FTS tokens hold no newline).
 */
export function splitSnippet(snippet: string, title: string): { titleHtml: string; bodyHtml: string } {
  const lines = snippet.split('\n');
  const first = lines.findIndex((l) => norm(stripMarks(l)) !== '');
  const want = norm(title.replace(/…$/, ''));
  if (first >= 0 && want && norm(stripMarks(lines[first])).includes(want)) {
    const body = lines
      .slice(first + 1)
      .join('\n')
      .replace(/^\s*\n/, '')
      .trimEnd();
    return { titleHtml: snippetHtml(lines[first].trim()), bodyHtml: snippetHtml(body) };
  }
  return { titleHtml: escapeHtml(title), bodyHtml: snippetHtml(snippet.trim()) };
}
