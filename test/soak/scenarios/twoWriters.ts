import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../../src/core/db/open';
import { BuiltinEmbedder } from '../../../src/core/embeddings/builtin';
import { seededRandom } from '../../helpers/random';
import { firstLine, runCli, runNode, WORKERS_DIR, type ProcResult } from '../lib/env';
import { checkIndex, inSync } from '../lib/invariants';
import { n, type Checks } from '../lib/report';
import type { Scenario } from '../lib/scenario';
import { sha, token, type WriterConfig, type WriterStats } from '../workers/coreWriter';

/** What one writer's log says the database must hold. */
interface Expected {
  added: Set<string>;
  deleted: Set<string>;
  content: Map<string, string>;
  archived: Map<string, boolean>;
  writes: number;
  byOp: Record<string, number>;
  errors: string[];
}

export function readLog(file: string): Expected {
  const e: Expected = {
    added: new Set(),
    deleted: new Set(),
    content: new Map(),
    archived: new Map(),
    writes: 0,
    byOp: {},
    errors: [],
  };
  if (!fs.existsSync(file)) return e;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [op, id, a] = line.split(' ');
    if (!op) continue;
    if (op === 'E') {
      e.errors.push(line.slice(2));
      continue;
    }
    e.writes++;
    e.byOp[op] = (e.byOp[op] ?? 0) + 1;
    if (op === 'A') {
      e.added.add(id);
      e.content.set(id, a);
    } else if (op === 'U') e.content.set(id, a);
    else if (op === 'R') e.archived.set(id, a === '1');
    else if (op === 'D') e.deleted.add(id);
  }
  return e;
}

/** The third writer: the CLI, one process per command, logging like the core writers. */
async function cliWriter(db: string, logFile: string, seconds: number, seed: number, prefix: string) {
  const rnd = seededRandom(seed);
  const log = fs.openSync(logFile, 'a');
  const live = new Map<string, { tok: string; archived: boolean }>();
  const stats = { ops: {} as Record<string, number>, errors: [] as string[], busy: 0, searchMisses: 0 };
  const deadline = Date.now() + seconds * 1000;
  let seq = 0;
  const pickLive = () => [...live.keys()][Math.floor(rnd() * live.size)];
  const fail = (op: string, r: ProcResult) => {
    const err = r.err.replace(/\s+/g, ' ').trim().slice(0, 400);
    stats.errors.push(`${op} exit ${r.code}: ${err}`);
    if (/locked|busy/i.test(r.err)) stats.busy++;
    fs.writeSync(log, `E ${op} exit${r.code} ${err}\n`);
  };
  while (Date.now() < deadline) {
    const r = rnd();
    if (r < 0.5 || live.size < 3) {
      const tok = token(prefix, seq++);
      const content = `${tok} decided from the command line: retry with jitter ${seq}`;
      const res = await runCli(['--json', '--db', db, 'memory', 'add', '--type', 'decision', '--text', content]);
      if (res.code !== 0) {
        fail('add', res);
        continue;
      }
      const m = JSON.parse(res.out) as { id: string; hasEmbedding: boolean };
      fs.writeSync(log, `A ${m.id} ${sha(content)} ${m.hasEmbedding ? 1 : 0}\n`);
      live.set(m.id, { tok, archived: false });
      stats.ops.add = (stats.ops.add ?? 0) + 1;
    } else if (r < 0.65) {
      const id = pickLive();
      const next = !live.get(id)!.archived;
      const res = await runCli(['--db', db, 'memory', 'archive', id, ...(next ? [] : ['--undo'])]);
      if (res.code !== 0) {
        fail('archive', res);
        continue;
      }
      fs.writeSync(log, `R ${id} ${next ? 1 : 0}\n`);
      live.get(id)!.archived = next;
      stats.ops.archive = (stats.ops.archive ?? 0) + 1;
    } else if (r < 0.8) {
      const id = pickLive();
      const res = await runCli(['--db', db, 'memory', 'delete', id]);
      if (res.code !== 0) {
        fail('delete', res);
        continue;
      }
      fs.writeSync(log, `D ${id}\n`);
      live.delete(id);
      stats.ops.delete = (stats.ops.delete ?? 0) + 1;
    } else {
      const id = pickLive();
      const res = await runCli([
        '--json',
        '--db',
        db,
        'search',
        live.get(id)!.tok,
        '--mode',
        'keyword',
        '--archived',
        '--limit',
        '5',
      ]);
      if (res.code !== 0) {
        fail('search', res);
        continue;
      }
      if (!(JSON.parse(res.out) as { id: string }[]).some((h) => h.id === id)) stats.searchMisses++;
      stats.ops.search = (stats.ops.search ?? 0) + 1;
    }
  }
  fs.closeSync(log);
  return stats;
}

