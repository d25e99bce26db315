import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../../src/core/db/open';
import type { Store } from '../../../src/core/db/store';
import { isDevStreamError } from '../../../src/core/errors';
import { MemoryRepository } from '../../../src/core/memory/memoryRepository';
import { hybridSearch } from '../../../src/core/search/hybridSearch';
import { keywordSearch } from '../../../src/core/search/keywordSearch';
import { exportJsonl } from '../../../src/core/transfer/exportJsonl';
import { IMPORT_BATCH_ROWS } from '../../../src/core/transfer/importJsonl';
import { randomUnitVector, seededRandom } from '../../helpers/random';
import { fileSha, firstLine, hasStackTrace, runCli, type ProcResult } from '../lib/env';
import { checkIndex } from '../lib/invariants';
import { chattr, mountTmpfs, remount, unmount } from '../lib/mounts';
import { n, type Checks } from '../lib/report';
import type { Scenario, ScenarioContext } from '../lib/scenario';

const MB = 1024 * 1024;
/** What SQLite or DevStream say when a file cannot be written. */
const CANNOT_WRITE = /read-?only|cannot write|permission/i;

function describeError(e: unknown): string {
  if (e === undefined) return 'no error';
  const err = e as Error & { code?: string };
  return `${err.name}${err.code ? ` ${err.code}` : ''}: ${err.message}`;
}

function cliLine(r: ProcResult): string {
  return `exit ${r.code}: ${JSON.stringify(firstLine(r.err || r.out, 140))}`;
}

/** A small database of n memories with a findable word, closed cleanly. */
function smallDb(file: string, count: number): void {
  const store = openStore(file);
  new MemoryRepository(store).addMany(
    Array.from({ length: count }, (_, i) => ({
      content: `readable memory ${i} about zebrafish retries`,
      contentType: 'context' as const,
    })),
  );
  store.close();
}

/** Hits in a CLI --json search output, or -1 when it is not a JSON list. */
function jsonHits(out: string): number {
  try {
    const v: unknown = JSON.parse(out);
    return Array.isArray(v) ? v.length : -1;
  } catch {
    return -1;
  }
}

function findable(store: Store): number {
  return keywordSearch(store, 'zebrafish', { limit: 200 }).length;
}

/** Probes whether this process may mount (CAP_SYS_ADMIN, not forbidden by the sandbox). */
export function canMount(dir: string): { ok: boolean; why?: string } {
  const probe = path.join(dir, 'mount-probe');
  fs.mkdirSync(probe, { recursive: true });
  const r = mountTmpfs(probe, MB);
  if (r.ok) unmount(probe);
  fs.rmSync(probe, { recursive: true, force: true });
  return r.ok ? { ok: true } : { ok: false, why: r.error };
}

/**
 * A full disk: a tmpfs of 16 MB (vec0 reserves ~3 MB per 1 024 vectors, written to the WAL too) (or, where mounting is
 * not allowed, PRAGMA max_page_count).
 * The write that does not fit fails with a message about space; nothing of it is written;
 * the database stays consistent and readable; the CLI says so without a stack trace; a failed
 * import leaves whole batches; and writes work again once space is freed.
 */
