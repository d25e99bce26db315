import { CONTENT_TYPES, type ContentType } from '../memory/types';
import { topK } from './topK';
import { instantiateKernel, KERNEL_DIM_MULTIPLE, newWasmMemory, WASM_PAGE, type DotsFn, type WasmMemory } from './vectorKernel';

/** The query is quantised finer than the stored vectors: it costs nothing (one per search). */
const QUERY_LEVELS = 8191;
const VECTOR_LEVELS = 127;
const NO_TYPE = 255;
const TYPE_CODES = new Map<string, number>(CONTENT_TYPES.map((t, i) => [t, i]));

export interface ApproxHit {
  rowid: number;
  /** Approximate cosine similarity from the int8 vectors (error ~1e-3): for ranking candidates only. */
  approx: number;
}

export interface ApproxQuery {
  /** How many candidates to return. */
  count: number;
  contentType?: ContentType;
  /** Only these rowids (a pre-filtered set). */
  allowed?: ReadonlySet<number>;
}

/**
 * Memories' vectors held in memory as int8 (one scale per vector), scanned by the wasm SIMD
 * kernel. Cosine ranking only: each vector is normalised before quantising. Exact distances
 * come from the stored float32 embeddings (the caller rescores the candidates).
 *
 * Bytes per memory: dimension (768) int8 + 4 (kernel output) + 4 (scale) + 8 (rowid) + 1 (type)
 * + a Map entry (~40) ≈ 825 at 768-d; capacity grows by 1.5×.
 * Holds no SQL: VectorIndexSync keeps it equal to the database.
 */
export class VectorIndex {
  readonly dimension: number;
  private readonly padded: number;
  private readonly vecOffset: number;
  private readonly memory: WasmMemory;
  private readonly dots: DotsFn;
  private capacity = 0;
  private n = 0;
  private scales = new Float32Array(0);
  private rowids = new Float64Array(0);
  private types = new Uint8Array(0);
  private readonly slots = new Map<number, number>();
  private scratch: Float32Array;

  /** Null when WebAssembly SIMD is not available here. */
  static create(dimension: number, initialCapacity = 1024): VectorIndex | null {
    if (!Number.isInteger(dimension) || dimension < 1) return null;
    const padded = Math.ceil(dimension / KERNEL_DIM_MULTIPLE) * KERNEL_DIM_MULTIPLE;
    const vecOffset = Math.ceil((padded * 2) / 64) * 64;
    const memory = newWasmMemory(vecOffset);
    const dots = memory && instantiateKernel(memory);
    if (!memory || !dots) return null;
    const index = new VectorIndex(dimension, padded, vecOffset, memory, dots);
    index.reserve(initialCapacity);
    return index;
  }

  private constructor(dimension: number, padded: number, vecOffset: number, memory: WasmMemory, dots: DotsFn) {
    this.dimension = dimension;
    this.padded = padded;
    this.vecOffset = vecOffset;
    this.memory = memory;
    this.dots = dots;
    this.scratch = new Float32Array(dimension);
  }

  get size(): number {
    return this.n;
  }

  has(rowid: number): boolean {
    return this.slots.has(rowid);
  }

  /** What the index holds now, in bytes (wasm memory plus the per-vector arrays). */
  get bytes(): number {
    return this.memory.buffer.byteLength + this.capacity * (4 + 8 + 1) + this.slots.size * 40;
  }

