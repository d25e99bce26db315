/**
 * Search benchmark: hybrid, vector-only (in-memory index and stock vec0) and keyword-only
 * latency on synthetic corpora, recall@10 of the vector channel against an exact brute-force
 * scan, and that scan's time as the baseline. Fixed seed: the same corpus and queries each run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type OpenedStore } from '../src/core/db/open';
import { BuiltinEmbedder, embedText } from '../src/core/embeddings/builtin';
import { loadWordVectors } from '../src/core/embeddings/wordVectors';
import { MemoryRepository } from '../src/core/memory/memoryRepository';
import type { ContentType } from '../src/core/memory/types';
import { hybridSearch, type HybridSearchOptions } from '../src/core/search/hybridSearch';
import { vectorIndexFor } from '../src/core/search/vectorIndexSync';
import { makeMemory, makeQueries, makeTopics, rng, STOP_WORD_QUERIES } from './searchBenchCorpus';

export interface SearchBenchOptions {
  sizes: number[];
  seed: number;
  /** Topic queries per size (the stop-word set is fixed). */
  queries: number;
  log: (line: string) => void;
  /** Keep corpora here between runs (built when missing); default: a temp folder removed at the end. */
  cacheDir?: string;
}

const CORPUS_VERSION = 1;
const K = 10;
/** vec0 KNN is slow at 100K: time it on a few queries only. */
const VEC0_QUERIES = 8;
const BUILD_BATCH = 100_000;