export async function diskFull(checks: Checks, dir: string, mount: boolean, seed: number): Promise<string> {
  const folder = path.join(dir, 'full');
  fs.mkdirSync(folder, { recursive: true });
  if (mount) {
    const m = mountTmpfs(folder, 16 * MB);
    checks.ok('mounts a 16 MB tmpfs', m.ok, m.error);
    if (!m.ok) return 'disk full: could not mount';
  }
  const db = path.join(folder, 'devstream.db');
  const ballast = path.join(folder, 'ballast.bin');
  const importFile = path.join(dir, 'import.jsonl'); // outside the small disk
  let store: Store | undefined;
  try {
    if (mount) fs.writeFileSync(ballast, Buffer.alloc(MB)); // freed later to show recovery
    store = openStore(db);
    const repo = new MemoryRepository(store);
    if (!mount)
      store.db.pragma(`max_page_count = ${(store.db.pragma('page_count', { simple: true }) as number) + 200}`);
    const rnd = seededRandom(seed);
    let before = 0;
    let failure: unknown;
    for (let i = 0; i < 20_000 && failure === undefined; i++) {
      before = repo.count();
      try {
        // one in ten with a vector: vec0 reserves space in large chunks, so mostly text fills the disk row by row
        const embedding =
          i % 10 === 0 ? { vector: randomUnitVector(rnd), model: 'soak-random-768', provider: 'test' } : undefined;
        repo.add({
          content: `disk filler ${i} zebrafish ${'x'.repeat(2000 + Math.floor(rnd() * 2000))}`,
          contentType: 'output',
          embedding,
        });
      } catch (e) {
        failure = e;
      }
    }
    const after = repo.count();
    checks.ok(
      'disk full: a write fails once the disk is full',
      failure !== undefined,
      `${after} memories written without an error`,
    );
    checks.ok(
      'disk full: the error says the disk is full',
      /full/i.test(describeError(failure)),
      describeError(failure),
    );
    checks.ok(
      "disk full: it is DevStreamError('unavailable') saying nothing was written",
      isDevStreamError(failure) && failure.code === 'unavailable' && /nothing was written/.test(failure.message),
      describeError(failure),
    );
    checks.ok(
      'disk full: nothing of the failed write is there (count before = after)',
      after === before,
      `${before} → ${after}`,
    );

    // an edit that does not fit: applied whole or not at all
    const victim = repo.list({ limit: 1 })[0];
    let editError: unknown;
    try {
      repo.update(victim.id, { content: `edited zebrafish ${'retry backoff jitter '.repeat(10_000)}` });
    } catch (e) {
      editError = e;
    }
    const now = repo.get(victim.id)!;
    checks.ok(
      'disk full: a failed edit changed nothing',
      editError === undefined ? now.content.startsWith('edited') : now.content === victim.content,
      describeError(editError),
    );
    checkIndex(checks, 'disk full', store);
    checks.ok('disk full: keyword search still works', findable(store) > 0);
    let hybridOk = false;
    try {
      hybridOk = (await hybridSearch(store, 'zebrafish filler', { mode: 'keyword', limit: 5 })).hits.length > 0;
    } catch (e) {
      checks.note(`hybridSearch on a full disk: ${describeError(e)}`);
    }
    checks.ok('disk full: hybridSearch still answers (its bookkeeping write is skipped)', hybridOk);

    // the CLI in another process (max_page_count limits only this connection: with it, there is no full disk for the
    // CLI)
    let cliSummary = 'not run (PRAGMA fallback)';
    let afterImport = after;
    if (mount) {
      const cli = await runCli(['--db', db, 'memory', 'add', '--no-embed'], {
        input: `cli zebrafish ${'retry backoff jitter '.repeat(15_000)}`,
      });
      checks.ok(
        'disk full: CLI memory add exits 1 without a stack trace',
        cli.code === 1 && !hasStackTrace(cli.err),
        cliLine(cli),
      );
      checks.ok('disk full: the CLI says the disk is full', /full/i.test(cli.err), cliLine(cli));
      checks.ok("disk full: the CLI says 'nothing was written'", /nothing was written/i.test(cli.err), cliLine(cli));
      checks.ok('disk full: the CLI wrote nothing', repo.count() === after);

      // an import that does not fit: its batch is undone whole
      const src = openStore(path.join(dir, 'import-source.db'));
      new MemoryRepository(src).addMany(
        Array.from({ length: 3000 }, (_, i) => ({
          content: `imported zebrafish ${i} ${'w'.repeat(1500)}`,
          contentType: 'context' as const,
        })),
      );
      fs.writeFileSync(importFile, [...exportJsonl(src)].join('\n') + '\n');
      src.close();
      const imp = await runCli(['--db', db, 'import', importFile]);
      afterImport = repo.count();
      checks.ok(
        'disk full: CLI import exits 1 without a stack trace, saying the disk is full',
        imp.code === 1 && !hasStackTrace(imp.err) && /full/i.test(imp.err),
        cliLine(imp),
      );
      // 3,000 rows of ~1.6 KB are one import batch (IMPORT_BATCH_ROWS, IMPORT_BATCH_BYTES): all or nothing
      checks.ok(
        'disk full: the failed import left nothing (its one batch is undone)',
        IMPORT_BATCH_ROWS >= 3000 && afterImport === after,
        `${after} → ${afterImport}`,
      );
      checkIndex(checks, 'disk full after the failed import', store);
      cliSummary = `CLI add ${cliLine(cli)}; failed import left ${n(afterImport - after)} rows`;
    } else {
      checks.note(
        "disk full without a mount: PRAGMA max_page_count limits only the test's own connection, so the CLI parts were not run",
      );
    }

    // space comes back
    let resumed = false;
    if (mount) {
      fs.rmSync(ballast);
      try {
        repo.add({ content: 'written after freeing space: zebrafish', contentType: 'learning' });
        resumed = true;
      } catch (e) {
        checks.note(`after freeing 1 MB: ${describeError(e)}`);
      }
    } else {
      store.db.pragma('max_page_count = 1073741823');
      repo.add({ content: 'written after raising max_page_count: zebrafish', contentType: 'learning' });
      resumed = true;
    }
    checks.ok('disk full: writes work again once space is freed', resumed);
    const total = repo.count();
    store.close();
    store = undefined;
    const reopened = openStore(db, { readonly: true });
    try {
      checks.ok('disk full: reopens read-only with every memory', new MemoryRepository(reopened).count() === total);
    } finally {
      reopened.close();
    }
    return (
      `disk full (${mount ? '16 MB tmpfs' : 'PRAGMA max_page_count'}): the write after ${n(before)} memories failed with "${firstLine(describeError(failure), 80)}", ` +
      `count ${n(before)} → ${n(after)}, integrity ok, reads ok; ${cliSummary}; writes resume after freeing space`
    );
  } finally {
    store?.close();
    if (mount) {
      const u = unmount(folder);
      checks.ok('disk full: unmounts the tmpfs', u.ok, u.error);
    }
  }
}

