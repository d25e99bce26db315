/** For the node:test suites (test/unit/reliability*.test.ts) only: the soak runner does not load node:test. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { KNOWN_BUGS, type KnownBugId } from './knownBugs';
import type { Check, Checks } from './report';

/**
 * Turns a scenario's checks into test results: every check tied to a known src/ bug becomes a
 * TODO subtest (reported, not failing, until the bug is fixed); any other failed check fails the test.
 */
export async function settle(t: TestContext, checks: Checks): Promise<void> {
  const byBug = new Map<KnownBugId, Check[]>();
  for (const c of checks.list) if (c.knownBug) byBug.set(c.knownBug, [...(byBug.get(c.knownBug) ?? []), c]);
  for (const [id, list] of byBug) {
    const bug = KNOWN_BUGS[id];
    await t.test(`known bug ${id}: ${bug.title}`, { todo: `${bug.where} — see test/soak/lib/knownBugs.ts` }, () => {
      assert.deepEqual(
        list.filter((c) => !c.ok).map((c) => `${c.name}${c.detail ? ` — ${c.detail}` : ''}`),
        [],
      );
    });
  }
  assert.deepEqual(
    checks.failures.map((c) => `${c.name}${c.detail ? ` — ${c.detail}` : ''}`),
    [],
    'failed checks',
  );
}