  /** Makes room for at least `count` vectors (call before a bulk load to avoid regrowing). */
  reserve(count: number): void {
    if (count <= this.capacity) return;
    const cap = Math.max(count, 64);
    const need = this.vecOffset + cap * this.padded + cap * 4;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / WASM_PAGE));
    const grow = <T extends Float32Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(cap);
      next.set(old.subarray(0, this.n) as never);
      return next;
    };
    this.scales = grow(this.scales, (n) => new Float32Array(n));
    this.rowids = grow(this.rowids, (n) => new Float64Array(n));
    this.types = grow(this.types, (n) => new Uint8Array(n));
    this.capacity = cap;
  }

  /** Adds or replaces a memory's vector. A vector of the wrong length is refused (returns false). */
  upsert(rowid: number, contentType: string, vector: ArrayLike<number>): boolean {
    if (vector.length !== this.dimension) return false;
    let slot = this.slots.get(rowid);
    if (slot === undefined) {
      if (this.n === this.capacity) this.reserve(Math.ceil(this.capacity * 1.5) + 64);
      slot = this.n++;
      this.slots.set(rowid, slot);
      this.rowids[slot] = rowid;
    }
    this.types[slot] = TYPE_CODES.get(contentType) ?? NO_TYPE;
    this.scales[slot] = this.quantise(vector, new Int8Array(this.memory.buffer, this.vecOffset + slot * this.padded, this.padded), VECTOR_LEVELS);
    return true;
  }

  remove(rowid: number): boolean {
    const slot = this.slots.get(rowid);
    if (slot === undefined) return false;
    const last = --this.n;
    this.slots.delete(rowid);
    if (slot !== last) {
      // Move the last vector into the hole: the vectors stay contiguous for the kernel.
      const bytes = new Uint8Array(this.memory.buffer);
      bytes.copyWithin(this.vecOffset + slot * this.padded, this.vecOffset + last * this.padded, this.vecOffset + (last + 1) * this.padded);
      this.scales[slot] = this.scales[last];
      this.types[slot] = this.types[last];
      this.rowids[slot] = this.rowids[last];
      this.slots.set(this.rowids[slot], slot);
    }
    return true;
  }

  clear(): void {
    this.n = 0;
    this.slots.clear();
  }

  /** The `count` memories nearest to the query by approximate cosine, best first. */
  search(query: ArrayLike<number>, q: ApproxQuery): ApproxHit[] {
    if (query.length !== this.dimension || this.n === 0 || q.count <= 0) return [];
    const queryScale = this.quantise(query, new Int16Array(this.memory.buffer, 0, this.padded), QUERY_LEVELS);
    const outOffset = this.vecOffset + this.capacity * this.padded;
    this.dots(0, this.vecOffset, this.n, this.padded, outOffset);
    const raw = new Int32Array(this.memory.buffer, outOffset, this.n);
    const { scales, types, rowids } = this;
    const score = (i: number) => raw[i] * scales[i];
    let accept: ((i: number) => boolean) | undefined;
    if (q.contentType !== undefined) {
      const code = TYPE_CODES.get(q.contentType) ?? NO_TYPE;
      accept = (i) => types[i] === code;
    }
    if (q.allowed) {
      const allowed = q.allowed;
      const byType = accept;
      accept = byType ? (i) => byType(i) && allowed.has(rowids[i]) : (i) => allowed.has(rowids[i]);
    }
    return topK(this.n, q.count, score, accept).map((i) => ({ rowid: rowids[i], approx: score(i) * queryScale }));
  }

  /**
   * Writes round(v̂ / max|v̂| × levels) into `out` (zero padding after the dimension) and
   * returns the factor that turns one unit back into v̂'s scale (v̂ = v / |v|).
   */
  private quantise(v: ArrayLike<number>, out: Int8Array | Int16Array, levels: number): number {
    const f = this.scratch;
    let norm = 0;
    let max = 0;
    for (let i = 0; i < this.dimension; i++) {
      const x = Number.isFinite(v[i]) ? v[i] : 0;
      f[i] = x;
      norm += x * x;
      const a = Math.abs(x);
      if (a > max) max = a;
    }
    out.fill(0);
    if (!(norm > 0) || !(max > 0)) return 0;
    const k = levels / max;
    for (let i = 0; i < this.dimension; i++) out[i] = Math.round(f[i] * k);
    return max / Math.sqrt(norm) / levels;
  }
}
