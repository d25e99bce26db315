import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../../src/core/db/open';
import { MemoryRepository } from '../../../src/core/memory/memoryRepository';
import type { NewMemory } from '../../../src/core/memory/types';
import { PlanRepository } from '../../../src/core/plans';
import { exportJsonl } from '../../../src/core/transfer/exportJsonl';
import { IMPORT_BATCH_BYTES, IMPORT_BATCH_ROWS } from '../../../src/core/transfer/importJsonl';
import { randomUnitVector, seededRandom } from '../../helpers/random';
import { CLI_BIN, cliEnv, firstLine, runCli } from '../lib/env';
import { describeIndex, inSync, indexState } from '../lib/invariants';
import { ms, n, type Checks } from '../lib/report';
import type { Scenario } from '../lib/scenario';

const WORDS =
  'retry queue webhook backoff parser cache token schema deploy index vector search jitter circuit breaker timeout'.split(
    ' ',
  );

export interface CrashOptions {
  dir: string;
  memories: number;
  kills: number;
  seed: number;
  checks: Checks;
  log?: (m: string) => void;
}

export interface CrashSummary {
  memories: number;
  exportBytes: number;
  /** An uninterrupted import of the same file, for scale. */
  fullImportMs: number;
  kills: { atMs: number; exitedFirst: boolean; memoriesAfter: number }[];
  /** Fresh imports crashed in turn (a new one starts when the previous one completed). */
  rounds: number;
  finalMemories: number;
  reimportInserted: number;
  ms: number;
}

/** id, content, links and the embedding bytes of every memory, in id order: equal means the same data. */
function fingerprint(file: string): string {
  const store = openStore(file, { readonly: true });
  try {
    const h = crypto.createHash('sha256');
    for (const r of store.db
      .prepare(
        `SELECT id, content, content_type, keywords, task_id, embedding, embedding_model FROM semantic_memory ORDER BY id`,
      )
      .iterate() as Iterable<Record<string, unknown>>) {
      h.update(JSON.stringify([r.id, r.content, r.content_type, r.keywords, r.task_id, r.embedding_model]));
      if (r.embedding) h.update(r.embedding as Buffer);
    }
    return h.digest('hex');
  } finally {
    store.close();
  }
}

/** A source database with plans, phases, tasks and memories (80% with a vector), exported as JSONL. */
export function makeExport(
  dir: string,
  memories: number,
  seed: number,
): {
  file: string;
  rows: Map<string, number>;
  tables: string[];
  lineLengths: number[];
  source: string;
  embedded: number;
} {
  const source = path.join(dir, 'source.db');
  const store = openStore(source);
  const rnd = seededRandom(seed);
  const plans = new PlanRepository(store);
  const tasks: string[] = [];
  for (let p = 0; p < 3; p++) {
    const plan = plans.createPlan({
      title: `Plan ${p}`,
      objectives: ['survive crashes'],
      expectedOutcome: 'all rows, once',
    });
    const phase = plans.addPhase({ planId: plan.id, name: `Phase ${p}` });
    for (let t = 0; t < 3; t++)
      tasks.push(plans.addTask({ phaseId: phase.id, title: `Task ${p}.${t}`, maxDurationMinutes: 5 }).id);
  }
  const repo = new MemoryRepository(store);
  let embedded = 0;
  for (let i = 0; i < memories; i += 1000) {
    const batch: NewMemory[] = [];
    for (let j = i; j < Math.min(memories, i + 1000); j++) {
      const withVector = rnd() < 0.8;
      if (withVector) embedded++;
      batch.push({
        content:
          `crash${j} ` +
          Array.from({ length: 20 + Math.floor(rnd() * 40) }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' '),
        contentType: 'context',
        keywords: ['soak', `k${j % 17}`],
        taskId: j % 50 === 0 ? tasks[j % tasks.length] : undefined,
        embedding: withVector
          ? { vector: randomUnitVector(rnd), model: 'soak-random-768', provider: 'test' }
          : undefined,
      });
    }
    repo.addMany(batch);
  }
  const file = path.join(dir, 'export.jsonl');
  const fd = fs.openSync(file, 'w');
  const rows = new Map<string, number>();
  const tables: string[] = [];
  const lineLengths: number[] = [];
  let header = true;
  for (const line of exportJsonl(store)) {
    fs.writeSync(fd, line + '\n');
    if (header) {
      header = false;
      continue;
    }
    const table = (JSON.parse(line) as { table: string }).table;
    tables.push(table);
    lineLengths.push(line.length);
    rows.set(table, (rows.get(table) ?? 0) + 1);
  }
  fs.closeSync(fd);
  store.close();
  return { file, rows, tables, lineLengths, source, embedded };
}

