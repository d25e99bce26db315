/**
 * Bugs in src/ that these tests found and that are not fixed yet. A check tied to one of
 * them is printed ("known bug Bn") but does not fail the soak or `npm test` (node:test reports
 * it as TODO). When src/ is fixed, its checks pass and the runner says so: delete the entry
 * and the `bug` argument of those checks, so they guard against a regression.
 *
 * docs/reliability.md has the same list with the evidence.
 */
export interface KnownBug {
  title: string;
  where: string;
  fix: string;
}

/** None open: every defect found so far is fixed, and its checks guard against a regression. */
export const KNOWN_BUGS: Record<string, KnownBug> = {};

export type KnownBugId = string;
