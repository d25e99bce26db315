import type Database from 'better-sqlite3';
import { tryBriefWrite } from '../db/briefWrite';
import type { Store } from '../db/store';
import { tableExists } from '../db/migrate';
import {
  CHANGELOG_HEAD,
  codeFormat,
  readStoredCodes,
  storedCodesInfo,
  writeStoredCodes,
  type ChangelogHead,
} from './storedCodes';
import { VectorIndex } from './vectorIndex';

export type VectorIndexStatus = 'idle' | 'loading' | 'ready' | 'unsupported' | 'failed';

export interface VectorIndexSyncOptions {
  /** Rows read per loading step; the event loop runs between steps. */
  chunkRows?: number;
  /** Changelog entries replayed inline before a search; more than this reloads in the background. */
  maxReplay?: number;
  /** Hosts store the index's codes by themselves only for at least this many vectors (see STORE_ABOVE). */
  storeAbove?: number;
}

interface VectorRow {
  rowid: number;
  content_type: string | null;
  embedding: Buffer | string | null;
}

const MIN_ROWID = -(2n ** 63n);
/**
 * Changelog entries a process that did not ask for the index (a one-shot CLI search) replays
 * onto the stored codes before using them; further behind, vec0 answers. Replaying reads and
 * rotates each changed vector (~30 µs), so 2,000 cost about what one vec0 scan of 100K does.
 */
const ONE_SHOT_REPLAY = 2000;
/** A host holding the index stores its codes again once this many changelog entries (or 1 % of the index) are newer. */
const STORE_EVERY = 1000;
/**
 * Below this many vectors a host does not store the codes by itself: reading them all takes
 * ~60 ms or less, and every write by one connection makes the others' windows look for outside
 * changes and refresh their views. storeCodes() called directly stores any size.
 */
const STORE_ABOVE = 2000;
/** Storing the codes is skipped (tried again later) when another writer holds the lock longer. */
const STORE_WAIT_MS = 100;

/**
 * Keeps an in-memory VectorIndex equal to one database's vectors, for one connection.
 * vec0 stays the source of truth: every writer (any process) appends the rowids it changed
 * to vec_changelog (triggers of migration 0002); before each search, inside the search's read
 * transaction, the index replays the entries after the last one it saw — or, when it fell
 * too far behind or the vector space changed, reloads in the background while searches use
 * vec0. Loading reads semantic_memory.embedding, which the schema's triggers keep identical
 * to the vec0 rows (every embedded memory has exactly one vec row holding that vector).
 */
export class VectorIndexSync {
  private index: VectorIndex | null = null;
  private lastSeq = 0;
  private dim = 0;
  private model: string | null = null;
  private state: VectorIndexStatus = 'idle';
  private generation = 0;
  private loading: Promise<void> | null = null;
  private failure: string | undefined;
  private loadingTotal = 0;
  /** Set by load(): only a host that asked for the index gets background (re)loads. */
  private wanted = false;
  /** The changelog seq of the codes in the database, as far as this process knows (-1: none usable). */
  private storedSeq = -1;
  private storeScheduled = false;
  /** A process that did not ask for the index tries the stored codes once. */
  private triedStored = false;
  private from: 'stored codes' | 'vectors' | undefined;
  private readonly chunkRows: number;
  private readonly maxReplay: number;
  private readonly storeAbove: number;

  constructor(
    private readonly store: Store,
    opts: VectorIndexSyncOptions = {},
  ) {
    // ~500 rows (about 10 ms of reading and encoding) per step: a search waits at most one step.
    this.chunkRows = opts.chunkRows ?? 500;
    this.maxReplay = opts.maxReplay ?? 20000;
    this.storeAbove = opts.storeAbove ?? STORE_ABOVE;
    if (!store.vectorsEnabled || !tableExists(store.db, 'vec_changelog')) this.state = 'unsupported';
  }

  get status(): VectorIndexStatus {
    return this.state;
  }

  /** Why loading failed, when status is 'failed'. */
  get error(): string | undefined {
    return this.failure;
  }

  /**
   * While loading: how many vectors the load expects (0 otherwise). Hosts use it to decide whether vec0 is quick enough
   * meanwhile.
   */
  get loadingVectors(): number {
    return this.state === 'loading' ? this.loadingTotal : 0;
  }

  /** Where the loaded index came from: the codes stored in the database, or every vector read and encoded. */
  get loadedFrom(): 'stored codes' | 'vectors' | undefined {
    return this.state === 'ready' ? this.from : undefined;
  }

  /** Vectors held and bytes used (0 when not loaded). */
  get stats(): { vectors: number; bytes: number } {
    return { vectors: this.index?.size ?? 0, bytes: this.index?.bytes ?? 0 };
  }

