import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../../src/core/db/open';
import { isDevStreamError } from '../../../src/core/errors';
import { MemoryRepository } from '../../../src/core/memory/memoryRepository';
import { randomUnitVector, seededRandom } from '../../helpers/random';
import { fileSha, firstLine, hasStackTrace, runCli, sideFiles } from '../lib/env';
import { seededBytes } from '../lib/hostileText';
import type { KnownBugId } from '../lib/knownBugs';
import { n, type Checks } from '../lib/report';
import type { Scenario } from '../lib/scenario';

/** A real DevStream database (memories, half embedded), as bytes, closed cleanly (no -wal). */
export function makeRealDatabase(file: string, memories = 300, seed = 1): Buffer {
  const store = openStore(file);
  const rnd = seededRandom(seed);
  new MemoryRepository(store).addMany(
    Array.from({ length: memories }, (_, i) => ({
      content: `memory ${i} about retry queues and webhook backoff ${'lorem ipsum '.repeat(40)}`,
      contentType: 'context' as const,
      embedding: i % 2 ? { vector: randomUnitVector(rnd), model: 'soak-random-768', provider: 'test' } : undefined,
    })),
  );
  store.close();
  return fs.readFileSync(file);
}

function pageSize(db: Buffer): number {
  const p = db.readUInt16BE(16);
  return p === 1 ? 65536 : p;
}

export interface CorruptCase {
  name: string;
  /** The bytes to put at the database path, made from a real database. */
  make(real: Buffer, scratch: string): Buffer;
  /** Foreign SQLite files: DevStream must refuse them, but there is nothing to repair. */
  foreign?: boolean;
  /** Known bugs that break this case today: opening, and doctor --repair. */
  openBug?: KnownBugId;
  repairBug?: KnownBugId;
}

function foreignSqlite(scratch: string, sql: string): Buffer {
  const file = path.join(scratch, `foreign-${Math.random().toString(36).slice(2)}.sqlite`);
  const db = new Database(file);
  db.exec(sql);
  db.close();
  return fs.readFileSync(file);
}

export const CORRUPT_CASES: CorruptCase[] = [
  { name: 'random bytes', make: () => seededBytes(11, 64 * 1024) },
  {
    name: 'a text file',
    make: () => Buffer.from('# Notes\nThis is not a database, just a text file someone saved here.\n'.repeat(100)),
  },
  { name: 'zero-filled header', make: (real) => Buffer.concat([Buffer.alloc(100), real.subarray(100)]) },
  {
    name: 'zero-filled first page',
    make: (real) => Buffer.concat([Buffer.alloc(pageSize(real)), real.subarray(pageSize(real))]),
  },
  { name: 'only the 100-byte header', make: (real) => real.subarray(0, 100) },
  {
    name: 'truncated to half (page boundary)',
    make: (real) => real.subarray(0, Math.floor(real.length / pageSize(real) / 2) * pageSize(real)),
  },
  { name: 'truncated by one page', make: (real) => real.subarray(0, real.length - pageSize(real)) },
  { name: 'truncated mid-page (1 000 bytes short)', make: (real) => real.subarray(0, real.length - 1000) },
  {
    name: 'a SQLite database of another program',
    make: (_r, s) =>
      foreignSqlite(
        s,
        `CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada'), ('Linus');`,
      ),
    foreign: true,
  },
  {
    name: "another program's SQLite database with an 'agents' table",
    make: (_r, s) =>
      foreignSqlite(
        s,
        `CREATE TABLE agents (id INTEGER PRIMARY KEY, host TEXT); INSERT INTO agents (host) VALUES ('build-01');`,
      ),
    foreign: true,
  },
];

export interface CorruptOutcome {
  openMessage: string;
  repaired: boolean;
}

/**
 * One damaged or foreign file at the database path: opening refuses it with DevStreamError
 * 'corrupt' and leaves it byte for byte as it was; the CLI says so without a stack trace;
 * `doctor --repair` moves it aside intact and a new database works.
 */