/** Runs `devstream import` and SIGKILLs it after delayMs (unless it ended first). */
function importAndKill(
  db: string,
  file: string,
  delayMs: number,
): Promise<{ exitedFirst: boolean; code: number | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_BIN, '--db', db, 'import', file], {
      env: cliEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, delayMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitedFirst: !killed, code, err });
    });
  });
}

/**
 * A large `devstream import` SIGKILLed at random moments (seeded), then run to completion.
 * After every kill the database opens, passes integrity_check, has every memory's FTS row (and
 * vec row when embedded), and holds exactly the rows of the batches committed so far (each batch
 * is one transaction). At the end it holds exactly the export — no row missing, none twice — and
 * importing again adds nothing.
 */
export async function crashImport(o: CrashOptions): Promise<CrashSummary> {
  const started = performance.now();
  const { checks } = o;
  const rnd = seededRandom(o.seed);
  const exp = makeExport(o.dir, o.memories, o.seed);
  const exportBytes = fs.statSync(exp.file).size;
  const totalMemories = exp.rows.get('semantic_memory') ?? 0;
  // memories present after k whole batches: the only counts a kill may leave
  const boundaries = new Set<number>([0, totalMemories]);
  // importJsonl's rule: a batch (one transaction) ends after the line that reaches either limit
  let mem = 0;
  let rows = 0;
  let bytes = 0;
  exp.tables.forEach((t, i) => {
    if (t === 'semantic_memory') mem++;
    rows++;
    bytes += exp.lineLengths[i];
    if (rows >= IMPORT_BATCH_ROWS || bytes >= IMPORT_BATCH_BYTES) {
      boundaries.add(mem);
      rows = bytes = 0;
    }
  });
  o.log?.(`export: ${totalMemories} memories, ${exportBytes} bytes, ${boundaries.size} batch boundaries`);

  // one uninterrupted import first: how long the whole thing takes on this machine, now
  const calibration = path.join(o.dir, 'calibration', 'devstream.db');
  fs.mkdirSync(path.dirname(calibration), { recursive: true });
  const c0 = performance.now();
  const full = await runCli(['--db', calibration, 'import', exp.file], { timeoutMs: 300_000 });
  const fullMs = performance.now() - c0;
  checks.ok('an uninterrupted import succeeds', full.code === 0, `exit ${full.code}: ${firstLine(full.err)}`);
  fs.rmSync(path.dirname(calibration), { recursive: true, force: true });
  const startupMs = 350;
  o.log?.(`uninterrupted import: ${Math.round(fullMs)} ms`);

  let round = 1;
  let target = path.join(o.dir, `target-${round}`, 'devstream.db');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const kills: CrashSummary['kills'] = [];
  let present = 0;
  const sourceFingerprint = fingerprint(exp.source);
  for (let k = 0; k < o.kills; k++) {
    if (present === totalMemories) {
      // this round's import is complete: check it is exact, then crash a fresh one, so kills keep landing mid-insert
      checks.ok(
        `round ${round}: the completed import is the source, byte for byte`,
        fingerprint(target) === sourceFingerprint,
      );
      round++;
      target = path.join(o.dir, `target-${round}`, 'devstream.db');
      fs.mkdirSync(path.dirname(target), { recursive: true });
      present = 0;
    }
    // A resumed import still parses (and skips) the rows already there, so reaching row r takes about as long as
    // the first time: kill at a random moment between where the last run got to and the end.
    const reached = startupMs + (present / totalMemories) * (fullMs - startupMs);
    const delay = Math.round(20 + reached * 0.9 + rnd() * (fullMs - reached * 0.9));
    const r = await importAndKill(target, exp.file, delay);
    if (r.exitedFirst)
      checks.ok(
        `kill ${k + 1}: an import that ended by itself succeeded`,
        r.code === 0,
        `exit ${r.code}: ${firstLine(r.err)}`,
      );
    // the database opens (recovering the WAL) and is consistent
    let after = -1;
    try {
      const store = openStore(target);
      try {
        const s = indexState(store);
        after = s.memories;
        checks.ok(
          `kill ${k + 1} at ${delay} ms: integrity_check ok`,
          s.integrity === 'ok' && s.ftsIntegrity === 'ok',
          `${s.integrity} / ${s.ftsIntegrity}`,
        );
        checks.ok(
          `kill ${k + 1}: every memory has its FTS row, every embedded one its vec row, nothing extra`,
          inSync(s),
          describeIndex(s),
        );
        checks.ok(
          `kill ${k + 1}: whole batches only (one transaction per ${IMPORT_BATCH_ROWS} rows or ${IMPORT_BATCH_BYTES / 2 ** 20} MiB)`,
          boundaries.has(s.memories),
          `${s.memories} memories is not a batch boundary`,
        );
        const tooMany = [...exp.rows].filter(
          ([table, count]) => (store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number) > count,
        );
        checks.ok(
          `kill ${k + 1}: no table has more rows than the export`,
          tooMany.length === 0,
          tooMany.map(([t]) => t).join(', '),
        );
      } finally {
        store.close();
      }
    } catch (e) {
      checks.ok(`kill ${k + 1} at ${delay} ms: the database opens`, false, (e as Error).message);
    }
    present = Math.max(present, after);
    kills.push({ atMs: delay, exitedFirst: r.exitedFirst, memoriesAfter: after });
    o.log?.(`kill ${k + 1}: at ${delay} ms${r.exitedFirst ? ' (had ended)' : ''}, ${after} memories`);
  }

  const final = await runCli(['--json', '--db', target, 'import', exp.file], { timeoutMs: 300_000 });
  let report: { inserted: Record<string, number>; errors: unknown[]; embeddingsDropped: number } | undefined;
  try {
    report = JSON.parse(final.out);
  } catch {
    // reported below
  }
  checks.ok(
    'the last import runs to completion without errors',
    final.code === 0 && report?.errors.length === 0,
    `exit ${final.code}: ${firstLine(final.err)}`,
  );
  checks.ok(
    'no embedding was dropped (same vector space throughout)',
    report?.embeddingsDropped === 0,
    `dropped ${report?.embeddingsDropped}`,
  );
  let finalMemories: number;
  const store = openStore(target);
  try {
    const s = indexState(store);
    finalMemories = s.memories;
    checks.ok(
      'final: integrity_check ok, index in sync',
      s.integrity === 'ok' && s.ftsIntegrity === 'ok' && inSync(s),
      describeIndex(s),
    );
    const counts = [...exp.rows].map(
      ([table, count]) =>
        [table, count, store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number] as const,
    );
    const off = counts.filter(([, want, got]) => want !== got);
    checks.ok(
      "final: every table has exactly the export's row count",
      off.length === 0,
      off.map(([t, w, g]) => `${t} ${g}/${w}`).join(', '),
    );
    checks.ok(
      "final: embedded memories = the source's",
      s.embedded === exp.embedded,
      `${s.embedded} vs ${exp.embedded}`,
    );
  } finally {
    store.close();
  }
  checks.ok(
    "final: the memories are the source's, byte for byte (ids, content, links, vectors)",
    fingerprint(target) === sourceFingerprint,
  );

  const again = await runCli(['--json', '--db', target, 'import', exp.file], { timeoutMs: 300_000 });
  let reimportInserted = -1;
  try {
    reimportInserted = Object.values((JSON.parse(again.out) as { inserted: Record<string, number> }).inserted).reduce(
      (a, b) => a + b,
      0,
    );
  } catch {
    // reported below
  }
  checks.ok(
    'importing the same file again adds nothing',
    again.code === 0 && reimportInserted === 0,
    `exit ${again.code}, inserted ${reimportInserted}`,
  );
  return {
    memories: totalMemories,
    exportBytes,
    fullImportMs: fullMs,
    rounds: round,
    kills,
    finalMemories,
    reimportInserted,
    ms: performance.now() - started,
  };
}

