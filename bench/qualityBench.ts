/**
 * Retrieval quality: MRR@10, Recall@1 and Recall@10 of DevStream's keyword, vector and hybrid
 * search (the real hybridSearch over a real database file, default built-in embedder) against
 * stock SQLite FTS5 BM25 over the same documents in the same run. Queries come from held-out
 * packages only (see qualityCorpus.ts); the dev split is what weights were tuned on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src/core/db/open';
import { BuiltinEmbedder } from '../src/core/embeddings/builtin';
import type { Embedder } from '../src/core/embeddings/types';
import { MemoryRepository } from '../src/core/memory/memoryRepository';
import { hybridSearch, type HybridSearchOptions, type SearchMode } from '../src/core/search/hybridSearch';
import { clean, jsPairs, pythonPairs, pythonRoot, splitOf, type Pair, type Split } from './qualityCorpus';
import { notePairs } from './qualityNotes';

export interface QualitySet {
  name: string;
  /** Every document of the pool; the queries' targets are among them. */
  docs: { id: string; text: string; type: 'code' | 'decision' | 'error' | 'learning' | 'context' }[];
  queries: { text: string; target: string }[];
}

export interface Metrics {
  mrr: number;
  r1: number;
  r10: number;
  ranks: number[];
}

const K = 10;
const MAX_QUERIES = 600;

/** The sets, built from the installed sources; `split` picks the queries (the pool is every split). */
export function qualitySets(split: Split, seed: number): QualitySet[] {
  const sets: QualitySet[] = [];
  const py = pythonRoot();
  if (py) sets.push(docstringSet(`python stdlib (${path.basename(py)})`, clean(pythonPairs(py), seed), split, seed));
  const nm = path.resolve(__dirname, '..', '..', 'node_modules');
  if (fs.existsSync(nm))
    sets.push(docstringSet('node_modules JS/TS', clean(jsPairs(fs.realpathSync(nm)), seed), split, seed));
  sets.push(notePairs(split));
  return sets;
}

function docstringSet(name: string, pairs: Pair[], split: Split, seed: number): QualitySet {
  const docs = pairs.map((p) => ({ id: p.id, text: p.doc, type: 'code' as const }));
  const queries = pairs
    .filter((p) => splitOf(p.unit) === split)
    .slice(0, MAX_QUERIES)
    .map((p) => ({ text: p.query, target: p.id }));
  void seed; // clean() already ordered the pairs by the seed
  return { name: `docstring → function, ${name}`, docs, queries };
}

export function metrics(ranks: number[]): Metrics {
  const n = Math.max(ranks.length, 1);
  return {
    mrr: ranks.reduce((s, r) => s + (r > 0 && r <= K ? 1 / r : 0), 0) / n,
    r1: ranks.filter((r) => r === 1).length / n,
    r10: ranks.filter((r) => r > 0 && r <= K).length / n,
    ranks,
  };
}

/** 1-based rank of the target in the top K, 0 when missing. */
const rankOf = (ids: string[], target: string) => ids.indexOf(target) + 1;

