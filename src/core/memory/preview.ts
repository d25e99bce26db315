/**
 * Short, human labels for a memory (tree rows, search titles): pure text helpers.
 */

/** Lines that carry no meaning on their own: blank, lone brackets, comment or fence markers. */
const NOISE = /^(?:[{}()[\];,]+|\/\*+|\*+\/|\/\/+|#+|--+|<!--|-->|```\w*|~~~\w*|"""|'''|\*+)$/;
/** Comment and list markers stripped from the start of the line shown. */
const LEADER = /^(?:\/\/+|\/\*+|\*+|#+(?!\w)|--|<!--|>|[-+] )\s*/;

/** The first meaningful line, trimmed and cut to max characters (with an ellipsis). */
export function previewLine(content: string, max = 80): string {
  let chosen = '';
  for (const raw of content.split(/\r?\n/, 200)) {
    const line = raw.trim();
    if (!line || NOISE.test(line)) continue;
    chosen =
      line
        .replace(LEADER, '')
        .replace(/\s*(?:\*\/|-->)\s*$/, '')
        .trim() || line;
    break;
  }
  if (!chosen)
    chosen = content
      .trim()
      .slice(0, max * 2)
      .replace(/\s+/g, ' ');
  chosen = chosen.replace(/\s+/g, ' ');
  return chosen.length > max ? chosen.slice(0, max - 1).trimEnd() + '…' : chosen;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago", then the date; SQLite UTC timestamps. */
export function age(createdAt: string, now = Date.now()): string {
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(createdAt) ? createdAt : createdAt.replace(' ', 'T') + 'Z');
  if (Number.isNaN(t)) return createdAt;
  const s = Math.max(0, (now - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 86400 * 30) return `${Math.floor(s / 86400)} d ago`;
  return new Date(t).toISOString().slice(0, 10);
}

/** Keywords typed by a user: split on commas and whitespace, blanks dropped. */
export function parseKeywordInput(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((k) => k.trim())
    .filter(Boolean);
}
