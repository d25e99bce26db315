import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Bank } from '../src/core/bank/bank';
import { DevStream } from '../src/core/devstream';
import { syntheticMemories } from './corpus';

export interface BankBenchOptions {
  sizes: number[];
  seed: number;
  /** Saves measured per variant (interleaved in rounds of 10). */
  saves: number;
  log: (line: string) => void;
}

const tick = () => new Promise((r) => setImmediate(r));

function workspace(dir: string, name: string): { root: string; ds: DevStream } {
  const root = path.join(dir, name);
  return { root, ds: DevStream.open(path.join(root, '.devstream/devstream.db')) };
}

/**
 * The team bank's costs, in one process with real files:
 * - export of N shared memories into a new bank (`bank init` on an existing database);
 * - a fresh clone: N files into an empty database (`bank sync` after `git clone`), then the
 *   sync every later CLI start pays when nothing changed;
 * - one save through the use-case layer with the bank attached (the row plus its file) against
 *   the same save without a bank, on databases of the same size, measured alternately.
 */
export async function runBankBench(opts: BankBenchOptions): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devstream-bankbench-'));
  try {
    opts.log('\n## Team bank (files in .devstream/bank; embedding excluded)\n');
    opts.log('| memories | step | time | per memory (saves: vs no bank) |');
    opts.log('|---:|---|---:|---:|');
    for (const n of opts.sizes) {
      const src = workspace(dir, `source-${n}`);
      src.ds.memories.addMany(
        [...syntheticMemories(n, opts.seed)].map((m) => ({
          ...m,
          embedding: undefined,
          metadata: { scope: 'shared' },
        })),
      );
      const row = (step: string, ms: number) =>
        opts.log(`| ${n.toLocaleString('en')} | ${step} | ${fmt(ms)} | ${fmt(ms / n)} |`);
      const bankA = new Bank(src.root, { author: 'Bench <bench@example.com>' });
      row(
        'bank init: export to files',
        time(() => bankA.init(src.ds)),
      );
      const clone = workspace(dir, `clone-${n}`);
      const bankB = new Bank(clone.root);
      fs.cpSync(bankA.dir, bankB.dir, { recursive: true });
      let imported = 0;
      row(
        'fresh clone: sync files into an empty database',
        time(() => {
          imported = bankB.sync(clone.ds).imported.length;
        }),
      );
      if (imported !== n) throw new Error(`bank bench: imported ${imported} of ${n}`);
      row(
        'sync again, nothing changed (every CLI start)',
        time(() => bankB.sync(clone.ds)),
      );
      await saveCost(n, opts, src, bankA, dir);
      src.ds.close();
      clone.ds.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function saveCost(
  n: number,
  opts: BankBenchOptions,
  withBank: { root: string; ds: DevStream },
  bank: Bank,
  dir: string,
): Promise<void> {
  const plain = workspace(dir, `plain-${n}`);
  plain.ds.memories.addMany([...syntheticMemories(n, opts.seed)].map((m) => ({ ...m, embedding: undefined })));
  const sub = withBank.ds.attachBank(bank, (w) => {
    throw new Error(w);
  });
  const on: number[] = [];
  const off: number[] = [];
  const save = async (ds: DevStream, i: number, scope?: string) => {
    const t = performance.now();
    ds.memories.add({
      content: `Decision ${i}: keep retries bounded.`,
      contentType: 'decision',
      metadata: scope ? { scope } : undefined,
    });
    await tick(); // the bank's export runs on the change report, right after the write
    return performance.now() - t;
  };
  for (let i = 0; i < opts.saves; i += 10) {
    for (let k = 0; k < 10; k++) off.push(await save(plain.ds, i + k));
    for (let k = 0; k < 10; k++) on.push(await save(withBank.ds, i + k, 'shared'));
  }
  sub.dispose();
  plain.ds.close();
  const offMs = median(off);
  const onMs = median(on);
  opts.log(`| ${n.toLocaleString('en')} | one save, no bank (median of ${off.length}) | ${fmt(offMs)} | |`);
  const ratio = `${(onMs / offMs).toFixed(1)}×`;
  opts.log(
    `| ${n.toLocaleString('en')} | one shared save, bank on (median of ${on.length}) | ${fmt(onMs)} | ${ratio} |`,
  );
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const fmt = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(0)} µs`;