  /**
   * Loads in steps between event-loop turns; searches use vec0 until it is done. Long-lived
   * hosts (extension, MCP server) call this once after opening the store; from then on the
   * index also reloads by itself when it falls behind. One-shot callers (a CLI search) need not:
   * vec0 answers them, and no background work keeps the process alive.
   */
  load(): Promise<void> {
    this.wanted = true;
    if (this.state === 'unsupported') return Promise.resolve();
    if (this.loading) return this.loading;
    const gen = ++this.generation;
    this.state = 'loading';
    this.loading = (async () => {
      try {
        for (const _ of this.steps(gen)) await new Promise<void>((resolve) => setImmediate(resolve));
      } catch (e) {
        this.fail(gen, e);
      } finally {
        if (gen === this.generation) this.loading = null;
      }
    })();
    return this.loading;
  }

  /** Loads at once, blocking (benchmarks, tests, a CLI that searches right away). */
  loadSync(): void {
    this.wanted = true;
    if (this.state === 'unsupported') return;
    const gen = ++this.generation;
    this.loading = null;
    this.state = 'loading';
    try {
      for (const _ of this.steps(gen)) {
        /* no yielding */
      }
    } catch (e) {
      this.fail(gen, e);
    }
  }

  /**
   * The index, brought up to date with the database, or null when it cannot answer this search
   * (not loaded yet, or reloading): the caller then uses vec0. Call inside the read transaction
   * of the search so that the index and the rows read afterwards are the same snapshot.
   */
  current(): VectorIndex | null {
    if (this.state !== 'ready' || !this.index) {
      if (this.state === 'idle' && this.wanted) void this.load();
      else if (this.state === 'idle' && !this.triedStored) {
        this.triedStored = true;
        const restored = this.restore(this.head(), ONE_SHOT_REPLAY);
        if (restored) return restored;
      }
      return null;
    }
    const head = this.head();
    if (Number(head.dim) !== this.dim || head.model !== this.model) return this.reload();
    const max = head.maxSeq ?? 0;
    if (max === this.lastSeq) return this.index;
    if (!this.canReplay(head, this.lastSeq, this.maxReplay)) return this.reload();
    this.replay(this.index, this.lastSeq);
    this.lastSeq = max;
    if (this.wanted && max - this.storedSeq >= this.storeEvery()) this.scheduleStore();
    return this.index;
  }

  /**
   * Stores the index's codes in the database (vector_index_codes, migration 0006) so that the
   * next process starts from them: brought up to date under the write lock first, so the codes
   * and their changelog seq agree. False (nothing written) when not loaded, read-only, or
   * another writer kept the lock; callers never depend on it.
   */
  storeCodes(): boolean {
    const index = this.index;
    if (this.state !== 'ready' || !index || !this.model) return false;
    const model = this.model;
    const stored = tryBriefWrite(this.store, STORE_WAIT_MS, () => {
      const head = this.head();
      const max = head.maxSeq ?? 0;
      if (
        Number(head.dim) !== this.dim ||
        head.model !== model ||
        !this.canReplay(head, this.lastSeq, this.maxReplay)
      ) {
        return false; // the next search reloads
      }
      if (max !== this.lastSeq) this.replay(index, this.lastSeq);
      this.lastSeq = max;
      writeStoredCodes(this.store, index, model, max);
      return true;
    });
    // Stored, failed or skipped: not again before another storeEvery() changes.
    this.storedSeq = this.lastSeq;
    return stored === true;
  }

  /** Forgets the vectors (frees the memory) and stops any load in progress. */
  dispose(): void {
    this.wanted = false;
    this.generation++;
    this.index = null;
    this.loading = null;
    if (this.state !== 'unsupported') this.state = 'idle';
  }

  private reload(): null {
    this.index = null; // its vectors may be wrong now: never answer from it again
    this.state = 'idle';
    this.loading = null;
    if (this.wanted) void this.load();
    return null;
  }

  /** Whether replaying the changelog after `seq` brings an index at `seq` up to `head`. */
  private canReplay(head: ChangelogHead, seq: number, limit: number): boolean {
    const max = head.maxSeq ?? 0;
    if (seq === max) return true;
    return seq < max && max - seq <= limit && (head.minSeq ?? max) <= seq + 1;
  }

  /**
   * The index from the codes stored in the database, brought up to date by replaying the
   * changelog after them; null (nothing changed) when none are stored or they are not usable:
   * another model, dimension or code format, or more than `limit` entries (or trimmed ones) behind.
   */
  private restore(head: ChangelogHead, limit: number): VectorIndex | null {
    const dim = Number(head.dim);
    let index: VectorIndex | null;
    let info: ReturnType<typeof storedCodesInfo>;
    try {
      info = storedCodesInfo(this.store);
      const bits = VectorIndex.bitsFor(dim);
      if (!info || !head.model || info.model !== head.model || info.dimension !== dim) return null;
      if (info.format !== codeFormat(bits) || !this.canReplay(head, info.seq, limit)) return null;
      const codes = readStoredCodes(this.store, info, bits);
      index = codes ? VectorIndex.fromCodes(dim, codes) : null;
      if (!index) return null;
      this.replay(index, info.seq);
    } catch {
      return null; // a cache that cannot be read is no reason to fail: the vectors are still there
    }
    this.index = index;
    this.dim = dim;
    this.model = head.model;
    this.lastSeq = head.maxSeq ?? 0;
    this.storedSeq = info.seq;
    this.from = 'stored codes';
    this.state = 'ready';
    return index;
  }

