import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src/core/db/open';
import { MemoryRepository } from '../src/core/memory/memoryRepository';
import { exportJsonl } from '../src/core/transfer/exportJsonl';
import { importJsonl } from '../src/core/transfer/importJsonl';
import type { NewMemory } from '../src/core/memory/types';
import { seededRandom } from '../test/helpers/random';
import { syntheticMemories } from './corpus';

export interface ImportBenchOptions {
  sizes: number[];
  seed: number;
  /** Each path runs this many times (interleaved); the median is reported. */
  rounds: number;
  log: (line: string) => void;
}

/**
 * Bulk import rate through the real write paths, next to a baseline measured in the same run:
 * the same rows into a plain table with no index at all (the floor).
 * - addMany: validation, identifier terms, row + FTS (+ vec) via triggers, one transaction.
 * - devstream import: the JSONL file `devstream export` wrote, parsed and inserted as the CLI
 *   does (batches of 2,000, each one transaction), into a fresh database.
 */
export async function runImportBench(opts: ImportBenchOptions): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devstream-bench-'));
  const results: Record<string, number> = {};
  try {
    opts.log(`\n## Bulk import (memories/s, embedding time excluded; median of ${opts.rounds} interleaved rounds)\n`);
    opts.log('| memories | path | memories/s | time vs baseline |');
    opts.log('|---:|---|---:|---:|');
    for (const n of opts.sizes) {
      const rows = [...syntheticMemories(n, opts.seed)];
      const embedded = withEmbeddings(rows, opts.seed); // generated outside the timed part
      const file = (name: string) => path.join(dir, `${name}-${n}.db`);
      const paths: [key: string, label: string, run: (target: string) => Promise<unknown> | void][] = [
        ['baseline', 'plain table, no index (baseline)', (target) => plainInsert(target, rows)],
        ['keyword', 'addMany: row + FTS', (target) => devstreamInsert(target, rows)],
        ['vectors', 'addMany: row + FTS + 768-d vec0', (target) => devstreamInsert(target, embedded)],
      ];
      // The file `devstream export` writes, read back as `devstream import` does.
      devstreamInsert(file('source-kw'), rows);
      devstreamInsert(file('source-vec'), embedded);
      const keywordLines = exportLines(file('source-kw'));
      const vectorLines = exportLines(file('source-vec'));
      paths.push(['jsonl_keyword', 'devstream import (JSONL): row + FTS', (target) => jsonlImport(target, keywordLines)]);
      paths.push(['jsonl_vectors', 'devstream import (JSONL): row + FTS + vec0', (target) => jsonlImport(target, vectorLines)]);

      // Rounds interleave the paths, so a slow moment of a shared machine hits all of them;
      // each path reports its median round.
      const times = new Map<string, number[]>();
      for (let round = 0; round < opts.rounds; round++) {
        for (const [key, , run] of paths) {
          const target = file(`${key}-${round}`);
          const t0 = performance.now();
          await run(target);
          times.set(key, [...(times.get(key) ?? []), performance.now() - t0]);
          removeDb(target);
        }
      }
      const baseline = median(times.get('baseline')!);
      for (const [key, label] of paths) {
        const ms = median(times.get(key)!);
        const rate = Math.round((n / ms) * 1000);
        results[`import_${n}_${key}`] = rate;
        opts.log(`| ${n.toLocaleString('en')} | ${label} | ${rate.toLocaleString('en')} | ${(ms / baseline).toFixed(1)}× |`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

function exportLines(file: string): string[] {
  const store = openStore(file);
  try {
    return [...exportJsonl(store)];
  } finally {
    store.close();
  }
}

async function jsonlImport(file: string, lines: string[]): Promise<void> {
  const store = openStore(file);
  try {
    const report = await importJsonl(store, lines);
    if (report.errors.length > 0) throw new Error(`import reported errors: ${JSON.stringify(report.errors.slice(0, 3))}`);
  } finally {
    store.close();
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

function withEmbeddings(rows: NewMemory[], seed: number): NewMemory[] {
  const r = seededRandom(seed + 1);
  return rows.map((m) => {
    const v = new Float32Array(768);
    let norm = 0;
    for (let i = 0; i < 768; i++) { v[i] = r() - 0.5; norm += v[i] * v[i]; }
    for (let i = 0; i < 768; i++) v[i] /= Math.sqrt(norm);
    return { ...m, embedding: { vector: v, model: 'bench', provider: 'bench' } };
  });
}

function devstreamInsert(file: string, rows: NewMemory[]): void {
  const store = openStore(file);
  try {
    new MemoryRepository(store).addMany(rows);
  } finally {
    store.close();
  }
}

function plainInsert(file: string, rows: NewMemory[]): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE m (id TEXT PRIMARY KEY, content TEXT NOT NULL, content_type TEXT NOT NULL, keywords TEXT, source TEXT)`);
  const stmt = db.prepare(`INSERT INTO m VALUES (?, ?, ?, ?, ?)`);
  db.transaction(() => {
    let i = 0;
    for (const r of rows) stmt.run(`id-${i++}`, r.content, r.contentType, JSON.stringify(r.keywords ?? []), r.source ?? null);
  })();
  db.close();
}
