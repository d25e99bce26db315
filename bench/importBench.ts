import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src/core/db/open';
import { MemoryRepository } from '../src/core/memory/memoryRepository';
import type { NewMemory } from '../src/core/memory/types';
import { seededRandom } from '../test/helpers/random';
import { syntheticMemories } from './corpus';

export interface ImportBenchOptions {
  sizes: number[];
  seed: number;
  log: (line: string) => void;
}

/**
 * Bulk import rate through the real write path (MemoryRepository.addMany: validation,
 * identifier terms, row + FTS (+ vec) via triggers, in one transaction), next to a baseline
 * measured in the same run: the same rows into a plain table with no index at all (the floor).
 */
export async function runImportBench(opts: ImportBenchOptions): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devstream-bench-'));
  const results: Record<string, number> = {};
  try {
    opts.log('\n## Bulk import (memories/s, one transaction, embedding time excluded)\n');
    opts.log('| memories | plain table (baseline) | DevStream, keyword index only | time vs baseline | DevStream + 768-d vectors | time vs baseline |');
    opts.log('|---:|---:|---:|---:|---:|---:|');
    for (const n of opts.sizes) {
      const rows = [...syntheticMemories(n, opts.seed)];
      const baseline = measure(() => plainInsert(path.join(dir, `plain-${n}.db`), rows));
      const keyword = measure(() => devstreamInsert(path.join(dir, `kw-${n}.db`), rows));
      const embedded = withEmbeddings(rows, opts.seed); // generated outside the timed part
      const withVectors = measure(() => devstreamInsert(path.join(dir, `vec-${n}.db`), embedded));
      const rate = (ms: number) => Math.round((n / ms) * 1000);
      results[`import_${n}_baseline`] = rate(baseline);
      results[`import_${n}_keyword`] = rate(keyword);
      results[`import_${n}_vectors`] = rate(withVectors);
      opts.log(`| ${n.toLocaleString('en')} | ${rate(baseline).toLocaleString('en')} | ${rate(keyword).toLocaleString('en')} | ${(keyword / baseline).toFixed(1)}× | ${rate(withVectors).toLocaleString('en')} | ${(withVectors / baseline).toFixed(1)}× |`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

function measure(work: () => void): number {
  const t0 = performance.now();
  work();
  return performance.now() - t0;
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
