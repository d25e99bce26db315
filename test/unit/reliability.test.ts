/**
 * Reliability, in-process parts (the soak runner, test/soak/run.ts, runs the same code longer
 * and with counts): hostile search input (soak scenario 6), hostile captures through
 * MemoryRepository (7), a short crashed import (2), and the parts of 4 and 5 that need no
 * mount or network (disk full via PRAGMA max_page_count; a read-only file via chattr +i when
 * run as root; the embedding queue's skip rule with a fake provider). CLI-driven parts are in
 * reliability.cli.test.ts.
 *
 * A check that a known src/ bug breaks (test/soak/lib/knownBugs.ts) runs as a TODO subtest:
 * reported on every run, not failing `npm test`, passing once the bug is fixed.
 */
import path from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../../src/core/db/open';
import { openTempStore, tempDir } from '../helpers/tmp';
import { chattr } from '../soak/lib/mounts';
import { crashImport } from '../soak/scenarios/crash';
import { diskFull, immutableFile } from '../soak/scenarios/diskErrors';
import { flakyProviderCase } from '../soak/scenarios/embeddingFaults';
import { checkCoreCase, checkLongRunScaling, checkTruncation, CORE_CASES } from '../soak/scenarios/hostileCapture';
import {
  checkLongAdvancedQuery,
  checkOutcome,
  runHostileQueries,
  seedSearchStore,
} from '../soak/scenarios/hostileSearch';
import { hostileQueries } from '../soak/lib/hostileText';
import { checkIndex } from '../soak/lib/invariants';
import { Checks } from '../soak/lib/report';
import { settle } from '../soak/lib/settle';

describe('reliability: hostile search input (soak scenario 6)', () => {
  it('1,000 generated queries through hybridSearch (all modes) and keywordSearch (plain, prefix, advanced): no unexpected exception', async (t) => {
    const checks = new Checks();
    const { store, embedder } = await seedSearchStore(path.join(tempDir(), 'search.db'), 1, 200);
    try {
      const outcome = await runHostileQueries(store, embedder, hostileQueries(2, 1_000));
      checkOutcome(checks, outcome, 5_000);
      checks.ok(
        'advanced mode refused some syntax (the generator produces invalid FTS5)',
        outcome.invalidSyntax > 0,
        `${outcome.invalidSyntax}`,
      );
      checkLongAdvancedQuery(checks, store);
      checkIndex(checks, 'after the queries', store);
    } finally {
      store.close();
    }
    await settle(t, checks);
  });
});

describe('reliability: hostile captures through MemoryRepository.add (soak scenario 7)', () => {
  const store = openTempStore();
  for (const c of CORE_CASES) {
    it(c.name, async (t) => {
      const checks = new Checks();
      checkCoreCase(checks, store, c);
      await settle(t, checks);
    });
  }
  it('truncateToBytes cuts long captures to ≤ 1 MB of whole characters, and they save intact', async (t) => {
    const checks = new Checks();
    checkTruncation(checks, store);
    await settle(t, checks);
  });
  it('saving a long run of lowercase hex costs linear time', async (t) => {
    const checks = new Checks();
    checkLongRunScaling(checks, store);
    await settle(t, checks);
  });
  it('the index stays in sync through all of it', async (t) => {
    const checks = new Checks();
    checkIndex(checks, 'after the captures', store);
    await settle(t, checks);
  });
});

describe('reliability: a crashed import (soak scenario 2, short)', () => {
  it(
    'a 3,000-memory CLI import SIGKILLed twice at seeded moments: consistent after each kill, exact once completed, idempotent',
    { timeout: 180_000 },
    async (t) => {
      const checks = new Checks();
      const dir = tempDir();
      await crashImport({ dir, memories: 3_000, kills: 2, seed: 7, checks });
      const store = openStore(path.join(dir, 'target-1', 'devstream.db'));
      try {
        checkIndex(checks, 'the imported database', store);
      } finally {
        store.close();
      }
      await settle(t, checks);
    },
  );
});

describe('reliability: disk and permission errors without a mount (soak scenario 4, part)', () => {
  it('disk full (PRAGMA max_page_count): the failed write leaves nothing, the database stays consistent and readable, writes resume', async (t) => {
    const checks = new Checks();
    await diskFull(checks, tempDir(), false, 5);
    await settle(t, checks);
  });

  const probe = path.join(tempDir(), 'probe');
  openStore(probe).close();
  const canChattr = process.getuid?.() === 0 && chattr('+i', probe).ok && chattr('-i', probe).ok;
  it(
    'a file even root cannot write (chattr +i): writes fail clearly, nothing changes, reads and CLI search work',
    { skip: canChattr ? false : 'needs root and chattr' },
    async (t) => {
      const checks = new Checks();
      await immutableFile(checks, tempDir());
      await settle(t, checks);
    },
  );
});

describe('reliability: embedding provider faults without a network (soak scenario 5, part)', () => {
  it('memories a flaky provider refused get their vector once it behaves', async (t) => {
    const checks = new Checks();
    const store = openTempStore();
    await flakyProviderCase(checks, store);
    checkIndex(checks, 'after the queue', store);
    await settle(t, checks);
  });
});