export interface WritersSummary {
  processes: number;
  seconds: number;
  writes: number;
  adds: number;
  expectedRows: number;
  found: number;
  lost: number;
  busy: number;
  otherErrors: number;
  searchMisses: number;
  staleVectors: number;
  embedded: number;
  maxWriteMs: number;
  pending: number;
  indexInSync: boolean;
}

/**
 * Two core writers (extension-like with a background EmbeddingQueue; agent-like embedding on
 * save) and the CLI write one database at once for `seconds`. Afterwards every id a writer logged
 * as committed is there, with its last content and archive state, unless that writer deleted it;
 * nothing unlogged exists; no call failed with SQLITE_BUSY; no search missed its own memory;
 * every stored vector is the vector of the memory's current text; the index is in sync.
 */
export async function twoWriters(checks: Checks, dir: string, seconds: number, seed: number): Promise<WritersSummary> {
  const db = path.join(dir, 'shared', 'devstream.db'); // does not exist yet: both writers create it at once
  fs.mkdirSync(path.dirname(db), { recursive: true });
  const writers: WriterConfig[] = [
    { db, log: path.join(dir, 'extension.log'), seconds, seed: seed + 1, role: 'extension', prefix: 'qxa' },
    { db, log: path.join(dir, 'agent.log'), seconds, seed: seed + 2, role: 'agent', prefix: 'qxb' },
  ];
  const cliLog = path.join(dir, 'cli.log');
  const [ext, agent, cli] = (await Promise.all([
    ...writers.map((w) =>
      runNode(path.join(WORKERS_DIR, 'coreWriter.js'), [JSON.stringify(w)], { timeoutMs: (seconds + 120) * 1000 }),
    ),
    cliWriter(db, cliLog, seconds, seed + 3, 'qxc'),
  ])) as [ProcResult, ProcResult, Awaited<ReturnType<typeof cliWriter>>];

  const stats: WriterStats[] = [];
  for (const [name, r] of [
    ['extension writer', ext],
    ['agent writer', agent],
  ] as const) {
    checks.ok(
      `${name} ran to the end`,
      r.code === 0 && !r.timedOut,
      `exit ${r.code}${r.timedOut ? ' (timeout)' : ''}: ${firstLine(r.err, 300)}`,
    );
    try {
      stats.push(JSON.parse(r.out.trim().split('\n').at(-1)!) as WriterStats);
    } catch {
      stats.push({
        role: name,
        ops: {},
        errors: { 'no stats': 1 },
        busy: 0,
        maxWriteMs: 0,
        p99WriteMs: 0,
        searchMisses: 0,
      });
    }
  }

  const logs = [...writers.map((w) => readLog(w.log)), readLog(cliLog)];
  const store = openStore(db);
  try {
    const rows = new Map(
      (
        store.db.prepare(`SELECT id, content, is_archived, embedding FROM semantic_memory`).all() as {
          id: string;
          content: string;
          is_archived: number | null;
          embedding: Buffer | null;
        }[]
      ).map((r) => [r.id, r]),
    );
    let expectedRows = 0;
    let found = 0;
    const lost: string[] = [];
    const resurrected: string[] = [];
    const wrongContent: string[] = [];
    const wrongArchive: string[] = [];
    const logged = new Set<string>();
    for (const log of logs) {
      for (const id of log.added) {
        logged.add(id);
        if (log.deleted.has(id)) {
          if (rows.has(id)) resurrected.push(id);
          continue;
        }
        expectedRows++;
        const row = rows.get(id);
        if (!row) {
          lost.push(id);
          continue;
        }
        found++;
        if (sha(row.content) !== log.content.get(id)) wrongContent.push(id);
        if ((row.is_archived === 1) !== (log.archived.get(id) ?? false)) wrongArchive.push(id);
      }
    }
    const unexpected = [...rows.keys()].filter((id) => !logged.has(id));
    checks.ok(
      'every committed memory is there (unless its writer deleted it)',
      lost.length === 0,
      `${lost.length} lost, e.g. ${lost.slice(0, 3).join(', ')}`,
    );
    checks.ok(
      'every deleted memory stays deleted',
      resurrected.length === 0,
      `${resurrected.length} back, e.g. ${resurrected.slice(0, 3).join(', ')}`,
    );
    checks.ok(
      'no memory that no writer committed',
      unexpected.length === 0,
      `${unexpected.length} unlogged, e.g. ${unexpected.slice(0, 3).join(', ')}`,
    );
    checks.ok(
      'every memory has its last logged content',
      wrongContent.length === 0,
      `${wrongContent.length} differ, e.g. ${wrongContent.slice(0, 3).join(', ')}`,
    );
    checks.ok(
      'every memory has its last logged archive state',
      wrongArchive.length === 0,
      `${wrongArchive.length} differ, e.g. ${wrongArchive.slice(0, 3).join(', ')}`,
    );

    // every stored vector is the built-in embedding of the memory's current text (no stale vector after an edit)
    const embedder = new BuiltinEmbedder();
    const embeddedRows = [...rows.values()].filter((r) => r.embedding);
    const fresh = await embedder.embed(
      embeddedRows.map((r) => r.content),
      'document',
    );
    let stale = 0;
    embeddedRows.forEach((r, i) => {
      const stored = new Float32Array(r.embedding!.buffer, r.embedding!.byteOffset, r.embedding!.byteLength / 4);
      let dot = 0;
      for (let j = 0; j < stored.length; j++) dot += stored[j] * fresh[i][j];
      if (!(dot > 0.9999)) stale++;
    });
    checks.ok(
      "every stored vector embeds the memory's current text",
      stale === 0,
      `${stale} of ${embeddedRows.length} stale`,
    );

    const busy = stats.reduce((a, s) => a + s.busy, 0) + cli.busy;
    const errors = [...logs.flatMap((l) => l.errors), ...cli.errors];
    checks.ok('no call failed with SQLITE_BUSY/locked', busy === 0, `${busy} busy errors surfaced`);
    checks.ok(
      'no call failed at all',
      errors.length === 0,
      `${errors.length} errors, e.g. ${errors.slice(0, 3).join(' | ')}`,
    );
    const misses = stats.reduce((a, s) => a + s.searchMisses, 0) + cli.searchMisses;
    checks.ok('every search found the memory it looked for (read your own writes)', misses === 0, `${misses} misses`);
    const state = checkIndex(checks, 'after the writers', store);
    return {
      processes: 2 + (cli.ops.add ?? 0) + (cli.ops.archive ?? 0) + (cli.ops.delete ?? 0) + (cli.ops.search ?? 0),
      seconds,
      writes: logs.reduce((a, l) => a + l.writes, 0),
      adds: logs.reduce((a, l) => a + l.added.size, 0),
      expectedRows,
      found,
      lost: lost.length,
      busy,
      otherErrors: errors.length - busy,
      searchMisses: misses,
      staleVectors: stale,
      embedded: state.embedded,
      maxWriteMs: Math.max(...stats.map((s) => s.maxWriteMs)),
      pending: state.memories - state.embedded,
      indexInSync: inSync(state) && state.integrity === 'ok',
    };
  } finally {
    store.close();
  }
}

export function describeWriters(s: WritersSummary): string {
  return (
    `2 core writers + ${n(s.processes - 2)} CLI processes × ${s.seconds} s, ${n(s.writes)} writes (${n(s.adds)} adds), ${n(s.found)} of ${n(s.expectedRows)} rows found, ${s.lost} lost, ` +
    `${s.busy} busy errors surfaced, ${s.otherErrors} other errors, ${s.searchMisses} search misses, ${s.staleVectors} stale vectors (${n(s.embedded)} embedded, ${n(s.pending)} still waiting for the queue), ` +
    `longest write ${n(s.maxWriteMs)} ms, ${s.indexInSync ? 'index in sync' : 'INDEX OUT OF SYNC'}`
  );
}

export const twoWritersScenario: Scenario = {
  name: 'two-writers',
  title:
    'Two core writers and the CLI on one database: nothing lost, no busy errors, searches see their writes, index in sync.',
  async run(ctx) {
    const s = await twoWriters(ctx.checks, ctx.dir, ctx.quick ? 10 : 120, ctx.seed);
    return describeWriters(s);
  },
};