  /** Storing rewrites every code (~7 ms per 10K memories): at least 1 % of them must have changed. */
  private storeEvery(): number {
    return Math.max(STORE_EVERY, Math.ceil((this.index?.size ?? 0) / 100));
  }

  private scheduleStore(): void {
    if (this.storeScheduled || (this.index?.size ?? 0) < this.storeAbove) return;
    this.storeScheduled = true;
    const gen = this.generation;
    // Not inside the search's read transaction: right after it (unless disposed or closed meanwhile).
    setImmediate(() => {
      this.storeScheduled = false;
      if (this.wanted && gen === this.generation && this.store.db.open) this.storeCodes();
    });
  }

  private fail(gen: number, e: unknown): void {
    if (gen !== this.generation) return;
    this.index = null;
    this.state = 'failed';
    this.failure = e instanceof Error ? e.message : String(e);
  }

  private *steps(gen: number): Generator<void> {
    const db = this.store.db;
    const head = this.head();
    // The stored codes, when usable, spare reading and rotating every vector (seconds at 100K).
    if (this.restore(head, this.maxReplay)) {
      if (this.lastSeq - this.storedSeq >= this.storeEvery()) this.scheduleStore();
      return;
    }
    const dim = Number(head.dim);
    // Sized once for what is there (the pending count uses migration 0002's partial index).
    const expected = db
      .prepare(
        `SELECT (SELECT count(*) FROM semantic_memory) - (SELECT count(*) FROM semantic_memory WHERE embedding IS NULL)`,
      )
      .pluck()
      .get() as number;
    this.loadingTotal = expected;
    const index = VectorIndex.create(dim, Math.min(Math.max(expected, 64), 1 << 20));
    if (!index) {
      this.state = 'unsupported';
      return;
    }
    const chunk = db.prepare(`SELECT rowid, content_type, embedding FROM semantic_memory
      WHERE rowid > ? AND embedding IS NOT NULL ORDER BY rowid LIMIT ?`);
    let after: number | bigint = MIN_ROWID;
    for (;;) {
      const rows = chunk.all(after, this.chunkRows) as VectorRow[];
      for (const r of rows) this.put(index, r);
      if (rows.length < this.chunkRows) break;
      after = rows[rows.length - 1].rowid;
      yield;
      if (gen !== this.generation) return; // disposed or superseded meanwhile
    }
    if (gen !== this.generation) return;
    // Everything logged since `head` was read is replayed, so changes made while loading count.
    this.index = index;
    this.dim = dim;
    this.model = head.model;
    this.lastSeq = head.maxSeq ?? 0;
    this.state = 'ready';
    this.from = 'vectors';
    this.storedSeq = -1;
    this.scheduleStore();
  }

  private replay(index: VectorIndex, afterSeq: number): void {
    const rows = this.prepared(
      'replay',
      `SELECT c.rowid AS rowid, m.content_type, m.embedding
      FROM (SELECT DISTINCT memory_rowid AS rowid FROM vec_changelog WHERE seq > ?) c
      LEFT JOIN semantic_memory m ON m.rowid = c.rowid`,
    ).all(afterSeq) as VectorRow[];
    for (const r of rows) this.put(index, r);
  }

  private put(index: VectorIndex, r: VectorRow): void {
    const v = r.embedding === null || r.content_type === null ? null : toVector(r.embedding, index.dimension);
    if (!v || !index.upsert(r.rowid, r.content_type!, v)) index.remove(r.rowid);
  }

  private head(): ChangelogHead {
    return this.prepared('head', CHANGELOG_HEAD).get() as ChangelogHead;
  }

  private readonly statements = new Map<string, Database.Statement>();
  private prepared(key: string, sql: string): Database.Statement {
    let s = this.statements.get(key);
    if (!s) this.statements.set(key, (s = this.store.db.prepare(sql)));
    return s;
  }
}

/** A stored embedding (float32 BLOB, or JSON text from older writers) as floats; null if unusable. */
export function toVector(value: Buffer | string, dimension: number): Float32Array | null {
  if (typeof value === 'string') {
    try {
      const arr = JSON.parse(value) as unknown;
      return Array.isArray(arr) && arr.length === dimension ? Float32Array.from(arr as number[]) : null;
    } catch {
      return null;
    }
  }
  if (value.byteLength !== dimension * 4) return null;
  const out = new Float32Array(dimension);
  new Uint8Array(out.buffer).set(value); // copy: the Buffer may not be 4-byte aligned
  return out;
}

const registry = new WeakMap<Store, VectorIndexSync>();

/** The one index of a store (created on first use; loaded when a host calls load() or loadSync()). */
export function vectorIndexFor(store: Store, opts?: VectorIndexSyncOptions): VectorIndexSync {
  let sync = registry.get(store);
  if (!sync) registry.set(store, (sync = new VectorIndexSync(store, opts)));
  return sync;
}
