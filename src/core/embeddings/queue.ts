import type { Store } from '../db/store';
import { DevStreamError, isDevStreamError } from '../errors';
import { newId } from '../ids';
import { MemoryRepository } from '../memory/memoryRepository';
import { beginStage, countUnstaged, stageVectors, swapStage, unstaged, type StageTarget } from '../memory/reindexStage';
import { getVectorSpace } from '../memory/vectorSpace';
import type { Embedder } from './types';

/** Timers the queue waits with; tests pass fake ones so back-off takes no real time. */
export interface QueueClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: QueueClock = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.(); // a waiting queue never keeps a CLI process alive
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface EmbeddingQueueOptions {
  /** Memories embedded per provider call (default 16). */
  batchSize?: number;
  /** First wait after a failure (default 1 s); doubles per failure up to maxBackoffMs (default 5 min). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  clock?: QueueClock;
}

/**
 * idle: nothing pending; running: embedding; waiting: the provider failed, retrying after a
 * back-off; stopped: stop() was called; blocked: the provider's model does not match the index
 * (re-index needed) — retrying could never help.
 */
export type QueueState = 'idle' | 'running' | 'waiting' | 'stopped' | 'blocked';

export interface QueueProgress {
  state: QueueState;
  /** Memories embedded since the run started. */
  done: number;
  /** done + still pending (as counted when the run started or was told of new memories). */
  total: number;
  /** Memories the provider refused as invalid input: skipped until the next run. */
  failed: number;
  /** While waiting: the back-off delay in progress. */
  retryInMs?: number;
  lastError?: string;
}

export interface Disposable {
  dispose(): void;
}

interface Pending {
  id: string;
  content: string;
}
type BatchOutcome = 'empty' | 'ok' | 'failed' | 'blocked' | 'stopped';

/**
 * Embeds memories in the background. Memories are saved without a vector (keyword search finds
 * them at once); this queue fills in vectors batch by batch. Its only state is in the database
 * (pending = embedding IS NULL), so a process that stops mid-queue loses nothing: the next run
 * continues where it stopped, and two processes running queues on one file at once are safe.
 * A provider failure backs off exponentially (bounded; never a busy loop) and the queue resumes
 * by itself when the provider answers again.
 */
export class EmbeddingQueue {
  private readonly repo: MemoryRepository;
  private readonly batchSize: number;
  private readonly minBackoff: number;
  private readonly maxBackoff: number;
  private readonly clock: QueueClock;
  private readonly listeners = new Set<(p: QueueProgress) => void>();
  private readonly skipped = new Set<string>();
  private state: QueueState = 'idle';
  private done = 0;
  private total = 0;
  private failures = 0;
  private retryInMs: number | undefined;
  private lastError: string | undefined;
  private loop: Promise<void> | null = null;
  private abort: AbortController | null = null;
  private timer: unknown;
  private wake: (() => void) | null = null;
  private stopRequested = false;
  /** While re-indexing: the space being filled beside the index (see reindexStage). */
  private staging: StageTarget | null = null;

  constructor(
    private readonly store: Store,
    private readonly embedder: Embedder,
    opts: EmbeddingQueueOptions = {},
  ) {
    this.repo = new MemoryRepository(store);
    this.batchSize = Math.max(1, Math.floor(opts.batchSize ?? 16));
    this.minBackoff = Math.max(1, opts.minBackoffMs ?? 1000);
    this.maxBackoff = Math.max(this.minBackoff, opts.maxBackoffMs ?? 5 * 60_000);
    this.clock = opts.clock ?? realClock;
  }

  get progress(): QueueProgress {
    return {
      state: this.state,
      done: this.done,
      total: this.total,
      failed: this.skipped.size,
      ...(this.retryInMs !== undefined ? { retryInMs: this.retryInMs } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  /** Called after every change of progress or state. */
  onProgress(listener: (p: QueueProgress) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Starts (or resumes after stop) working through the pending memories in the background. */
  start(): void {
    this.stopRequested = false;
    if (this.loop) return;
    // A new run retries what the last one skipped: 'invalid' is mostly a broken response of a
    // flaky provider, not a bad memory; one attempt per run keeps the cost bounded.
    this.skipped.clear();
    this.done = 0;
    this.total = this.countPending();
    this.loop = this.run().finally(() => {
      this.loop = null;
    });
  }

  /** New or edited memories are waiting: count them and make sure the queue runs. */
  notify(): void {
    if (this.stopRequested) return;
    if (this.loop) this.total = this.done + this.countPending();
    else this.start();
  }

  /** Skips the current back-off wait (e.g. the user says the provider is back). */
  retryNow(): void {
    this.wakeUp();
  }

  /** Runs until nothing is pending, or the queue stops or is blocked; resolves with the progress. */
  async drain(): Promise<QueueProgress> {
    this.start();
    while (this.loop) await this.loop;
    return this.progress;
  }

  /**
   * Switches the index to this queue's embedder and re-embeds every memory. The embedder is
   * probed first: one that cannot answer is refused ('unavailable') before anything changes.
   * New vectors go to a staging space and replace the index in one transaction only once every
   * memory has one, so an interrupted re-index leaves the old vectors searchable; reindex() on
   * the same model later continues with what was staged.
   */
  async reindex(): Promise<QueueProgress> {
    await this.stop();
    const probe = await this.embedder.probe();
    if (!probe.ok) {
      const hint = probe.hint ? ` ${probe.hint}` : '';
      throw new DevStreamError(
        `Cannot re-index with ${this.embedder.model}: ${probe.reason}${hint} Nothing was changed.`,
        'unavailable',
      );
    }
    const target = { dimension: this.embedder.dimension, model: this.embedder.model, provider: this.embedder.id };
    beginStage(this.store, target);
    this.staging = target;
    this.stopRequested = false;
    this.skipped.clear();
    this.lastError = undefined;
    try {
      return await this.drain();
    } finally {
      // Not swapped (stopped, failed): the index is the old model's again for this queue too.
      this.staging = null;
    }
  }

  /** Cancels the batch in flight and any wait; nothing more happens until start(). */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.abort?.abort(new DevStreamError('The embedding queue was stopped.', 'unavailable'));
    this.wakeUp();
    while (this.loop) await this.loop;
  }

  dispose(): void {
    void this.stop();
    this.listeners.clear();
  }

  private async run(): Promise<void> {
    this.setState('running');
    for (;;) {
      if (this.stopRequested) return this.setState('stopped');
      const outcome = await this.batch();
      if (outcome === 'stopped') return this.setState('stopped');
      if (outcome === 'blocked') return this.setState('blocked');
      if (outcome === 'empty') return this.setState('idle');
      if (outcome === 'ok') {
        if (this.failures > 0) this.lastError = undefined; // the provider is back
        this.failures = 0;
        this.retryInMs = undefined;
        this.setState('running');
        continue;
      }
      this.failures++;
      this.retryInMs = Math.min(this.maxBackoff, this.minBackoff * 2 ** Math.min(this.failures - 1, 30));
      this.setState('waiting');
      await this.sleep(this.retryInMs);
      this.retryInMs = undefined;
      if (!this.stopRequested) this.setState('running');
    }
  }

  private async batch(): Promise<BatchOutcome> {
    if (this.staging) return this.stageBatch(this.staging);
    const mismatch = this.spaceMismatch();
    if (mismatch) {
      this.lastError = mismatch;
      return 'blocked';
    }
    let items: Pending[];
    try {
      items = this.pending();
    } catch (e) {
      return this.storeFailure(e);
    }
    if (items.length === 0) return 'empty';
    const result = await this.embed(items);
    if (result === 'stopped' || result === 'failed') return result;
    if (result === 'invalid') return items.length > 1 ? this.isolate(items) : this.skip(items[0]);
    return this.save(items, result);
  }

  /** A re-index batch: into the staging space; once nothing is left, the swap. */
  private async stageBatch(target: StageTarget): Promise<BatchOutcome> {
    let items: Pending[];
    try {
      items = unstaged(this.store, this.batchSize + this.skipped.size)
        .filter((r) => !this.skipped.has(r.id))
        .slice(0, this.batchSize);
      if (items.length === 0) {
        swapStage(this.store, target);
        this.staging = null; // from here on: a normal queue (memories edited meanwhile are pending)
        this.total = this.done + this.countPending();
        return 'ok';
      }
    } catch (e) {
      return this.storeFailure(e);
    }
    const result = await this.embed(items);
    if (result === 'stopped' || result === 'failed') return result;
    if (result === 'invalid') return items.length > 1 ? this.isolate(items) : this.skip(items[0]);
    return this.save(items, result);
  }

  /** One bad input must not hold up the rest: retry the batch one memory at a time. */
  private async isolate(items: Pending[]): Promise<BatchOutcome> {
    let saved = 0;
    const refused: Pending[] = [];
    for (const item of items) {
      const r = await this.embed([item]);
      if (r === 'stopped' || r === 'failed') return r;
      if (r === 'invalid') refused.push(item);
      else if (this.save([item], r) === 'ok') saved++;
    }
    if (saved === 0) return 'failed'; // everything refused: more likely the provider or its settings
    for (const item of refused) this.skipped.add(item.id);
    return 'ok';
  }

  private skip(item: Pending): BatchOutcome {
    this.skipped.add(item.id);
    return 'ok';
  }

  private async embed(items: Pending[]): Promise<Float32Array[] | 'stopped' | 'failed' | 'invalid'> {
    this.abort = new AbortController();
    try {
      const started = performance.now();
      const vectors = await this.embedder.embed(
        items.map((m) => m.content),
        'document',
        this.abort.signal,
      );
      if (this.stopRequested) return 'stopped';
      this.recordEmbeddingTime(items, performance.now() - started);
      if (
        vectors.length !== items.length ||
        vectors.some(
          (v) =>
            !(v instanceof Float32Array) || v.length !== this.embedder.dimension || v.some((x) => !Number.isFinite(x)),
        )
      ) {
        this.lastError = `${this.embedder.model} returned ${vectors.length} vectors for ${items.length} texts, or vectors of the wrong size or not finite.`;
        return 'invalid';
      }
      return vectors;
    } catch (e) {
      if (this.stopRequested) return 'stopped';
      this.lastError = e instanceof Error ? e.message : String(e);
      return isDevStreamError(e) && e.code === 'invalid' ? 'invalid' : 'failed';
    } finally {
      this.abort = null;
    }
  }

  /**
   * Stores the vectors of memories whose text is still the text that was embedded and that are
   * still waiting: a memory edited (or embedded by another process, or deleted) meanwhile is
   * left alone — editing clears its embedding, so it comes back with its new text.
   */
  /** performance_metrics 'embedding_time': ms per memory for each batch (best effort). */
  private recordEmbeddingTime(items: Pending[], ms: number): void {
    try {
      this.store.db
        .prepare(
          `INSERT INTO performance_metrics (id, metric_type, entity_type, entity_id, metric_value, metric_unit, context)
        VALUES (?, 'embedding_time', 'memory', ?, ?, 'ms', ?)`,
        )
        .run(
          newId(),
          items[0].id,
          ms / items.length,
          JSON.stringify({ batch: items.length, model: this.embedder.model, provider: this.embedder.id }),
        );
    } catch {
      // metrics never stop embedding (busy or read-only database)
    }
  }

  private save(items: Pending[], vectors: Float32Array[]): BatchOutcome {
    try {
      let stored = 0;
      if (this.staging)
        stored = stageVectors(
          this.store,
          items.map((m, i) => ({ ...m, vector: vectors[i] })),
        );
      else
        this.store.tx(() => {
          const current = this.store.db
            .prepare(`SELECT content FROM semantic_memory WHERE id = ? AND embedding IS NULL`)
            .pluck();
          items.forEach((m, i) => {
            if (current.get(m.id) !== m.content) return;
            this.repo.setEmbedding(m.id, {
              vector: vectors[i],
              model: this.embedder.model,
              provider: this.embedder.id,
            });
            stored++;
          });
        });
      this.done += stored;
      if (this.done > this.total) this.total = this.done;
      return 'ok';
    } catch (e) {
      return this.storeFailure(e);
    }
  }

  private storeFailure(e: unknown): BatchOutcome {
    this.lastError = e instanceof Error ? e.message : String(e);
    // The index holds another model's vectors (someone switched meanwhile): waiting cannot help.
    if (isDevStreamError(e) && e.code === 'invalid') return 'blocked';
    if (!this.store.db.open) return 'stopped';
    return 'failed'; // busy database, full disk...: try again later
  }

  private spaceMismatch(): string | undefined {
    const space = getVectorSpace(this.store);
    const e = this.embedder;
    if (e.dimension !== space.dimension || (space.model !== null && space.model !== e.model)) {
      return `The vector index holds ${space.model ?? 'no'} vectors (${space.dimension}-d) but the provider is ${e.model} (${e.dimension}-d). Re-index embeddings to switch models.`;
    }
    return undefined;
  }

  /**
   * The oldest memories without a vector, minus those refused this run. `+rowid` steers SQLite
   * to the partial index of migration 0002 and a small sort (MemoryRepository.pendingEmbedding's
   * plain `ORDER BY rowid` walks the whole table in rowid order, reading every embedded memory
   * before it reaches new ones: tens of ms per batch at 100K memories).
   */
  private pending(): Pending[] {
    const rows = this.store.db
      .prepare(`SELECT id, content FROM semantic_memory WHERE embedding IS NULL ORDER BY +rowid LIMIT ?`)
      .all(this.batchSize + this.skipped.size) as Pending[];
    return rows.filter((r) => !this.skipped.has(r.id)).slice(0, this.batchSize);
  }

  private countPending(): number {
    try {
      if (this.staging) return countUnstaged(this.store);
      return this.store.db
        .prepare(`SELECT count(*) FROM semantic_memory WHERE embedding IS NULL`)
        .pluck()
        .get() as number;
    } catch {
      return 0;
    }
  }

  private sleep(ms: number): Promise<void> {
    // stop() ran (e.g. from a progress listener) before the wait began
    if (this.stopRequested) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        this.clock.clearTimeout(this.timer);
        this.wake = null;
        resolve();
      };
      this.timer = this.clock.setTimeout(() => this.wake?.(), ms);
    });
  }

  private wakeUp(): void {
    this.wake?.();
  }

  private setState(state: QueueState): void {
    this.state = state;
    const p = this.progress;
    for (const l of this.listeners) {
      try {
        l(p);
      } catch {
        // a listener's bug must not stop the queue
      }
    }
  }
}