export async function runSearchBench(opts: SearchBenchOptions): Promise<void> {
  const dir = opts.cacheDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'devstream-search-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  try {
    for (const size of opts.sizes) await benchSize(size, dir, opts);
  } finally {
    if (!opts.cacheDir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function benchSize(size: number, dir: string, opts: SearchBenchOptions): Promise<void> {
  const { log, seed } = opts;
  const file = path.join(dir, `corpus-${size}-${seed}-v${CORPUS_VERSION}.db`);
  const store = corpus(file, size, seed, log);
  try {
    const wv = loadWordVectors();
    const topics = makeTopics(rng(seed));
    const queries = makeQueries(seed, topics, opts.queries).map((q) => ({ text: q, vector: embedText(wv, q) }));
    const stopQueries = STOP_WORD_QUERIES.map((q) => ({ text: q, vector: embedText(wv, q) }));
    const typeFilter: ContentType = 'decision';

    let t = performance.now();
    const exact = ExactScan.load(store);
    log(`  loaded ${exact.count} float32 vectors for the exact scan in ${ms(performance.now() - t)}`);
    t = performance.now();
    const index = vectorIndexFor(store);
    index.loadSync();
    const loadMs = performance.now() - t;
    const { vectors, bytes } = index.stats;
    log(
      `  in-memory index: ${index.status}, ${vectors} vectors, ${(bytes / 1e6).toFixed(1)} MB (${Math.round(bytes / Math.max(vectors, 1))} B/memory), loaded from ${index.loadedFrom} in ${ms(loadMs)}`,
    );
    if (index.loadedFrom === 'vectors') {
      // As a window or MCP server does after a full load; done here, not in the middle of the timings.
      t = performance.now();
      const stored = index.storeCodes();
      log(`  stored the index's codes in the database: ${stored ? ms(performance.now() - t) : 'failed'}`);
    }

    const base: HybridSearchOptions = { limit: K, recordAccess: false, recordMetrics: false };
    const rows: Row[] = [];
    const exactTimes = queries.map((q) => timed(() => exact.top(q.vector, K)).ms);
    const truth = queries.map((q) => exact.top(q.vector, K));
    const truthTyped = queries.map((q) => exact.top(q.vector, K, typeFilter));
    rows.push({ name: 'exact scan (JS, float32) = baseline', times: exactTimes });

    const idx = await measure(queries, (q) =>
      hybridSearch(store, q.text, { ...base, mode: 'vector', queryVector: q.vector }),
    );
    rows.push({ name: 'vector-only, in-memory index', times: idx.times, recall: recall(idx.ids, truth), via: idx.via });
    const typed = await measure(queries, (q) =>
      hybridSearch(store, q.text, {
        ...base,
        mode: 'vector',
        queryVector: q.vector,
        filters: { contentType: typeFilter },
      }),
    );
    rows.push({
      name: `vector-only, index, type=${typeFilter}`,
      times: typed.times,
      recall: recall(typed.ids, truthTyped),
      via: typed.via,
    });
    const few = queries.slice(0, VEC0_QUERIES);
    const vec0 = await measure(few, (q) =>
      hybridSearch(store, q.text, { ...base, mode: 'vector', queryVector: q.vector, useIndex: false }),
    );
    rows.push({
      name: `vector-only, stock vec0 (${few.length} queries)`,
      times: vec0.times,
      recall: recall(vec0.ids, truth.slice(0, few.length)),
      via: vec0.via,
    });
    const hyb = await measure(queries, (q) =>
      hybridSearch(store, q.text, { ...base, mode: 'hybrid', queryVector: q.vector }),
    );
    rows.push({ name: 'hybrid (index + FTS5, default fusion)', times: hyb.times, via: hyb.via });
    const hybStop = await measure(stopQueries, (q) =>
      hybridSearch(store, q.text, { ...base, mode: 'hybrid', queryVector: q.vector }),
    );
    rows.push({ name: 'hybrid, stop-word queries', times: hybStop.times, via: hybStop.via });
    const kw = await measure(queries, (q) => hybridSearch(store, q.text, { ...base, mode: 'keyword' }));
    rows.push({ name: 'keyword-only', times: kw.times });
    const kwStop = await measure(stopQueries, (q) => hybridSearch(store, q.text, { ...base, mode: 'keyword' }));
    rows.push({ name: 'keyword-only, stop-word queries', times: kwStop.times });
    const hybVec0 = await measure(few, (q) =>
      hybridSearch(store, q.text, { ...base, mode: 'hybrid', queryVector: q.vector, useIndex: false }),
    );
    rows.push({ name: `hybrid via stock vec0 (${few.length} queries)`, times: hybVec0.times });

    printTable(log, size, rows, percentile(exactTimes, 50));
  } finally {
    store.close();
  }
}

interface Row {
  name: string;
  times: number[];
  recall?: number;
  via?: string;
}

function printTable(log: (s: string) => void, size: number, rows: Row[], baseline: number): void {
  log(
    `  ${size.toLocaleString('en')} memories, k=${K}; p50/p95 in ms; ratio = exact-scan p50 / p50 (higher is faster)`,
  );
  log(
    `  | ${'search'.padEnd(40)} | ${'p50'.padStart(7)} | ${'p95'.padStart(7)} | ${'ratio'.padStart(6)} | recall@10 | path`,
  );
  log(`  |${'-'.repeat(42)}|${'-'.repeat(9)}|${'-'.repeat(9)}|${'-'.repeat(8)}|-----------|------`);
  for (const r of rows) {
    const p50 = percentile(r.times, 50);
    log(
      `  | ${r.name.padEnd(40)} | ${p50.toFixed(2).padStart(7)} | ${percentile(r.times, 95).toFixed(2).padStart(7)} | ${(baseline / p50).toFixed(1).padStart(5)}× | ${r.recall === undefined ? '    -    ' : r.recall.toFixed(3).padStart(9)} | ${r.via ?? ''}`,
    );
  }
}

async function measure<Q>(
  queries: Q[],
  run: (q: Q) => Promise<{ hits: { id: string }[]; channels: { vector: { via?: string } } }>,
) {
  for (const q of queries.slice(0, 3)) await run(q); // warm caches and statements
  const times: number[] = [];
  const ids: string[][] = [];
  const vias = new Set<string>();
  for (const q of queries) {
    const t = performance.now();
    const r = await run(q);
    times.push(performance.now() - t);
    ids.push(r.hits.map((h) => h.id));
    if (r.channels.vector.via) vias.add(r.channels.vector.via);
  }
  return { times, ids, via: [...vias].join(',') };
}

function recall(got: string[][], truth: string[][]): number {
  let sum = 0;
  truth.forEach((t, i) => {
    const g = new Set(got[i].slice(0, K));
    sum += t.length === 0 ? 1 : t.filter((id) => g.has(id)).length / t.length;
  });
  return sum / truth.length;
}

/** Brute force over every stored vector: the ground truth, and the time to beat. */
class ExactScan {
  private constructor(
    readonly count: number,
    private readonly dim: number,
    private readonly vectors: Float32Array,
    private readonly ids: string[],
    private readonly types: string[],
    private readonly norms: Float32Array,
  ) {}

  static load(store: OpenedStore): ExactScan {
    // Row by row into one array: at 1M memories an .all() would hold 3 GB of Buffers at once.
    const count = store.db
      .prepare(`SELECT count(*) FROM semantic_memory WHERE embedding IS NOT NULL`)
      .pluck()
      .get() as number;
    const rows = store.db.prepare(
      `SELECT id, content_type, embedding FROM semantic_memory WHERE embedding IS NOT NULL ORDER BY rowid`,
    );
    let dim = 0;
    let vectors = new Float32Array(0);
    const norms = new Float32Array(count);
    const ids: string[] = [];
    const types: string[] = [];
    for (const r of rows.iterate() as Iterable<{ id: string; content_type: string; embedding: Buffer }>) {
      if (dim === 0) {
        dim = r.embedding.byteLength / 4;
        vectors = new Float32Array(count * dim);
      }
      const i = ids.length;
      new Uint8Array(vectors.buffer, i * dim * 4, dim * 4).set(r.embedding);
      let s = 0;
      for (let d = 0; d < dim; d++) s += vectors[i * dim + d] ** 2;
      norms[i] = Math.sqrt(s);
      ids.push(r.id);
      types.push(r.content_type);
    }
    return new ExactScan(ids.length, dim || 768, vectors, ids, types, norms);
  }

  top(q: Float32Array, k: number, type?: string): string[] {
    const { dim, vectors } = this;
    let qn = 0;
    for (let d = 0; d < dim; d++) qn += q[d] * q[d];
    qn = Math.sqrt(qn);
    const best: { i: number; s: number }[] = [];
    for (let i = 0; i < this.count; i++) {
      if (type && this.types[i] !== type) continue;
      let dot = 0;
      const o = i * dim;
      for (let d = 0; d < dim; d++) dot += q[d] * vectors[o + d];
      const s = dot / (qn * this.norms[i]);
      if (best.length < k || s > best[best.length - 1].s) {
        best.push({ i, s });
        best.sort((a, b) => b.s - a.s || a.i - b.i);
        if (best.length > k) best.pop();
      }
    }
    return best.map((b) => this.ids[b.i]);
  }
}

/** The cached corpus file for (size, seed) in `dir`, built first when missing (other benchmarks reuse it). */
export function buildCorpus(size: number, seed: number, dir: string, log: (s: string) => void): string {
  const file = path.join(dir, `corpus-${size}-${seed}-v${CORPUS_VERSION}.db`);
  corpus(file, size, seed, log).close();
  return file;
}

/** The corpus database: reused when a complete one is cached, else built. */
function corpus(file: string, size: number, seed: number, log: (s: string) => void): OpenedStore {
  if (fs.existsSync(file)) {
    const store = openStore(file);
    const n = store.db.prepare(`SELECT count(*) FROM semantic_memory`).pluck().get() as number;
    if (n === size) {
      log(`${size.toLocaleString('en')} memories: reusing ${file}`);
      return store;
    }
    store.close();
    fs.rmSync(file, { force: true });
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  const embedder = new BuiltinEmbedder();
  const wv = loadWordVectors();
  const topics = makeTopics(rng(seed));
  const store = openStore(file);
  const repo = new MemoryRepository(store);
  let embedMs = 0;
  let insertMs = 0;
  // Batches of 100K (one transaction each): a 1M corpus held at once would need ~5 GB.
  for (let start = 0; start < size; start += BUILD_BATCH) {
    let t = performance.now();
    const memories = Array.from({ length: Math.min(BUILD_BATCH, size - start) }, (_, j) => {
      const { topic: _topic, ...m } = makeMemory(seed, topics, start + j);
      return { ...m, embedding: { vector: embedText(wv, m.content), model: embedder.model, provider: embedder.id } };
    });
    embedMs += performance.now() - t;
    t = performance.now();
    repo.addMany(memories);
    insertMs += performance.now() - t;
  }
  const t = performance.now();
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  insertMs += performance.now() - t;
  log(
    `${size.toLocaleString('en')} memories: generated and embedded (built-in embedder) in ${ms(embedMs)} (${Math.round(size / (embedMs / 1000))}/s), ` +
      `inserted in transactions of 100K in ${ms(insertMs)} (${Math.round(size / (insertMs / 1000))} rows/s), ${(fs.statSync(file).size / 1e6).toFixed(0)} MB`,
  );
  return store;
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t };
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`);
