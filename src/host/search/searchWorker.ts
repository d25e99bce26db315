// The search worker (bundled to dist/searchWorker.js): runs hybrid search off the extension
// host's main thread, on its own read-only connection and its own embedder instance, so
// typing in the Search view never blocks the editor (embedding a query, BM25, KNN, fusion).
import { parentPort } from 'node:worker_threads';
import { openStore, type OpenedStore } from '../../core/db/open';
import { BuiltinEmbedder } from '../../core/embeddings/builtin';
import { OllamaEmbedder } from '../../core/embeddings/ollama';
import type { Embedder } from '../../core/embeddings/types';
import { MemoryRepository } from '../../core/memory/memoryRepository';
import { previewLine } from '../../core/memory/preview';
import { hybridSearch } from '../../core/search/hybridSearch';
import { vectorIndexFor } from '../../core/search/vectorIndexSync';
import { CoolingEmbedder } from './coolingEmbedder';
import type { FromWorker, ToWorker, WorkerConfig } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('searchWorker must run in a worker thread');

let config: WorkerConfig | undefined;
let store: OpenedStore | undefined;
let embedder: Embedder | undefined;
let searches = 0;
/**
 * While the index loads, vec0 answers the vector channel: fine at 10K (~10-20 ms), but ~100 ms
 * of scanning at 100K. Above this many vectors the first searches of a window are keyword-only
 * and the view re-runs them when the index is ready (the worker sends indexReady).
 */
const KEYWORD_FIRST_ABOVE = 20_000;
let keywordFirstSent = false;
const running = new Map<number, AbortController>();

const send = (m: FromWorker) => port.postMessage(m);
const log = (level: 'info' | 'warn' | 'error', message: string) => send({ type: 'log', level, message });

function configure(next: WorkerConfig): void {
  if (store && config?.dbPath !== next.dbPath) {
    store.close();
    store = undefined;
  }
  config = next;
  embedder = makeEmbedder(next);
}

function makeEmbedder(c: WorkerConfig): Embedder | undefined {
  if (!c.embedder) return undefined;
  if (c.embedder.provider === 'builtin') return new BuiltinEmbedder();
  // Search as you type cannot wait 30 s for a server that is down: one short try, then a
  // cool-down during which queries go keyword-only (reported as degraded).
  return new CoolingEmbedder(
    new OllamaEmbedder({ host: c.embedder.url, model: c.embedder.model, timeoutMs: 3000, maxAttempts: 1 }),
  );
}

function openedStore(): OpenedStore {
  if (store) return store;
  if (!config) throw new Error('the search worker is not configured');
  // The host's connection migrated the file and records access counts; this connection writes
  // only the vector index's codes (vector_index_codes), so the next window or CLI search starts
  // from them instead of reading every vector.
  store = openStore(config.dbPath);
  const index = vectorIndexFor(store);
  void index.load().then(() => {
    const from = index.loadedFrom ? `, from ${index.loadedFrom}` : '';
    log('info', `search worker: vector index ${index.status} (${index.stats.vectors} vectors${from})`);
    if (keywordFirstSent) send({ type: 'indexReady' });
    keywordFirstSent = false;
  });
  return store;
}

/** The first query should not pay for opening the file and loading tables (~1 s). */
function warm(): void {
  const t0 = performance.now();
  openedStore();
  // Only the built-in embedder: warming a remote one would send a request per window.
  const local = embedder instanceof BuiltinEmbedder ? embedder.embed(['warm up'], 'query') : Promise.resolve([]);
  void local.then(
    () => log('info', `search worker ready in ${Math.round(performance.now() - t0)} ms`),
    (e: Error) => log('warn', `search worker: warming the embedder failed: ${e.message}`),
  );
}

async function search(m: Extract<ToWorker, { type: 'search' }>): Promise<void> {
  const abort = new AbortController();
  running.set(m.id, abort);
  try {
    const loading = vectorIndexFor(openedStore()).loadingVectors;
    const keywordFirst = embedder !== undefined && loading > KEYWORD_FIRST_ABOVE;
    const result = await hybridSearch(openedStore(), m.query, {
      embedder,
      ...(keywordFirst ? { mode: 'keyword' as const } : {}),
      limit: m.options.limit,
      rrfK: m.options.rrfK,
      weights: m.options.weights,
      filters: m.options.filters,
      prefixLast: m.options.prefixLast,
      signal: abort.signal,
      recordAccess: false,
      recordMetrics: false,
    });
    if (keywordFirst) {
      keywordFirstSent = true;
      result.degraded =
        `Keyword results first: the vector index is loading (${loading.toLocaleString('en')} memories); ` +
        'vector results join when it is ready.';
    }
    if (searches++ === 0) {
      // The startup benchmark reads this: which path answered the first search of a window.
      const v = result.channels.vector;
      const via = v.via ?? (keywordFirst ? 'keyword-first' : 'none');
      log('info', `first search: vector channel via ${via} in ${Math.round(result.timings.totalMs)} ms`);
    }
    // Titles from the full text: a snippet is cut around the matches, not at the start.
    const repo = new MemoryRepository(openedStore());
    const titles = result.hits.map((h) =>
      previewLine(repo.get(h.id)?.content ?? h.snippet.replace(/[\u0002\u0003]/g, '')),
    );
    send({ type: 'result', id: m.id, result, titles });
  } catch (e) {
    send({
      type: 'error',
      id: m.id,
      message: e instanceof Error ? e.message : String(e),
      aborted: abort.signal.aborted,
    });
  } finally {
    running.delete(m.id);
  }
}

port.on('message', (m: ToWorker) => {
  try {
    if (m.type === 'configure') configure(m.config);
    else if (m.type === 'cancel') running.get(m.id)?.abort(new Error('superseded'));
    else if (m.type === 'warm') warm();
    else if (m.type === 'search') void search(m);
  } catch (e) {
    log('error', `search worker: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    if (m.type === 'search')
      send({ type: 'error', id: m.id, message: e instanceof Error ? e.message : String(e), aborted: false });
  }
});