export function describeCrash(s: CrashSummary): string {
  const mid = s.kills.filter((k) => !k.exitedFirst).length;
  const times = s.kills.map((k) => k.atMs).sort((a, b) => a - b);
  return (
    `${n(s.memories)}-memory import (${(s.exportBytes / 1024 / 1024).toFixed(0)} MB JSONL) (uninterrupted: ${ms(s.fullImportMs)}) SIGKILLed ${s.kills.length}× over ${s.rounds} import${s.rounds > 1 ? 's' : ''} at ${ms(times[0] ?? 0)}–${ms(times.at(-1) ?? 0)} ` +
    `(${mid} mid-import), memories after each kill: ${s.kills.map((k) => n(k.memoriesAfter)).join(' / ')}; each time opens, integrity ok, index in sync, whole batches only; ` +
    `final ${n(s.finalMemories)} = ${n(s.memories)} exported, identical; re-import adds ${s.reimportInserted}`
  );
}

export const crash: Scenario = {
  name: 'crash',
  title:
    'A large CLI import SIGKILLed at random moments, then completed: consistent after every kill, exact at the end.',
  async run(ctx) {
    const s = await crashImport({
      dir: ctx.dir,
      memories: ctx.quick ? 12_000 : 20_000,
      kills: ctx.quick ? 5 : 30,
      seed: ctx.seed,
      checks: ctx.checks,
      log: ctx.log,
    });
    const mid = s.kills.filter((k) => !k.exitedFirst).length;
    ctx.checks.ok('most kills landed mid-import', mid >= Math.ceil(s.kills.length / 2), `${mid} of ${s.kills.length}`);
    return describeCrash(s);
  },
};
