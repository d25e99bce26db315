/** Public API of secret detection: scanning, redaction, messages (see docs/secrets.md). */
import { KINDS, type Candidate, type RedactionResult, type SecretFinding, type SecretKind } from './kinds';
import { nameLabel, secretNameClass } from './names';
import { findAssignments } from './assignments';
import { runPatternRules } from './patterns';
import { findPrivateKeys } from './pem';
import { secretlintCandidates } from './secretlint';

/** First 4 characters (a third of values under 12 characters, so short passwords stay hidden). */
function preview(value: string): string {
  let k = Math.min(4, Math.floor(value.length / 3));
  const c = value.charCodeAt(k - 1);
  if (k > 0 && c >= 0xd800 && c <= 0xdbff) k--; // never split a surrogate pair
  return value.slice(0, k) + '…';
}

/** Keeps the highest-priority candidate among overlapping ones (longer on ties). */
function resolveOverlaps(cands: Candidate[]): Candidate[] {
  cands.sort((a, b) => a.start - b.start || KINDS[b.kind].priority - KINDS[a.kind].priority || b.end - a.end);
  const kept: Candidate[] = [];
  for (const c of cands) {
    const last = kept[kept.length - 1];
    if (!last || c.start >= last.end) kept.push(c);
    else if (
      KINDS[c.kind].priority > KINDS[last.kind].priority ||
      (KINDS[c.kind].priority === KINDS[last.kind].priority && c.end - c.start > last.end - last.start)
    ) {
      kept[kept.length - 1] = c;
    }
  }
  return kept;
}

function ownCandidates(text: string): Candidate[] {
  const cands: Candidate[] = [];
  findPrivateKeys(text, cands);
  runPatternRules(text, cands);
  findAssignments(text, cands);
  return cands;
}

function toFindings(text: string, cands: Candidate[]): SecretFinding[] {
  const findings: SecretFinding[] = [];
  let line = 1;
  let nextNewline = text.indexOf('\n');
  for (const c of resolveOverlaps(cands)) {
    while (nextNewline >= 0 && nextNewline < c.start) {
      line++;
      nextNewline = text.indexOf('\n', nextNewline + 1);
    }
    const f: SecretFinding = {
      kind: c.kind,
      start: c.start,
      end: c.end,
      line,
      preview: preview(text.slice(c.start, c.end)),
    };
    if (c.name !== undefined) f.name = c.name;
    findings.push(f);
  }
  return findings;
}

/**
 * DevStream's own layer only (vendor shapes, PEM blocks, assignments), synchronous. What stores
 * or sends text uses scanSecrets, which adds secretlint's rules.
 */
export function detectSecrets(text: string): SecretFinding[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  return toFindings(text, ownCandidates(text));
}

/**
 * Finds likely secrets in `text` with both layers (DevStream's and secretlint's recommended
 * preset), sorted by offset, without overlaps. Should secretlint fail to load or throw, the own
 * layer's findings still come back: a scan never fails.
 */
export async function scanSecrets(text: string): Promise<SecretFinding[]> {
  if (typeof text !== 'string' || text.length === 0) return [];
  const cands = ownCandidates(text);
  try {
    // Where both layers report the same kind, the own span (the value only) is kept.
    const overlapsOwn = (c: Candidate) => cands.some((o) => o.kind === c.kind && o.start < c.end && c.start < o.end);
    cands.push(...(await secretlintCandidates(text)).filter((c) => !overlapsOwn(c)));
  } catch {
    // Own findings only; the own layer covers every family secretlint does, less precisely.
  }
  return toFindings(text, cands);
}

/** scanSecrets then redactSecrets: the text with every likely secret replaced. */
export async function redactAllSecrets(text: string): Promise<RedactionResult> {
  return redactSecrets(text, await scanSecrets(text));
}

/**
 * Replaces each finding's value with `[REDACTED:<kind>]`, leaving everything else as it was.
 * Findings may come in any order; overlapping or out-of-range ones are skipped.
 */
export function redactSecrets(text: string, findings: readonly SecretFinding[] = detectSecrets(text)): RedactionResult {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: string[] = [];
  const kinds: SecretKind[] = [];
  let pos = 0;
  let redacted = 0;
  for (const f of sorted) {
    if (f.start < pos || f.end > text.length || f.end <= f.start) continue;
    parts.push(text.slice(pos, f.start), `[REDACTED:${f.kind}]`);
    pos = f.end;
    redacted++;
    if (!kinds.includes(f.kind)) kinds.push(f.kind);
  }
  parts.push(text.slice(pos));
  return { text: parts.join(''), redacted, kinds };
}

/** Human label of one finding: "GitHub token", "password", "API key"… */
export function findingLabel(f: Pick<SecretFinding, 'kind' | 'name'>): string {
  if (f.kind === 'password-assignment' && f.name !== undefined) return nameLabel(secretNameClass(f.name), f.name);
  return KINDS[f.kind]?.label ?? f.kind;
}

/**
 * A short message for prompts and logs:
 * "2 likely secrets (GitHub token on line 3, password on line 7)".
 */
export function describeFindings(findings: readonly SecretFinding[], maxListed = 5): string {
  if (findings.length === 0) return 'No likely secrets';
  const sorted = [...findings].sort((a, b) => a.start - b.start);
  const listed = sorted.slice(0, maxListed).map((f) => `${findingLabel(f)} on line ${f.line}`);
  if (sorted.length > maxListed) listed.push(`${sorted.length - maxListed} more`);
  const n = findings.length;
  return `${n} likely secret${n === 1 ? '' : 's'} (${listed.join(', ')})`;
}
