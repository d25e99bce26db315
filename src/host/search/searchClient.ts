// Talks to the search worker: one request id per search, replies matched by id, superseded
// searches cancelled. No vscode import: the host's SearchService feeds it settings.
import { Worker } from 'node:worker_threads';
import type { HybridSearchResult } from '../../core/search/hybridSearch';
import type { FromWorker, ToWorker, WorkerConfig, WorkerSearchOptions } from './workerProtocol';

export interface WorkerSearchResult {
  result: HybridSearchResult;
  /** First meaningful line of each hit's memory, in hit order. */
  titles: string[];
}

export type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

/** Rejection of a search that a newer one (same lane) replaced, or that was cancelled. */
export class SearchCancelled extends Error {
  constructor() {
    super('search superseded');
    this.name = 'SearchCancelled';
  }
}

interface Pending {
  resolve: (r: WorkerSearchResult) => void;
  reject: (e: Error) => void;
  lane?: string;
}

export class SearchClient {
  private worker: Worker | undefined;
  private config: WorkerConfig | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly lanes = new Map<string, number>();
  private disposed = false;

  constructor(
    private readonly workerPath: string,
    private readonly log: Log,
    /** The worker's vector index finished loading (searches answered keyword-first can be re-run). */
    private readonly onIndexReady: () => void = () => undefined,
  ) {}

  /** Applies to the next searches; the worker keeps its connection when the file is the same. */
  configure(config: WorkerConfig): void {
    if (JSON.stringify(config) === JSON.stringify(this.config)) return;
    this.config = config;
    this.worker?.postMessage({ type: 'configure', config } satisfies ToWorker);
  }

  /**
   * Runs a search in the worker. A search in the same `lane` (e.g. one webview) cancels the
   * previous one still running there: it rejects with SearchCancelled.
   */
  search(query: string, options: WorkerSearchOptions, lane?: string): Promise<WorkerSearchResult> {
    if (this.disposed) return Promise.reject(new Error('the search client is disposed'));
    if (!this.config) return Promise.reject(new Error('the search client is not configured'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    if (lane !== undefined) {
      const previous = this.lanes.get(lane);
      if (previous !== undefined) this.cancel(previous);
      this.lanes.set(lane, id);
    }
    return new Promise<WorkerSearchResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, lane });
      worker.ref(); // a search in flight keeps the process alive until it is answered
      worker.postMessage({ type: 'search', id, query, options } satisfies ToWorker);
    });
  }

  /**
   * Starts the worker thread and lets it evaluate its code, nothing more (no database, no word
   * tables): starting a thread and loading its bundle is 60-80 ms that the first warm() then
   * does not wait for.
   */
  prestart(): void {
    if (!this.disposed) this.ensureWorker();
  }

  /** Starts the worker and lets it open the database and load the embedder ahead of use. */
  warm(): void {
    if (this.disposed || !this.config) return;
    this.ensureWorker().postMessage({ type: 'warm' } satisfies ToWorker);
  }

  /** Number of searches awaiting a reply (tests, diagnostics). */
  get inFlight(): number {
    return this.pending.size;
  }

  private cancel(id: number): void {
    const p = this.settle(id);
    if (!p) return;
    this.worker?.postMessage({ type: 'cancel', id } satisfies ToWorker);
    p.reject(new SearchCancelled());
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
    if (p.lane !== undefined && this.lanes.get(p.lane) === id) this.lanes.delete(p.lane);
    return p;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerPath);
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (e) => this.log('error', `search worker failed: ${e.stack ?? e.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      // Whatever was running is lost; the next search starts a new worker.
      for (const id of [...this.pending.keys()])
        this.settle(id)?.reject(new Error(`the search worker stopped (exit code ${code})`));
      if (!this.disposed && code !== 0)
        this.log('warn', `search worker exited with code ${code}; it restarts on the next search`);
    });
    worker.unref(); // idle, it never keeps a process alive
    if (this.config) worker.postMessage({ type: 'configure', config: this.config } satisfies ToWorker);
    this.worker = worker;
    return worker;
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'log') return this.log(m.level, m.message);
    if (m.type === 'indexReady') return this.onIndexReady();
    const p = this.settle(m.id);
    if (!p) return; // cancelled meanwhile: its reply is stale
    if (m.type === 'result') p.resolve({ result: m.result, titles: m.titles });
    else p.reject(m.aborted ? new SearchCancelled() : new Error(m.message));
  }

  dispose(): void {
    this.disposed = true;
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new SearchCancelled());
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
