/** Rough token count (≈ 4 characters per token): good enough to keep a reply inside a budget. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** What one result costs: its JSON, since that is what the model receives. */
export function costOf(entry: object): number {
  return estimateTokens(JSON.stringify(entry));
}

/** Below this much room, a cut-down result is more noise than help: stop instead. */
const MIN_TRUNCATED_TOKENS = 80;

export interface Budgeted<T> {
  included: T[];
  /** Tokens of the included entries. */
  tokens: number;
  /** Entries left out (after the truncated one, if any). */
  omitted: number;
  /** Id of the entry whose content was cut, if one was. */
  truncatedId?: string;
}

/**
 * Takes entries in rank order while they fit in maxTokens. The first one that does not fit is
 * cut to the room left (when that room is worth it, or when nothing fits whole) with a marker
 * saying where to read the rest; everything after it is left out.
 */
export function fitToBudget<T extends { id: string; content: string }>(
  entries: readonly T[],
  maxTokens: number,
  rest: (e: T) => string,
): Budgeted<T> {
  const included: T[] = [];
  let tokens = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const cost = costOf(e);
    if (tokens + cost <= maxTokens) {
      included.push(e);
      tokens += cost;
      continue;
    }
    const room = maxTokens - tokens;
    if (included.length === 0 || room >= MIN_TRUNCATED_TOKENS) {
      const cut = truncateEntry(e, room, rest(e));
      included.push(cut);
      tokens += costOf(cut);
      return { included, tokens, omitted: entries.length - i - 1, truncatedId: e.id };
    }
    return { included, tokens, omitted: entries.length - i };
  }
  return { included, tokens, omitted: 0 };
}

/** The entry with its content shortened (on a line end when one is near) so the whole fits `room`. */
export function truncateEntry<T extends { content: string }>(
  e: T,
  room: number,
  restHint: string,
): T & { truncated: true } {
  const content = e.content;
  const make = (keep: number) => {
    let text = content.slice(0, keep);
    const nl = text.lastIndexOf('\n');
    if (nl > keep * 0.8) text = text.slice(0, nl);
    const shown = `${text.length} of ${content.length} characters shown`;
    const marker = `${text.length > 0 ? '\n' : ''}… [truncated: ${shown}; ${restHint}]`;
    return { ...e, content: text + marker, truncated: true as const };
  };
  // JSON escaping makes the cost hard to predict: start from the estimate and shrink until it fits.
  let keep = Math.max(0, room * 4 - JSON.stringify({ ...e, content: '' }).length - 120);
  let cut = make(keep);
  while (keep > 0 && costOf(cut) > room) {
    keep = Math.floor(keep * 0.9) - 1;
    cut = make(Math.max(0, keep));
  }
  return cut;
}