/** chattr +i: a file even root cannot write. */
export async function immutableFile(checks: Checks, dir: string): Promise<string> {
  const folder = path.join(dir, 'immutable');
  fs.mkdirSync(folder, { recursive: true });
  const db = path.join(folder, 'devstream.db');
  smallDb(db, 20);
  const sha = fileSha(db);
  const flag = chattr('+i', db);
  if (!flag.ok) {
    checks.note(`chattr +i is not available here (${flag.error}): the immutable-file case was not run`);
    return 'immutable file: not run (no chattr)';
  }
  let addError: unknown;
  let opened = 'refused';
  let cli: ProcResult | undefined;
  let search: ProcResult | undefined;
  try {
    let store: Store | undefined;
    let openError: unknown;
    try {
      store = openStore(db);
    } catch (e) {
      openError = e;
    }
    checks.ok(
      "immutable file: openStore says it cannot write (DevStreamError 'unavailable') or opens read-only with a notice",
      (isDevStreamError(openError) && openError.code === 'unavailable') ||
        (store?.notices.some((n) => /read-?only/i.test(n)) ?? false),
      openError ? describeError(openError) : 'opened for writing without a word',
    );
    if (store) {
      opened = store.notices.some((n) => /read-?only/i.test(n)) ? 'read-only with a notice' : 'for writing, silently';
      try {
        const repo = new MemoryRepository(store);
        const before = repo.count();
        try {
          repo.add({ content: 'cannot be written', contentType: 'context' });
        } catch (e) {
          addError = e;
        }
        checks.ok(
          'immutable file: a write fails saying the file cannot be written',
          CANNOT_WRITE.test(describeError(addError)),
          describeError(addError),
        );
        checks.ok(
          "immutable file: the write error is DevStreamError('unavailable')",
          isDevStreamError(addError) && addError.code === 'unavailable',
          describeError(addError),
        );
        checks.ok(
          'immutable file: nothing written, reads still work',
          repo.count() === before && findable(store) === 20,
        );
      } finally {
        store.close();
      }
    }
    cli = await runCli(['--db', db, 'memory', 'add', '--text', 'cli cannot write this']);
    checks.ok(
      'immutable file: CLI memory add exits 1 without a stack trace, saying it cannot write',
      cli.code === 1 && !hasStackTrace(cli.err) && CANNOT_WRITE.test(cli.err),
      cliLine(cli),
    );
    search = await runCli(['--json', '--db', db, 'search', 'zebrafish', '--mode', 'keyword', '--limit', '50']);
    checks.ok(
      'immutable file: CLI search still works',
      search.code === 0 && jsonHits(search.out) === 20,
      cliLine(search),
    );
  } finally {
    const off = chattr('-i', db);
    checks.ok('immutable file: the flag is cleared again', off.ok, off.error);
  }
  checks.ok('immutable file: the database file is byte for byte unchanged', fileSha(db) === sha);
  return `immutable file (chattr +i): opened ${opened}, write failed with "${firstLine(describeError(addError), 70)}", CLI add ${cli ? cliLine(cli) : '-'}, CLI search exit ${search?.code}`;
}

