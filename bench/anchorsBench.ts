import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { reanchor } from '../src/core/anchors/reanchor';
import { shiftRanges, type TextEdit } from '../src/core/anchors/shiftRange';
import { openStore } from '../src/core/db/open';
import { makeAnchor } from '../src/core/memory/anchor';
import type { NewMemory } from '../src/core/memory/types';
import { MemoryRepository } from '../src/core/memory/memoryRepository';
import { seededRandom } from '../test/helpers/random';

export interface AnchorsBenchOptions {
  files: number;
  memoriesPerFile: number;
  seed: number;
  rounds: number;
  log: (line: string) => void;
}

const FILE_LINES = 300;
const SNIPPET_LINES = 6;
const NAMES = [
  'user',
  'order',
  'cache',
  'queue',
  'token',
  'session',
  'webhook',
  'config',
  'schema',
  'payload',
  'invoice',
  'route',
];

/**
 * Re-anchoring after outside changes, and live tracking per keystroke.
 * 1. A workspace of `files` files × 300 code-like lines, `memoriesPerFile` memories of 6 lines
 *    each; then every file changes outside the editor: lines inserted at the top of all of them
 *    (moved), one line edited inside a third of the snippets (changed), a tenth of the snippets
 *    rewritten (lost), 2% of the files deleted (file-missing). Timed: reanchor() with writes.
 *    Baseline in the same run: reading and splitting the same files into lines (the floor).
 * 2. One keystroke in a file with 200 memories: shiftRanges() for a character typed (below
 *    all of them, the common case) and for Enter typed above all of them (every range moves).
 *    Baseline: copying the 200 ranges.
 */
