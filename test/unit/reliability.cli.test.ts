/**
 * Reliability, CLI-driven parts (child processes on real files; the soak runner,
 * test/soak/run.ts, runs the same code with counts): corrupt or foreign files at the database
 * path (soak scenario 3), hostile captures through `devstream memory add` (7), and a table of
 * bad invocations (8). Known src/ bugs run as TODO subtests (see reliability.test.ts).
 */
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { tempDir } from '../helpers/tmp';
import { BAD_INVOCATIONS, checkInvocation, memoryCount, prepareCliFolder } from '../soak/scenarios/cliArgs';
import { checkCorruptCase, CORRUPT_CASES, makeRealDatabase } from '../soak/scenarios/corrupt';
import { checkFileCase, FILE_CASES } from '../soak/scenarios/hostileCapture';
import { Checks } from '../soak/lib/report';
import { openStore } from '../../src/core/db/open';
import { settle } from '../soak/lib/settle';

describe('reliability: corrupt or foreign files at the database path (soak scenario 3)', { concurrency: 2 }, () => {
  let dir = '';
  let real: Buffer = Buffer.alloc(0);
  before(() => {
    dir = tempDir();
    real = makeRealDatabase(path.join(dir, 'real.db'), 150, 3);
  });
  for (const c of CORRUPT_CASES) {
    it(
      `${c.name}: refused at open with DevStreamError, untouched; doctor --repair moves it aside intact`,
      { timeout: 120_000 },
      async (t) => {
        const checks = new Checks();
        await checkCorruptCase(checks, dir, real, c);
        await settle(t, checks);
      },
    );
  }
});

describe('reliability: hostile captures through `devstream memory add` (soak scenario 7)', { concurrency: 2 }, () => {
  for (const c of FILE_CASES) {
    it(`${c.name}${c.args ? ' ' + c.args.join(' ') : ''}`, { timeout: 120_000 }, async (t) => {
      const dir = tempDir();
      const db = path.join(dir, 'capture.db');
      openStore(db).close();
      const checks = new Checks();
      await checkFileCase(checks, dir, db, c);
      await settle(t, checks);
    });
  }
});

describe('reliability: bad CLI invocations (soak scenario 8)', { concurrency: 2 }, () => {
  for (const inv of BAD_INVOCATIONS) {
    it(
      `devstream ${inv.args.join(' ').slice(0, 80)} → exit ${inv.code}, ${inv.stderr}`,
      { timeout: 60_000 },
      async (t) => {
        const dir = tempDir();
        prepareCliFolder(dir);
        const checks = new Checks();
        await checkInvocation(checks, dir, inv);
        checks.ok('no memory was written to d.db', memoryCount(path.join(dir, 'd.db')) === 1);
        await settle(t, checks);
      },
    );
  }
});