/** A read-only filesystem (tmpfs remounted ro): no write, but reading should still work. */
export async function readOnlyMount(checks: Checks, dir: string): Promise<string> {
  const folder = path.join(dir, 'readonly');
  fs.mkdirSync(folder, { recursive: true });
  const m = mountTmpfs(folder, 16 * MB);
  checks.ok('read-only media: mounts a tmpfs', m.ok, m.error);
  if (!m.ok) return 'read-only media: could not mount';
  const db = path.join(folder, 'devstream.db');
  let summary: string;
  try {
    smallDb(db, 20);
    const sha = fileSha(db);
    const ro = remount(folder, 'ro');
    checks.ok('read-only media: remounts it read-only', ro.ok, ro.error);
    let openError: unknown;
    let notices: readonly string[] = [];
    try {
      const s = openStore(db);
      notices = s.notices;
      s.close();
    } catch (e) {
      openError = e;
    }
    // Either refused in words, or opened read-only and saying so (never silently writable).
    checks.ok(
      "read-only media: opening for writing says it cannot write (DevStreamError 'unavailable', or a read-only notice)",
      (isDevStreamError(openError) && openError.code === 'unavailable' && /Cannot write/.test(openError.message)) ||
        notices.some((n) => /read-only/.test(n)),
      openError ? describeError(openError) : notices.join(' | ') || 'opened for writing without a word',
    );
    let readError: unknown;
    let found = 0;
    try {
      const r = openStore(db, { readonly: true });
      try {
        found = findable(r);
      } finally {
        r.close();
      }
    } catch (e) {
      readError = e;
    }
    checks.ok(
      'read-only media: the database can still be opened read-only and searched',
      found === 20,
      describeError(readError),
    );
    const add = await runCli(['--db', db, 'memory', 'add', '--text', 'cannot be written']);
    checks.ok(
      'read-only media: CLI memory add exits 1 without a stack trace, saying it cannot write',
      add.code === 1 && !hasStackTrace(add.err) && CANNOT_WRITE.test(add.err),
      cliLine(add),
    );
    const search = await runCli(['--json', '--db', db, 'search', 'zebrafish', '--mode', 'keyword', '--limit', '50']);
    checks.ok('read-only media: CLI search prints no stack trace', !hasStackTrace(search.err), cliLine(search));
    checks.ok('read-only media: CLI search still works', search.code === 0, cliLine(search));
    checks.ok('read-only media: the file is byte for byte unchanged', fileSha(db) === sha);
    summary = `read-only media (tmpfs remounted ro): open for writing → "${firstLine(describeError(openError), 80)}", read-only open → ${readError ? `"${firstLine(describeError(readError), 60)}"` : 'ok'}, CLI add ${cliLine(add)}, CLI search exit ${search.code}`;
  } finally {
    const u = unmount(folder);
    checks.ok('read-only media: unmounts the tmpfs', u.ok, u.error);
  }
  return summary;
}

