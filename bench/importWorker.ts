import fs from 'node:fs';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { openStore } from '../src/core/db/open';
import { MemoryRepository } from '../src/core/memory/memoryRepository';
import type { NewMemory } from '../src/core/memory/types';
import { exportJsonl } from '../src/core/transfer/exportJsonl';
import { importJsonl } from '../src/core/transfer/importJsonl';
import { seededRandom } from '../test/helpers/random';
import { syntheticMemories } from './corpus';

/**
 * One import measurement in a fresh process, so that no path pays for another's heap (the
 * inputs of all paths at 100K take about a gigabyte). Inputs are made before the clock starts.
 *   node importWorker.js PATH N SEED TARGET [EXPORT_FILE]
 * prints {"ms": …}. PATH: baseline | keyword | vectors (insert N generated memories),
 * export-keyword | export-vectors (write EXPORT_FILE), jsonl (import EXPORT_FILE).
 */
export type WorkerPath = 'baseline' | 'keyword' | 'vectors' | 'export-keyword' | 'export-vectors' | 'jsonl';

async function main(): Promise<void> {
  const [which, n, seed, target, exportFile] = process.argv.slice(2) as [WorkerPath, string, string, string, string?];
  const rows = () => [...syntheticMemories(Number(n), Number(seed))];
  let ms: number;
  switch (which) {
    case 'baseline': {
      const input = rows();
      ms = timed(() => plainInsert(target, input));
      break;
    }
    case 'keyword':
    case 'vectors': {
      const input = which === 'vectors' ? withEmbeddings(rows(), Number(seed)) : rows();
      ms = timed(() => devstreamInsert(target, input));
      break;
    }
    case 'export-keyword':
    case 'export-vectors': {
      devstreamInsert(target, which === 'export-vectors' ? withEmbeddings(rows(), Number(seed)) : rows());
      ms = timed(() => writeExport(target, exportFile!));
      break;
    }
    case 'jsonl': {
      // As `devstream import FILE` reads it: a line stream from the file.
      const t0 = performance.now();
      const store = openStore(target);
      try {
        const report = await importJsonl(
          store,
          readline.createInterface({ input: fs.createReadStream(exportFile!), crlfDelay: Infinity }),
        );
        if (report.errors.length > 0)
          throw new Error(`import reported errors: ${JSON.stringify(report.errors.slice(0, 3))}`);
      } finally {
        store.close();
      }
      ms = performance.now() - t0;
      break;
    }
    default:
      throw new Error(`unknown path ${String(which)}`);
  }
  process.stdout.write(JSON.stringify({ ms }) + '\n');
}

function timed(work: () => void): number {
  const t0 = performance.now();
  work();
  return performance.now() - t0;
}

function withEmbeddings(rows: NewMemory[], seed: number): NewMemory[] {
  const r = seededRandom(seed + 1);
  return rows.map((m) => {
    const v = new Float32Array(768);
    let norm = 0;
    for (let i = 0; i < 768; i++) {
      v[i] = r() - 0.5;
      norm += v[i] * v[i];
    }
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

function writeExport(dbFile: string, out: string): void {
  const store = openStore(dbFile);
  try {
    const fd = fs.openSync(out, 'w');
    try {
      for (const line of exportJsonl(store)) fs.writeSync(fd, line + '\n');
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    store.close();
  }
}

function plainInsert(file: string, rows: NewMemory[]): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    `CREATE TABLE m (id TEXT PRIMARY KEY, content TEXT NOT NULL, content_type TEXT NOT NULL, keywords TEXT, source TEXT)`,
  );
  const stmt = db.prepare(`INSERT INTO m VALUES (?, ?, ?, ?, ?)`);
  db.transaction(() => {
    let i = 0;
    for (const r of rows)
      stmt.run(`id-${i++}`, r.content, r.contentType, JSON.stringify(r.keywords ?? []), r.source ?? null);
  })();
  db.close();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