export function runAnchorsBench(opts: AnchorsBenchOptions): void {
  const r = seededRandom(opts.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'devstream-anchors-bench-'));
  try {
    const line = (i: number) =>
      `  const ${pick(NAMES)}${i} = await load${cap(pick(NAMES))}(${pick(NAMES)}, { retries: ${Math.floor(r() * 9)} });`;
    const texts: string[][] = [];
    for (let f = 0; f < opts.files; f++) {
      texts.push(
        Array.from({ length: FILE_LINES }, (_, i) =>
          i % 25 === 0 ? `export async function step${f}_${i}() {` : line(i),
        ),
      );
    }
    const store = openStore(path.join(root, '.devstream/devstream.db'));
    const gap = Math.floor(FILE_LINES / opts.memoriesPerFile);
    const memories: NewMemory[] = [];
    texts.forEach((lines, f) => {
      const file = `src/m${f}.ts`;
      fs.mkdirSync(path.join(root, 'src'), { recursive: true });
      const text = lines.join('\n');
      fs.writeFileSync(path.join(root, file), text);
      for (let k = 0; k < opts.memoriesPerFile; k++) {
        const start = 1 + k * gap + 2;
        memories.push({
          content: lines.slice(start - 1, start - 1 + SNIPPET_LINES).join('\n'),
          contentType: 'code',
          anchor: makeAnchor(text, start, start + SNIPPET_LINES - 1, { file }),
        });
      }
    });
    new MemoryRepository(store).addMany(memories);

    // the outside change
    texts.forEach((lines, f) => {
      const file = path.join(root, `src/m${f}.ts`);
      if (f % 50 === 7) {
        fs.rmSync(file);
        return;
      }
      const next = [...lines];
      for (let k = opts.memoriesPerFile - 1; k >= 0; k--) {
        const start = k * gap + 2;
        const roll = r();
        if (roll < 0.1)
          for (let j = 0; j < SNIPPET_LINES; j++) next[start + j] = `  rewritten(${f}, ${k}, ${j}, '${pick(NAMES)}');`;
        else if (roll < 0.43)
          next[start + 2] = next[start + 2].replace(/retries: \d/, 'retries: 99').replace('await ', '');
      }
      fs.writeFileSync(file, ['// header added', '// by a formatter', '', ...next].join('\n'));
    });

    const floor = () => {
      let n = 0;
      for (let f = 0; f < opts.files; f++) {
        try {
          n += fs.readFileSync(path.join(root, `src/m${f}.ts`), 'utf8').split(/\r?\n/).length;
        } catch {
          /* deleted */
        }
      }
      return n;
    };
    const base: number[] = [];
    const times: number[] = [];
    let states = new Map<string, number>();
    for (let round = 0; round < opts.rounds; round++) {
      let t = performance.now();
      floor();
      base.push(performance.now() - t);
      // every round starts from the stored anchors as they were before the change
      const snapshot = store.db.prepare(`SELECT id, context_snapshot FROM semantic_memory`).all() as {
        id: string;
        context_snapshot: string;
      }[];
      t = performance.now();
      const statuses = reanchor(store, root, { write: true });
      times.push(performance.now() - t);
      states = new Map();
      for (const s of statuses) states.set(s.state, (states.get(s.state) ?? 0) + 1);
      const restore = store.db.prepare(`UPDATE semantic_memory SET context_snapshot = ? WHERE id = ?`);
      store.tx(() => {
        for (const s of snapshot) restore.run(s.context_snapshot, s.id);
      });
    }
    store.close();
    const ms = median(times);
    const total = opts.files * opts.memoriesPerFile;
    opts.log(
      `\n## Re-anchoring after outside changes (${total.toLocaleString('en')} memories in ${opts.files.toLocaleString('en')} changed files, ` +
        `median of ${opts.rounds})\n`,
    );
    opts.log('| what | ms | memories/s | vs. floor |');
    opts.log('|---|---|---|---|');
    opts.log(`| read + split the files (floor) | ${median(base).toFixed(0)} | – | 1.0× |`);
    opts.log(
      `| reanchor(): check all, store states and lines | ${ms.toFixed(0)} | ${Math.round(total / (ms / 1000)).toLocaleString('en')} | ${(ms / median(base)).toFixed(1)}× |`,
    );
    opts.log(`\nStates found: ${[...states].map(([k, n]) => `${k} ${n}`).join(', ')}`);

    keystrokeBench(opts);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function keystrokeBench(opts: AnchorsBenchOptions): void {
  const ranges = Array.from({ length: 200 }, (_, i) => ({ id: `m${i}`, start: 20 + i * 10, end: 24 + i * 10 }));
  const typeChar: TextEdit[] = [{ startLine: 5000, startChar: 4, endLine: 5000, endChar: 4, text: 'x' }];
  const enterAbove: TextEdit[] = [{ startLine: 3, startChar: 0, endLine: 3, endChar: 0, text: '\n' }];
  const N = 20_000;
  const per = (fn: () => unknown) => {
    const runs: number[] = [];
    for (let round = 0; round < opts.rounds; round++) {
      const t = performance.now();
      for (let i = 0; i < N; i++) fn();
      runs.push(((performance.now() - t) * 1000) / N);
    }
    return median(runs);
  };
  const copy = per(() => ranges.map((x) => ({ ...x })));
  const typed = per(() => shiftRanges(ranges, typeChar));
  const enter = per(() => shiftRanges(ranges, enterAbove));
  opts.log(
    `\n## Live tracking: cost per keystroke, 200 memories in the file (µs, median of ${opts.rounds} × ${N.toLocaleString('en')})\n`,
  );
  opts.log('| keystroke | µs | vs. copying 200 ranges |');
  opts.log('|---|---|---|');
  opts.log(`| copy 200 ranges (baseline) | ${copy.toFixed(2)} | 1.0× |`);
  opts.log(`| a character typed below the memories | ${typed.toFixed(2)} | ${(typed / copy).toFixed(1)}× |`);
  opts.log(`| Enter above all of them (all move) | ${enter.toFixed(2)} | ${(enter / copy).toFixed(1)}× |`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