/** As root, permissions do not apply: run the CLI as uid/gid 65534 (nobody) against root's 0644 file. */
export async function unprivileged(checks: Checks, dir: string): Promise<string> {
  if (process.getuid?.() !== 0) {
    checks.note('not running as root: the permission case uses this user, which may write its own files (not run)');
    return 'permissions: not run (not root)';
  }
  const folder = path.join(dir, 'perm');
  fs.mkdirSync(folder, { recursive: true });
  // the temp folders above are 0700: let uid 65534 walk through them (not list or write them)
  for (const up of [dir, path.dirname(dir)]) fs.chmodSync(up, fs.statSync(up).mode | 0o111);
  const db = path.join(folder, 'devstream.db');
  smallDb(db, 20);
  fs.chmodSync(db, 0o644);
  fs.chmodSync(folder, 0o755);
  const as = { uid: 65534, gid: 65534 };
  const probe = await runCli(['--help'], as);
  if (probe.code !== 0) {
    checks.note(`cannot run a child as uid 65534 here (${cliLine(probe)}): the permission case was not run`);
    return 'permissions: not run (cannot switch user)';
  }
  const sha = fileSha(db);
  const add = await runCli(['--db', db, 'memory', 'add', '--text', 'nobody may write this'], as);
  checks.ok(
    'no permission (folder 0755, file 0644, uid 65534): CLI memory add exits 1 without a stack trace, saying it cannot write',
    add.code === 1 && !hasStackTrace(add.err) && CANNOT_WRITE.test(add.err),
    cliLine(add),
  );
  const search = await runCli(['--json', '--db', db, 'search', 'zebrafish', '--mode', 'keyword', '--limit', '50'], as);
  checks.ok('no permission: CLI search prints no stack trace', !hasStackTrace(search.err), cliLine(search));
  checks.ok('no permission: CLI search still works (the folder is readable)', search.code === 0, cliLine(search));
  fs.chmodSync(folder, 0o777); // the folder writable, the file still not
  const add2 = await runCli(['--db', db, 'memory', 'add', '--text', 'nobody may write this either'], as);
  checks.ok(
    'no permission (folder 0777, file 0644): CLI memory add exits 1 without a stack trace, saying it cannot write',
    add2.code === 1 && !hasStackTrace(add2.err) && CANNOT_WRITE.test(add2.err),
    cliLine(add2),
  );
  checks.ok(
    "no permission: the CLI says 'Cannot write …' (DevStream's message, not SQLite's)",
    /Cannot write/.test(add2.err),
    cliLine(add2),
  );
  const search2 = await runCli(['--json', '--db', db, 'search', 'zebrafish', '--mode', 'keyword', '--limit', '50'], as);
  checks.ok(
    'no permission (folder writable): CLI search works',
    search2.code === 0 && jsonHits(search2.out) === 20,
    cliLine(search2),
  );
  checks.ok('no permission: the database file is byte for byte unchanged', fileSha(db) === sha);
  return `no permission (uid 65534, root's 0644 file): CLI add ${cliLine(add)}, CLI search in a read-only folder exit ${search.code}, in a writable folder exit ${search2.code}`;
}

export const diskErrors: Scenario = {
  name: 'disk-errors',
  title:
    'Disk full (16 MB tmpfs), immutable file (chattr +i), read-only mount, no permission (uid 65534): clear errors, nothing half-written, reads still work.',
  async run(ctx: ScenarioContext) {
    const mount = canMount(ctx.dir);
    if (!mount.ok)
      ctx.checks.note(
        `mount is not permitted here (${mount.why}): disk full is simulated with PRAGMA max_page_count, and the read-only-media case is not run`,
      );
    const parts = [await diskFull(ctx.checks, ctx.dir, mount.ok, ctx.seed)];
    parts.push(await immutableFile(ctx.checks, ctx.dir));
    if (mount.ok) parts.push(await readOnlyMount(ctx.checks, ctx.dir));
    parts.push(await unprivileged(ctx.checks, ctx.dir));
    return parts.join('; ');
  },
};
