import { relocateSnippet } from '../memory/relocateText';
import { FRESHNESS_STATES, type Freshness, type FreshnessState, type SourceAnchor } from '../memory/types';
import { looksBinary } from '../memory/validate';
import { fuzzyLocate } from './fuzzyLocate';
import { normLine } from './similarity';

/** Below this similarity the best match is not the same code any more: the memory is `lost`. */
export const LOST_BELOW = 0.5;
/** Files larger than this are not read to re-anchor (they are not source code anyone edits). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** The outcome of one check: the state, and where the code is now (the stored lines when not found). */
export interface AnchorCheck {
  state: FreshnessState;
  similarity: number;
  startLine: number;
  endLine: number;
  reason?: string;
}

/** What a file is, to a check: its text, or why there is none. */
export type FileRead = { text: string } | { missing: string } | { unreadable: string };

/** Where the snippet was saved: `moved` is measured from this line. */
export const savedLineOf = (a: SourceAnchor): number => a.savedLine ?? a.startLine;

/**
 * Checks a memory's anchor against the file as it is: verbatim at its lines (or at the saved
 * place) is `fresh`, verbatim elsewhere `moved`, similar enough `changed` (with the similarity),
 * else `lost`; no file `file-missing`. `nearLine` is an extra hint (a line mapped through git diff).
 * Never throws: every odd input is a state with a reason.
 */
export function checkAnchor(file: FileRead, anchor: SourceAnchor, content: string, nearLine?: number): AnchorCheck {
  const here = { startLine: anchor.startLine, endLine: anchor.endLine };
  if ('missing' in file) return { state: 'file-missing', similarity: 0, ...here, reason: file.missing };
  if ('unreadable' in file) return { state: 'lost', similarity: 0, ...here, reason: file.unreadable };
  const text = file.text;
  if (looksBinary(text.slice(0, 65536)))
    return { state: 'lost', similarity: 0, ...here, reason: 'the file is binary now' };
  const exact = relocateSnippet(text, anchor, content);
  if (exact) {
    const saved = savedLineOf(anchor);
    const state = exact.startLine === saved ? 'fresh' : 'moved';
    return { state, similarity: 1, startLine: exact.startLine, endLine: exact.endLine };
  }
  const want = content.split(/\r?\n/).map(normLine);
  while (want.length > 1 && want[want.length - 1] === '') want.pop();
  const lines = text.split(/\r?\n/).map(normLine);
  const near = [anchor.startLine - 1, ...(nearLine !== undefined ? [nearLine - 1] : [])];
  const found = fuzzyLocate(lines, want, { near, context: anchor.context });
  if (!found || found.similarity < LOST_BELOW) {
    return { state: 'lost', similarity: found ? round(found.similarity) : 0, ...here };
  }
  // Not verbatim, so never 1: a changed memory must not read as an unchanged one.
  return {
    state: 'changed',
    similarity: Math.min(0.99, round(found.similarity)),
    startLine: found.startLine,
    endLine: found.endLine,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The anchor after a check: it follows the code (moved, changed), records the state, keeps its origin. */
export function applyCheck(
  anchor: SourceAnchor,
  check: AnchorCheck,
  checkedAt = new Date().toISOString(),
): SourceAnchor {
  const follows = check.state === 'moved' || check.state === 'changed' || check.state === 'fresh';
  const freshness: Freshness = {
    state: check.state,
    similarity: check.similarity,
    checkedAt,
    ...(check.reason ? { reason: check.reason } : {}),
  };
  const next: SourceAnchor = { ...anchor, freshness, savedLine: savedLineOf(anchor) };
  if (follows) Object.assign(next, { startLine: check.startLine, endLine: check.endLine });
  if (check.state === 'file-missing') next.missing = true;
  else delete next.missing;
  return next;
}

/**
 * The stored freshness of an anchor, checked (the column is JSON anyone may have written).
 * A file flagged deleted is `file-missing` even before any check; never checked: undefined.
 */
export function freshnessOf(anchor: SourceAnchor | undefined): Freshness | undefined {
  if (!anchor) return undefined;
  const f = anchor.freshness as Partial<Freshness> | undefined;
  const valid =
    f &&
    typeof f === 'object' &&
    (FRESHNESS_STATES as readonly unknown[]).includes(f.state) &&
    typeof f.similarity === 'number' &&
    f.similarity >= 0 &&
    f.similarity <= 1;
  if (anchor.missing && (!valid || f.state !== 'file-missing')) {
    return { state: 'file-missing', similarity: 0, checkedAt: valid ? String(f.checkedAt ?? '') : '' };
  }
  if (!valid) return undefined;
  return {
    state: f.state!,
    similarity: f.similarity!,
    checkedAt: String(f.checkedAt ?? ''),
    ...(typeof f.reason === 'string' ? { reason: f.reason } : {}),
  };
}

/** States that mean the memory may no longer describe the code (what `anchors --check` fails on). */
export const isStale = (s: FreshnessState): boolean => s === 'changed' || s === 'lost' || s === 'file-missing';

/** One line for people: "changed (72% alike)". */
export function describeFreshness(f: Pick<Freshness, 'state' | 'similarity'>): string {
  return f.state === 'changed' ? `changed (${Math.round(f.similarity * 100)}% alike)` : f.state;
}
