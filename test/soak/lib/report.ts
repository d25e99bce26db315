import { KNOWN_BUGS, type KnownBugId } from './knownBugs';

/** One invariant checked by a scenario. */
export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
  /** Set when a known bug in src/ makes this check fail today: reported, not counted. */
  knownBug?: KnownBugId;
}

/**
 * The checks of one scenario (or one unit-test case). A failed check fails the scenario,
 * except one tied to a known bug (listed in knownBugs.ts with its proposed fix): that one is
 * printed as "known bug" every run until src/ is fixed, then as "fixed?" so the entry is removed.
 */
export class Checks {
  readonly list: Check[] = [];
  readonly notes: string[] = [];

  ok(name: string, condition: unknown, detail?: string): boolean {
    this.list.push({ name, ok: Boolean(condition), ...(condition ? {} : detail !== undefined ? { detail } : {}) });
    return Boolean(condition);
  }

  /** A check that a known src/ bug currently breaks. */
  known(bug: KnownBugId, name: string, condition: unknown, detail?: string): boolean {
    this.list.push({
      name,
      ok: Boolean(condition),
      knownBug: bug,
      ...(condition ? {} : detail !== undefined ? { detail } : {}),
    });
    return Boolean(condition);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** Failures that count. */
  get failures(): Check[] {
    return this.list.filter((c) => !c.ok && !c.knownBug);
  }

  get knownFailures(): Check[] {
    return this.list.filter((c) => !c.ok && c.knownBug);
  }

  /** Known-bug checks that passed: the bug may be fixed (or was not triggered this run). */
  get knownPassing(): Check[] {
    return this.list.filter((c) => c.ok && c.knownBug);
  }
}

export interface ScenarioResult {
  name: string;
  summary: string;
  checks: Check[];
  notes: string[];
  ms: number;
  /** Set when the scenario itself crashed or timed out. */
  crashed?: string;
}

export function passed(r: ScenarioResult): boolean {
  return !r.crashed && r.checks.every((c) => c.ok || c.knownBug);
}

/** The lines printed for one scenario. */
export function formatResult(r: ScenarioResult): string[] {
  const lines = [
    `${r.name}: ${r.summary || '(no summary)'} — ${passed(r) ? 'ok' : 'FAILED'} (${(r.ms / 1000).toFixed(1)} s)`,
  ];
  if (r.crashed) lines.push(`  CRASHED: ${r.crashed}`);
  for (const c of r.checks.filter((c) => !c.ok && !c.knownBug))
    lines.push(`  FAIL ${c.name}${c.detail ? `: ${c.detail}` : ''}`);
  const known = new Map<string, Check[]>();
  for (const c of r.checks.filter((c) => !c.ok && c.knownBug))
    known.set(c.knownBug!, [...(known.get(c.knownBug!) ?? []), c]);
  for (const [id, cs] of known) {
    lines.push(
      `  known bug ${id} (not counted; ${KNOWN_BUGS[id as KnownBugId].title}): ${cs.length} check(s), e.g. ${cs[0].name}${cs[0].detail ? ` — ${cs[0].detail}` : ''}`,
    );
  }
  const fixed = [
    ...new Set(r.checks.filter((c) => c.ok && c.knownBug && !known.has(c.knownBug)).map((c) => c.knownBug!)),
  ];
  for (const id of fixed)
    lines.push(
      `  known bug ${id}: its checks passed this run (fixed, or not triggered): update test/soak/lib/knownBugs.ts if fixed`,
    );
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines;
}

/** 8412 → "8,412". */
export const n = (x: number): string => x.toLocaleString('en-US');

export function ms(x: number): string {
  return x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(1)} s`;
}