/** Stock FTS5: default tokenizer, bm25() with default parameters, the query's words OR-ed. */
export function stockBm25(set: QualitySet): number[] {
  const db = new Database(':memory:');
  try {
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, content)`);
    const insert = db.prepare(`INSERT INTO t (id, content) VALUES (?, ?)`);
    db.transaction(() => set.docs.forEach((d) => insert.run(d.id, d.text)))();
    const search = db.prepare(`SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ${K}`).pluck();
    return set.queries.map((q) => {
      const words = [...new Set(q.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
      if (!words.length) return 0;
      return rankOf(search.all(words.map((w) => `"${w}"`).join(' OR ')) as string[], q.target);
    });
  } finally {
    db.close();
  }
}

/** DevStream's modes over one real database file holding the set, embedded by `embedder`. */
export async function devstreamRanks(
  set: QualitySet,
  embedder: Embedder,
  modes: SearchMode[],
  extra: Record<string, Partial<HybridSearchOptions>> = {},
): Promise<Record<string, number[]>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devstream-quality-'));
  const store = openStore(path.join(dir, 'quality.db'));
  try {
    const ids = new Map<string, string>(); // set id → memory id
    const vectors = await embedder.embed(
      set.docs.map((d) => d.text),
      'document',
    );
    const memIds = new MemoryRepository(store).addMany(
      set.docs.map((d, i) => ({
        content: d.text,
        contentType: d.type,
        source: 'bench',
        embedding: { vector: vectors[i], model: embedder.model, provider: embedder.id },
      })),
    );
    set.docs.forEach((d, i) => ids.set(memIds[i], d.id));
    const out: Record<string, number[]> = {};
    const runs: [string, Partial<HybridSearchOptions>][] = [
      ...modes.map((mode) => [mode, { mode }] as [string, Partial<HybridSearchOptions>]),
      ...Object.entries(extra),
    ];
    for (const [name, options] of runs) {
      const ranks: number[] = [];
      for (const q of set.queries) {
        const r = await hybridSearch(store, q.text, {
          embedder,
          limit: K,
          recordAccess: false,
          recordMetrics: false,
          ...options,
        });
        ranks.push(
          rankOf(
            r.hits.map((h) => ids.get(h.id)!),
            q.target,
          ),
        );
      }
      out[name] = ranks;
    }
    return out;
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface QualityBenchOptions {
  seed: number;
  split?: Split;
  log: (line: string) => void;
}

export async function runQualityBench(opts: QualityBenchOptions): Promise<void> {
  const { log } = opts;
  const split = opts.split ?? 'test';
  const embedder = new BuiltinEmbedder();
  const which = split === 'test' ? 'held out' : 'tuned on';
  log(`\n## Retrieval quality (${split} split, ${which}; ${embedder.model}; seed ${opts.seed})`);
  for (const set of qualitySets(split, opts.seed)) {
    const t = performance.now();
    const rows: [string, Metrics][] = [['stock FTS5 BM25 (baseline)', metrics(stockBm25(set))]];
    // Alternatives measured in the same run (docs/search.md says why they are not the default).
    const alternatives: Record<string, Partial<HybridSearchOptions>> = {
      'hybrid, RRF 1 : 1 (before)': { mode: 'hybrid', fusion: 'rrf', weights: { keyword: 1, vector: 1 } },
      'hybrid, scores only': { mode: 'hybrid', rankWeight: 0 },
      // The Search view searches as you type: the last word also matches as a prefix.
      'hybrid, last word a prefix': { mode: 'hybrid', prefixLast: true },
    };
    const ds = await devstreamRanks(set, embedder, ['keyword', 'vector', 'hybrid'], alternatives);
    for (const mode of ['keyword', 'vector', 'hybrid'])
      rows.push([mode === 'hybrid' ? 'hybrid (default)' : mode, metrics(ds[mode])]);
    for (const name of Object.keys(alternatives)) rows.push([name, metrics(ds[name])]);
    const base = rows[0][1].mrr;
    const secs = ((performance.now() - t) / 1000).toFixed(1);
    log(`\n  ${set.name}: ${set.queries.length} queries, ${set.docs.length} documents (${secs} s)`);
    log(`  | ${'mode'.padEnd(28)} | MRR@10 | R@1   | R@10  | vs BM25 |`);
    log(`  |${'-'.repeat(30)}|--------|-------|-------|---------|`);
    for (const [name, m] of rows) {
      const ratio = (m.mrr / base).toFixed(2).padStart(6);
      log(`  | ${name.padEnd(28)} | ${m.mrr.toFixed(3)}  | ${m.r1.toFixed(3)} | ${m.r10.toFixed(3)} | ${ratio}× |`);
    }
    const best = Math.max(metrics(ds.keyword).mrr, metrics(ds.vector).mrr);
    const [better, worse] = paired(ds.hybrid, rows[0][1].ranks);
    const vsBest = (metrics(ds.hybrid).mrr / best).toFixed(3);
    const vsBm25 = (metrics(ds.hybrid).mrr / base).toFixed(3);
    log(
      `  hybrid vs best channel: ${vsBest}×; vs BM25: ${vsBm25}×; per query vs BM25: ${better} better, ${worse} worse`,
    );
  }
}

function paired(a: number[], b: number[]): [number, number] {
  const rr = (r: number) => (r > 0 ? 1 / r : 0);
  let better = 0;
  let worse = 0;
  a.forEach((r, i) => {
    if (rr(r) > rr(b[i])) better++;
    else if (rr(r) < rr(b[i])) worse++;
  });
  return [better, worse];
}
