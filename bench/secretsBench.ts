/**
 * Secrets benchmark: recall per token family (bare, in prose, in assignment shapes), false
 * findings on documented placeholders and on several MB of ordinary source (node_modules), and
 * scan time for 1 MB of ordinary and of adversarial input against a same-run baseline (one
 * linear regex pass over the same text).
 */
import fs from 'node:fs';
import path from 'node:path';
import { scanSecrets } from '../src/core/memory/secrets';
import { FAMILIES, SHAPES, tokens } from './secretsCorpus';

export interface SecretsBenchOptions {
  seed: number;
  /** Tokens per family and shape. */
  perFamily: number;
  log: (line: string) => void;
}

type Span = { start: number; end: number };
const scan = (text: string): Promise<Span[]> => scanSecrets(text);

/** A token counts as caught when one finding covers all of it. */
function covered(found: Span[], at: number, length: number): boolean {
  return found.some((f) => f.start <= at && f.end >= at + length);
}

async function recallTable(opts: SecretsBenchOptions): Promise<void> {
  const { log } = opts;
  log(`\n### Recall per family (${opts.perFamily} tokens per family and shape, seed ${opts.seed})\n`);
  log(`| family | ${SHAPES.map((s) => s.name).join(' | ')} | placeholders flagged |`);
  log(`|---|${SHAPES.map(() => '---:').join('|')}|---:|`);
  const totals = new Map<string, { hit: number; n: number }>(SHAPES.map((s) => [s.name, { hit: 0, n: 0 }]));
  let placeholderHits = 0;
  let placeholders = 0;
  for (const [fi, family] of FAMILIES.entries()) {
    const cells: string[] = [];
    for (const shape of SHAPES) {
      let hit = 0;
      const list = tokens(family, opts.perFamily, opts.seed * 1000 + fi);
      for (const t of list) {
        const text = shape.wrap(t);
        if (covered(await scan(text), text.indexOf(t), t.length)) hit++;
      }
      const tot = totals.get(shape.name)!;
      tot.hit += hit;
      tot.n += list.length;
      cells.push(`${Math.round((100 * hit) / list.length)}%`);
    }
    let flagged = 0;
    for (const p of family.placeholders)
      for (const shape of SHAPES.slice(0, 3)) if ((await scan(shape.wrap(p))).length > 0) flagged++;
    placeholderHits += flagged;
    placeholders += family.placeholders.length * 3;
    log(`| ${family.name} | ${cells.join(' | ')} | ${flagged}/${family.placeholders.length * 3} |`);
  }
  const all = [...totals.values()].map((t) => `**${((100 * t.hit) / t.n).toFixed(1)}%**`);
  log(`| **all** | ${all.join(' | ')} | **${placeholderHits}/${placeholders}** |`);
}

/** Ordinary source files from installed packages, in a fixed order, up to `bytes`. */
function ordinarySource(bytes: number): { text: string; files: number } {
  const roots = ['typescript/lib', 'zod', 'commander', '@modelcontextprotocol/sdk/dist', 'eslint/lib', 'prettier'];
  const parts: string[] = [];
  let size = 0;
  let files = 0;
  const walk = (dir: string): void => {
    if (size >= bytes || !fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (size >= bytes) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(?:[cm]?js|ts|md|json)$/.test(e.name) && !/\.min\.|\.map$/.test(e.name)) {
        const t = fs.readFileSync(p, 'utf8').slice(0, Math.min(128 * 1024, bytes - size)); // many files, not one
        parts.push(t);
        size += t.length;
        files++;
      }
    }
  };
  for (const r of roots) walk(path.join('node_modules', r));
  return { text: parts.join('\n'), files };
}

function adversarial(bytes: number): Record<string, string> {
  const fill = (unit: string) => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
  return {
    'one long token run': fill('aB3'),
    'unclosed quotes after names': fill('password = "'),
    'PEM headers without END': fill('-----BEGIN PRIVATE KEY-----\nAAAA\n'),
    'JWT-like prefixes': fill('eyJhbGciOi.'),
    'assignment chains': fill('token=a='),
    'connection-string starts': fill('x://a:b'),
  };
}

async function timeScan(text: string, rounds = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await scan(text);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

function baseline(text: string, rounds = 3): number {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    text.match(/[A-Za-z0-9_]{20,}/g);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

export async function runSecretsBench(opts: SecretsBenchOptions): Promise<void> {
  const { log } = opts;
  log('\n## Secrets');
  await scan('warm up: ghp_' + 'a1B2'.repeat(9)); // loads the rule set once, as the first store does
  await recallTable(opts);

  const corpus = ordinarySource(4 * 2 ** 20);
  const found = await scan(corpus.text);
  log(
    `\n### Ordinary source: ${(corpus.text.length / 2 ** 20).toFixed(1)} MB, ${corpus.files} files from node_modules\n`,
  );
  log(`findings: **${found.length}**`);
  for (const f of found.slice(0, 10)) {
    const line = corpus.text.slice(corpus.text.lastIndexOf('\n', f.start) + 1, corpus.text.indexOf('\n', f.end)).trim();
    log(`- \`${line.slice(0, 100).replace(/`/g, "'")}\``);
  }

  log('\n### Scan time, 1 MB (median of 3; baseline: one `/[A-Za-z0-9_]{20,}/g` pass over the same text)\n');
  log('| input | scan ms | baseline ms | ratio |');
  log('|---|---:|---:|---:|');
  const rows: [string, string][] = [
    ['ordinary source', corpus.text.slice(0, 2 ** 20)],
    ...Object.entries(adversarial(2 ** 20)),
  ];
  for (const [name, text] of rows) {
    const ms = await timeScan(text);
    const base = baseline(text);
    log(`| ${name} | ${ms.toFixed(0)} | ${base.toFixed(1)} | ${(ms / base).toFixed(1)}× |`);
  }
}
