import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkerPath } from './importWorker';

export interface ImportBenchOptions {
  sizes: number[];
  seed: number;
  /** Each path runs this many times (interleaved); the median is reported. */
  rounds: number;
  log: (line: string) => void;
}

const PATHS: { key: string; label: string; worker: WorkerPath; source?: 'keyword' | 'vectors' }[] = [
  { key: 'baseline', label: 'plain table, no index (baseline)', worker: 'baseline' },
  { key: 'keyword', label: 'addMany: row + FTS', worker: 'keyword' },
  { key: 'vectors', label: 'addMany: row + FTS + 768-d vec0', worker: 'vectors' },
  { key: 'jsonl_keyword', label: 'devstream import (JSONL file): row + FTS', worker: 'jsonl', source: 'keyword' },
  {
    key: 'jsonl_vectors',
    label: 'devstream import (JSONL file): row + FTS + vec0',
    worker: 'jsonl',
    source: 'vectors',
  },
];

/**
 * Bulk import rate through the real write paths, next to a baseline measured in the same run:
 * the same rows into a plain table with no index at all (the floor).
 * - addMany: validation, identifier terms, row + FTS (+ vec) via triggers, one transaction.
 * - devstream import: the file `devstream export` wrote, streamed and inserted as the CLI does
 *   (batches of up to 10,000, each one transaction), into a fresh database; opening included.
 * Each measurement runs in its own process (importWorker) with its inputs made before the clock
 * starts; rounds interleave the paths, so a slow moment of a shared machine hits all of them.
 */
export async function runImportBench(opts: ImportBenchOptions): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devstream-bench-'));
  const results: Record<string, number> = {};
  const worker = path.join(__dirname, 'importWorker.js');
  const run = (which: WorkerPath, n: number, target: string, exportFile?: string): number => {
    const out = execFileSync(
      process.execPath,
      [worker, which, String(n), String(opts.seed), target, ...(exportFile ? [exportFile] : [])],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    return (JSON.parse(out) as { ms: number }).ms;
  };
  try {
    opts.log(`\n## Bulk import (memories/s, embedding time excluded; median of ${opts.rounds} interleaved rounds)\n`);
    opts.log('| memories | path | memories/s | time vs baseline |');
    opts.log('|---:|---|---:|---:|');
    for (const n of opts.sizes) {
      const exports = {
        keyword: path.join(dir, `export-keyword-${n}.jsonl`),
        vectors: path.join(dir, `export-vectors-${n}.jsonl`),
      };
      for (const source of ['keyword', 'vectors'] as const) {
        const db = path.join(dir, `source-${source}-${n}.db`);
        run(`export-${source}`, n, db, exports[source]);
        removeDb(db);
      }
      const times = new Map<string, number[]>();
      for (let round = 0; round < opts.rounds; round++) {
        for (const p of PATHS) {
          const target = path.join(dir, `${p.key}-${n}-${round}.db`);
          times.set(p.key, [...(times.get(p.key) ?? []), run(p.worker, n, target, p.source && exports[p.source])]);
          removeDb(target);
        }
      }
      const baseline = median(times.get('baseline')!);
      for (const p of PATHS) {
        const ms = median(times.get(p.key)!);
        const rate = Math.round((n / ms) * 1000);
        results[`import_${n}_${p.key}`] = rate;
        opts.log(
          `| ${n.toLocaleString('en')} | ${p.label} | ${rate.toLocaleString('en')} | ${(ms / baseline).toFixed(1)}× |`,
        );
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}