export async function checkCorruptCase(
  checks: Checks,
  dir: string,
  real: Buffer,
  c: CorruptCase,
): Promise<CorruptOutcome> {
  const caseDir = path.join(dir, c.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
  fs.mkdirSync(caseDir, { recursive: true });
  const file = path.join(caseDir, 'devstream.db');
  const bytes = c.make(real, dir);
  fs.writeFileSync(file, bytes);
  const original = fileSha(file);
  const label = c.name;
  const openCheck = (name: string, ok: boolean, detail?: string) =>
    c.openBug ? checks.known(c.openBug, name, ok, detail) : checks.ok(name, ok, detail);

  // 1. opening in-process (what the extension and MCP server do)
  let openMessage = 'opened without an error';
  let refused = false;
  try {
    openStore(file).close();
  } catch (e) {
    openMessage = `${(e as Error).name}${isDevStreamError(e) ? ` '${e.code}'` : ''}: ${(e as Error).message}`;
    refused = isDevStreamError(e) && (c.foreign ? e.code !== 'unavailable' : e.code === 'corrupt');
    if (!c.foreign) refused &&= (e as Error).message.includes(file) && /doctor --repair/.test((e as Error).message);
  }
  openCheck(
    `${label}: openStore refuses it with DevStreamError ${c.foreign ? "(another program's database)" : "'corrupt' naming the file and 'doctor --repair'"}`,
    refused,
    firstLine(openMessage, 220),
  );
  openCheck(
    `${label}: the failed open left the file byte for byte as it was`,
    fs.existsSync(file) && fileSha(file) === original,
  );
  openCheck(
    `${label}: the failed open created no files beside it`,
    sideFiles(file).length === 0,
    sideFiles(file).join(', '),
  );
  if (!fs.existsSync(file) || fileSha(file) !== original) fs.writeFileSync(file, bytes); // continue from the original
  for (const f of sideFiles(file)) fs.rmSync(path.join(caseDir, f), { force: true });

  // 2. the CLI says what is wrong, exit 1, no stack trace, file untouched
  const search = await runCli(['--db', file, 'search', 'retry'], { cwd: caseDir });
  checks.ok(`${label}: 'search' prints no stack trace`, !hasStackTrace(search.err), firstLine(search.err));
  openCheck(
    `${label}: 'search' exits 1 saying what is wrong`,
    search.code === 1 &&
      (c.foreign
        ? /another program|not a DevStream/i.test(search.err)
        : /damaged|not a SQLite database/.test(search.err)),
    `exit ${search.code}: ${firstLine(search.err)}`,
  );
  openCheck(`${label}: 'search' left the file untouched`, fileSha(file) === original);
  if (fileSha(file) !== original) fs.writeFileSync(file, bytes);
  for (const f of sideFiles(file)) fs.rmSync(path.join(caseDir, f), { force: true });

  const doctor = await runCli(['--db', file, 'doctor'], { cwd: caseDir });
  checks.ok(`${label}: 'doctor' prints no stack trace`, !hasStackTrace(doctor.err), firstLine(doctor.err));
  openCheck(
    `${label}: 'doctor' exits 1 (problems found)`,
    doctor.code === 1,
    `exit ${doctor.code}: ${firstLine(doctor.err || doctor.out)}`,
  );
  if (fileSha(file) !== original) fs.writeFileSync(file, bytes);
  for (const f of sideFiles(file)) fs.rmSync(path.join(caseDir, f), { force: true });
  if (c.foreign) return { openMessage, repaired: false };

  // 3. doctor --repair: moved aside intact, a new database in its place that works
  const repairCheck = (name: string, ok: boolean, detail?: string) =>
    c.repairBug ? checks.known(c.repairBug, name, ok, detail) : checks.ok(name, ok, detail);
  const repair = await runCli(['--json', '--db', file, 'doctor', '--repair'], { cwd: caseDir });
  checks.ok(`${label}: 'doctor --repair' prints no stack trace`, !hasStackTrace(repair.err), firstLine(repair.err));
  let aside: string | undefined;
  try {
    aside = (JSON.parse(repair.out) as { movedAside?: string }).movedAside;
  } catch {
    // not the moved-aside report
  }
  repairCheck(
    `${label}: 'doctor --repair' exits 0 and reports where it moved the file`,
    repair.code === 0 && !!aside,
    `exit ${repair.code}: ${firstLine(repair.err || repair.out)}`,
  );
  const intact = !!aside && fs.existsSync(aside) && fileSha(aside) === original;
  repairCheck(
    `${label}: the backup holds the original bytes`,
    intact,
    aside ? `backup ${path.basename(aside)}` : 'no backup',
  );
  let works = false;
  if (repair.code === 0 && aside) {
    const add = await runCli(
      ['--json', '--db', file, 'memory', 'add', '--text', 'after the repair: retry with jitter'],
      { cwd: caseDir },
    );
    const healthy = await runCli(['--json', '--db', file, 'doctor'], { cwd: caseDir });
    try {
      const report = JSON.parse(healthy.out) as {
        healthy: boolean;
        counts: { memories: number; fts: number; vec: number };
      };
      works =
        add.code === 0 &&
        healthy.code === 0 &&
        report.healthy &&
        report.counts.memories === 1 &&
        report.counts.fts === 1 &&
        report.counts.vec === 1;
    } catch {
      works = false;
    }
  }
  repairCheck(
    `${label}: the new database works (memory add, then doctor: healthy, 1 memory indexed and embedded)`,
    works,
  );
  return { openMessage, repaired: works && intact };
}

export const corrupt: Scenario = {
  name: 'corrupt',
  title:
    "Damaged or foreign files at the database path: refused with DevStreamError 'corrupt', left untouched; doctor --repair moves them aside intact.",
  async run(ctx) {
    const real = makeRealDatabase(path.join(ctx.dir, 'real.db'), ctx.quick ? 300 : 1000, ctx.seed);
    let refused = 0;
    let repaired = 0;
    const todo = [...CORRUPT_CASES];
    const worker = async () => {
      for (let c = todo.shift(); c; c = todo.shift()) {
        const o = await checkCorruptCase(ctx.checks, ctx.dir, real, c);
        if (o.openMessage !== 'opened without an error') refused++;
        if (o.repaired) repaired++;
        ctx.log(`${c.name}: ${o.openMessage.slice(0, 120)}`);
      }
    };
    await Promise.all([worker(), worker()]); // two cases at a time (each in its own folder)
    const untouched = ctx.checks.list.filter((c) => c.name.endsWith('byte for byte as it was') && c.ok).length;
    return (
      `${CORRUPT_CASES.length} damaged/foreign files (real database ${n(real.length)} B): ${refused} refused at open, ${untouched} left byte for byte, ` +
      `${repaired} of ${CORRUPT_CASES.filter((c) => !c.foreign).length} repaired by doctor --repair (backup intact, new database works)`
    );
  },
};
